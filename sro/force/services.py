"""Writes: file a force report (same-day notices, the review's deadline), the supervisor's review, the
URSUS elements, notices read, early-intervention flags and joint reviews. Each is atomic,
permission-checked, validated and audited."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sro.contracts.models import Clause
from sro.core.audit import audit_log
from sro.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, TransitionRefused
from sro.core.limits import date_problems
from sro.core.services import clean_errors
from sro.force.complaints import allegation_events
from sro.force.models import (
    EarlyInterventionFlag,
    ForceNotice,
    ForceReport,
    JointReview,
    Recorded,
    ReviewOutcome,
)
from sro.force.permissions import can_file_report, can_record_ursus, can_review_report, joint_review_side
from sro.force.rules import EIRule, force_lists, rules, ursus_elements
from sro.force.selectors import contact_uses_force, force_report_visibility, officer_districts
from sro.incidents.models import Contact, Incident
from sro.incidents.schooldays import next_school_day
from sro.incidents.selectors import incident_visibility
from sro.orgs.actors import Actor
from sro.orgs.models import LawEnforcementAgency, Membership, School, User
from sro.orgs.roles import Role
from sro.staffing.gate import clause_for_campus
from sro.staffing.models import Officer

log = logging.getLogger(__name__)


def add_school_days(day: dt.date, n: int) -> dt.date:
    for _ in range(n):
        day = next_school_day(day)
    return day


@dataclass
class ForceReportData:
    """What the officer reports (the form, the API and the demo give the same)."""

    school: School | None
    occurred_at: dt.datetime | None
    student_age: int | None
    grade: int | None
    race: str
    sex: str
    idea: str
    section_504: str
    english_learner: str
    force_types: list[str]
    medical_aid: str
    deescalation: list[str]
    deescalation_narrative: str
    body_camera: str
    narrative: str
    student_injured: bool = False
    student_injury: str = ""
    officer_injured: bool = False
    officer_injury: str = ""
    witnesses: str = ""
    serious_bodily_injury: bool = False
    firearm_discharged: bool = False
    incident_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _list_problems(data: ForceReportData) -> list[FieldError]:
    lists = force_lists()
    problems: list[FieldError] = []
    known = {t.key for t in lists.types}
    if not data.force_types:
        problems.append(FieldError("force_types", "Choose at least one type of force or restraint."))
    unknown = [k for k in data.force_types if k not in known]
    if unknown:
        problems.append(FieldError("force_types", f"Unknown type of force: {', '.join(unknown)}."))
    if data.deescalation and any(k not in {c.key for c in lists.deescalation} for k in data.deescalation):
        problems.append(FieldError("deescalation", "Unknown de-escalation step."))
    if not data.deescalation:
        problems.append(FieldError("deescalation", "Say what de-escalation was tried, or that none was possible."))
    if data.medical_aid not in {c.key for c in lists.medical_aid}:
        problems.append(FieldError("medical_aid", "Choose the medical aid given (or none)."))
    if data.firearm_discharged and "firearm_discharged" not in data.force_types:
        problems.append(FieldError("force_types", "A firearm discharged is also a type of force: tick it."))
    if data.student_age is None or not 3 <= data.student_age <= 25:
        problems.append(FieldError("student_age", "Give the student's age (3 to 25)."))
    if data.student_injured and not data.student_injury.strip():
        problems.append(FieldError("student_injury", "Describe the student's injury."))
    if data.officer_injured and not data.officer_injury.strip():
        problems.append(FieldError("officer_injury", "Describe the officer's injury."))
    if data.occurred_at is not None and data.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        problems.append(FieldError("occurred_at", "The time is in the future."))
    problems += date_problems("occurred_at", data.occurred_at)
    for name in ("idea", "section_504", "english_learner"):
        if getattr(data, name) not in Recorded.values:
            problems.append(FieldError(name, "Choose yes, no or not recorded."))
    return problems


def _officer_agency(actor: Actor) -> tuple[User, LawEnforcementAgency]:
    agency_ids = sorted(actor.org_ids(Role.SRO))
    if actor.user is None or not agency_ids:
        raise Forbidden("Only a school resource officer files a force report.")
    return actor.user, LawEnforcementAgency.objects.get(pk=agency_ids[0])


def _recipients(school: School) -> list[tuple[str, User]]:
    """Same day: the campus's principal(s) and the district's security director (its administrators)."""
    rows = Membership.objects.filter(user__is_active=True).select_related("user")
    principals = [(Role.SITE_ADMIN.value, m.user) for m in rows.filter(role=Role.SITE_ADMIN, school=school)]
    director = [
        (Role.DISTRICT_ADMIN.value, m.user)
        for m in rows.filter(role=Role.DISTRICT_ADMIN, district_id=school.district_id)
    ]
    unique: dict[int, tuple[str, User]] = {}
    for role, user in principals + director:
        unique.setdefault(user.pk, (role, user))
    return list(unique.values())


def _mail_on_commit(subject: str, body: str, users: Sequence[User]) -> None:
    emails = [u.email for u in users if u.email]
    if not emails:
        return

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
        except OSError:
            log.exception("force notice e-mail failed: %s", subject)

    transaction.on_commit(send)


def force_report_file(
    *, actor: Actor, data: ForceReportData, contact: Contact | None = None, now: dt.datetime | None = None
) -> ForceReport:
    """File a report (from a RIPA contact with a force action, or on its own); notify the principal
    and the district's security director the same day; set the supervisor's review deadline."""
    if not can_file_report(actor):
        raise Forbidden("Only a school resource officer files a force report.")
    officer, agency = _officer_agency(actor)
    now = now or timezone.now()
    if contact is not None:
        if contact.officer_id != officer.pk:
            raise NotFound("Contact")
        if not contact_uses_force(contact):
            raise InvalidInput.single("contact", "This contact records no use of force.")
        agency = contact.agency
        data.school = contact.school
        data.incident_id = data.incident_id or contact.incident_id
    problems = _list_problems(data)
    incident = None
    if data.incident_id is not None:
        incident = Incident.objects.filter(incident_visibility(actor), pk=data.incident_id).distinct().first()
        if incident is None:
            problems.append(FieldError("incident", "No such incident that you may see."))
    occurred = data.occurred_at or now
    report = ForceReport(
        officer=officer,
        agency=agency,
        school=data.school,
        contact=contact,
        incident=incident,
        occurred_at=occurred,
        student_age=data.student_age or 0,
        grade=data.grade,
        race=data.race,
        sex=data.sex,
        idea=data.idea,
        section_504=data.section_504,
        english_learner=data.english_learner,
        force_types=list(dict.fromkeys(data.force_types)),
        student_injured=data.student_injured,
        student_injury=data.student_injury.strip(),
        officer_injured=data.officer_injured,
        officer_injury=data.officer_injury.strip(),
        medical_aid=data.medical_aid,
        deescalation=list(dict.fromkeys(data.deescalation)),
        deescalation_narrative=data.deescalation_narrative.strip(),
        body_camera=data.body_camera,
        witnesses=data.witnesses.strip(),
        narrative=data.narrative.strip(),
        serious_bodily_injury=data.serious_bodily_injury,
        firearm_discharged=data.firearm_discharged,
        filed_by=officer,
        review_due_on=add_school_days(timezone.localtime(occurred).date(), rules().review_school_days),
    )
    named = {p.field for p in problems}
    problems += [
        p
        for p in clean_errors(report, exclude=["officer", "agency", "filed_by", "contact", "incident"])
        if p.field not in named and not (p.field == "__all__" and named)
    ]
    if data.school is None and not any(p.field == "school" for p in problems):
        problems.append(FieldError("school", "Choose the campus."))
    if problems:
        raise InvalidInput.many((p.field, p.message) for p in problems)
    with transaction.atomic():
        if contact is not None:
            Contact.objects.select_for_update().get(pk=contact.pk)
            if ForceReport.objects.filter(contact=contact).exists():
                raise Conflict("A force report for this contact is already filed.")
        report.save()
        audit_log(
            actor=officer,
            action="force_report_file",
            obj=report,
            changes={
                "contact": contact.pk if contact else None,
                "school": report.school_id,
                "force_types": report.force_types,
                "review_due_on": report.review_due_on,
            },
        )
        _notify_report(report)
        officer_record = Officer.objects.filter(user=officer).first()
        if officer_record is not None:
            ei_evaluate(officer=officer_record, today=timezone.localtime(now).date())
    return report


def _notify_report(report: ForceReport) -> None:
    school = report.school
    day = timezone.localtime(report.occurred_at).date()
    clause = clause_for_campus(school=school, on=day, category="use_of_force")
    promise = f'\n\nThe contract, clause {clause.number} "{clause.title}": {clause.text}' if clause else ""
    types = ", ".join(force_lists().type_label(k) for k in report.force_types)
    subject = f"Use of force at {school.name} on {day:%Y-%m-%d}: report {report.pk}"
    body = (
        f"An SRO reported a use of force or restraint on a student at {school.name} on {day:%Y-%m-%d} "
        f"({types}). Read the report: {reverse('force:detail', args=[report.pk])}{promise}"
    )
    recipients = _recipients(school)
    ForceNotice.objects.bulk_create(
        [
            ForceNotice(kind=ForceNotice.Kind.FORCE_REPORT, report=report, recipient=u, subject=subject, body=body)
            for _role, u in recipients
        ]
    )
    audit_log(
        actor=None, action="force_notice_send", obj=report, changes={"to": [f"{r}:{u.username}" for r, u in recipients]}
    )
    _mail_on_commit(subject, body, [u for _r, u in recipients])


def force_notice_read(*, actor: Actor, notice: ForceNotice) -> ForceNotice:
    with transaction.atomic():
        locked = ForceNotice.objects.select_for_update().get(pk=notice.pk)
        if actor.user is None or locked.recipient_id != actor.user.pk:
            raise NotFound("Notice")
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at", "updated_at"])
            audit_log(actor=actor.user, action="force_notice_read", obj=locked)
    return locked


def force_review_record(
    *, actor: Actor, report: ForceReport, outcome: str, note: str, now: dt.datetime | None = None
) -> ForceReport:
    """The agency supervisor's review: within policy, not within policy, training, or referred."""
    if not ForceReport.objects.filter(force_report_visibility(actor), pk=report.pk).exists():
        raise NotFound("Force report")
    if not can_review_report(actor, report.agency_id):
        raise Forbidden("Only a supervisor of the officer's agency reviews a force report.")
    if outcome not in ReviewOutcome.values:
        raise InvalidInput.single("outcome", "Choose the outcome of the review.")
    if not note.strip():
        raise InvalidInput.single("note", "Give the reasons for the outcome.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = ForceReport.objects.select_for_update().get(pk=report.pk)
        if locked.reviewed:
            raise TransitionRefused(
                action="review", current=locked.review_outcome, allowed=[], reason="The review is already recorded."
            )
        locked.review_outcome, locked.review_note = outcome, note.strip()
        locked.reviewed_at, locked.reviewed_by = now, actor.user
        locked.save()
        audit_log(
            actor=actor.user, action="force_review", obj=locked, changes={"outcome": outcome, "note": note.strip()}
        )
        officer = Officer.objects.filter(user_id=locked.officer_id).first()
        if officer is not None:
            today = timezone.localtime(now).date()
            if outcome == ReviewOutcome.NOT_WITHIN_POLICY:
                joint_review_require(
                    officer=officer,
                    category="force_not_within_policy",
                    source="force_report",
                    source_id=locked.pk,
                    today=today,
                )
            ei_evaluate(officer=officer, today=today)
    return locked


def ursus_record(*, actor: Actor, report: ForceReport, values: Mapping[str, Any]) -> ForceReport:
    """The URSUS elements entered by hand (data/ursus.toml), for a report Gov. Code 12525.2 covers."""
    if not ForceReport.objects.filter(force_report_visibility(actor), pk=report.pk).exists():
        raise NotFound("Force report")
    if not can_record_ursus(actor, officer_id=report.officer_id, agency_id=report.agency_id):
        raise Forbidden("The officer or the agency's supervisor records the URSUS details.")
    if not report.ursus_reportable:
        raise InvalidInput.single(
            "serious_bodily_injury", "URSUS covers serious bodily injury, death or a firearm discharged only."
        )
    problems: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}
    for e in ursus_elements():
        if not e.entered:
            continue
        raw = values.get(e.name)
        given = (
            [str(v) for v in raw] if isinstance(raw, (list, tuple)) else ([str(raw)] if raw not in (None, "") else [])
        )
        if not given:
            if not e.optional:
                problems.append((e.name, "Required by URSUS."))
            continue
        bad = [v for v in given if v not in e.choices]
        if bad or (len(given) > 1 and not e.multi):
            problems.append((e.name, "Choose from the list."))
            continue
        clean[e.name] = given if e.multi else given[0]
    if problems:
        raise InvalidInput.many(problems)
    with transaction.atomic():
        locked = ForceReport.objects.select_for_update().get(pk=report.pk)
        locked.ursus = clean
        locked.save(update_fields=["ursus", "updated_at"])
        audit_log(actor=actor.user, action="force_ursus_record", obj=locked, changes={"ursus": clean})
    return locked


