"""What waits on the contract's owners in the evaluation (see sro.core.queue): a term that ends in
120, 60 or 30 days, until the reminder is marked read."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.core.queue import QueueItem, QueueSource, register
from sro.evaluation.selectors import days_left, reminders_unread
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def renewals_due(actor: Actor) -> list[QueueItem]:
    today = timezone.localdate()
    items = []
    for r in reminders_unread(actor=actor).order_by("term_end", "pk"):
        left = days_left(r, today)
        items.append(
            QueueItem(
                _("%(contract)s ends on %(day)s") % {"contract": r.contract.title,
                                                      "day": formats.date_format(r.term_end, "DATE_FORMAT")},
                reverse("evaluation:contract", args=[r.contract_id]),
                detail=_("%(n)s days left: evaluate the year and decide on renewal.") % {"n": left},
                overdue=left <= 30,
            )
        )  # fmt: skip
    return items


register(QueueSource("evaluation.renewals", gettext_lazy("Contracts ending: evaluation and renewal"),
                     frozenset({Role.DISTRICT_ADMIN.value, Role.AGENCY_SUPERVISOR.value}), renewals_due,
                     "evaluation:index", 45))  # fmt: skip
