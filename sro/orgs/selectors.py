"""Reads, always scoped to the actor. `*_get` helpers answer NotFound alike for missing and hidden."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sro.core.errors import NotFound
from sro.orgs.actors import Actor
from sro.orgs.models import District, LawEnforcementAgency, Membership, School, User
from sro.orgs.roles import Role


def school_list(*, actor: Actor, program_only: bool = True) -> QuerySet[School]:
    """Schools the actor may list.

    District roles see their district's schools; site admins their own schools;
    police roles the program campuses in the cities their agency serves; the public
    the program campuses of every district.
    """
    qs = School.objects.select_related("district", "city")
    if program_only:
        qs = qs.filter(in_program=True)
    if actor.is_superuser:
        return qs
    if actor.is_public:
        return qs.filter(in_program=True)
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
    return qs.filter(cond).distinct()


def school_get(*, actor: Actor, cds_code: str) -> School:
    try:
        return school_list(actor=actor, program_only=False).get(cds_code=cds_code)
    except School.DoesNotExist:
        raise NotFound("School") from None


def district_list(*, actor: Actor) -> QuerySet[District]:
    if actor.is_superuser:
        return District.objects.all()
    return District.objects.filter(pk__in=actor.district_ids)


def district_get(*, actor: Actor, pk: int) -> District:
    try:
        return district_list(actor=actor).get(pk=pk)
    except District.DoesNotExist:
        raise NotFound("District") from None


def agency_list(*, actor: Actor) -> QuerySet[LawEnforcementAgency]:
    """Agencies are public bodies: everyone may see their names."""
    return LawEnforcementAgency.objects.prefetch_related("cities").all()


def agency_get(*, actor: Actor, pk: int) -> LawEnforcementAgency:
    try:
        return agency_list(actor=actor).get(pk=pk)
    except LawEnforcementAgency.DoesNotExist:
        raise NotFound("Agency") from None


def user_list(*, actor: Actor) -> QuerySet[User]:
    """People in the actor's own organisations (district admins and agency supervisors)."""
    if actor.is_superuser:
        return User.objects.all()
    cond = Q(pk__in=[])
    if actor.org_ids(Role.DISTRICT_ADMIN):
        ids = actor.org_ids(Role.DISTRICT_ADMIN)
        cond |= Q(memberships__district_id__in=ids)
    if actor.org_ids(Role.AGENCY_SUPERVISOR):
        cond |= Q(memberships__agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    if actor.user is not None:
        cond |= Q(pk=actor.user.pk)
    return User.objects.filter(cond).distinct()


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    return Membership.objects.filter(user__in=user_list(actor=actor)).select_related(
        "user", "district", "school", "agency"
    )