# ---------------------------------------------------------------- early intervention


@dataclass(frozen=True)
class Counted:
    kind: str
    id: int
    on: dt.date


def _events(officer: Officer, rule: EIRule, today: dt.date) -> list[Counted]:
    start = today - dt.timedelta(days=rule.window_days - 1)

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= today

    if rule.kind in ("force_reports", "force_not_within_policy"):
        reports = (
            ForceReport.objects.filter(officer_id=officer.user_id) if officer.user_id else ForceReport.objects.none()
        )
        if rule.kind == "force_reports":
            return [
                Counted("force_report", r.pk, d)
                for r in reports
                for d in [timezone.localtime(r.occurred_at).date()]
                if within(d)
            ]
        return [
            Counted("force_report", r.pk, d)
            for r in reports.filter(review_outcome=ReviewOutcome.NOT_WITHIN_POLICY)
            for d in [timezone.localtime(r.reviewed_at).date() if r.reviewed_at else None]
            if d and within(d)
        ]
    allegations = allegation_events(officer)
    if rule.kind == "complaints":
        firsts: dict[int, dt.date] = {}
        for a in allegations:
            firsts.setdefault(a.complaint_id, a.received_on)
        return [Counted("complaint", cid, d) for cid, d in firsts.items() if within(d)]
    return [
        Counted("allegation", a.allegation_id, a.decided_on)
        for a in allegations
        if a.sustained and a.decided_on is not None and within(a.decided_on)
    ]


