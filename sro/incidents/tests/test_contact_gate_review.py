"""Issue 15: a contact on a day the deployment gate says No is reviewed like a boundary crossing."""

from __future__ import annotations

from typing import Any

import pytest

from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Review
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for


def _record(org: dict[str, Any]) -> Any:
    data = ContactData(occurred_at=past(2), duration_minutes=10, reason=2, race=[3], gender=1, age=16, results=[13])
    return contact_record(
        actor=actor_for(org["users"]["officer.pspd"]), school=org["schools"]["Palm Springs High"], data=data
    )[0]


def test_a_contact_where_no_contract_covers_the_campus_opens_a_review_naming_the_reason(org: dict[str, Any]) -> None:
    contact = _record(org)
    codes = [r["code"] for r in contact.gate_reasons]
    assert codes == ["officer_not_assigned", "no_contract"]
    review = Review.objects.get(contact=contact)
    (finding,) = review.findings
    assert finding["rule"] == "deployment-gate"
    assert "not assigned to this campus" in finding["detail"] and "No contract covers this campus." in finding["detail"]


def test_a_cleared_officer_opens_no_review(org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sro.incidents.contacts.gate_reasons", lambda **_kw: [])
    contact = _record(org)
    assert contact.gate_reasons == [] and not Review.objects.filter(contact=contact).exists()


def test_the_officer_is_told_why_when_saving(client_as: Any, org: dict[str, Any]) -> None:
    c = client_as("officer.pspd")
    body = {"school": org["schools"]["Palm Springs High"].pk, "occurred_at": past(2).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 10, "reason": 2, "race": [3], "gender": 1, "age": 16, "results": [13]}  # fmt: skip
    page = c.post("/incidents/contacts/new/", body, follow=True).content.decode()
    assert "A review is open:" in page and "No contract covers this campus." in page
