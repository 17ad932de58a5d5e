"""Reads for agenda items and comments, scoped to the actor.

The public sees agenda items of every contract it may see (all but drafts) and only
published comments; moderators see their district's comments in every status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sro.community.models import AgendaItem, CommentStatus, PublicComment
from sro.community.services import comments_accepted
from sro.contracts.models import Contract, Vote
from sro.contracts.selectors import contract_visibility
from sro.core.errors import NotFound
from sro.core.visibility import EVERYONE
from sro.orgs.actors import Actor
from sro.orgs.roles import Role


def agenda_item_visibility(actor: Actor) -> Q:
    """An agenda item is seen by whoever sees its contract (the public: every contract but drafts)."""
    return Q(version__contract__in=Contract.objects.filter(contract_visibility(actor)))


def agenda_item_list(
    *, actor: Actor, contract: Contract | None = None, since: dt.date | None = None
) -> QuerySet[AgendaItem]:
    """Items of contracts the actor may see, each with `published_comments` and `pending_count`."""
    qs = (
        AgendaItem.objects.filter(agenda_item_visibility(actor))
        .select_related("meeting__body", "version__contract", "vote")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=PublicComment.objects.filter(status=CommentStatus.PUBLISHED).order_by("created_at", "pk"),
                to_attr="published_comments",
            )
        )
        .annotate(pending_count=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)))
        .order_by("meeting__date", "number", "pk")
    )
    if contract is not None:
        qs = qs.filter(version__contract=contract)
    if since is not None:
        qs = qs.filter(meeting__date__gte=since)
    return qs


def agenda_item_get(*, actor: Actor, pk: int) -> AgendaItem:
    try:
        return agenda_item_list(actor=actor).get(pk=pk)
    except (AgendaItem.DoesNotExist, ValueError):
        raise NotFound("Agenda item") from None


def item_vote(item: AgendaItem) -> Vote | None:
    """The item's vote: the linked one, or the meeting's vote on the version scheduled since."""
    return item.vote or Vote.objects.filter(meeting_id=item.meeting_id, version_id=item.version_id).first()


@dataclass(frozen=True)
class ItemView:
    item: AgendaItem
    vote: Vote | None
    accepts_comments: bool


def agenda_for_contract(*, actor: Actor, contract: Contract, today: dt.date | None = None) -> list[ItemView]:
    today = today or timezone.localdate()
    return [
        ItemView(i, item_vote(i), comments_accepted(i, today=today))
        for i in agenda_item_list(actor=actor, contract=contract)
    ]


def moderation_visibility(actor: Actor) -> Q:
    """Comments in every status (pending and rejected too): the district admins of the contract's
    district, who moderate them. Everyone else sees only published comments, on agenda items."""
    if actor.is_superuser:
        return EVERYONE
    return Q(item__version__contract__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))


def moderation_queue(*, actor: Actor, status: str = CommentStatus.PENDING) -> QuerySet[PublicComment]:
    """Comments on the actor's district's agenda items (none for roles that do not moderate)."""
    qs = PublicComment.objects.filter(moderation_visibility(actor)).select_related(
        "item__meeting__body", "item__version__contract", "moderated_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk")


def comment_get_for_moderation(*, actor: Actor, pk: int) -> PublicComment:
    try:
        return moderation_queue(actor=actor, status="").get(pk=pk)
    except (PublicComment.DoesNotExist, ValueError):
        raise NotFound("Comment") from None
