"""Training status: for an officer, a course and a date, complete, due, expired or missing.

Only completions the district confirmed count. A completion is valid from its date through
the day before the same date `refresh_months` later (`valid_until`); a course with
`refresh_months = 0` never expires. `due` means valid but expiring within 30 days: it still
counts for the deployment gate.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from sro.contracts.models import Contract
from sro.staffing.catalogues import Course, courses
from sro.staffing.models import ContractTraining, Officer, TrainingRecord

DUE_WITHIN_DAYS = 30


class CourseStatus(models.TextChoices):
    COMPLETE = "complete", "Complete"
    DUE = "due", "Due: expires within 30 days"
    EXPIRED = "expired", "Expired"
    MISSING = "missing", "Missing"


@dataclass(frozen=True)
class CourseState:
    course: Course
    status: CourseStatus
    record: TrainingRecord | None = None
    valid_until: dt.date | None = None

    @property
    def tone(self) -> str:
        """ok / warn / bad, for the badge colour (the text always says the status too)."""
        return {CourseStatus.COMPLETE: "ok", CourseStatus.DUE: "warn"}.get(self.status, "bad")

    @property
    def counts(self) -> bool:
        """Complete or due: the gate accepts it."""
        return self.status in (CourseStatus.COMPLETE, CourseStatus.DUE)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(course: Course, completed_on: dt.date) -> dt.date | None:
    if course.refresh_months == 0:
        return None
    return add_months(completed_on, course.refresh_months) - dt.timedelta(days=1)


def course_state(course: Course, confirmed: Iterable[TrainingRecord], on: dt.date) -> CourseState:
    """The status of one course on `on`, from the officer's confirmed completions of it."""
    done = [r for r in confirmed if r.course == course.key and r.completed_on <= on]
    if not done:
        return CourseState(course, CourseStatus.MISSING)
    latest = max(done, key=lambda r: (r.completed_on, r.pk))
    until = valid_until(course, latest.completed_on)
    if until is None:
        return CourseState(course, CourseStatus.COMPLETE, latest, None)
    if on > until:
        return CourseState(course, CourseStatus.EXPIRED, latest, until)
    if (until - on).days <= DUE_WITHIN_DAYS:
        return CourseState(course, CourseStatus.DUE, latest, until)
    return CourseState(course, CourseStatus.COMPLETE, latest, until)


def confirmed_records(officer: Officer) -> list[TrainingRecord]:
    return list(officer.training_records.filter(status=TrainingRecord.Status.CONFIRMED))


def officer_training(officer: Officer, on: dt.date, required: Iterable[Course] | None = None) -> list[CourseState]:
    """The officer's status for each course (default: the whole catalogue) on `on`."""
    records = confirmed_records(officer)
    return [course_state(c, records, on) for c in (required if required is not None else courses())]


def required_courses(contract: Contract) -> list[Course]:
    """The courses a contract requires: its own list, or every course in the catalogue."""
    return required_from(ContractTraining.objects.filter(contract=contract).first())


def required_from(row: ContractTraining | None) -> list[Course]:
    """The courses a contract's training requirement names (None: every course in the catalogue)."""
    if row is None:
        return list(courses())
    wanted = set(row.courses)
    return [c for c in courses() if c.key in wanted]
