"""Writes for incidents and notification tasks (law enforcement and parents): validate fully, save
atomically, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from sro.core.audit import audit_log
from sro.core.errors import FieldError, Forbidden, InvalidInput, TransitionRefused
from sro.core.limits import STUDENTS_PER_INCIDENT, date_problems
from sro.core.services import actor_user, clean_errors
from sro.incidents.models import Contact, Incident, IncidentStudent, NotificationAttempt, NotificationTask, Route
from sro.incidents.permissions import can_act_on_task, can_record_incident
from sro.incidents.policy import RECIPIENTS, Decision, policy, route_for
from sro.incidents.rights import parent_citation, parent_deadline, parent_responsibility
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
    return date_problems(field, value)


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
    if len(students) > STUDENTS_PER_INCIDENT:
        errors.append(
            FieldError(
                "students", f"at most {STUDENTS_PER_INCIDENT} students on one incident (this lists {len(students)})"
            )
        )
        students = []  # each row is not checked: the list is refused as a whole
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
                kind=NotificationTask.Kind.LAW_ENFORCEMENT,
                school=school,
                incident=incident,
                deadline_kind=decision.deadline,
                due_on=due_on(decision.deadline, timezone.localtime(occurred_at).date()),
                notify=list(decision.notify),
                # Ed. Code 48902(e): a pupil with exceptional needs reported for a criminal act.
                records_required=any(r.idea and r.role == IncidentStudent.Role.OFFENDER for r in rows),
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


def _refuse_unless_may_act(actor: Actor | None, task: NotificationTask) -> None:
    if actor is not None and not can_act_on_task(actor, task):
        raise Forbidden("Your role may not record this notification.")


def notification_mark_done(
    *,
    actor: Actor | None,
    task: NotificationTask,
    agency: LawEnforcementAgency | None,
    case_number: str = "",
    recipients: Sequence[str] | None = None,
    done_at: dt.datetime | None = None,
) -> NotificationTask:
    """The principal records that law enforcement was notified: who, when, which agency, case number.

    Every recipient the rules name (`task.notify`, e.g. both of 48902(c) for a firearm) must be
    confirmed in `recipients` (None: the only one, when there is one), and for a pupil with
    exceptional needs the 48902(e) records must have been sent first.
    """
    _refuse_unless_may_act(actor, task)
    if task.kind != NotificationTask.Kind.LAW_ENFORCEMENT:
        raise InvalidInput.single("task", "a parent notification is marked done with the parent reached")
    if agency is None:
        raise InvalidInput.single("agency", "name the agency that was notified")
    confirmed = list(task.notify) if recipients is None and len(task.notify) <= 1 else list(recipients or [])
    errors = [FieldError("recipients", f"unknown recipient '{r}'") for r in confirmed if r not in task.notify]
    missing = [RECIPIENTS[r] for r in task.notify if r not in confirmed]
    if missing:
        errors.append(FieldError("recipients", "confirm every recipient the law names: " + "; ".join(missing)))
    when = done_at or timezone.now()
    errors += check_not_future(when, "done_at")
    _raise(errors)
    with transaction.atomic():
        locked = NotificationTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise TransitionRefused(action="mark_done", current="done", allowed=[])
        if locked.records_pending:
            raise InvalidInput.single(
                "records",
                "pending: send copies of the pupil's special education and disciplinary records with the "
                "report (Ed. Code 48902(e)), then mark the notification done",
            )
        locked.done_at, locked.done_by = when, _user_of(actor)
        locked.agency_notified, locked.case_number = agency, case_number.strip()
        locked.notified = [r for r in locked.notify if r in confirmed]
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
                "recipients": locked.notified,
                "late": when.date() > locked.due_on,
            },
        )
    return locked


def notification_records_sent(
    *, actor: Actor | None, task: NotificationTask, sent_at: dt.datetime | None = None
) -> NotificationTask:
    """Ed. Code 48902(e): the special education and disciplinary records went with the report."""
    _refuse_unless_may_act(actor, task)
    when = sent_at or timezone.now()
    _raise(check_not_future(when, "sent_at"))
    with transaction.atomic():
        locked = NotificationTask.objects.select_for_update().get(pk=task.pk)
        if not locked.records_pending:
            raise TransitionRefused(
                action="records_sent",
                current="sent" if locked.records_required else "not required",
                allowed=[],
                reason="The 48902(e) records step is open only for a pupil with exceptional needs, once.",
            )
        locked.records_sent_at, locked.records_sent_by = when, _user_of(actor)
        locked.save(update_fields=["records_sent_at", "records_sent_by", "updated_at"])
        audit_log(actor=_user_of(actor), action="notification_records_sent", obj=locked, changes={"sent_at": when})
    return locked


# ---------------------------------------------------------------- parent notification


def parent_notification_open(
    *, actor: Actor | None, contact: Contact, triggers: Sequence[str], student_name: str, family_language: str = ""
) -> NotificationTask:
    """Open the task to notify a student's parent after a contact. Called inside the contact's transaction."""
    on = timezone.localtime(contact.occurred_at).date()
    kind = parent_deadline(triggers)
    responsible, basis = parent_responsibility(school=contact.school, on=on)
    task = NotificationTask.objects.create(
        kind=NotificationTask.Kind.PARENT,
        school=contact.school,
        contact=contact,
        deadline_kind=kind,
        due_on=due_on(kind, on),
        student_name=student_name.strip(),
        family_language=family_language.strip(),
        triggers=list(triggers),
        citation=parent_citation(triggers),
        responsible=responsible,
        responsible_basis=basis,
    )
    audit_log(
        actor=_user_of(actor),
        action="parent_notification_open",
        obj=task,
        changes={"contact": contact.pk, "triggers": list(triggers), "due_on": task.due_on, "responsible": responsible},
    )
    return task


def _open_parent_task(task: NotificationTask) -> NotificationTask:
    locked = NotificationTask.objects.select_for_update().get(pk=task.pk)
    if locked.kind != NotificationTask.Kind.PARENT:
        raise InvalidInput.single("task", "attempts are recorded on parent notifications only")
    if locked.done_at is not None:
        raise TransitionRefused(action="attempt", current="done", allowed=[])
    return locked


def parent_notification_attempt(
    *,
    actor: Actor | None,
    task: NotificationTask,
    method: str,
    reached: bool,
    note: str = "",
    family_language: str = "",
    attempted_at: dt.datetime | None = None,
) -> NotificationAttempt:
    """Record one attempt to reach the parent (and, if given, the family's language)."""
    _refuse_unless_may_act(actor, task)
    when = attempted_at or timezone.now()
    errors = check_not_future(when, "attempted_at")
    if method not in NotificationTask.Method.values:
        errors.append(FieldError("method", "choose how the parent was contacted"))
    if not reached and not note.strip():
        errors.append(FieldError("note", "say what happened (no answer, message left, wrong number…)"))
    _raise(errors)
    with transaction.atomic():
        locked = _open_parent_task(task)
        attempt = NotificationAttempt.objects.create(
            task=locked, attempted_at=when, method=method, by=_user_of(actor), reached=reached, note=note.strip()
        )
        if family_language.strip():
            locked.family_language = family_language.strip()
            locked.save(update_fields=["family_language", "updated_at"])
        audit_log(
            actor=_user_of(actor),
            action="parent_notification_attempt",
            obj=locked,
            changes={"attempt": attempt.pk, "method": method, "reached": reached, "at": when},
        )
    return attempt


def parent_notification_mark_done(
    *, actor: Actor | None, task: NotificationTask, done_at: dt.datetime | None = None
) -> NotificationTask:
    """The parent was reached: the task is done, by the method of the last attempt that reached them."""
    _refuse_unless_may_act(actor, task)
    when = done_at or timezone.now()
    _raise(check_not_future(when, "done_at"))
    with transaction.atomic():
        locked = _open_parent_task(task)
        reached = locked.attempts.filter(reached=True).order_by("-attempted_at", "-pk").first()
        if reached is None:
            raise InvalidInput.single("attempts", "record the attempt that reached the parent first")
        locked.done_at, locked.done_by, locked.method = when, _user_of(actor), reached.method
        locked.save()
        audit_log(
            actor=_user_of(actor),
            action="parent_notification_done",
            obj=locked,
            changes={
                "contact": locked.contact_id,
                "done_at": when,
                "method": reached.method,
                "late": timezone.localtime(when).date() > locked.due_on,
            },
        )
    return locked