def ei_evaluate(*, officer: Officer, today: dt.date) -> list[EarlyInterventionFlag]:
    """Raise a flag for each rule the officer meets on `today` that has no open flag; notify the
    agency's supervisors and the district's administrators. Returns the new flags.

    A sustained finding decided by `today` in a category the contract names also requires a joint
    review (once per finding)."""
    raised: list[EarlyInterventionFlag] = []
    for a in allegation_events(officer):
        if a.sustained and a.decided_on is not None and a.decided_on <= today:
            with transaction.atomic():
                joint_review_require(
                    officer=officer, category=a.category, source="allegation", source_id=a.allegation_id, today=today
                )
    for rule in rules().early_intervention:
        counted = _events(officer, rule, today)
        if len(counted) < rule.threshold:
            continue
        with transaction.atomic():
            Officer.objects.select_for_update().get(pk=officer.pk)
            if EarlyInterventionFlag.objects.filter(officer=officer, rule=rule.key, closed_at__isnull=True).exists():
                continue
            flag = EarlyInterventionFlag.objects.create(
                officer=officer,
                rule=rule.key,
                raised_on=today,
                count=len(counted),
                reason=rule.reason,
                events=[{**asdict(c), "on": c.on.isoformat()} for c in counted],
            )
            users = _ei_recipients(officer)
            subject = f"Early intervention: {officer.name} ({rule.key})"
            body = (
                f"{officer.name} ({officer.agency.name}) met the early-intervention rule '{rule.key}': "
                f"{len(counted)} in {rule.window_days} days (threshold {rule.threshold}). {rule.reason} "
                f"The officer's record: {reverse('force:officer_record', args=[officer.pk])}"
            )
            ForceNotice.objects.bulk_create(
                [
                    ForceNotice(
                        kind=ForceNotice.Kind.EARLY_INTERVENTION, flag=flag, recipient=u, subject=subject, body=body
                    )
                    for u in users
                ]
            )
            audit_log(
                actor=None,
                action="ei_flag_raise",
                obj=flag,
                changes={"rule": rule.key, "count": len(counted), "to": [u.username for u in users]},
            )
            _mail_on_commit(subject, body, users)
            raised.append(flag)
    return raised


