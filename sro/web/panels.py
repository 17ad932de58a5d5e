"""The home-page panels for contracts, votes, reviews, incidents and contacts (see sro.web.dashboard)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.contracts.models import Vote
from sro.contracts.selectors import contract_list
from sro.incidents.policy import ROUTE_LABELS
from sro.incidents.selectors import contact_list, incident_list, notification_list, review_list
from sro.orgs.actors import Actor
from sro.orgs.roles import Role
from sro.orgs.selectors import school_list
from sro.public.program import campus_answer
from sro.web.dashboard import Panel, register

DISTRICT_SIDE = frozenset({Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST})


def campus_board(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    answers = [campus_answer(s, today) for s in school_list(actor=actor).order_by("name")]
    return {"answers": answers, "today": today, "deployable": sum(1 for a in answers if a.answer.may_deploy)}


def open_reviews(actor: Actor) -> dict[str, Any]:
    reviews = review_list(actor=actor, open_only=True).order_by("created_at")
    return {"reviews": list(reviews[:5]), "count": reviews.count()}


def overdue_notifications(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    tasks = notification_list(actor=actor, open_only=True).filter(due_on__lt=today)
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


def votes_and_report(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    votes = (
        Vote.objects.filter(
            version__contract__in=contract_list(actor=actor).filter(district_id__in=actor.district_ids),
            outcome=Vote.Outcome.SCHEDULED,
            meeting__date__gte=today,
        )
        .select_related("meeting__body", "version__contract")
        .order_by("meeting__date", "pk")
    )
    return {"votes": list(votes[:8]), "today": today}


for panel in [
    Panel("contracts.campus_board", _("Campus status board"), "web/panels/campus_board.html", DISTRICT_SIDE,
          campus_board, 10),
    Panel("incidents.open_reviews", _("Open boundary reviews"), "web/panels/reviews.html",
          frozenset({Role.DISTRICT_ADMIN, Role.AGENCY_SUPERVISOR}), open_reviews, 20),
    Panel("incidents.overdue", _("Overdue notifications of law enforcement"), "web/panels/overdue.html",
          frozenset({Role.DISTRICT_ADMIN}), overdue_notifications, 25),
    Panel("incidents.site", _("Incidents and notification tasks"), "web/panels/incidents.html",
          frozenset({Role.SITE_ADMIN}), site_incidents, 30),
    Panel("incidents.contacts", _("Your recent contacts"), "web/panels/contacts.html", frozenset({Role.SRO}),
          recent_contacts, 35),
    Panel("contracts.votes", _("Coming votes and the board report"), "web/panels/votes.html",
          frozenset({Role.BOARD_MEMBER, Role.SUPERINTENDENT, Role.DISTRICT_ADMIN}), votes_and_report, 50),
]:  # fmt: skip
    register(panel)
