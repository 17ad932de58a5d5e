"""Early intervention with a moving clock, and the joint review the deployment gate waits for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.contracts.models import Contract
from sro.core.errors import Forbidden, InvalidInput, TransitionRefused
from sro.force.models import EarlyInterventionFlag, ForceNotice, JointReview
from sro.force.queue import flags, joint_reviews
from sro.force.rules import rules
from sro.force.services import ei_evaluate, ei_flag_close, force_review_record, joint_review_sign
from sro.force.tests.conftest import PSHS, at, file
from sro.orgs.actors import actor_for
from sro.staffing.gate import officer_reasons
from sro.staffing.models import Officer

START = dt.date(2026, 3, 2)


def _officer(demo: dict[str, Any]) -> Officer:
    return Officer.objects.get(user=demo["users"]["officer.pspd"])


def _clear(officer: Officer) -> None:
    """The demo's own report: out of the way, so each test counts only its own."""
    from sro.force.models import ForceReport

    ForceNotice.objects.all().delete()
    EarlyInterventionFlag.objects.all().delete()
    ForceReport.objects.filter(officer=officer.user).update(occurred_at=at(dt.date(2020, 1, 6)))


def test_every_rule_in_the_file_is_one_the_code_counts() -> None:
    kinds = {r.kind for r in rules().early_intervention}
    assert kinds == {"force_reports", "complaints", "sustained_findings", "force_not_within_policy"}
    force = next(r for r in rules().early_intervention if r.kind == "force_reports")
    assert (force.threshold, force.window_days) == (2, 180)


@pytest.mark.parametrize(("gap", "flagged"), [(1, True), (179, True), (180, False), (250, False)])
def test_two_uses_of_force_within_180_days_raise_a_flag(demo: dict[str, Any], gap: int, flagged: bool) -> None:
    officer = _officer(demo)
    _clear(officer)
    u, school = demo["users"], demo["schools"][PSHS]
    file(u["officer.pspd"], school, at(START))
    second = START + dt.timedelta(days=gap)
    file(u["officer.pspd"], school, at(second))
    raised = EarlyInterventionFlag.objects.filter(officer=officer, rule="force_twice_180", closed_at__isnull=True)
    assert raised.exists() is flagged
    if flagged:
        flag = raised.get()
        assert flag.raised_on == second and flag.count == 2
        assert {n.recipient.username for n in flag.notices.all()} == {"lt.pspd", "director"}


def test_the_clock_moves_a_flag_is_raised_once_and_the_window_slides(demo: dict[str, Any]) -> None:
    officer = _officer(demo)
    _clear(officer)
    u, school = demo["users"], demo["schools"][PSHS]
    file(u["officer.pspd"], school, at(START))
    file(u["officer.pspd"], school, at(START + dt.timedelta(days=10)))
    assert ei_evaluate(officer=officer, today=START + dt.timedelta(days=11)) == []  # already open: not again
    director = actor_for(u["director"])
    (flag,) = EarlyInterventionFlag.objects.filter(officer=officer, rule="force_twice_180")
    assert any(officer.name in i.text for i in flags(director))
    with pytest.raises(Forbidden):
        ei_flag_close(actor=actor_for(u["lt.pspd"]), flag=flag, note="talked")
    with pytest.raises(InvalidInput):
        ei_flag_close(actor=director, flag=flag, note="")
    ei_flag_close(actor=director, flag=flag, note="Met the officer and the lieutenant; refresher training booked.")
    assert not any(officer.name in i.text for i in flags(director))
    with pytest.raises(TransitionRefused):
        ei_flag_close(actor=director, flag=flag, note="again")
    # 190 days on, the first report has left the window: one report alone raises nothing.
    assert ei_evaluate(officer=officer, today=START + dt.timedelta(days=190)) == []
    # A third within 180 days of the second raises a new flag.
    file(u["officer.pspd"], school, at(START + dt.timedelta(days=100)))
    assert EarlyInterventionFlag.objects.filter(
        officer=officer, rule="force_twice_180", closed_at__isnull=True
    ).exists()


def test_force_not_within_policy_requires_a_joint_review_that_the_gate_waits_for(demo: dict[str, Any]) -> None:
    officer = _officer(demo)
    u = demo["users"]
    report = file(u["officer.pspd"], demo["schools"][PSHS], at(START))
    lt, director = actor_for(u["lt.pspd"]), actor_for(u["director"])
    contract = Contract.objects.filter(agency=officer.agency).first()
    assert contract is not None
    before = officer_reasons(officer, contract, START + dt.timedelta(days=2))
    assert "joint_review_required" not in {r.code for r in before}
    force_review_record(
        actor=lt, report=report, outcome="not_within_policy", note="Handcuffs were not needed.", now=at(START, 15)
    )
    review = JointReview.objects.get(source="force_report", source_id=report.pk)
    assert review.clause_category == "use_of_force"
    waiting = officer_reasons(officer, contract, START + dt.timedelta(days=2))
    assert "joint_review_required" in {r.code for r in waiting}
    assert any(officer.name in i.text for i in joint_reviews(director))
    assert not any(officer.name in i.text for i in joint_reviews(lt))  # the district signs first
    with pytest.raises(TransitionRefused):
        joint_review_sign(actor=lt, review=review)
    with pytest.raises(InvalidInput):
        joint_review_sign(actor=director, review=review, decision="", note="x")
    joint_review_sign(actor=director, review=review, decision="may_serve", note="Retrained; may serve.")
    assert "joint_review_required" in {r.code for r in officer_reasons(officer, contract, START + dt.timedelta(days=3))}
    assert any(officer.name in i.text for i in joint_reviews(lt))
    joint_review_sign(actor=lt, review=review)
    review.refresh_from_db()
    assert review.cleared
    assert "joint_review_required" not in {
        r.code for r in officer_reasons(officer, contract, START + dt.timedelta(days=3))
    }
    assert EarlyInterventionFlag.objects.filter(officer=officer, rule="force_outside_policy").exists()


def test_a_joint_review_decided_against_the_officer_keeps_the_gate_closed(demo: dict[str, Any]) -> None:
    officer = _officer(demo)
    u = demo["users"]
    report = file(u["officer.pspd"], demo["schools"][PSHS], at(START))
    force_review_record(
        actor=actor_for(u["lt.pspd"]), report=report, outcome="not_within_policy", note="No.", now=at(START, 15)
    )
    review = JointReview.objects.get(source="force_report", source_id=report.pk)
    joint_review_sign(actor=actor_for(u["director"]), review=review, decision="may_not_serve", note="Not suited.")
    joint_review_sign(actor=actor_for(u["lt.pspd"]), review=review)
    contract = Contract.objects.filter(agency=officer.agency).first()
    assert contract is not None
    reasons = officer_reasons(officer, contract, START + dt.timedelta(days=5))
    assert any(r.code == "joint_review_required" and "may not serve" in r.message for r in reasons)
