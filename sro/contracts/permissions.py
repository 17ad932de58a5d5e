"""Who may do what to a contract. Who may see one: `contract_visibility` in the selectors."""

from __future__ import annotations

from sro.contracts.models import Contract
from sro.orgs.actors import Actor
from sro.orgs.permissions import can_manage_agency, is_district_admin


def can_manage_contract(actor: Actor, contract: Contract) -> bool:
    """District actions: create, transitions, votes."""
    return is_district_admin(actor, contract.district_id)


def can_propose_text(actor: Actor, contract: Contract) -> bool:
    """New versions: the district admin, or the agency's supervisor during negotiation."""
    return can_manage_contract(actor, contract) or can_manage_agency(actor, contract.agency_id)


def can_record_vote(actor: Actor, contract: Contract) -> bool:
    return can_manage_contract(actor, contract)
