"""Home-page panels, rendered: the panels the reader's roles see (registered in `sro.core.panels`,
where the docstring says how an app adds one), each rendered with its context function.

A panel whose context function raises is left out and the error logged: one broken panel does
not take the home page down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from sro.core.panels import panels_for
from sro.orgs.actors import Actor

logger = logging.getLogger(__name__)


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
