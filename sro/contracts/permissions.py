"""Who may do what to a contract. Who may see one: `contract_visibility` in the selectors."""

from __future__ import annotations

from sro.contracts.models import Body, Contract
from sro.orgs.actors import Actor
from sro.orgs.permissions import can_manage_agency, is_district_admin
from sro.orgs.roles import Role


def can_create_contract(actor: Actor, district_id: int | None = None) -> bool:
    """A district's administrator, for their district (any of theirs when `district_id` is None)."""
    if district_id is not None:
        return is_district_admin(actor, district_id)
    return actor.is_superuser or bool(actor.org_ids(Role.DISTRICT_ADMIN))


def can_manage_body(actor: Actor, *, kind: str, district_id: int | None) -> bool:
    """Bodies and their meetings: a school board by its district's administrator; a city council
    (the district records the councils of the cities it contracts with) by any district administrator."""
    if kind == Body.Kind.SCHOOL_BOARD and district_id is not None:
        return is_district_admin(actor, district_id)
    return can_create_contract(actor)


def can_manage_contract(actor: Actor, contract: Contract) -> bool:
    """District actions: create, transitions, votes."""
    return is_district_admin(actor, contract.district_id)


def can_propose_text(actor: Actor, contract: Contract) -> bool:
    """New versions: the district admin, or the agency's supervisor during negotiation."""
    return can_manage_contract(actor, contract) or can_manage_agency(actor, contract.agency_id)


def can_record_vote(actor: Actor, contract: Contract) -> bool:
    return can_manage_contract(actor, contract)
