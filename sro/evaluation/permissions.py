"""Who may do what with a contract's evaluation, survey and renewal (docs/roles.md)."""

from __future__ import annotations

from sro.contracts.models import Contract
from sro.orgs.actors import Actor
from sro.orgs.permissions import can_manage_agency, is_district_admin
from sro.orgs.roles import DISTRICT_ROLES, Role


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


def can_list_evaluations(actor: Actor) -> bool:
    """The evaluations page: every district role and the agencies' supervisors, whether or not an
    agreement of theirs has an evaluation yet (site administrators and SROs: not found)."""
    readers = {r.value for r in DISTRICT_ROLES} | {Role.AGENCY_SUPERVISOR.value}
    return actor.is_superuser or bool(actor.roles & readers)
