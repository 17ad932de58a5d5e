"""Home-page panels, rendered: the panels the reader's roles see (registered in `sro.core.panels`,
where the docstring says how an app adds one), each rendered with its context function.

A panel whose context function raises is left out and the error logged: one broken panel does
not take the home page down.

The work queue (`sro.core.queue`: what waits on the reader, from every app) is a panel too,
"Waiting for you", first on the home page of every role that has a queue; it shows the first
few items of each group and says how many more wait, linking to /queue/ where all are listed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from sro.core.panels import Panel, panels_for, register
from sro.core.queue import has_queue, queue_for
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

logger = logging.getLogger(__name__)

QUEUE_TOP = 3  # items of each group on the home page; the rest on /queue/


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    title: str
    html: SafeString


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


def waiting_for_you(actor: Actor) -> dict[str, Any] | None:
    if not has_queue(actor):
        return None
    groups = queue_for(actor)
    return {
        "groups": [(g, g.items[:QUEUE_TOP], g.count - min(g.count, QUEUE_TOP)) for g in groups],
        "empty": [g.title for g in groups if not g.count and not g.failed],
        "total": sum(g.count for g in groups),
    }


register(
    Panel(
        key="web.queue",
        title=_("Waiting for you"),
        template="web/panels/queue.html",
        roles=frozenset(Role.values),  # every role whose queue has a source (see `waiting_for_you`)
        context=waiting_for_you,
        order=5,
    )
)
