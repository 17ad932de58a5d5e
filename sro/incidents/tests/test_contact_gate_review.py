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
    assignment, gate = review.findings
    assert (
        assignment["rule"] == "no-assignment-that-day" and "no assignment to Palm Springs High" in assignment["detail"]
    )
    assert gate["rule"] == "deployment-gate" and "No contract covers this campus." in gate["detail"]
    assert "No contract clause on the selection and assignment of officers" in review.contract_citation


def test_a_contact_where_the_officer_had_no_assignment_that_day_is_flagged_citing_the_contract(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The campus's gate is otherwise clear (an officer is assigned there, a contract covers it),
    but this officer had no assignment there that day."""
    not_assigned = [{"code": "officer_not_assigned", "message": "The officer is not assigned to this campus."}]
    monkeypatch.setattr("sro.incidents.contacts.gate_reasons", lambda **_kw: not_assigned)
    asked: list[str] = []

    def clause(*, school: Any, on: Any, category: str) -> str | None:
        asked.append(category)
        return 'PSUSD-Palm Springs SRO agreement, section 4: "Officers are assigned jointly."' if category else None

    monkeypatch.setattr("sro.incidents.contacts.contract_clause", clause)
    contact = _record(org)
    review = Review.objects.get(contact=contact)
    assert [f["rule"] for f in review.findings] == ["no-assignment-that-day"]
    assert review.findings[0]["citation"].startswith("PSUSD proposed SRO agreements (2026)")
    assert asked == ["joint_selection"] and "section 4" in review.contract_citation


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
    assert "had no assignment to Palm Springs High" in page