def _ei_recipients(officer: Officer) -> list[User]:
    rows = Membership.objects.filter(user__is_active=True).select_related("user")
    supervisors = [m.user for m in rows.filter(role=Role.AGENCY_SUPERVISOR, agency_id=officer.agency_id)]
    admins = [m.user for m in rows.filter(role=Role.DISTRICT_ADMIN, district_id__in=officer_districts(officer))]
    return list({u.pk: u for u in supervisors + admins}.values())


def ei_flag_close(*, actor: Actor, flag: EarlyInterventionFlag, note: str) -> EarlyInterventionFlag:
    """The district closes a flag once it has acted on it (what it did is the note)."""
    if (
        joint_review_side(actor, agency_id=flag.officer.agency_id, district_ids=officer_districts(flag.officer))
        != "district"
    ):
        raise Forbidden("The district's administrator closes an early-intervention flag.")
    if not note.strip():
        raise InvalidInput.single("note", "Say what was done.")
    with transaction.atomic():
        locked = EarlyInterventionFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.closed_at is not None:
            raise TransitionRefused(action="close", current="closed", allowed=[], reason="The flag is already closed.")
        locked.closed_at, locked.closed_by, locked.close_note = timezone.now(), actor.user, note.strip()
        locked.save()
        audit_log(actor=actor.user, action="ei_flag_close", obj=locked, changes={"note": locked.close_note})
    return locked


