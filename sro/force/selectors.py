"""Reads, always scoped to the actor. `*_get` answers NotFound alike for missing and hidden.

Force reports carry a student's age, grade, race, sex, disability and English-learner status (no
name): they are seen by the officer who filed them, the agency's supervisors, the principal of the
campus and the district's administrators; never by the superintendent, board members or analysts,
who see the public counts (docs/use-of-force.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from sro.contracts.models import Contract
from sro.core.audit import audit_read
from sro.core.errors import NotFound
from sro.core.visibility import EVERYONE, get_visible
from sro.force.complaints import AllegationEvent, allegation_events
from sro.force.models import EarlyInterventionFlag, ForceNotice, ForceReport, JointReview
from sro.force.permissions import can_see_officer_record, is_district_admin_of_any
from sro.force.rules import force_lists
from sro.incidents.codes import RipaCodes, code_versions, contact_lists, ripa_codes
from sro.incidents.models import Contact, Review
from sro.incidents.selectors import contact_list
from sro.orgs.actors import Actor
from sro.orgs.roles import Role
from sro.staffing.models import Officer


def force_report_visibility(actor: Actor) -> Q:
    if actor.is_superuser:
        return EVERYONE
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(school__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    if actor.org_ids(Role.SITE_ADMIN):
        cond |= Q(school_id__in=actor.org_ids(Role.SITE_ADMIN))
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None and actor.org_ids(Role.SRO):
        cond |= Q(officer_id=actor.user.pk)
    return cond


def force_report_list(*, actor: Actor) -> QuerySet[ForceReport]:
    return ForceReport.objects.select_related("school", "agency", "officer", "contact", "incident").filter(
        force_report_visibility(actor)
    )


def force_report_get(*, actor: Actor, pk: int, audit: bool = True) -> ForceReport:
    """One report (its student details are read: audited)."""
    qs = force_report_list(actor=actor).select_related("school__district")
    report = get_visible(qs, pk=pk, actor_user=actor.user, label="Force report")
    if audit:
        audit_read(actor=actor.user, obj=report, fields=["student"])
    return report


# ---------------------------------------------------------------- reports due


def force_action_codes(codes: RipaCodes | None = None) -> frozenset[int]:
    """The action codes of one version of the RIPA lists (default: today's) whose column records force."""
    columns = force_lists().force_columns
    return frozenset(c.code for c in (codes or ripa_codes()).table("action").values() if c.column in columns)


def _force_codes_by_version() -> dict[str, frozenset[int]]:
    """Each version's force codes: a contact is read with the lists it was recorded under."""
    return {v.version: force_action_codes(v) for v in code_versions()}


def contact_uses_force(contact: Contact) -> bool:
    return bool(force_action_codes(contact_lists(contact.codes_version)) & set(contact.actions))


def force_types_of(contact: Contact) -> list[str]:
    """The force types a contact's RIPA actions record (to start the report with)."""
    table = contact_lists(contact.codes_version).table("action")
    columns = {table[c].column for c in contact.actions if c in table}
    return force_lists().types_for_columns(columns)


def reports_due(*, actor: Actor, today: dt.date | None = None, overdue_only: bool = False) -> list[Contact]:
    """Contacts with a force action and no force report yet, that the actor may see, oldest first.
    `overdue_only`: those from before `today` (the report was due the same day)."""
    today = today or timezone.localdate()
    by_version = _force_codes_by_version()
    current = force_action_codes()
    codes = frozenset().union(*by_version.values())
    visible = contact_list(actor=actor).filter(force_report__isnull=True)
    if connection.vendor == "postgresql":  # jsonb @>: the database keeps only contacts with a force code
        visible = visible.filter(
            functools.reduce(operator.or_, (Q(actions__contains=[c]) for c in codes), Q(pk__in=[]))
        )
    # Only the codes are read for every contact (no row objects); the few due are then fetched.
    ids = [
        pk
        for pk, actions, at, version in visible.values_list("pk", "actions", "occurred_at", "codes_version")
        if by_version.get(version, current) & set(actions)
        and not (overdue_only and timezone.localtime(at).date() >= today)
    ]
    return list(contact_list(actor=actor).filter(pk__in=ids).order_by("occurred_at", "pk"))


# ---------------------------------------------------------------- notices, reviews, flags


def notices_unread(*, actor: Actor) -> QuerySet[ForceNotice]:
    if actor.user is None:
        return ForceNotice.objects.none()
    return ForceNotice.objects.select_related("report__school", "flag__officer").filter(
        recipient=actor.user, read_at__isnull=True
    )


def notice_get(*, actor: Actor, pk: int) -> ForceNotice:
    if actor.user is None:
        raise NotFound("Notice")
    try:
        return ForceNotice.objects.get(pk=pk, recipient=actor.user)
    except ForceNotice.DoesNotExist:
        raise NotFound("Notice") from None


def reviews_waiting(*, actor: Actor) -> QuerySet[ForceReport]:
    """Reports waiting for the supervisor's review, for the agency's supervisors."""
    return (
        force_report_list(actor=actor)
        .filter(review_outcome="", agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
        .order_by("review_due_on", "pk")
    )


def officer_districts(officer: Officer) -> set[int]:
    """The districts whose contracts the officer's agency holds."""
    return set(Contract.objects.filter(agency_id=officer.agency_id).values_list("district_id", flat=True))


def _officers_of(actor: Actor) -> Q:
    """Officers whose flags and joint reviews the actor acts on: agency supervisors (their agency),
    district admins (agencies holding a contract with their district)."""
    if actor.is_superuser:
        return EVERYONE
    cond = Q(pk__in=[])
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.org_ids(Role.DISTRICT_ADMIN):
        agencies = Contract.objects.filter(district_id__in=actor.org_ids(Role.DISTRICT_ADMIN)).values("agency_id")
        cond |= Q(agency_id__in=agencies)
    return cond


def flag_list(*, actor: Actor, open_only: bool = False) -> QuerySet[EarlyInterventionFlag]:
    officers = Officer.objects.filter(_officers_of(actor)).values("pk")
    qs = EarlyInterventionFlag.objects.select_related("officer", "officer__agency").filter(officer_id__in=officers)
    return qs.filter(closed_at__isnull=True) if open_only else qs


def flag_get(*, actor: Actor, pk: int) -> EarlyInterventionFlag:
    try:
        return flag_list(actor=actor).get(pk=pk)
    except EarlyInterventionFlag.DoesNotExist:
        raise NotFound("Early-intervention flag") from None


def joint_review_list(*, actor: Actor, pending_only: bool = False) -> QuerySet[JointReview]:
    officers = Officer.objects.filter(_officers_of(actor)).values("pk")
    qs = JointReview.objects.select_related("officer", "officer__agency").filter(officer_id__in=officers)
    if pending_only:
        qs = qs.filter(Q(district_signed_at__isnull=True) | Q(agency_signed_at__isnull=True))
    return qs


def joint_review_get(*, actor: Actor, pk: int) -> JointReview:
    try:
        return joint_review_list(actor=actor).get(pk=pk)
    except JointReview.DoesNotExist:
        raise NotFound("Joint review") from None


# ---------------------------------------------------------------- the officer's record


@dataclass
class QuarterRow:
    quarter: str  # "2026 Q1"
    contacts: int
    force: int
    crossings: int


@dataclass
class OfficerRecord:
    officer: Officer
    allegations: list[AllegationEvent]
    force_reports: list[ForceReport]
    reviews: list[Review]
    quarters: list[QuarterRow]
    flags: list[EarlyInterventionFlag]
    joint_reviews: list[JointReview]
    findings: Counter[str] = field(default_factory=Counter)


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def officer_record_get(*, actor: Actor, pk: int) -> OfficerRecord:
    """The officer's whole record, for the district, the agency's supervisors and the officer."""
    officer = Officer.objects.select_related("agency", "user").filter(pk=pk).first()
    if officer is None or not can_see_officer_record(
        actor, officer_user_id=officer.user_id, agency_id=officer.agency_id, district_ids=officer_districts(officer)
    ):
        raise NotFound("Officer")
    user_id = officer.user_id
    reports = list(ForceReport.objects.filter(officer_id=user_id).select_related("school")) if user_id else []
    reviews = list(Review.objects.filter(officer_id=user_id).select_related("school", "contact")) if user_id else []
    contacts = Contact.objects.filter(officer_id=user_id).values_list("occurred_at", flat=True) if user_id else []
    per: dict[str, QuarterRow] = {}

    def row(at: dt.datetime) -> QuarterRow:
        q = _quarter(timezone.localtime(at).date())
        return per.setdefault(q, QuarterRow(q, 0, 0, 0))

    for at in contacts:
        row(at).contacts += 1
    for r in reports:
        row(r.occurred_at).force += 1
    for rv in reviews:
        if rv.status == Review.Status.SUBSTANTIATED:
            row(rv.contact.occurred_at).crossings += 1
    allegations = allegation_events(officer)
    audit_read(actor=actor.user, obj=officer, fields=["force_reports", "complaints", "reviews"])
    return OfficerRecord(
        officer=officer,
        allegations=allegations,
        force_reports=reports,
        reviews=reviews,
        quarters=[per[k] for k in sorted(per)],
        flags=list(EarlyInterventionFlag.objects.filter(officer=officer)),
        joint_reviews=list(JointReview.objects.filter(officer=officer)),
        findings=Counter(a.finding_label for a in allegations if a.finding),
    )


def district_admin_of_officer(actor: Actor, officer: Officer) -> bool:
    return is_district_admin_of_any(actor, officer_districts(officer))
