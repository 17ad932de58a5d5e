"""Reads, scoped to the actor. `complaint_get` answers NotFound alike for missing and hidden.

Who sees a complaint (`complaint_visibility`): a district administrator every complaint of the
district; an agency supervisor the complaints assigned to the agency; nobody a complaint in which
they are the officer complained about. SROs, principals, the superintendent, board members and
analysts see none (the public figures give everyone the counts).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from sro.complaints.models import Allegation, AssignedTo, Complaint, Status, token_digest
from sro.core.errors import NotFound
from sro.core.visibility import EVERYONE, get_visible
from sro.orgs.actors import Actor
from sro.orgs.models import User
from sro.orgs.roles import Role


def complaint_visibility(actor: Actor) -> Q:
    if actor.is_superuser:
        return EVERYONE
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(
            agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR),
            assigned_to__in=[AssignedTo.AGENCY, AssignedTo.BOTH],
        )
    if actor.user is not None:
        # Never a complaint about oneself, whatever the role.
        cond &= ~Q(pk__in=Allegation.objects.filter(officer_id=actor.user.pk).values("complaint_id"))
    return cond


def complaint_list(
    *,
    actor: Actor,
    status: str = "",
    school_id: int | None = None,
    overdue_only: bool = False,
    unassigned_only: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Complaint]:
    """The complaints the actor may see, newest first, with optional filters."""
    qs = Complaint.objects.select_related("school", "district", "agency").filter(complaint_visibility(actor))
    if status:
        qs = qs.filter(status=status)
    if school_id is not None:
        qs = qs.filter(school_id=school_id)
    if unassigned_only:
        qs = qs.filter(assigned_to="")
    if overdue_only:
        qs = qs.filter(overdue_q(today or timezone.localdate()))
    return qs.distinct()


def complaint_get(*, actor: Actor, pk: int) -> Complaint:
    return get_visible(complaint_list(actor=actor), pk=pk, actor_user=actor.user, label="Complaint")


def complaint_by_token(*, token: str) -> Complaint:
    """The complaint a private status link opens (the public, no sign-in). NotFound for any other token."""
    if not token or len(token) > 100:
        raise NotFound("Complaint")
    try:
        return Complaint.objects.select_related("school", "district").get(status_token_hash=token_digest(token))
    except Complaint.DoesNotExist:
        raise NotFound("Complaint") from None


def overdue_q(today: dt.date) -> Q:
    """The step waiting on staff is past its deadline (the deadlines: data/workflow.toml)."""
    return (
        Q(status=Status.RECEIVED, acknowledge_by__lt=today)
        | Q(status=Status.ACKNOWLEDGED, assign_by__lt=today)
        | Q(status__in=[Status.ASSIGNED, Status.INVESTIGATING], decide_by__lt=today)
        | Q(status__in=[Status.DECIDED, Status.ACTION_RECORDED], tell_by__lt=today)
    )


def allegations_about_officer(*, officer: User) -> QuerySet[Allegation]:
    """Every allegation naming `officer` (a User), newest complaint first. UNSCOPED: for the
    officer's record and the early-intervention rules, whose callers check who may see them.
    Carries the complaint (case number, school, dates, status); never show its complainant."""
    return (
        Allegation.objects.select_related("complaint", "complaint__school", "agency")
        .filter(officer=officer)
        .order_by("-complaint__received_at", "-pk")
    )
