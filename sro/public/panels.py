"""The campus status board panel on the home page: the deployment gate's answer for each campus
(see sro.core.panels)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.panels import Panel, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role
from sro.orgs.selectors import school_list
from sro.public.program import campus_answer

DISTRICT_SIDE = frozenset({Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST})


def campus_board(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    answers = [campus_answer(s, today) for s in school_list(actor=actor).order_by("name")]
    return {"answers": answers, "today": today, "deployable": sum(1 for a in answers if a.answer.may_deploy)}


register(
    Panel("contracts.campus_board", _("Campus status board"), "web/panels/campus_board.html", DISTRICT_SIDE,
          campus_board, 10)
)  # fmt: skip