# ---------------------------------------------------------------- joint review


def contract_names(officer: Officer, clause_category: str, on: dt.date) -> bool:
    """Does a contract the officer serves under (the campus of their assignment on `on`, else any
    contract of their agency) have a clause of this catalogue category?"""
    assignment = officer.assignments.filter(start_date__lte=on).order_by("-start_date").first()
    if assignment is not None:
        return clause_for_campus(school=assignment.school, on=on, category=clause_category) is not None
    clauses = Clause.objects.filter(version__contract__agency_id=officer.agency_id).values_list("categories", flat=True)
    return any(clause_category in cats for cats in clauses)


def joint_review_require(
    *, officer: Officer, category: str, source: str, source_id: int, today: dt.date
) -> JointReview | None:
    """A sustained finding: when its category is one the contract names, a joint review is required
    before the officer's next assignment (none when the category is not mapped or not named)."""
    clause_category = rules().joint_review_categories.get(category)
    if clause_category is None or not contract_names(officer, clause_category, today):
        return None
    review, created = JointReview.objects.get_or_create(
        source=source,
        source_id=source_id,
        defaults={
            "officer": officer,
            "category": category,
            "clause_category": clause_category,
            "required_on": today,
            "reason": rules().joint_review_reason,
        },
    )
    if created:
        audit_log(
            actor=None,
            action="joint_review_require",
            obj=review,
            changes={"officer": officer.pk, "category": category, "source": f"{source}:{source_id}"},
        )
    return review


def joint_review_sign(*, actor: Actor, review: JointReview, decision: str = "", note: str = "") -> JointReview:
    """One side signs: the district records the decision, the agency's supervisor agrees to it.
    The gate's reason clears when both have signed and the decision lets the officer serve."""
    side = joint_review_side(actor, agency_id=review.officer.agency_id, district_ids=officer_districts(review.officer))
    if not side:
        raise Forbidden("The district's administrator and the agency's supervisor sign a joint review.")
    with transaction.atomic():
        locked = JointReview.objects.select_for_update().get(pk=review.pk)
        now = timezone.now()
        if side == "district":
            if locked.district_signed_at is not None:
                raise TransitionRefused(
                    action="sign", current="district signed", allowed=[], reason="The district has signed."
                )
            if decision not in JointReview.Decision.values:
                raise InvalidInput.single("decision", "Choose the decision.")
            if not note.strip():
                raise InvalidInput.single("note", "Give the reasons for the decision.")
            locked.decision, locked.note = decision, note.strip()
            locked.district_signed_by, locked.district_signed_at = actor.user, now
        else:
            if locked.district_signed_at is None:
                raise TransitionRefused(
                    action="sign",
                    current="waiting for the district",
                    allowed=[],
                    reason="The district records the decision first; the agency then signs it.",
                )
            if locked.agency_signed_at is not None:
                raise TransitionRefused(
                    action="sign", current="agency signed", allowed=[], reason="The agency has signed."
                )
            locked.agency_signed_by, locked.agency_signed_at = actor.user, now
        locked.save()
        audit_log(
            actor=actor.user,
            action=f"joint_review_sign_{side}",
            obj=locked,
            changes={"decision": locked.decision, "note": locked.note},
        )
    return locked


def gate_reasons(officer: Officer, on: dt.date) -> list[tuple[str, str]]:
    """For the deployment gate (sro.staffing.registries): joint reviews required by `on` and not
    yet signed by both sides, or decided against the officer."""
    return gate_reasons_many([officer], on)[officer.pk]


def gate_reasons_many(officers: list[Officer], on: dt.date) -> dict[int, list[tuple[str, str]]]:
    """`gate_reasons` for many officers in one query, by officer pk."""
    by_pk = {o.pk: o for o in officers}
    found: dict[int, list[tuple[str, str]]] = {pk: [] for pk in by_pk}
    for r in JointReview.objects.filter(officer_id__in=by_pk, required_on__lte=on):
        officer, out = by_pk[r.officer_id], found[r.officer_id]
        if not r.cleared:
            out.append(
                ("joint_review_required", f"{officer.name}: {r.category.replace('_', ' ')} (since {r.required_on}).")
            )
        elif r.decision == JointReview.Decision.MAY_NOT_SERVE:
            out.append(
                ("joint_review_required", f"{officer.name}: the joint review decided the officer may not serve.")
            )
    return found
