"""The pages drive the same services: add, nominate, convene, score, train, confirm, assign, end."""

from __future__ import annotations

import datetime as dt

import pytest

from sro.core.errors import TransitionRefused
from sro.staffing.assignments import assignment_create
from sro.staffing.catalogues import rubric
from sro.staffing.models import Assignment, Nomination, Officer, Panel, TrainingRecord
from sro.staffing.services import nomination_withdraw, officer_deactivate
from sro.staffing.tests.conftest import PSHS, PSPD, World, snapshot

D = dt.timedelta


def test_hiring_through_the_pages(world: World) -> None:
    lt, director = world.client("lt.pspd"), world.client("director")
    r = lt.post(
        "/staffing/",
        {
            "agency": world.agencies[PSPD].pk,
            "first_name": "Ana",
            "last_name": "Ruiz",
            "badge_number": "55",
            "rank": "Officer",
        },
    )
    officer = Officer.objects.get(badge_number="55")
    assert r.status_code == 302 and r["Location"] == f"/staffing/officers/{officer.pk}/"
    again = lt.post(
        "/staffing/", {"agency": world.agencies[PSPD].pk, "first_name": "B", "last_name": "C", "badge_number": "55"}
    )
    assert again.status_code == 200 and "already used" in again.content.decode()
    lt.post(f"/staffing/officers/{officer.pk}/nominate/", {"contract": world.contracts[PSHS].pk, "note": "keen"})
    nomination = Nomination.objects.get(officer=officer)
    one_side = director.post(f"/staffing/nominations/{nomination.pk}/panel/", {"members": [world.users["director"].pk]})
    assert one_side.status_code == 200 and "one agency member" in one_side.content.decode()
    r = director.post(
        f"/staffing/nominations/{nomination.pk}/panel/",
        {"members": [world.users["director"].pk, world.users["lt.pspd"].pk]},
    )
    panel = Panel.objects.get(nomination=nomination)
    assert r["Location"] == f"/staffing/panels/{panel.pk}/"
    form = {f"score_{k}": "4" for k in rubric().keys} | {"recommendation": "recommend", "reason": "Good fit"}
    page = director.get(f"/staffing/panels/{panel.pk}/").content.decode()
    assert "Your scores" in page and "Experience with young people" in page
    bad = director.post(f"/staffing/panels/{panel.pk}/", {**form, "score_communication": "9"})
    assert bad.status_code == 200 and panel.members.filter(scoresheet__isnull=False).count() == 0
    for client in (director, lt):
        assert client.post(f"/staffing/panels/{panel.pk}/", form).status_code == 302
    panel.refresh_from_db()
    assert panel.outcome == "approved"
    assert "Approved by both sides" in lt.get(f"/staffing/panels/{panel.pk}/").content.decode()


def test_training_and_assignment_through_the_pages(world: World) -> None:
    officer = world.officer()
    world.approve(officer)
    world.train(officer, skip=["mental_health"])
    lt, director = world.client("lt.pspd"), world.client("director")
    future = lt.post(
        f"/staffing/officers/{officer.pk}/training/",
        {
            "course": "mental_health",
            "completed_on": str(world.today + D(3)),
            "provider": "RCOE",
            "hours": "8",
            "evidence": "c.pdf",
        },
    )
    assert future.status_code == 200 and "in the future" in future.content.decode()
    lt.post(
        f"/staffing/officers/{officer.pk}/training/",
        {
            "course": "mental_health",
            "completed_on": str(world.today),
            "provider": "RCOE",
            "hours": "8",
            "evidence": "c.pdf",
        },
    )
    record = TrainingRecord.objects.get(officer=officer, course="mental_health")
    assert lt.post(f"/staffing/training/{record.pk}/review/", {"decision": "confirm"}).status_code == 302
    record.refresh_from_db()
    assert record.status == "pending"  # the agency may not confirm its own entry
    director.post(f"/staffing/training/{record.pk}/review/", {"decision": "confirm"})
    record.refresh_from_db()
    assert record.status == "confirmed"
    school = world.schools[PSHS]
    data = {
        "officer": officer.pk,
        "school": school.pk,
        "start_date": str(world.today),
        "end_date": str(world.today + D(30)),
    }
    fragment = lt.post("/staffing/assignments/check/", data).content.decode()
    assert "The gate passes" in fragment
    assert "Choose an officer" in lt.post("/staffing/assignments/check/", {"officer": officer.pk}).content.decode()
    assert lt.post("/staffing/assignments/new/", data).status_code == 302
    refused = lt.post("/staffing/assignments/new/", data | {"start_date": str(world.today + D(10))})
    assert refused.status_code == 200 and "overlaps" in refused.content.decode()
    assignment = Assignment.objects.get()
    r = lt.post(f"/staffing/assignments/{assignment.pk}/end/", {"on": str(world.today + D(5)), "reason": "Transfer"})
    assert r.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == world.today + D(5) and assignment.end_reason == "Transfer"


def test_the_assignment_form_lists_every_gate_reason(world: World) -> None:
    officer = world.officer()
    world.nominate(officer)
    lt = world.client("lt.pspd")
    before = snapshot()
    page = lt.post(
        "/staffing/assignments/new/",
        {
            "officer": officer.pk,
            "school": world.schools[PSHS].pk,
            "start_date": str(world.today),
            "end_date": str(world.today + D(30)),
        },
    ).content.decode()
    assert "officer_not_jointly_approved" in page and "training_missing" in page
    assert snapshot() == before


def test_deactivation_waits_for_the_assignment_and_withdrawal_for_its_end(world: World) -> None:
    officer = world.ready_officer()
    assignment_create(
        actor=None, officer=officer, school=world.schools[PSHS], start_date=world.today, end_date=world.today
    )
    with pytest.raises(TransitionRefused):
        officer_deactivate(actor=None, officer=officer, reason="Retired")
    with pytest.raises(TransitionRefused):
        nomination_withdraw(actor=None, nomination=officer.nominations.get())
    done = officer_deactivate(actor=None, officer=officer, reason="Retired", today=world.today + D(1))
    assert done.status == "inactive"
    other = world.officer(badge="9")
    nomination = world.nominate(other)
    assert nomination_withdraw(actor=world.actor("lt.pspd"), nomination=nomination).status == "withdrawn"
