"""Writes for incidents and notification tasks: validate fully, save atomically, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from sro.core.audit import audit_log
from sro.core.errors import FieldError, Forbidden, InvalidInput, TransitionRefused
from sro.core.services import actor_user, clean_errors
from sro.incidents.models import Incident, IncidentStudent, NotificationTask, Route
from sro.incidents.permissions import can_record_incident
from sro.incidents.policy import Decision, policy, route_for
from sro.incidents.schooldays import due_on
from sro.orgs.actors import Actor
from sro.orgs.models import LawEnforcementAgency, School


@dataclass(frozen=True)
class StudentData:
    local_student_id: str
    name: str
    role: str
    race: str
    sex: str
    idea: bool = False
    section_504: bool = False
    english_learner: bool = False
    grade: int | None = None


_user_of = actor_user

# A student's part in the incident and the groups the public figures count them in are never
# assumed: each must be given ("NR", not recorded, where the school's records do not say).
DEMOGRAPHIC_REQUIRED = {
    "role": "choose the student's role in the incident",
    "race": "choose the student's race or ethnicity, or “Not recorded”",
    "sex": "choose the student's sex, or “Not recorded”",
}


def _missing_demographics(student: StudentData) -> dict[str, str]:
    """The demographic fields left empty on `student`, each with what to do."""
    return {
        name: message for name, message in DEMOGRAPHIC_REQUIRED.items() if not str(getattr(student, name) or "").strip()
    }


def _raise(errors: Sequence[FieldError]) -> None:
    if errors:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def check_not_future(value: dt.datetime, field: str, now: dt.datetime | None = None) -> list[FieldError]:
    if timezone.is_naive(value):
        return [FieldError(field, "needs a time zone")]
    if value > (now or timezone.now()):
        return [FieldError(field, "is in the future")]
    return []


def incident_create(
    *,
    actor: Actor | None,
    school: School,
    occurred_at: dt.datetime,
    location: str,
    description: str,
    offences: Iterable[str],
    facts: Iterable[str] = (),
    students: Iterable[StudentData] = (),
    now: dt.datetime | None = None,
) -> Incident:
    """Record an incident; its route comes from the policy, and a required notification gets a task."""
    if actor is not None and not can_record_incident(actor, school):
        raise Forbidden("Only the school's staff or a district administrator may record incidents here.")
    offences, facts, students = list(dict.fromkeys(offences)), list(dict.fromkeys(facts)), list(students)
    decision: Decision = route_for(offences=offences, facts=facts, school_grades=(school.grade_low, school.grade_high))
    errors = check_not_future(occurred_at, "occurred_at", now)
    incident = Incident(
        school=school,
        occurred_at=occurred_at,
        location=location.strip(),
        description=description.strip(),
        offences=offences,
        facts=facts,
        route=decision.route,
        rule_ids=[r.id for r in decision.rules],
        policy_version=policy().version,
        deadline_kind=decision.deadline,
        recorded_by=_user_of(actor),
    )
    errors += clean_errors(incident)
    rows, seen = [], set()
    for i, s in enumerate(students):
        row = IncidentStudent(incident=incident, **asdict(s))
        missing = _missing_demographics(s)
        errors += [FieldError(f"students.{i}.{name}", message) for name, message in missing.items()]
        errors += clean_errors(row, prefix=f"students.{i}.", exclude=["incident", *missing])
        if s.local_student_id in seen:
            errors.append(FieldError(f"students.{i}.local_student_id", "is listed twice"))
        seen.add(s.local_student_id)
        rows.append(row)
    _raise(errors)
    with transaction.atomic():
        incident.save()
        for row in rows:
            row.incident = incident
        IncidentStudent.objects.bulk_create(rows)
        task = None
        if decision.deadline:
            task = NotificationTask.objects.create(
                incident=incident,
                deadline_kind=decision.deadline,
                due_on=due_on(decision.deadline, timezone.localtime(occurred_at).date()),
            )
        audit_log(
            actor=_user_of(actor),
            action="incident_create",
            obj=incident,
            changes={
                "school": school.pk,
                "occurred_at": occurred_at,
                "offences": offences,
                "facts": facts,
                "route": decision.route,
                "rules": incident.rule_ids,
                "policy_version": incident.policy_version,
                "students": len(rows),
                "notification_due_on": task.due_on if task else None,
            },
        )
    return incident


def incident_refer(*, actor: Actor | None, incident: Incident, reason: str) -> Incident:
    """An administrator refers a discretionary incident to law enforcement, recording why."""
    if actor is not None and not can_record_incident(actor, incident.school):
        raise Forbidden("Only the school's staff or a district administrator may refer incidents.")
    if not reason.strip():
        raise InvalidInput.single("reason", "record why the incident is referred to law enforcement")
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.route != Route.DISCRETIONARY_REFERRAL or locked.referral_made:
            raise TransitionRefused(
                action="refer",
                current=locked.route + (" (referred)" if locked.referral_made else ""),
                allowed=[],
                reason="Only a discretionary-referral incident not yet referred can be referred.",
            )
        locked.referral_made, locked.referral_reason = True, reason.strip()
        locked.save(update_fields=["referral_made", "referral_reason", "updated_at"])
        audit_log(actor=_user_of(actor), action="incident_refer", obj=locked, changes={"reason": reason.strip()})
    return locked


def notification_mark_done(
    *,
    actor: Actor | None,
    task: NotificationTask,
    agency: LawEnforcementAgency | None,
    case_number: str = "",
    done_at: dt.datetime | None = None,
) -> NotificationTask:
    """The principal records that law enforcement was notified: who, when, which agency, case number."""
    if actor is not None and not can_record_incident(actor, task.incident.school):
        raise Forbidden("Only the school's staff or a district administrator may record a notification.")
    if agency is None:
        raise InvalidInput.single("agency", "name the agency that was notified")
    when = done_at or timezone.now()
    _raise(check_not_future(when, "done_at"))
    with transaction.atomic():
        locked = NotificationTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise TransitionRefused(action="mark_done", current="done", allowed=[])
        locked.done_at, locked.done_by = when, _user_of(actor)
        locked.agency_notified, locked.case_number = agency, case_number.strip()
        locked.save()
        audit_log(
            actor=_user_of(actor),
            action="notification_done",
            obj=locked,
            changes={
                "incident": locked.incident_id,
                "done_at": when,
                "agency": agency.pk,
                "case_number": locked.case_number,
                "late": when.date() > locked.due_on,
            },
        )
    return locked
