"""Reads for staffing, always scoped to the actor. `*_get` answers NotFound alike for missing and hidden.

Each entity's visibility rule is written once, as `<entity>_visibility(actor) -> Q`; its list
filters by it and its single-object checks (`*_get`, `can_view_*`) evaluate the same rule.

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
from sro.core.visibility import EVERYONE
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
from sro.staffing.permissions import DISTRICT_VIEWERS
from sro.staffing.training import CourseState, officer_training


def _district_ids(actor: Actor) -> set[int]:
    ids: set[int] = set()
    for role in DISTRICT_VIEWERS:
        ids |= actor.org_ids(role)
    return ids


def officer_visibility(actor: Actor) -> Q:
    """See the module's docstring: agency supervisor, the officer, district viewers, site admins."""
    if actor.is_superuser:
        return EVERYONE
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
    return cond


def officer_list(*, actor: Actor) -> QuerySet[Officer]:
    visible = Officer.objects.filter(officer_visibility(actor)).values("pk")
    return Officer.objects.select_related("agency", "user").filter(pk__in=visible)


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


def panel_visibility(actor: Actor) -> Q:
    """Panel members and each side's manager (those who may convene it: the district admin of the
    contract's district, the supervisor of its agency). Candidates never see a panel, theirs or another's."""
    if actor.is_superuser:
        return EVERYONE
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        cond |= Q(nomination__contract__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(nomination__contract__agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None:
        cond |= Q(members__user_id=actor.user.pk)
    return cond


def panel_list(*, actor: Actor) -> QuerySet[Panel]:
    visible = Panel.objects.filter(panel_visibility(actor)).values("pk")
    return Panel.objects.select_related("nomination__officer", "nomination__contract").filter(pk__in=visible)


def panel_get(*, actor: Actor, pk: int) -> Panel:
    try:
        return panel_list(actor=actor).select_related("nomination__officer__agency").get(pk=pk)
    except Panel.DoesNotExist:
        raise NotFound("Panel") from None


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


def assignment_visibility(actor: Actor) -> Q:
    """Assignments of the officers the actor sees, and, for district viewers, every assignment
    under their district's contracts."""
    if actor.is_superuser:
        return EVERYONE
    cond = Q(officer_id__in=Officer.objects.filter(officer_visibility(actor)).values("pk"))
    if _district_ids(actor):
        cond |= Q(contract__district_id__in=_district_ids(actor))
    return cond


def assignment_list(*, actor: Actor, include_cancelled: bool = False) -> QuerySet[Assignment]:
    """Assignments the actor may see; those cancelled before their first day only when asked for."""
    manager = Assignment.with_cancelled if include_cancelled else Assignment.objects
    return manager.select_related("officer", "school", "contract").filter(assignment_visibility(actor))


def assignment_get(*, actor: Actor, pk: int) -> Assignment:
    try:
        return assignment_list(actor=actor, include_cancelled=True).get(pk=pk)
    except Assignment.DoesNotExist:
        raise NotFound("Assignment") from None


def notice_visibility(actor: Actor) -> Q:
    """A notice is its recipient's alone (a superuser's included)."""
    return Q(recipient_id=actor.user.pk) if actor.user is not None else Q(pk__in=[])


def notice_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(notice_visibility(actor))
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notice_get(*, actor: Actor, pk: int) -> Notice:
    try:
        return notice_list(actor=actor).get(pk=pk)
    except Notice.DoesNotExist:
        raise NotFound("Notice") from None
