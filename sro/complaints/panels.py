"""The complaints panel on the home page of a district administrator and an agency supervisor
(see sro.core.panels): how many complaints they see are open and overdue, and a link to the list."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.complaints.selectors import complaint_list
from sro.core.panels import Panel, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def complaints_summary(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    open_ = complaint_list(actor=actor).exclude(status="closed")
    return {"open": open_.count(), "overdue": complaint_list(actor=actor, overdue_only=True, today=today).count()}


register(Panel("complaints.summary", _("Complaints"), "complaints/panel.html",
               frozenset({Role.DISTRICT_ADMIN, Role.AGENCY_SUPERVISOR}), complaints_summary, 22))  # fmt: skip
