"""The incidents side's home-page panels: open reviews, overdue notifications, a site's incidents,
an SRO's recent contacts (see sro.core.panels; templates in sro/web/templates/web/panels/)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.panels import Panel, register
from sro.incidents.models import NotificationTask
from sro.incidents.policy import ROUTE_LABELS
from sro.incidents.selectors import contact_list, incident_list, notification_list, review_list
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def open_reviews(actor: Actor) -> dict[str, Any]:
    reviews = review_list(actor=actor, open_only=True).order_by("created_at")
    return {"reviews": list(reviews[:5]), "count": reviews.count()}


def overdue_notifications(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    tasks = notification_list(actor=actor, open_only=True).filter(NotificationTask.overdue_q(today))
    return {"tasks": list(tasks[:5]), "count": tasks.count(), "today": today}


def site_incidents(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    incidents = list(incident_list(actor=actor)[:5])
    tasks = notification_list(actor=actor, open_only=True)
    return {
        "incidents": [(i, ROUTE_LABELS[i.route]) for i in incidents],
        "tasks": list(tasks[:5]),
        "task_count": tasks.count(),
        "today": today,
    }


def recent_contacts(actor: Actor) -> dict[str, Any]:
    contacts = contact_list(actor=actor)
    return {"contacts": list(contacts[:5]), "count": contacts.count()}


for panel in [
    Panel("incidents.open_reviews", _("Open boundary reviews"), "web/panels/reviews.html",
          frozenset({Role.DISTRICT_ADMIN, Role.AGENCY_SUPERVISOR}), open_reviews, 20),
    Panel("incidents.overdue", _("Overdue notifications of law enforcement"), "web/panels/overdue.html",
          frozenset({Role.DISTRICT_ADMIN}), overdue_notifications, 25),
    Panel("incidents.site", _("Incidents and notification tasks"), "web/panels/incidents.html",
          frozenset({Role.SITE_ADMIN}), site_incidents, 30),
    Panel("incidents.contacts", _("Your recent contacts"), "web/panels/contacts.html", frozenset({Role.SRO}),
          recent_contacts, 35),
]:  # fmt: skip
    register(panel)
