"""Plain predicates: may this actor do this? Who may *see* a report is in the selectors."""

from __future__ import annotations

from collections.abc import Iterable

from sro.orgs.actors import Actor
from sro.orgs.permissions import can_manage_agency
from sro.orgs.roles import Role


def can_file_report(actor: Actor) -> bool:
    """An SRO files their own reports (the agency is their SRO membership's)."""
    return actor.user is not None and bool(actor.org_ids(Role.SRO))


def can_review_report(actor: Actor, agency_id: int) -> bool:
    """The supervisor's review: the agency supervisor of the officer's agency."""
    return can_manage_agency(actor, agency_id)


def can_record_ursus(actor: Actor, *, officer_id: int, agency_id: int) -> bool:
    """The URSUS elements: the officer who filed, or their supervisor (the agency files with the DOJ)."""
    mine = actor.user is not None and actor.user.pk == officer_id and bool(actor.org_ids(Role.SRO))
    return mine or can_manage_agency(actor, agency_id)


def is_district_admin_of_any(actor: Actor, district_ids: Iterable[int]) -> bool:
    return actor.is_superuser or bool(set(district_ids) & actor.org_ids(Role.DISTRICT_ADMIN))


def can_see_officer_record(
    actor: Actor, *, officer_user_id: int | None, agency_id: int, district_ids: Iterable[int]
) -> bool:
    """The whole record: the district admins of the districts the agency serves, the agency's
    supervisors, and the officer (their own, without who complained)."""
    if is_district_admin_of_any(actor, district_ids) or can_manage_agency(actor, agency_id):
        return True
    return officer_user_id is not None and actor.user is not None and actor.user.pk == officer_user_id


def joint_review_side(actor: Actor, *, agency_id: int, district_ids: Iterable[int]) -> str:
    """Which side of a joint review this actor signs for: "district", "agency" or "" (neither)."""
    if is_district_admin_of_any(actor, district_ids):
        return "district"
    if can_manage_agency(actor, agency_id):
        return "agency"
    return ""
