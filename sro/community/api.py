"""REST endpoints: agenda items with their published comments (public), comments, moderation."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from sro.community.models import AgendaItem, CommentStatus, Language, PublicComment
from sro.community.selectors import (
    agenda_item_get,
    agenda_item_list,
    comment_get_for_moderation,
    item_vote,
    moderation_queue,
)
from sro.community.services import agenda_item_create, comment_moderate, comment_submit, comments_accepted
from sro.contracts.models import ContractVersion, Meeting
from sro.contracts.selectors import contract_get
from sro.core.api import ErrorOut
from sro.core.clientip import client_ip
from sro.core.errors import InvalidInput
from sro.orgs.auth import AUTH, AUTH_OR_PUBLIC, request_actor

router = Router(tags=["community"], auth=AUTH)
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class CommentOut(Schema):
    id: int
    name: str
    neighbourhood: str
    language: str
    body: str
    received: dt.date


class AgendaItemOut(Schema):
    id: int
    meeting_id: int
    meeting_date: dt.date
    body: str
    number: str
    title: str
    summary: str
    title_es: str = Field(description="Spanish title; empty when none was given (the site then shows the English one).")
    summary_es: str = Field(description="Spanish summary; empty when none was given.")
    contract_id: int
    version: int
    vote_outcome: str | None
    accepts_comments: bool
    comments: list[CommentOut]


def _comment(c: PublicComment) -> CommentOut:
    return CommentOut(
        id=c.pk,
        name=c.name,
        neighbourhood=c.neighbourhood,
        language=c.language,
        body=c.body,
        received=timezone.localtime(c.created_at).date(),
    )


def _item(i: AgendaItem) -> AgendaItemOut:
    vote = item_vote(i)
    return AgendaItemOut(
        id=i.pk,
        meeting_id=i.meeting_id,
        meeting_date=i.meeting.date,
        body=i.meeting.body.name,
        number=i.number,
        title=i.title,
        summary=i.summary,
        title_es=i.title_es,
        summary_es=i.summary_es,
        contract_id=i.version.contract_id,
        version=i.version.number,
        vote_outcome=vote.outcome if vote else None,
        accepts_comments=comments_accepted(i),
        comments=[_comment(c) for c in getattr(i, "published_comments", [])],
    )


@router.get("/agenda-items", response={200: list[AgendaItemOut], 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
def list_agenda_items(request: HttpRequest, contract_id: int | None = None) -> list[AgendaItemOut]:
    """Agenda items about the contracts you may see, each with its published comments."""
    actor = request_actor(request)
    contract = contract_get(actor=actor, pk=contract_id) if contract_id is not None else None
    return [_item(i) for i in agenda_item_list(actor=actor, contract=contract)]


@router.get("/agenda-items/{item_id}", response={200: AgendaItemOut, 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
def get_agenda_item(request: HttpRequest, item_id: int) -> AgendaItemOut:
    return _item(agenda_item_get(actor=request_actor(request), pk=item_id))


class AgendaItemIn(Schema):
    meeting_id: int
    contract_id: int
    version: int
    number: str = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1, max_length=250)
    summary: str = ""
    title_es: str = Field("", max_length=250, description="Optional Spanish title.")
    summary_es: str = Field("", description="Optional Spanish summary.")
    comments_open: bool = True


@router.post("/agenda-items", response={201: AgendaItemOut, **ERRORS})
def create_agenda_item(request: HttpRequest, payload: AgendaItemIn) -> Status[AgendaItemOut]:
    """Put a contract version on a council or board meeting's agenda (district administrator)."""
    actor = request_actor(request)
    contract = contract_get(actor=actor, pk=payload.contract_id)
    meeting = Meeting.objects.select_related("body").filter(pk=payload.meeting_id).first()
    if meeting is None:
        raise InvalidInput.single("meeting_id", f"no meeting with id {payload.meeting_id}")
    version = ContractVersion.objects.filter(contract=contract, number=payload.version).first()
    if version is None:
        raise InvalidInput.single("version", f"contract has no version {payload.version}")
    item = agenda_item_create(
        actor=actor,
        meeting=meeting,
        version=version,
        number=payload.number,
        title=payload.title,
        summary=payload.summary,
        title_es=payload.title_es,
        summary_es=payload.summary_es,
        comments_open=payload.comments_open,
    )
    return Status(201, _item(agenda_item_get(actor=actor, pk=item.pk)))


class CommentIn(Schema):
    body: str = Field(description="The comment (at most 3,000 characters).")
    language: Language = Language.EN
    name: str = ""
    neighbourhood: str = ""
    website: str = Field("", description="Leave empty (a trap for robots).")


class Received(Schema):
    """The answer to a comment: the same whether it was stored or caught by the robot trap (no id,
    which a trapped comment could not have; a moderator finds the comment in GET /comments)."""

    status: str


@router.post("/agenda-items/{item_id}/comments", response={202: Received, **ERRORS}, auth=AUTH_OR_PUBLIC)
def post_comment(request: HttpRequest, item_id: int, payload: CommentIn) -> Status[Received]:
    """Send a comment; it is published once a moderator has read it. At most 5 per hour per address."""
    item = agenda_item_get(actor=request_actor(request), pk=item_id)
    comment_submit(
        item=item,
        body=payload.body,
        language=payload.language,
        name=payload.name,
        neighbourhood=payload.neighbourhood,
        honeypot=payload.website,
        address=client_ip(request),
    )
    return Status(202, Received(status=CommentStatus.PENDING))


class ModerationOut(Schema):
    id: int
    item_id: int
    status: str
    language: str
    name: str
    neighbourhood: str
    body: str
    received: dt.datetime
    moderation_note: str


def _moderation(c: PublicComment) -> ModerationOut:
    return ModerationOut(
        id=c.pk,
        item_id=c.item_id,
        status=c.status,
        language=c.language,
        name=c.name,
        neighbourhood=c.neighbourhood,
        body=c.body,
        received=c.created_at,
        moderation_note=c.moderation_note,
    )


@router.get("/comments", response=list[ModerationOut])
def list_comments(request: HttpRequest, status: CommentStatus = CommentStatus.PENDING) -> list[ModerationOut]:
    """Comments on your district's agenda items, by status (district administrator)."""
    return [_moderation(c) for c in moderation_queue(actor=request_actor(request), status=status)]


class ModerateIn(Schema):
    action: str = Field(description="publish or reject")
    note: str = Field("", description="Why not published: off_topic, personal_information, abusive, spam, duplicate")


@router.post("/comments/{comment_id}/moderate", response={200: ModerationOut, **ERRORS})
def moderate_comment(request: HttpRequest, comment_id: int, payload: ModerateIn) -> ModerationOut:
    actor = request_actor(request)
    comment = comment_get_for_moderation(actor=actor, pk=comment_id)
    return _moderation(comment_moderate(actor=actor, comment=comment, action=payload.action, note=payload.note))
