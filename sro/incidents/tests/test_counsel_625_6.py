"""W&I Code 625.6: counsel before a custodial interrogation of a youth 17 or younger."""

from __future__ import annotations

from typing import Any

import pytest

from sro.core.errors import InvalidInput
from sro.incidents.contacts import ContactData, RightsData, contact_record
from sro.incidents.models import Contact, Review
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for


def _record(org: dict[str, Any], age: int = 16, **rights: Any) -> Contact:
    data = ContactData(occurred_at=past(2), duration_minutes=30, reason=9, race=[3], gender=1, age=age, results=[6])
    officer = actor_for(org["users"]["officer.pspd"])
    contact, _ = contact_record(
        actor=officer,
        school=org["schools"]["Palm Springs High"],
        data=data,
        rights=RightsData(custodial_interrogation=True, student_name="Ana Test", **rights),
    )
    return contact


def test_an_interrogation_of_a_youth_cannot_be_recorded_without_the_counsel_answer(org: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as exc:
        _record(org)
    assert exc.value.errors[0].field == "counsel" and "625.6(a)" in exc.value.errors[0].message
    assert not Contact.objects.exists()


def test_the_exception_must_be_stated(org: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match=r"625\.6\(c\)"):
        _record(org, counsel="exception")
    contact = _record(org, counsel="exception", counsel_note="Asked only where the gun was; a shooter was loose.")
    assert contact.counsel == "exception" and not any(
        f["rule"].startswith("counsel") for f in Review.objects.get(contact=contact).findings
    )


@pytest.mark.parametrize("how", ["in_person", "phone", "video"])
def test_a_consultation_is_recorded_and_opens_no_counsel_review(org: dict[str, Any], how: str) -> None:
    contact = _record(org, counsel=how)
    assert contact.counsel == how and contact.questioned
    rules = [f["rule"] for f in Review.objects.get(contact=contact).findings]
    assert "counsel-before-interrogation-625-6" not in rules


def test_no_consultation_opens_a_review_citing_the_statute_and_the_contract(org: dict[str, Any]) -> None:
    contact = _record(org, counsel="none")
    review = Review.objects.get(contact=contact)
    finding = next(f for f in review.findings if f["rule"] == "counsel-before-interrogation-625-6")
    assert finding["citation"] == "Cal. Welf. & Inst. Code § 625.6(a), (c)" and "cannot be waived" in finding["reason"]
    assert "student interviews, searches and arrests" in review.contract_citation  # no contract in this state


def test_an_adult_needs_no_consultation(org: dict[str, Any]) -> None:
    assert _record(org, age=19).counsel == ""
