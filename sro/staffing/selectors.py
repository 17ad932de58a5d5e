"""Reads for staffing, always scoped to the actor. `*_get` answers NotFound alike for missing and hidden.

Who sees an officer: the agency's supervisor; the officer (their own record only); the
district admin and superintendent of a district under whose contracts the officer is
nominated or assigned; a site admin, officers assigned to their school. Nobody else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sro.contracts.models import Contract
from sro.core.errors import NotFound
from sro.orgs.actors import Actor
from sro.orgs.models import Membership, User
from sro.orgs.roles import DISTRICT_ROLES, Role
from sro.staffing.models import (
    Assignment,
    Nomination,
    Notice,
    Officer,
    Panel,
    PanelMember,
    Side,
    TrainingRecord,
)
from sro.staffing.permissions import DISTRICT_VIEWERS, can_see_panel
from sro.staffing.training import CourseState, officer_training


def _district_ids(actor: Actor) -> set[int]:
    ids: set[int] = set()
    for role in DISTRICT_VIEWERS:
        ids |= actor.org_ids(role)
    return ids


def officer_list(*, actor: Actor) -> QuerySet[Officer]:
    qs = Officer.objects.select_related("agency", "user")
    if actor.is_superuser:
        return qs
    cond = Q(pk__in=[])
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.org_ids(Role.SRO) and actor.user is not None:
        cond |= Q(user_id=actor.user.pk)
    districts = _district_ids(actor)
    if districts:
        cond |= Q(nominations__contract__district_id__in=districts) | Q(
            assignments__contract__district_id__in=districts
        )
    if actor.org_ids(Role.SITE_ADMIN):
        cond |= Q(assignments__school_id__in=actor.org_ids(Role.SITE_ADMIN))
    return qs.filter(pk__in=Officer.objects.filter(cond).values("pk"))


def officer_get(*, actor: Actor, pk: int) -> Officer:
    try:
        return officer_list(actor=actor).get(pk=pk)
    except Officer.DoesNotExist:
        raise NotFound("Officer") from None


def officer_districts(officer: Officer) -> set[int]:
    """Districts whose contracts the officer's agency holds (their admins confirm its training)."""
    return set(Contract.objects.filter(agency_id=officer.agency_id).values_list("district_id", flat=True))


def nomination_get(*, actor: Actor, pk: int) -> Nomination:
    nomination = Nomination.objects.select_related("officer", "contract").filter(pk=pk).first()
    if nomination is None or not officer_list(actor=actor).filter(pk=nomination.officer_id).exists():
        raise NotFound("Nomination")
    return nomination


def panel_get(*, actor: Actor, pk: int) -> Panel:
    panel = Panel.objects.select_related("nomination__officer__agency", "nomination__contract").filter(pk=pk).first()
    if panel is None:
        raise NotFound("Panel")
    members = panel.members.values_list("user_id", flat=True)
    if not can_see_panel(actor, panel.nomination.contract, members):
        raise NotFound("Panel")
    return panel


def panel_list(*, actor: Actor) -> QuerySet[Panel]:
    qs = Panel.objects.select_related("nomination__officer", "nomination__contract")
    if actor.is_superuser:
        return qs
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(nomination__contract__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(nomination__contract__agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None:
        cond |= Q(members__user_id=actor.user.pk)
    return qs.filter(pk__in=Panel.objects.filter(cond).values("pk"))


def panel_sides(contract: Contract, user: User) -> set[str]:
    """Which side of a panel for `contract` this person may sit on (empty: neither)."""
    sides: set[str] = set()
    for m in Membership.objects.filter(user=user):
        if m.role in {r.value for r in DISTRICT_ROLES} and m.district_id == contract.district_id:
            sides.add(Side.DISTRICT)
        if m.role == Role.AGENCY_SUPERVISOR and m.agency_id == contract.agency_id:
            sides.add(Side.AGENCY)
    return sides


def panel_candidates(contract: Contract) -> QuerySet[User]:
    """Everyone who may sit on a panel for `contract`: district roles of its district, its agency's supervisors."""
    district_roles = sorted(r.value for r in DISTRICT_ROLES)
    return (
        User.objects.filter(
            Q(memberships__role__in=district_roles, memberships__district_id=contract.district_id)
            | Q(memberships__role=Role.AGENCY_SUPERVISOR, memberships__agency_id=contract.agency_id),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def my_seat(panel: Panel, user: object) -> PanelMember | None:
    pk = getattr(user, "pk", None)
    return panel.members.filter(user_id=pk).select_related("user").first() if pk else None


def training_records(*, actor: Actor, officer: Officer) -> QuerySet[TrainingRecord]:
    return officer.training_records.select_related("entered_by", "reviewed_by").order_by("course", "-completed_on")


def training_record_get(*, actor: Actor, pk: int) -> TrainingRecord:
    record = TrainingRecord.objects.select_related("officer").filter(pk=pk).first()
    if record is None or not officer_list(actor=actor).filter(pk=record.officer_id).exists():
        raise NotFound("Training record")
    return record


@dataclass(frozen=True)
class MatrixRow:
    officer: Officer
    states: list[CourseState]


def training_matrix(*, actor: Actor, on: dt.date) -> list[MatrixRow]:
    return [MatrixRow(o, officer_training(o, on)) for o in officer_list(actor=actor).exclude(status="inactive")]


def assignment_list(*, actor: Actor, include_cancelled: bool = False) -> QuerySet[Assignment]:
    """Assignments the actor may see; those cancelled before their first day only when asked for."""
    visible = officer_list(actor=actor).values("pk")
    manager = Assignment.with_cancelled if include_cancelled else Assignment.objects
    qs = manager.select_related("officer", "school", "contract")
    if actor.is_superuser:
        return qs
    cond = Q(officer_id__in=visible)
    if _district_ids(actor):
        cond |= Q(contract__district_id__in=_district_ids(actor))
    return qs.filter(cond)


def assignment_get(*, actor: Actor, pk: int) -> Assignment:
    try:
        return assignment_list(actor=actor, include_cancelled=True).get(pk=pk)
    except Assignment.DoesNotExist:
        raise NotFound("Assignment") from None


def notice_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notice]:
    if actor.user is None:
        return Notice.objects.none()
    qs = Notice.objects.filter(recipient_id=actor.user.pk)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notice_get(*, actor: Actor, pk: int) -> Notice:
    try:
        return notice_list(actor=actor).get(pk=pk)
    except Notice.DoesNotExist:
        raise NotFound("Notice") from None
