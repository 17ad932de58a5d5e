"""Cancelling an assignment before its first day: the record stays and counts for nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction

from sro.core.errors import Conflict, Forbidden, InvalidInput
from sro.core.models import AuditEvent
from sro.orgs.models import School
from sro.staffing.assignments import assignment_cancel, assignment_create, assignment_end, staffing_check
from sro.staffing.models import Assignment, Officer
from sro.staffing.tests.conftest import PSHS, World, snapshot

D = dt.timedelta


def _planned(world: World, officer: Officer, start: int = 5, end: int = 9) -> Assignment:
    return assignment_create(
        actor=None,
        officer=officer,
        school=world.schools[PSHS],
        start_date=world.today + D(start),
        end_date=world.today + D(end),
    )


def test_a_cancelled_assignment_stays_on_record_and_counts_for_nothing(
    world: World, codes: Callable[[School, dt.date], list[str]]
) -> None:
    school = world.schools[PSHS]
    first, second = world.ready_officer(badge="1"), world.ready_officer(badge="2")
    planned = _planned(world, first)
    assert codes(school, world.today + D(6)) == []  # the planned officer would be on campus
    first.refresh_from_db()
    assert first.status == "assigned"

    done = assignment_cancel(actor=world.actor("lt.pspd"), assignment=planned, reason="  Officer on leave ")

    assert (done.cancelled_on, done.end_reason) == (world.today, "Officer on leave")
    kept = Assignment.with_cancelled.get(pk=planned.pk)
    assert (kept.start_date, kept.end_date) == (world.today + D(5), world.today + D(9))  # dates kept as planned
    assert not Assignment.objects.filter(pk=planned.pk).exists()
    first.refresh_from_db()
    assert first.status == "approved" and not first.assignments.exists()
    # Not on the campus board: the day now has no officer.
    assert codes(school, world.today + D(6)) == ["no_officer_assigned"]
    # Not against the contract's one position: another officer may take the same days.
    _planned(world, second)
    # Not in the daily check.
    assert staffing_check(today=world.today + D(6)).found == []
    event = AuditEvent.objects.get(action="cancel_assignment")
    assert event.changes["reason"] == "  Officer on leave "
    assert event.changes["officer_status"] == ["assigned", "approved"]


def test_only_an_assignment_not_yet_begun_can_be_cancelled_once_by_those_who_assign(world: World) -> None:
    officer = world.ready_officer()
    running = _planned(world, officer, start=0, end=9)
    before = snapshot()
    with pytest.raises(Conflict) as began:
        assignment_cancel(actor=None, assignment=running, reason="Changed plans")
    assert began.value.errors[0].field == "assignment"
    assert (
        f"began on {world.today}" in began.value.errors[0].message and "end it early" in began.value.errors[0].message
    )
    assert snapshot() == before

    later = _planned(world, officer, start=20, end=30)
    with pytest.raises(InvalidInput) as blank:
        assignment_cancel(actor=None, assignment=later, reason="   ")
    assert blank.value.errors[0].field == "reason"
    with pytest.raises(Forbidden):
        assignment_cancel(actor=world.actor("lt.ccpd"), assignment=later, reason="Not ours")
    assignment_cancel(actor=None, assignment=later, reason="Transfer")
    with pytest.raises(Conflict, match="already cancelled"):
        assignment_cancel(actor=None, assignment=later, reason="Again")
    with pytest.raises(InvalidInput, match="cancelled"):
        assignment_end(actor=None, assignment=later, on=world.today + D(25), reason="Ending a cancelled one")
    officer.refresh_from_db()
    assert officer.status == "assigned"  # the running assignment still stands


def test_the_database_refuses_a_cancellation_on_or_after_the_first_day(world: World) -> None:
    planned = _planned(world, world.ready_officer())
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=planned.pk).update(cancelled_on=planned.start_date)


def test_cancelling_from_the_assignments_page_and_the_api(world: World) -> None:
    officer = world.ready_officer()
    planned = _planned(world, officer)
    lt = world.client("lt.pspd")
    page = lt.get("/staffing/assignments/").content.decode()
    assert f"/staffing/assignments/{planned.pk}/cancel/" in page
    r = lt.post(f"/staffing/assignments/{planned.pk}/cancel/", {"reason": "Officer on leave"})
    assert r.status_code == 302
    page = lt.get("/staffing/assignments/").content.decode()
    assert "Cancelled</strong> on" in page and "Officer on leave" in page
    assert f"/staffing/assignments/{planned.pk}/cancel/" not in page
    assert lt.get(f"/staffing/assignments/{planned.pk}/end/").status_code == 404
    record = lt.get(f"/staffing/officers/{officer.pk}/").content.decode()
    assert "Cancelled on" in record and "Officer on leave" in record  # the officer's record keeps it

    api = lt.get("/api/v1/assignments").json()["items"]
    assert api == []
    listed = lt.get("/api/v1/assignments?include_cancelled=true").json()["items"]
    assert [(a["id"], a["cancelled_on"]) for a in listed] == [(planned.pk, str(world.today))]

    running = _planned(world, officer, start=0, end=3)
    r = lt.post(f"/api/v1/assignments/{running.pk}/cancel", {"reason": "x"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "assignment"
    later = _planned(world, officer, start=40, end=50)
    r = lt.post(f"/api/v1/assignments/{later.pk}/cancel", {"reason": "Budget"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["cancelled_on"] == str(world.today)
    page = lt.post(f"/staffing/assignments/{running.pk}/cancel/", {"reason": "x"}).content.decode()
    assert "began on" in page
