"""Helpers for the force tests: a contact with given RIPA actions, a report's fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sro.force.models import ForceReport, Recorded
from sro.force.services import ForceReportData, force_report_file
from sro.incidents.contacts import ContactData, RightsData, contact_record
from sro.incidents.models import Contact
from sro.orgs.actors import actor_for
from sro.orgs.models import School, User

PSHS = "Palm Springs High"
HANDCUFFED, PHOTOGRAPHED = 5, 16


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def contact(user: User, school: School, when: dt.datetime, actions: list[int]) -> Contact:
    made, _crossings = contact_record(
        actor=actor_for(user),
        school=school,
        data=ContactData(
            occurred_at=when, duration_minutes=15, reason=2, race=[3], gender=1, age=15, results=[14], actions=actions
        ),
        rights=RightsData(student_name="Test Student", family_language="English"),
        check_deployment=False,
        now=when + dt.timedelta(hours=1),
    )
    return made


def data(school: School | None, when: dt.datetime | None, **over: Any) -> ForceReportData:
    fields: dict[str, Any] = {
        "school": school,
        "occurred_at": when,
        "student_age": 15,
        "grade": 10,
        "race": "HI",
        "sex": "F",
        "idea": Recorded.NO,
        "section_504": Recorded.NOT_RECORDED,
        "english_learner": Recorded.YES,
        "force_types": ["handcuffs"],
        "medical_aid": "none",
        "deescalation": ["verbal"],
        "deescalation_narrative": "Talked with the student for ten minutes.",
        "body_camera": "on",
        "narrative": "The student was handcuffed after running at a classmate.",
    }
    fields.update(over)
    return ForceReportData(**fields)


def file(user: User, school: School, when: dt.datetime, **over: Any) -> ForceReport:
    return force_report_file(actor=actor_for(user), data=data(school, when, **over), now=when + dt.timedelta(hours=1))
