"""Who may manage agenda items and moderate comments: the district's administrators."""

from __future__ import annotations

from sro.community.models import AgendaItem
from sro.contracts.models import Contract
from sro.orgs.actors import Actor
from sro.orgs.permissions import is_district_admin


def can_manage_agenda(actor: Actor, contract: Contract) -> bool:
    """Add agenda items for a contract's council and board meetings, open or close their comments."""
    return is_district_admin(actor, contract.district_id)


def can_moderate(actor: Actor, item: AgendaItem) -> bool:
    """Publish or reject comments on an item of the actor's district's contracts."""
    return is_district_admin(actor, item.version.contract.district_id)
