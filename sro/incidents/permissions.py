"""Plain predicates: may this actor do this? Only the actor's memberships and the objects given."""

from __future__ import annotations

from collections.abc import Iterable

from sro.orgs.actors import Actor
from sro.orgs.models import School
from sro.orgs.permissions import can_see_student_records_at, is_district_admin
from sro.orgs.roles import Role


def can_record_incident(actor: Actor, school: School) -> bool:
    """Site staff of the school, or a district admin of its district."""
    return can_see_student_records_at(actor, school)


def police_serves(actor: Actor, serving_agency_ids: Iterable[int]) -> bool:
    """An SRO or agency supervisor of an agency that serves the school's city."""
    mine = actor.org_ids(Role.SRO) | actor.org_ids(Role.AGENCY_SUPERVISOR)
    return bool(mine & set(serving_agency_ids))


def can_see_incident(
    actor: Actor, school: School, *, routed_to_law_enforcement: bool, serving_agency_ids: Iterable[int]
) -> bool:
    """Student details: school staff and district admins always; police only when routed to them."""
    if can_see_student_records_at(actor, school):
        return True
    return routed_to_law_enforcement and police_serves(actor, serving_agency_ids)


def can_record_contact(actor: Actor) -> bool:
    return bool(actor.org_ids(Role.SRO))


def can_see_contact(actor: Actor, *, officer_id: int, agency_id: int, district_id: int) -> bool:
    if actor.is_superuser or is_district_admin(actor, district_id):
        return True
    if agency_id in actor.org_ids(Role.AGENCY_SUPERVISOR):
        return True
    return actor.user is not None and actor.user.pk == officer_id


def can_see_review(actor: Actor, *, officer_id: int, agency_id: int, district_id: int) -> bool:
    return can_see_contact(actor, officer_id=officer_id, agency_id=agency_id, district_id=district_id)


# Who may take each review step: the district decides; the agency supervisor opens the review.
REVIEW_ACTORS: dict[str, frozenset[str]] = {
    "start_review": frozenset({Role.DISTRICT_ADMIN, Role.AGENCY_SUPERVISOR}),
    "substantiate": frozenset({Role.DISTRICT_ADMIN}),
    "find_unfounded": frozenset({Role.DISTRICT_ADMIN}),
    "justify_emergency": frozenset({Role.DISTRICT_ADMIN}),
    "reopen": frozenset({Role.DISTRICT_ADMIN}),
}


def can_act_on_review(actor: Actor, action: str, *, agency_id: int, district_id: int) -> bool:
    if actor.is_superuser:
        return True
    roles = REVIEW_ACTORS.get(action, frozenset())
    if Role.DISTRICT_ADMIN in roles and is_district_admin(actor, district_id):
        return True
    return Role.AGENCY_SUPERVISOR in roles and agency_id in actor.org_ids(Role.AGENCY_SUPERVISOR)
