"""The gate for an assignment's range: every day of it, the first day it fails, and that day in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.contracts.models import Contract
from sro.staffing.assignments import assignment_create
from sro.staffing.catalogues import courses
from sro.staffing.gate import GateRefused, assignment_gate, in_words
from sro.staffing.models import Assignment, Officer
from sro.staffing.services import contract_training_set
from sro.staffing.tests.conftest import PSHS, World, snapshot
from sro.staffing.training import valid_until

D = dt.timedelta
PRIVACY = "student_privacy"  # a 12-month refresher


def _last_valid_day(course_key: str, completed_on: dt.date) -> dt.date:
    (course,) = [c for c in courses() if c.key == course_key]
    day = valid_until(course, completed_on)
    assert day is not None
    return day


def _officer_lapsing(world: World, days_ago: int = 300, badge: str = "100") -> tuple[Officer, dt.date]:
    """An approved officer whose privacy refresher was taken `days_ago`; returns them and its last valid day."""
    officer = world.officer(badge=badge)
    world.approve(officer)
    taken = world.today - D(days=days_ago)
    world.train(officer, completed={PRIVACY: taken})
    return officer, _last_valid_day(PRIVACY, taken)


def _gate(world: World, officer: Officer, start: dt.date, end: dt.date) -> Any:
    return assignment_gate(officer=officer, school=world.schools[PSHS], start=start, end=end)


def test_a_course_lapsing_mid_range_fails_from_the_day_after_its_last_valid_day(world: World) -> None:
    officer, last = _officer_lapsing(world)  # valid until about today + 64
    answer = _gate(world, officer, world.today, world.today + D(90))
    assert answer.first_failing_day == last + D(1)
    (problem,) = answer.problems
    assert (problem.field, problem.reason.code, problem.day) == ("end_date", "training_expired", last + D(1))
    assert problem.reason.message == (
        f"From {in_words(last + D(1))} a required course of {officer.name}'s has expired (Student privacy and "
        f"FERPA): end the assignment on {in_words(last)} or record the renewed course first."
    )
    # Up to its last valid day, the same officer passes on every day.
    assert _gate(world, officer, world.today, last).first_failing_day is None


def test_the_contract_term_ending_mid_range_fails_from_the_next_day(world: World) -> None:
    officer = world.ready_officer()
    term_end = world.today + D(20)
    Contract.objects.filter(pk=world.contracts[PSHS].pk).update(term_end=term_end)
    answer = _gate(world, officer, world.today, world.today + D(40))
    assert [(p.field, p.reason.code, p.day) for p in answer.problems] == [
        ("end_date", "contract_expired", term_end + D(1))
    ]
    assert f"end the assignment on {in_words(term_end)} at the latest" in answer.problems[0].reason.message
    assert _gate(world, officer, world.today, term_end).passes


def test_a_range_passing_on_every_day(world: World) -> None:
    officer = world.ready_officer()  # every course taken 10 days ago: the yearly ones lapse in about 355 days
    answer = _gate(world, officer, world.today, world.today + D(300))
    assert answer.passes and answer.first_failing_day is None and answer.problems == []
    assert answer.contract == world.contracts[PSHS]


@pytest.mark.parametrize(
    "end_after_last_valid_day,first_failing",
    [
        (-1, None),  # the range ends before the last valid day
        (0, None),  # the range ends on the last valid day: the lapse is the day after the range
        (1, 1),  # the lapse is the range's last day
        (30, 1),  # the lapse is inside the range
    ],
)
def test_the_boundary_days(world: World, end_after_last_valid_day: int, first_failing: int | None) -> None:
    officer, last = _officer_lapsing(world)
    answer = _gate(world, officer, world.today, last + D(end_after_last_valid_day))
    assert answer.first_failing_day == (None if first_failing is None else last + D(first_failing))


def test_every_reason_is_named_once_with_its_own_first_day_in_order(world: World) -> None:
    officer = world.officer()
    world.approve(officer)
    privacy, roles = world.today - D(300), world.today - D(280)
    world.train(officer, completed={PRIVACY: privacy, "contract_role_limits": roles})
    term_end = world.today + D(150)
    Contract.objects.filter(pk=world.contracts[PSHS].pk).update(term_end=term_end)
    answer = _gate(world, officer, world.today, world.today + D(200))
    assert [(p.reason.code, p.day) for p in answer.problems] == [
        ("training_expired", _last_valid_day(PRIVACY, privacy) + D(1)),
        ("training_expired", _last_valid_day("contract_role_limits", roles) + D(1)),
        ("contract_expired", term_end + D(1)),
    ]
    assert "Student privacy" in answer.problems[0].reason.message
    assert "role limits" in answer.problems[1].reason.message
    assert "Student privacy" not in answer.problems[1].reason.message


def test_a_reason_on_the_first_day_stays_on_its_own_field(world: World) -> None:
    officer, _ = _officer_lapsing(world, days_ago=400)  # already expired
    answer = _gate(world, officer, world.today, world.today + D(10))
    assert [(p.field, p.reason.code, p.day) for p in answer.problems] == [("officer", "training_expired", world.today)]


def test_a_course_the_contract_does_not_require_never_fails_the_range(world: World) -> None:
    officer, _ = _officer_lapsing(world)
    contract_training_set(actor=None, contract=world.contracts[PSHS], courses=["nasro_basic"])
    assert _gate(world, officer, world.today, world.today + D(90)).passes


def test_the_service_refuses_a_range_failing_on_any_day_and_saves_nothing(world: World) -> None:
    officer, last = _officer_lapsing(world)
    before = snapshot()
    with pytest.raises(GateRefused) as exc:
        assignment_create(
            actor=world.actor("lt.pspd"),
            officer=officer,
            school=world.schools[PSHS],
            start_date=world.today,
            end_date=world.today + D(90),
        )
    assert exc.value.first_failing_day == last + D(1)
    assert [(e.field, e.message) for e in exc.value.errors] == [("end_date", exc.value.reasons[0].message)]
    assert snapshot() == before
    # Ending it on the last valid day is accepted.
    assignment_create(
        actor=world.actor("lt.pspd"), officer=officer, school=world.schools[PSHS], start_date=world.today, end_date=last
    )
    assert Assignment.objects.get().end_date == last


def test_the_api_reports_the_field_and_the_day(world: World) -> None:
    officer, last = _officer_lapsing(world)
    client = world.client("lt.pspd")
    before = snapshot()
    r = client.post(
        "/api/v1/assignments",
        {
            "officer_id": officer.pk,
            "cds_code": world.schools[PSHS].cds_code,
            "start_date": str(world.today),
            "end_date": str(world.today + D(90)),
        },
        content_type="application/json",
    )
    assert r.status_code == 409
    body = r.json()
    lapse = str(last + D(1))
    assert body["first_failing_day"] == lapse
    assert [(x["code"], x["field"], x["day"]) for x in body["reasons"]] == [("training_expired", "end_date", lapse)]
    assert [e["field"] for e in body["errors"]] == ["end_date"]
    assert in_words(last) in body["errors"][0]["message"]
    assert lapse in body["detail"]
    assert snapshot() == before


def test_the_page_and_its_check_name_the_day_and_save_nothing(world: World) -> None:
    officer, last = _officer_lapsing(world)
    lt = world.client("lt.pspd")
    data = {
        "officer": officer.pk,
        "school": world.schools[PSHS].pk,
        "start_date": str(world.today),
        "end_date": str(world.today + D(90)),
    }
    expected = f"end the assignment on {in_words(last)} or record the renewed course first"
    fragment = lt.post("/staffing/assignments/check/", data).content.decode()
    assert "The gate refuses" in fragment and "The gate passes" not in fragment
    assert f"from {in_words(last + D(1))}" in fragment and expected in fragment
    before = snapshot()
    page = lt.post("/staffing/assignments/new/", data)
    html = page.content.decode()
    assert page.status_code == 200 and snapshot() == before
    assert "There is a problem" in html and 'href="#id_end_date"' in html  # the error summary links the last day
    assert expected in html and 'data-reason="training_expired"' in html
    assert f"it fails from {in_words(last + D(1))}" in html
    # The same range ending on the last valid day passes, and says so for every day.
    ok = lt.post("/staffing/assignments/check/", data | {"end_date": str(last)}).content.decode()
    assert "The gate passes" in ok and f"from {in_words(world.today)} to {in_words(last)}" in ok
    assert lt.post("/staffing/assignments/new/", data | {"end_date": str(last)}).status_code == 302


def test_the_board_warns_ahead_when_the_assigned_officers_training_lapses_within_30_days(world: World) -> None:
    officer, last = _officer_lapsing(world, days_ago=345)  # lapses in about three weeks
    assignment_create(actor=None, officer=officer, school=world.schools[PSHS], start_date=world.today, end_date=last)
    director = world.client("director")
    board = director.get("/campuses/board/").content.decode()
    assert f"Training expires on {in_words(last)}" in board
    # Looking at a day more than 30 days before the lapse: no warning.
    other, far = _officer_lapsing(world, days_ago=200, badge="101")
    Assignment.objects.all().delete()
    assignment_create(actor=None, officer=other, school=world.schools[PSHS], start_date=world.today, end_date=far)
    assert "Training expires on" not in director.get("/campuses/board/").content.decode()
