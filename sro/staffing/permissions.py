"""Who may do what in staffing. Plain predicates over the actor's memberships and the ids given.

Who may see an officer, a panel, an assignment or a notice: `*_visibility` in the selectors.
"""

from __future__ import annotations

from collections.abc import Iterable

from sro.contracts.models import Contract
from sro.orgs.actors import Actor
from sro.orgs.permissions import can_manage_agency, is_district_admin
from sro.orgs.roles import Role

# District roles that may see the officers nominated or assigned under their district's contracts.
DISTRICT_VIEWERS = (Role.DISTRICT_ADMIN, Role.SUPERINTENDENT)


def can_manage_officers(actor: Actor, agency_id: int) -> bool:
    """Officer records, nominations and training entries: the agency's supervisor."""
    return can_manage_agency(actor, agency_id)


def can_nominate(actor: Actor, contract: Contract) -> bool:
    return can_manage_agency(actor, contract.agency_id)


def can_convene_panel(actor: Actor, contract: Contract) -> bool:
    """Either side may convene the panel; the panel itself must hold both sides."""
    return is_district_admin(actor, contract.district_id) or can_manage_agency(actor, contract.agency_id)


def can_set_required_training(actor: Actor, contract: Contract) -> bool:
    return is_district_admin(actor, contract.district_id)


def can_confirm_training(actor: Actor, district_ids: Iterable[int]) -> bool:
    """The district admin of a district whose contracts the officer's agency holds."""
    return any(is_district_admin(actor, d) for d in district_ids)


def can_assign(actor: Actor, contract: Contract) -> bool:
    """The agency posts its officer; the district admin may record it as well."""
    return is_district_admin(actor, contract.district_id) or can_manage_agency(actor, contract.agency_id)
