"""Staffing panels on the home page: notices, the agency's roster, panels to score, an SRO's own record."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.panels import Panel, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role
from sro.staffing.models import Panel as SelectionPanel
from sro.staffing.selectors import notice_list, officer_list, panel_list
from sro.staffing.training import officer_training


def _notices(actor: Actor) -> dict[str, Any] | None:
    unread = notice_list(actor=actor, unread_only=True)
    if not unread.exists():
        return None
    return {"notices": list(unread[:10]), "unread_count": unread.count()}


def _roster(actor: Actor) -> dict[str, Any]:
    officers = officer_list(actor=actor).filter(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    return {"officers": list(officers.exclude(status="inactive")[:20])}


def _to_score(actor: Actor) -> dict[str, Any] | None:
    if actor.user is None:
        return None
    waiting = (
        panel_list(actor=actor)
        .filter(status=SelectionPanel.Status.OPEN, members__user_id=actor.user.pk, members__scoresheet__isnull=True)
        .distinct()
    )
    return {"panels": list(waiting[:10])} if waiting.exists() else None


def _my_record(actor: Actor) -> dict[str, Any] | None:
    if actor.user is None:
        return None
    officer = officer_list(actor=actor).filter(user_id=actor.user.pk).first()
    if officer is None:
        return None
    today = timezone.localdate()
    current = officer.assignments.filter(start_date__lte=today, end_date__gte=today).select_related("school").first()
    return {"officer": officer, "current": current, "states": officer_training(officer, today)}


SUPERVISORS = frozenset({Role.AGENCY_SUPERVISOR.value})
register(
    Panel(
        key="staffing.notices",
        title=_("Staffing notices"),
        template="staffing/panels/notices.html",
        roles=frozenset({Role.DISTRICT_ADMIN.value, Role.AGENCY_SUPERVISOR.value}),
        context=_notices,
        order=40,
    )
)
register(
    Panel(
        key="staffing.to_score",
        title=_("Candidates waiting for your scores"),
        template="staffing/panels/to_score.html",
        # The district administrator's panels to score are in their queue (sro/staffing/queue.py).
        roles=frozenset({Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST, *SUPERVISORS}),
        context=_to_score,
        order=41,
    )
)
register(
    Panel(
        key="staffing.roster",
        title=_("Your agency's officers"),
        template="staffing/panels/roster.html",
        roles=SUPERVISORS,
        context=_roster,
        order=42,
    )
)
register(
    Panel(
        key="staffing.my_record",
        title=_("Your assignment and training"),
        template="staffing/panels/my_record.html",
        roles=frozenset({Role.SRO.value}),
        context=_my_record,
        order=43,
    )
)
