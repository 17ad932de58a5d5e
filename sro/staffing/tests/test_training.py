"""Training: status per course on a date, completion entry and district confirmation."""

from __future__ import annotations

import datetime as dt

import pytest

from sro.core.errors import InvalidInput
from sro.staffing.catalogues import Course, courses
from sro.staffing.models import ContractTraining, TrainingRecord
from sro.staffing.services import contract_training_set
from sro.staffing.tests.conftest import PSHS, World, snapshot
from sro.staffing.training import add_months, course_state, officer_training, required_courses

DAY = dt.date(2026, 11, 25)
YEARLY = Course("yearly", "Yearly", 2, 12, "test")
ONCE = Course("once", "Once", 40, 0, "test")


def _done(course: str, on: dt.date, pk: int = 1) -> TrainingRecord:
    return TrainingRecord(pk=pk, course=course, completed_on=on, status="confirmed")


@pytest.mark.parametrize(
    "course,completed,expected,until",
    [
        (YEARLY, [], "missing", None),
        (YEARLY, [dt.date(2026, 11, 26)], "missing", None),  # completed after the date asked about
        (YEARLY, [dt.date(2026, 6, 1)], "complete", dt.date(2027, 5, 31)),
        (YEARLY, [dt.date(2025, 12, 25)], "due", dt.date(2026, 12, 24)),  # 29 days left
        (YEARLY, [dt.date(2025, 12, 26)], "due", dt.date(2026, 12, 25)),  # 30 days left
        (YEARLY, [dt.date(2025, 12, 27)], "complete", dt.date(2026, 12, 26)),  # 31 days left
        (YEARLY, [dt.date(2025, 11, 26)], "due", dt.date(2026, 11, 25)),  # last valid day
        (YEARLY, [dt.date(2025, 11, 25)], "expired", dt.date(2026, 11, 24)),
        (YEARLY, [dt.date(2024, 1, 1), dt.date(2026, 2, 1)], "complete", dt.date(2027, 1, 31)),  # the latest counts
        (ONCE, [dt.date(2001, 1, 1)], "complete", None),
    ],
)
def test_course_status_on_a_date(
    course: Course, completed: list[dt.date], expected: str, until: dt.date | None
) -> None:
    state = course_state(course, [_done(course.key, d, i) for i, d in enumerate(completed, start=1)], DAY)
    assert (state.status, state.valid_until) == (expected, until)
    assert state.counts is (expected in ("complete", "due"))


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 5, 15), 24, dt.date(2028, 5, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_unconfirmed_and_declined_completions_do_not_count(world: World) -> None:
    officer = world.officer()
    world.train(officer, unconfirmed=["mental_health", "student_privacy"])
    pending = TrainingRecord.objects.get(officer=officer, course="student_privacy")
    from sro.staffing.services import training_record_review

    training_record_review(actor=world.actor("director"), record=pending, confirm=False, note="Certificate unreadable")
    states = {s.course.key: s.status for s in officer_training(officer, world.today)}
    assert states["mental_health"] == "missing"
    assert states["student_privacy"] == "missing"
    assert states["nasro_basic"] == "complete"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"completed_on": 1}, "completed_on"),
        ({"course": "basket_weaving"}, "course"),
        ({"hours": "0"}, "hours"),
        ({"evidence": ""}, "evidence"),
    ],
)
def test_bad_completions_name_the_field_and_save_nothing(world: World, change: dict[str, object], field: str) -> None:
    officer = world.officer()
    payload: dict[str, object] = {
        "course": "mental_health",
        "completed_on": str(world.today),
        "provider": "RCOE",
        "hours": "8",
        "evidence": "certs/1.pdf",
    }
    if "completed_on" in change:
        change = {"completed_on": str(world.today + dt.timedelta(days=1))}
    payload.update(change)
    client = world.client("lt.pspd")
    before = snapshot()
    r = client.post(f"/api/v1/officers/{officer.pk}/training", payload, content_type="application/json")
    assert r.status_code == 422, r.json()
    assert field in [e["field"] for e in r.json()["errors"]]
    assert snapshot() == before


def test_the_agency_enters_and_the_district_confirms(world: World) -> None:
    officer = world.officer()
    lt, director = world.client("lt.pspd"), world.client("director")
    world.nominate(officer)  # the district sees officers nominated under its contracts
    r = lt.post(
        f"/api/v1/officers/{officer.pk}/training",
        {
            "course": "nasro_basic",
            "completed_on": str(world.today),
            "provider": "NASRO",
            "hours": "40",
            "evidence": "https://example.org/c.pdf",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    record_id = r.json()["id"]
    # The agency cannot confirm its own entry.
    assert (
        lt.post(f"/api/v1/training/{record_id}/review", {"confirm": True}, content_type="application/json").status_code
        == 403
    )
    r = director.post(f"/api/v1/training/{record_id}/review", {"confirm": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    status = lt.get(f"/api/v1/officers/{officer.pk}/training").json()
    assert {c["course"]: c["status"] for c in status["courses"]}["nasro_basic"] == "complete"
    # Reviewed once only.
    r = director.post(
        f"/api/v1/training/{record_id}/review", {"confirm": False, "note": "x"}, content_type="application/json"
    )
    assert r.status_code == 409


def test_each_contract_requires_every_course_unless_it_names_its_own(world: World) -> None:
    contract = world.contracts[PSHS]
    assert [c.key for c in required_courses(contract)] == [c.key for c in courses()]
    contract_training_set(actor=world.actor("director"), contract=contract, courses=["mental_health", "nasro_basic"])
    assert [c.key for c in required_courses(contract)] == ["nasro_basic", "mental_health"]
    with pytest.raises(InvalidInput) as exc:
        contract_training_set(actor=None, contract=contract, courses=["juggling"])
    assert exc.value.errors[0].field == "courses"
    assert ContractTraining.objects.get(contract=contract).courses == ["nasro_basic", "mental_health"]
