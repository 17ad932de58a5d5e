"""The evaluation's figures on a small world counted by hand, read with each contact's own RIPA lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sro.evaluation.figures import contract_year, gather, year_of
from sro.evaluation.services import evaluation_draft
from sro.evaluation.tests.conftest import CCHS, PSHS, at, contact, contract_for
from sro.incidents.models import NotificationTask, Review
from sro.orgs.actors import actor_for

D = dt.date


def test_contract_years_run_twelve_months_from_the_terms_first_day(org: dict[str, Any]) -> None:
    c = contract_for(org, start=D(2023, 7, 1), end=D(2025, 6, 30))
    assert contract_year(c, 1) == (D(2023, 7, 1), D(2024, 6, 30))
    assert contract_year(c, 2) == (D(2024, 7, 1), D(2025, 6, 30))
    assert (year_of(c, D(2024, 6, 30)), year_of(c, D(2024, 7, 1))) == (1, 2)


def _world(org: dict[str, Any]) -> Any:
    """Year 1 is 2023-07-01 to 2024-06-30: it spans the 2018 lists (to 2023-12-31) and the 2024 lists."""
    c = contract_for(org, start=D(2023, 7, 1), end=D(2025, 6, 30))
    # 2018 lists: 5 = custodial arrest with a warrant, 18 = search of the person, 13 = referral to a counselor
    a = contact(org, PSHS, D(2023, 9, 10), version="2018", results=[5], actions=[18], crossing=True)
    b = contact(org, PSHS, D(2023, 10, 2), version="2018", results=[13], crossing=True)
    # 2024 lists: 6 = arrest without a warrant, 25 = pat-down (a search in the 2024 lists only),
    # 3 = citation, 12 = referral to a school administrator; c and d share one combination
    cc = contact(org, PSHS, D(2024, 3, 5), version="2024", results=[6], actions=[25])
    d = contact(org, PSHS, D(2024, 3, 6), version="2024", results=[6], actions=[25])
    contact(org, PSHS, D(2024, 4, 1), version="2024", results=[3, 12])
    contact(org, CCHS, D(2024, 5, 1), version="2024", results=[6])  # another campus: not this contract's
    contact(org, PSHS, D(2023, 3, 1), version="2018", results=[5])  # the year before
    contact(org, PSHS, D(2024, 7, 1), version="2024", results=[6])  # year 2
    school = org["schools"][PSHS]
    task = {"kind": "parent", "school": school, "deadline_kind": "within_one_school_day"}
    NotificationTask.objects.create(
        contact=a, due_on=D(2023, 9, 11), done_at=at(D(2023, 9, 11)), method="phone", **task
    )
    NotificationTask.objects.create(contact=cc, due_on=D(2024, 3, 6), done_at=at(D(2024, 3, 8)), method="phone", **task)
    NotificationTask.objects.create(contact=d, due_on=D(2024, 3, 7), **task)
    review = {"officer": a.officer, "agency": a.agency, "school": school, "contract_citation": "§7"}
    Review.objects.create(contact=a, status="substantiated", corrective_action="Retraining", **review)
    Review.objects.create(contact=b, status="open", **review)
    return c


def test_the_years_counts_by_hand(org: dict[str, Any]) -> None:
    c = _world(org)
    figures = gather(c, 1, today=D(2024, 8, 1))
    year, before = figures["year"], figures["year_before"]
    assert year["contacts"] == {"contacts": 5, "arrests": 3, "citations": 1, "school_referrals": 2, "searches": 3}
    assert before["contacts"] == {"contacts": 1, "arrests": 1, "citations": 0, "school_referrals": 0, "searches": 0}
    assert (before["start"], before["end"]) == ("2022-07-01", "2023-06-30")
    assert year["boundary"] == {"crossings": 2, "reviews": {"open": 1, "substantiated": 1}}
    assert year["notifications"]["parent"] == {"on_time": 1, "late": 1, "open": 1, "open_overdue": 1}
    assert year["notifications"]["law_enforcement"] == {"on_time": 0, "late": 0, "open": 0, "open_overdue": 0}
    assert year["force"] == {"reports": 0, "review_outcomes": {}}
    assert year["complaints"] == {"complaints": 0, "allegations": 0, "findings": {}}
    enrolment = org["schools"][PSHS].enrolment
    assert figures["cost"] == {
        "annual": "150000.00",
        "enrolment": enrolment,
        "per_student": str((Decimal("150000") / enrolment).quantize(Decimal("0.01"))),
    }
    # the public site's figures, suppressed as it suppresses: five contacts are too few to publish
    total = next(
        r
        for r in year["disparity"]
        if r["breakdown"] == "campus" and r["outcome"] == "contacts" and r["group"] == "All"
    )
    assert total["suppressed"] and total["count"] is None


def test_the_director_drafts_the_evaluation_and_nobody_else(org: dict[str, Any]) -> None:
    from sro.core.errors import Forbidden

    c = _world(org)
    with pytest.raises(Forbidden):
        evaluation_draft(actor=actor_for(org["users"]["boardmember"]), contract=c, year=1)
    ev = evaluation_draft(actor=actor_for(org["users"]["director"]), contract=c, year=1, today=D(2024, 8, 1))
    assert (ev.start, ev.end, ev.status) == (D(2023, 7, 1), D(2024, 6, 30), "draft")
    assert ev.figures["year"]["contacts"]["arrests"] == 3


def test_a_final_evaluation_needs_both_languages_and_then_keeps_its_figures(org: dict[str, Any]) -> None:
    from sro.core.errors import Conflict, InvalidInput
    from sro.evaluation.services import evaluation_finalise, evaluation_update

    director = actor_for(org["users"]["director"])
    ev = evaluation_draft(actor=director, contract=_world(org), year=1, today=D(2024, 8, 1))
    evaluation_update(actor=director, evaluation=ev, findings="Fewer arrests.", recommendations="Renew.")
    with pytest.raises(InvalidInput) as missing:
        evaluation_finalise(actor=director, evaluation=ev)
    assert {e.field for e in missing.value.errors} == {"findings_es", "recommendations_es"}
    evaluation_update(actor=director, evaluation=ev, findings_es="Menos arrestos.", recommendations_es="Renovar.")
    assert evaluation_finalise(actor=director, evaluation=ev).status == "final"
    with pytest.raises(Conflict):
        evaluation_draft(actor=director, contract=ev.contract, year=1)
    with pytest.raises(Conflict):
        evaluation_update(actor=director, evaluation=ev, findings="Changed later.")
