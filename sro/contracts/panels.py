"""The contracts side's home-page panel: votes coming and held, and the board report (see sro.core.panels)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.contracts.models import Vote
from sro.contracts.selectors import contract_list
from sro.core.panels import Panel, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

SHOWN = 5


def votes_and_report(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    votes = Vote.objects.filter(
        version__contract__in=contract_list(actor=actor).filter(district_id__in=actor.district_ids)
    ).select_related("meeting__body", "version__contract")
    coming = votes.filter(outcome=Vote.Outcome.SCHEDULED, meeting__date__gte=today).order_by("meeting__date", "pk")
    held = votes.exclude(outcome=Vote.Outcome.SCHEDULED).order_by("-meeting__date", "-pk")
    coming_count, held_count = coming.count(), held.count()
    return {
        "votes": list(coming[:SHOWN]),
        "votes_more": max(0, coming_count - SHOWN),
        "held": list(held[:SHOWN]),
        "held_count": held_count,
        "held_more": max(0, held_count - SHOWN),
        "today": today,
    }


register(
    Panel("contracts.votes", _("Coming votes and the board report"), "web/panels/votes.html",
          frozenset({Role.BOARD_MEMBER, Role.SUPERINTENDENT, Role.DISTRICT_ADMIN}), votes_and_report, 50)
)  # fmt: skip
