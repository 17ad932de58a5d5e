"""The complaint parts of the officer's record and of early intervention, on synthetic allegations.

`sro.force.complaints.allegation_events` is replaced here by a list, so each rule's window and
threshold is pinned on exact dates (test_complaints_integration.py runs the real complaints app).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.contracts.models import Contract
from sro.force import complaints, selectors, services
from sro.force.complaints import AllegationEvent
from sro.force.models import EarlyInterventionFlag, JointReview
from sro.orgs.actors import actor_for
from sro.staffing.gate import officer_reasons
from sro.staffing.models import Officer

DAY = dt.date(2026, 5, 4)


def _allegation(
    n: int, received: dt.date, category: str = "discourtesy", finding: str = "", decided: dt.date | None = None
) -> AllegationEvent:
    return AllegationEvent(
        complaint_id=n,
        complaint_label=f"C-2026-{n:04d}",
        allegation_id=100 + n,
        received_on=received,
        category=category,
        category_label=category.replace("_", " ").title(),
        finding=finding,
        finding_label=finding.replace("_", " "),
        decided_on=decided,
    )


@pytest.fixture
def allegations(monkeypatch: pytest.MonkeyPatch) -> list[AllegationEvent]:
    rows: list[AllegationEvent] = []
    for module in (complaints, selectors, services):
        monkeypatch.setattr(module, "allegation_events", lambda officer: list(rows))
    return rows


def _officer() -> Officer:
    return Officer.objects.get(user__username="officer.pspd")


@pytest.mark.parametrize(("gap", "flagged"), [(10, True), (179, True), (180, False)])
def test_two_complaints_within_180_days_raise_a_flag(
    demo: dict[str, Any], allegations: list[AllegationEvent], gap: int, flagged: bool
) -> None:
    allegations += [_allegation(1, DAY), _allegation(2, DAY + dt.timedelta(days=gap))]
    services.ei_evaluate(officer=_officer(), today=DAY + dt.timedelta(days=gap))
    assert EarlyInterventionFlag.objects.filter(officer=_officer(), rule="complaints_twice_180").exists() is flagged


def test_any_sustained_finding_raises_a_flag_and_in_a_named_category_a_joint_review(
    demo: dict[str, Any], allegations: list[AllegationEvent]
) -> None:
    officer = _officer()
    allegations.append(_allegation(3, DAY, "excessive_force", "sustained", DAY + dt.timedelta(days=20)))
    assert services.ei_evaluate(officer=officer, today=DAY + dt.timedelta(days=19)) == []  # not decided yet
    services.ei_evaluate(officer=officer, today=DAY + dt.timedelta(days=20))
    assert EarlyInterventionFlag.objects.filter(officer=officer, rule="sustained_any").exists()
    review = JointReview.objects.get(source="allegation", source_id=103)
    contract = Contract.objects.filter(agency=officer.agency).first()
    assert contract is not None
    assert "joint_review_required" in {r.code for r in officer_reasons(officer, contract, DAY + dt.timedelta(days=21))}
    assert review.clause_category == "use_of_force"


def test_a_sustained_finding_in_a_category_no_contract_names_requires_no_joint_review(
    demo: dict[str, Any], allegations: list[AllegationEvent]
) -> None:
    allegations.append(_allegation(4, DAY, "discourtesy", "sustained", DAY))
    services.ei_evaluate(officer=_officer(), today=DAY)
    assert not JointReview.objects.filter(source="allegation").exists()
    assert EarlyInterventionFlag.objects.filter(officer=_officer(), rule="sustained_any").exists()


@pytest.mark.parametrize("username", ["director", "lt.pspd", "officer.pspd"])
def test_the_record_lists_complaints_and_findings_without_who_complained(
    signed_in: Any, allegations: list[AllegationEvent], username: str
) -> None:
    allegations.append(_allegation(5, DAY, "excessive_force", "not_sustained", DAY + dt.timedelta(days=30)))
    html = signed_in(username).get(f"/force/officers/{_officer().pk}/").content.decode()
    assert "C-2026-0005" in html and "not sustained" in html
    record = selectors.officer_record_get(actor=actor_for(_officer().user), pk=_officer().pk)
    assert record.findings["not sustained"] == 1
