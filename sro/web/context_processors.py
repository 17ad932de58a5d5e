from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sro.orgs.actors import actor_for


def roles(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(getattr(request, "user", None))
    return {"actor": actor, "actor_roles": sorted(actor.roles)}
