"""The comment-moderation panel on a district administrator's home page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sro.community.selectors import moderation_queue
from sro.core.panels import Panel, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def _queue(actor: Actor) -> dict[str, Any]:
    pending = moderation_queue(actor=actor)
    return {"pending": list(pending[:5]), "pending_count": pending.count()}


register(
    Panel(
        key="community.moderation",
        title=_("Public comments to moderate"),
        template="community/panels/moderation.html",
        roles=frozenset({Role.DISTRICT_ADMIN}),
        context=_queue,
        order=60,
    )
)
