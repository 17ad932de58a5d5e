"""Home-page panels: each role's signed-in home page shows that role's work.

The registry lives here, in core, so every app can add a panel without importing the site
shell; `sro.web.dashboard` renders the registered panels on the home page.

A panel is a template with a context function. Apps register their panels when Django starts,
from their AppConfig.ready(), so the home page needs no knowledge of them::

    # sro/staffing/apps.py
    class StaffingConfig(AppConfig):
        def ready(self) -> None:
            from sro.staffing import panels  # noqa: F401 - registers the staffing panels

    # sro/staffing/panels.py
    from django.utils.translation import gettext_lazy as _
    from sro.core.panels import Panel, register

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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.functional import Promise


class Viewer(Protocol):
    """What the registry needs of the reader (`sro.orgs.actors.Actor` is one)."""

    @property
    def roles(self) -> frozenset[str]: ...

    @property
    def is_superuser(self) -> bool: ...


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    template: str
    roles: frozenset[str]
    context: Callable[[Any], dict[str, Any] | None]  # takes the sro.orgs.actors.Actor
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """Add (or replace, by key) a panel. Call at import time of the app's panels module."""
    _PANELS[panel.key] = panel
    return panel


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(actor: Viewer) -> list[Panel]:
    """The panels the actor's roles see, in order."""
    return [p for p in registered() if actor.is_superuser or (actor.roles & p.roles)]
