"""Plain predicates: may this actor do this? No queries beyond the actor's own memberships.

Who may *see* what is not here: each entity's visibility rule lives once, as a `Q`, beside its
list in the app's selectors (`district_visibility`, ...).
"""

from __future__ import annotations

from sro.orgs.actors import Actor
from sro.orgs.models import District, LawEnforcementAgency, School
from sro.orgs.roles import Role


def is_district_admin(actor: Actor, district: District | int) -> bool:
    did = district if isinstance(district, int) else district.pk
    return actor.is_superuser or did in actor.org_ids(Role.DISTRICT_ADMIN)


def can_manage_agency(actor: Actor, agency: LawEnforcementAgency | int) -> bool:
    aid = agency if isinstance(agency, int) else agency.pk
    return actor.is_superuser or aid in actor.org_ids(Role.AGENCY_SUPERVISOR)


def can_see_student_records_at(actor: Actor, school: School) -> bool:
    """School discipline records with student details: the school's staff and district admins.

    Police roles never qualify here; incidents routed to law enforcement have their
    own rule in the incidents app.
    """
    if actor.is_superuser or is_district_admin(actor, school.district_id):
        return True
    return school.pk in actor.org_ids(Role.SITE_ADMIN)


def can_manage_memberships(actor: Actor, *, district_id: int | None, agency_id: int | None) -> bool:
    if actor.is_superuser:
        return True
    if district_id is not None:
        return is_district_admin(actor, district_id)
    if agency_id is not None:
        return can_manage_agency(actor, agency_id)
    return False
