"""Reads, always scoped to the actor. `*_get` helpers answer NotFound alike for missing and hidden.

Each entity's visibility rule is written once, as `<entity>_visibility(actor) -> Q`; its list
filters by that rule and its single-object checks (`*_get`, `can_view_*`) evaluate the same rule.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sro.core.errors import NotFound
from sro.core.visibility import EVERYONE
from sro.orgs.actors import Actor
from sro.orgs.models import District, LawEnforcementAgency, Membership, School, User
from sro.orgs.roles import Role


def school_visibility(actor: Actor) -> Q:
    """District roles see their district's schools; site admins their own schools;
    police roles the program campuses in the cities their agency serves; the public
    the program campuses of every district."""
    if actor.is_superuser:
        return EVERYONE
    if actor.is_public:
        return Q(in_program=True)
    cond = Q(pk__in=[])
    district_roles = {Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST}
    for role in district_roles:
        ids = actor.org_ids(role)
        if ids:
            cond |= Q(district_id__in=ids)
    if actor.org_ids(Role.SITE_ADMIN):
        cond |= Q(pk__in=actor.org_ids(Role.SITE_ADMIN))
    if actor.agency_ids:
        cond |= Q(in_program=True, city__agencies__in=actor.agency_ids)
    return cond


def school_list(*, actor: Actor, program_only: bool = True) -> QuerySet[School]:
    """Schools the actor may list (only those in the SRO program unless `program_only` is off)."""
    qs = School.objects.select_related("district", "city").filter(school_visibility(actor))
    if program_only:
        qs = qs.filter(in_program=True)
    return qs.distinct()


def school_get(*, actor: Actor, cds_code: str) -> School:
    try:
        return school_list(actor=actor, program_only=False).get(cds_code=cds_code)
    except School.DoesNotExist:
        raise NotFound("School") from None


def district_visibility(actor: Actor) -> Q:
    """A district: everyone holding a role in it (at a school of it, for site admins)."""
    return EVERYONE if actor.is_superuser else Q(pk__in=actor.district_ids)


def district_list(*, actor: Actor) -> QuerySet[District]:
    return District.objects.filter(district_visibility(actor))


def district_get(*, actor: Actor, pk: int) -> District:
    try:
        return district_list(actor=actor).get(pk=pk)
    except District.DoesNotExist:
        raise NotFound("District") from None


def agency_visibility(actor: Actor) -> Q:
    """Agencies are public bodies: everyone may see their names."""
    return EVERYONE


def agency_list(*, actor: Actor) -> QuerySet[LawEnforcementAgency]:
    return LawEnforcementAgency.objects.prefetch_related("cities").filter(agency_visibility(actor))


def agency_get(*, actor: Actor, pk: int) -> LawEnforcementAgency:
    try:
        return agency_list(actor=actor).get(pk=pk)
    except LawEnforcementAgency.DoesNotExist:
        raise NotFound("Agency") from None


def user_visibility(actor: Actor) -> Q:
    """People in the actor's own organisations (district admins and agency supervisors); oneself."""
    if actor.is_superuser:
        return EVERYONE
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        ids = actor.org_ids(Role.DISTRICT_ADMIN)
        cond |= Q(memberships__district_id__in=ids)
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(memberships__agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None:
        cond |= Q(pk=actor.user.pk)
    return cond


def user_list(*, actor: Actor) -> QuerySet[User]:
    return User.objects.filter(user_visibility(actor)).distinct()


def membership_visibility(actor: Actor) -> Q:
    """Every membership (role) of the people the actor may see."""
    return Q(user__in=User.objects.filter(user_visibility(actor)))


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    return Membership.objects.filter(membership_visibility(actor)).select_related(
        "user", "district", "school", "agency"
    )
