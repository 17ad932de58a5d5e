"""What waits on the district administrator in community (see sro.core.queue): public comments
to moderate."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.community.selectors import moderation_queue
from sro.core.queue import QueueItem, QueueSource, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def comments_to_moderate(actor: Actor) -> list[QueueItem]:
    url = reverse("community:moderation")
    return [
        QueueItem(
            _("“%(comment)s”") % {"comment": Truncator(c.body).words(12)},
            f"{url}#comment-{c.pk}",
            detail=_("%(body)s, item %(number)s") % {"body": c.item.meeting.body.name, "number": c.item.number},
        )
        for c in moderation_queue(actor=actor)
    ]


register(
    QueueSource(
        key="community.moderation",
        title=gettext_lazy("Public comments to moderate"),
        roles=frozenset({Role.DISTRICT_ADMIN.value}),
        items=comments_to_moderate,
        list_url="community:moderation",
        order=50,
    )
)
