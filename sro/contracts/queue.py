"""What waits on the district administrator in contracts (see sro.core.queue): votes in the next
30 days, and votes whose meeting has passed with no result recorded."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.contracts.models import Vote
from sro.contracts.selectors import contract_list
from sro.core.queue import QueueItem, QueueSource, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

AHEAD = dt.timedelta(days=30)


def votes_coming(actor: Actor) -> list[QueueItem]:
    today = timezone.localdate()
    contracts = contract_list(actor=actor)
    if not actor.is_superuser:
        contracts = contracts.filter(district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    votes = (
        Vote.objects.filter(
            version__contract__in=contracts, outcome=Vote.Outcome.SCHEDULED, meeting__date__lte=today + AHEAD
        )
        .select_related("meeting__body", "version__contract")
        .order_by("meeting__date", "pk")
    )
    items = []
    for v in votes:
        day = formats.date_format(v.meeting.date, "DATE_FORMAT")
        past = v.meeting.date < today
        items.append(
            QueueItem(
                _("%(body)s on %(day)s: %(contract)s") % {"body": v.meeting.body.name, "day": day,
                                                           "contract": v.version.contract.title},
                reverse("contract_detail", args=[v.version.contract_id]) + "#votes-h",
                detail=_("The meeting has passed: record the result.") if past
                else _("Version %(n)s goes to the vote.") % {"n": v.version.number},
                overdue=past,
            )
        )  # fmt: skip
    return items


register(QueueSource("contracts.votes", gettext_lazy("Votes in the next 30 days"),
                     frozenset({Role.DISTRICT_ADMIN.value}), votes_coming, "contract_list", 40))  # fmt: skip
