"""Who may do what with a contract's evaluation, survey and renewal (docs/roles.md)."""

from __future__ import annotations

from sro.contracts.models import Contract
from sro.orgs.actors import Actor
from sro.orgs.permissions import can_manage_agency, is_district_admin
from sro.orgs.roles import DISTRICT_ROLES


def can_manage_evaluation(actor: Actor, contract: Contract) -> bool:
    """Draft, edit and finalise the evaluation, open the survey, issue its links, propose the renewal:
    the district's administrator."""
    return is_district_admin(actor, contract.district_id)


def can_see_evaluation(actor: Actor, contract: Contract) -> bool:
    """The evaluation holds aggregated figures only: every district role, and the agency's supervisors."""
    if actor.is_superuser:
        return True
    district_side = any(contract.district_id in actor.org_ids(r) for r in DISTRICT_ROLES)
    return district_side or can_manage_agency(actor, contract.agency_id)
