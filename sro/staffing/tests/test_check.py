"""The daily check: a clock moving past a training expiry; one notice per problem, never repeated."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command

from sro.contracts.models import Contract
from sro.staffing.assignments import assignment_create, assignment_end, staffing_check
from sro.staffing.models import Assignment, AssignmentProblem, Notice, Officer
from sro.staffing.services import training_record_create, training_record_review
from sro.staffing.tests.conftest import PSHS, World

D = dt.timedelta


def _assigned_with_privacy_done(world: World, days_ago: int) -> Officer:
    """Assigned for 200 days; privacy taken `days_ago`. The gate refuses a range its training does not cover,
    so the assignment is recorded for 10 days and runs on as one recorded before the gate checked every day
    of a range (or before the course's refresh interval was shortened) would."""
    officer = world.officer()
    world.approve(officer)
    world.train(officer, completed={"student_privacy": world.today - D(days=days_ago)})
    a = assignment_create(
        actor=None, officer=officer, school=world.schools[PSHS], start_date=world.today, end_date=world.today + D(10)
    )
    Assignment.objects.filter(pk=a.pk).update(end_date=world.today + D(200))
    return officer


def test_the_check_notifies_once_when_training_lapses_and_again_only_if_it_recurs(world: World) -> None:
    officer = _assigned_with_privacy_done(world, 300)  # valid until about today + 64
    recipients = {"director", "lt.pspd"}
    for day in (0, 30, 63):
        report = staffing_check(today=world.today + D(day))
        assert report.found == [] and Notice.objects.count() == 0 and len(mail.outbox) == 0
    report = staffing_check(today=world.today + D(70))
    assert [p.code for p in report.found] == ["training_expired"]
    assert {n.recipient.username for n in Notice.objects.all()} == recipients
    assert Notice.objects.count() == 2  # one per recipient, for the one problem
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"director@example.org", "lt.pspd@example.org"}
    assert "Student privacy" in mail.outbox[0].body
    for day in (71, 72, 100):  # the same problem is not notified again
        assert staffing_check(today=world.today + D(day)).found == []
    assert Notice.objects.count() == 2 and len(mail.outbox) == 1
    # Refreshed and confirmed: the problem is resolved.
    record = training_record_create(
        actor=None,
        officer=officer,
        course="student_privacy",
        completed_on=world.today + D(101),
        provider="RCOE",
        hours=2,
        evidence="certs/2.pdf",
        today=world.today + D(101),
    )
    training_record_review(actor=None, record=record, confirm=True)
    report = staffing_check(today=world.today + D(102))
    assert [p.code for p in report.resolved] == ["training_expired"]
    assert AssignmentProblem.objects.get().resolved_on == world.today + D(102)


def test_a_suspended_contract_is_one_problem_for_each_running_assignment(world: World) -> None:
    _assigned_with_privacy_done(world, 10)
    Contract.objects.filter(pk=world.contracts[PSHS].pk).update(status="suspended")
    first = staffing_check(today=world.today + D(1))
    second = staffing_check(today=world.today + D(2))
    assert [p.code for p in first.found] == ["contract_suspended"] and second.found == []
    assert len(mail.outbox) == 1 and Notice.objects.count() == 2


def test_ended_assignments_are_not_checked_and_keep_their_dates(world: World) -> None:
    officer = _assigned_with_privacy_done(world, 300)
    assignment = officer.assignments.get()
    assignment_end(actor=world.actor("lt.pspd"), assignment=assignment, on=world.today + D(20), reason="Reassigned")
    assignment.refresh_from_db()
    assert (assignment.start_date, assignment.end_date, assignment.end_reason) == (
        world.today,
        world.today + D(20),
        "Reassigned",
    )
    assert staffing_check(today=world.today + D(70)).found == []
    officer.refresh_from_db()
    assert officer.status == "approved"


def test_the_command_runs_the_check_with_a_given_day(world: World) -> None:
    _assigned_with_privacy_done(world, 300)
    out = StringIO()
    call_command("staffing", "check", "--today", str(world.today + D(70)), stdout=out)
    assert "training_expired" in out.getvalue()
    assert "1 new problem(s)" in out.getvalue()
    out = StringIO()
    call_command("staffing", "check", "--today", str(world.today + D(71)), stdout=out)
    assert "0 new problem(s)" in out.getvalue()


def test_notices_show_to_their_recipient_only_and_can_be_marked_read(world: World) -> None:
    _assigned_with_privacy_done(world, 300)
    staffing_check(today=world.today + D(70))
    notice = Notice.objects.get(recipient__username="director")
    assert world.client("lt.ccpd").post(f"/staffing/notices/{notice.pk}/read/").status_code == 404
    director = world.client("director")
    assert "no longer valid" in director.get("/staffing/notices/").content.decode()
    r = director.post(f"/staffing/notices/{notice.pk}/read/")
    assert r.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_home_page_shows_unread_notices_and_marking_read_returns_home(world: World) -> None:
    _assigned_with_privacy_done(world, 300)
    staffing_check(today=world.today + D(70))
    director = world.client("director")
    home = director.get("/").content.decode()
    assert 'id="panel-staffingnotices"' in home and "no longer valid" in home
    notice = Notice.objects.get(recipient__username="director")
    r = director.post(f"/staffing/notices/{notice.pk}/read/", {"next": "home"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert 'id="panel-staffingnotices"' not in director.get("/").content.decode()


def test_home_panels_show_each_role_its_staffing_work(world: World) -> None:
    officer = world.officer(user=world.users["officer.pspd"], last_name="Brooks")
    world.panel(world.nominate(officer))
    lt_home = world.client("lt.pspd").get("/").content.decode()
    assert "Your agency&#x27;s officers" in lt_home and "Brooks" in lt_home
    assert "Candidates waiting for your scores" in lt_home
    sro_home = world.client("officer.pspd").get("/").content.decode()
    assert "Your assignment and training" in sro_home and "Missing" in sro_home
    assert "Candidates waiting" not in sro_home
