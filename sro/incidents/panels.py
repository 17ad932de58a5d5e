"""The incidents side's home-page panels: an agency's open reviews, a site's incidents, an SRO's
recent contacts (see sro.core.panels; templates in sro/web/templates/web/panels/). What waits on the
district administrator (open reviews, overdue notifications) is in their queue: sro/incidents/queue.py."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.panels import Panel, register
from sro.incidents.policy import ROUTE_LABELS
from sro.incidents.selectors import contact_list, incident_list, notification_list, review_list
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def open_reviews(actor: Actor) -> dict[str, Any]:
    """The first five open reviews; the count is of the same query, and the rest are on the reviews page."""
    reviews = review_list(actor=actor, open_only=True).order_by("created_at", "pk")
    count = reviews.count()
    return {"reviews": list(reviews[:5]), "count": count, "more": max(0, count - 5)}


def site_incidents(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    incidents = list(incident_list(actor=actor)[:5])
    tasks = notification_list(actor=actor, open_only=True)
    return {
        "incidents": [(i, _(ROUTE_LABELS[i.route])) for i in incidents],
        "tasks": list(tasks[:5]),
        "task_count": tasks.count(),
        "today": today,
    }


def recent_contacts(actor: Actor) -> dict[str, Any]:
    contacts = contact_list(actor=actor)
    return {"contacts": list(contacts[:5]), "count": contacts.count()}


for panel in [
    Panel("incidents.open_reviews", _("Open boundary reviews"), "web/panels/reviews.html",
          frozenset({Role.AGENCY_SUPERVISOR}), open_reviews, 20),
    Panel("incidents.site", _("Incidents and notification tasks"), "web/panels/incidents.html",
          frozenset({Role.SITE_ADMIN}), site_incidents, 30),
    Panel("incidents.contacts", _("Your recent contacts"), "web/panels/contacts.html", frozenset({Role.SRO}),
          recent_contacts, 35),
]:  # fmt: skip
    register(panel)
