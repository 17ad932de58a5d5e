"""Home-page panels: each role's signed-in home page shows that role's work.

A panel is a template with a context function. Apps register their panels when Django starts,
from their AppConfig.ready(), so the home page needs no knowledge of them::

    # sro/staffing/apps.py
    class StaffingConfig(AppConfig):
        def ready(self) -> None:
            from sro.staffing import panels  # noqa: F401 - registers the staffing panels

    # sro/staffing/panels.py
    from django.utils.translation import gettext_lazy as _
    from sro.web.dashboard import Panel, register

    def _roster(actor: Actor) -> dict[str, Any]:
        return {"officers": officer_list(actor=actor)}      # a selector, scoped to the actor

    register(Panel(
        key="staffing.roster",                   # unique; registering the same key again replaces it
        title=_("Your agency's officers"),       # the section heading (translatable)
        template="staffing/panels/roster.html",  # rendered with the context below plus `panel`
        roles=frozenset({"agency_supervisor"}),  # roles that see it (superusers see every panel)
        context=_roster,                         # actor -> dict; return None to hide the panel
        order=40,                                # lower comes first
    ))

Context functions take the `sro.orgs.actors.Actor` and must read through the app's selectors,
so a panel never shows more than the role may see. A panel whose context function raises is
left out and the error logged: one broken panel does not take the home page down.
Existing orders: 10 campus board, 20 reviews, 30 incidents and notifications, 35 contacts,
40-49 free for staffing, 50 votes and report, 60 comment moderation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from sro.orgs.actors import Actor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    template: str
    roles: frozenset[str]
    context: Callable[[Actor], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    title: str
    html: SafeString


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """Add (or replace, by key) a panel. Call at import time of the app's panels module."""
    _PANELS[panel.key] = panel
    return panel


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(actor: Actor) -> list[Panel]:
    """The panels the actor's roles see, in order."""
    return [p for p in registered() if actor.is_superuser or (actor.roles & p.roles)]


def render_panels(request: HttpRequest, actor: Actor) -> list[RenderedPanel]:
    out: list[RenderedPanel] = []
    for panel in panels_for(actor):
        try:
            ctx = panel.context(actor)
            if ctx is None:
                continue
            html = render_to_string(panel.template, {**ctx, "panel": panel}, request=request)
        except Exception:
            logger.exception("dashboard panel %s failed", panel.key)
            continue
        out.append(RenderedPanel(panel.key, str(panel.title), SafeString(html)))
    return out
