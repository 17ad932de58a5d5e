"""The work queue: everything waiting on a person, gathered from every app ("Waiting for you").

The registry lives here, in core, so each app adds what waits in it without the site shell
importing the app; `sro.web` renders the queue on the home page (its top) and at /queue/ (all of it).

A source is a function from the actor to the complete list of items waiting on them, read
through the app's selectors. The count shown for a group is the length of that same list,
so a count and its list can never disagree; where the home page shows only the first few
items it says how many more there are and links to the rest. Apps register their sources
from their AppConfig.ready(), the way panels are registered (`sro.core.panels`)::

    # sro/incidents/apps.py, in ready()
    from sro.incidents import queue  # noqa: F401 - registers the incidents' queue sources

    # sro/incidents/queue.py
    def _open_reviews(actor: Actor) -> list[QueueItem]:
        return [QueueItem(_("Review %(n)s") % {"n": r.pk}, reverse("incidents:review", args=[r.pk]),
                          detail=str(r.school)) for r in review_list(actor=actor, open_only=True)]

    register(QueueSource(
        key="incidents.reviews",                 # unique; registering the same key again replaces it
        title=_("Open boundary reviews"),        # the group's heading (translatable)
        roles=frozenset({Role.DISTRICT_ADMIN}),  # roles whose queue holds it (superusers: every source)
        items=_open_reviews,                     # actor -> every item waiting, in the order to act on them
        list_url="incidents:reviews",            # URL name of the page listing them all ("" for none)
        order=20,                                # lower comes first
    ))

A source that raises is logged, and its group says that it could not be read (never "none waiting").
Existing orders: 10 training to confirm, 15 panels to score, 20 boundary reviews, 25 overdue
notifications, 30 staffing problems, 40 votes within 30 days, 45 contracts ending (renewal
reminders), 50 comments to moderate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from sro.core.panels import Viewer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueItem:
    text: str  # what waits, in words ("Review 12", "Confirm Crisis intervention for J. Flores")
    url: str  # where it is acted on
    detail: str = ""  # the rest, after a dash: campus, person, date
    overdue: bool = False  # marked "overdue" beside it


@dataclass(frozen=True)
class QueueSource:
    key: str
    title: str | Promise
    roles: frozenset[str]
    items: Callable[[Any], list[QueueItem]]  # takes the sro.orgs.actors.Actor
    list_url: str = ""  # URL name of the page where they are all listed and acted on
    order: int = 100


@dataclass(frozen=True)
class QueueGroup:
    key: str
    title: str
    items: list[QueueItem]
    list_url: str
    failed: bool = False  # the source raised: the group says so rather than showing nothing

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def anchor(self) -> str:
        return "queue-" + self.key.replace(".", "-")


_SOURCES: dict[str, QueueSource] = {}


def register(source: QueueSource) -> QueueSource:
    """Add (or replace, by key) a queue source. Call at import time of the app's queue module."""
    _SOURCES[source.key] = source
    return source


def registered() -> list[QueueSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def sources_for(actor: Viewer) -> list[QueueSource]:
    """The sources of the actor's queue, in order (none: the actor has no queue)."""
    return [s for s in registered() if actor.is_superuser or (actor.roles & s.roles)]


def has_queue(actor: Viewer) -> bool:
    return bool(sources_for(actor))


def queue_for(actor: Viewer) -> list[QueueGroup]:
    """Every group of the actor's queue, each with its complete list (empty groups included)."""
    groups: list[QueueGroup] = []
    for source in sources_for(actor):
        try:
            items = list(source.items(actor))
        except Exception:
            logger.exception("queue source %s failed", source.key)
            groups.append(QueueGroup(source.key, str(source.title), [], source.list_url, failed=True))
            continue
        groups.append(QueueGroup(source.key, str(source.title), items, source.list_url))
    return groups
