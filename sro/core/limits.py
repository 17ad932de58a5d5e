"""Input limits: the one home of every size and date bound the product enforces.

Forms, API schemas and services read their numbers from here; the last check is at the table
(`refuse_oversized_on_save`, a `pre_save` receiver on every sro model), so a text that gets past
a form or a schema (the command line, an import, a field a page reads without a form) is still
refused with an error naming the field, inside the service's transaction: nothing is saved.
docs/api.md ("Limits") lists them for people.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models
from django.utils import timezone

from sro.core.errors import FieldError, InvalidInput

# Free text: a narrative, a description, a note, a reason. About four typed pages; a report that
# needs more attaches a document.
TEXT_MAX_CHARS = 10_000
# Names, titles, locations and other one-line text (the models' CharFields say their own, at most this).
NAME_MAX_CHARS = 200
# Structured lists stored as JSON (offences, RIPA codes, named votes), as stored.
JSON_MAX_CHARS = 100_000
# A public comment on an agenda item.
COMMENT_MAX_CHARS = 3_000
# The name a member of the public gives on a public form (a comment, a complaint).
PUBLIC_NAME_MAX_CHARS = 120
# Students (offenders, victims, witnesses) on one incident.
STUDENTS_PER_INCIDENT = 60
# The earliest date of anything recorded (incidents, contacts, notifications, force reports,
# complaints, meetings): the program's records begin well after it; a year such as 1900 is a typo.
EARLIEST_DATE = dt.date(2000, 1, 1)
# Seats of a city council or a school board (California's largest, Los Angeles', has 15; a margin
# for charters that grow).
BODY_MAX_SEATS = 51
# How far ahead a meeting may be scheduled.
MEETING_DAYS_AHEAD = 2 * 366

# Models whose text is written by the product itself, never typed in (the audit trail's events
# carry whatever a service recorded).
_EXEMPT = frozenset({"core.AuditEvent"})


def too_long(name: str, value: str, limit: int) -> FieldError | None:
    if len(value) > limit:
        return FieldError(name, f"at most {limit:,} characters (this has {len(value):,})")
    return None


def text_limit(field: models.Field[Any, Any]) -> int | None:
    """The most characters the model field takes: its own max_length, else the free-text limit."""
    if isinstance(field, models.CharField | models.TextField):
        return field.max_length or TEXT_MAX_CHARS
    return None


def date_problems(name: str, value: dt.date | dt.datetime | None, *, latest: dt.date | None = None) -> list[FieldError]:
    """A recorded date (or date and time) before EARLIEST_DATE, or after `latest` (default today)."""
    if value is None:
        return []
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) and timezone.is_aware(value) else value
    if isinstance(day, dt.datetime):
        day = day.date()
    if day < EARLIEST_DATE:
        return [FieldError(name, f"is before {EARLIEST_DATE.isoformat()}: check the year")]
    if latest is not None and day > latest:
        return [FieldError(name, f"is after {latest.isoformat()}")]
    return []


def meeting_date_problems(name: str, day: dt.date, *, today: dt.date | None = None) -> list[FieldError]:
    today = today or timezone.localdate()
    return date_problems(name, day, latest=today + dt.timedelta(days=MEETING_DAYS_AHEAD))


def refuse_oversized_on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """`pre_save`: refuse text longer than its field's limit, and oversized JSON, on every sro model."""
    if not sender.__module__.startswith("sro.") or sender._meta.label in _EXEMPT:
        return
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if value is None:
            continue
        limit = text_limit(field)
        if limit is not None and isinstance(value, str):
            problem = too_long(field.name, value, limit)
        elif isinstance(field, models.JSONField):
            size = len(json.dumps(value, ensure_ascii=False, default=str))
            problem = (
                FieldError(field.name, f"at most {JSON_MAX_CHARS:,} characters as stored (this has {size:,})")
                if size > JSON_MAX_CHARS
                else None
            )
        else:
            problem = None
        if problem is not None:
            raise InvalidInput(f"{problem.field}: {problem.message}", [problem])
