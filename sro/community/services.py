"""Writes for agenda items and public comments: permission-checked, atomic, row-locked and audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation

from sro.community.models import COMMENT_MAX_CHARS, AgendaItem, CommentStatus, Language, PublicComment
from sro.community.moderation import REJECTION_REASONS, STEPS, allowed_actions
from sro.community.permissions import can_manage_agenda, can_moderate
from sro.contracts.models import Body, ContractVersion, Meeting, Vote
from sro.core.antispam import RateLimited as RateLimited  # re-exported: raised over the limit
from sro.core.antispam import address_hash as _address_hash
from sro.core.antispam import check_rate, honeypot_tripped
from sro.core.audit import audit_log
from sro.core.errors import Forbidden, InvalidInput, TransitionRefused
from sro.core.limits import PUBLIC_NAME_MAX_CHARS
from sro.core.services import actor_user, clean_or_raise
from sro.orgs.actors import Actor

COMMENTS_PER_HOUR = 5  # per sender address, counted in the database
NAME_MAX_CHARS = PUBLIC_NAME_MAX_CHARS


_user = actor_user


def address_hash(address: str) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to recover the address."""
    return _address_hash(address, purpose="sro.community.comment-address")


def comments_accepted(item: AgendaItem, *, today: dt.date | None = None) -> bool:
    """Open for comment: comments not closed and the meeting not yet past."""
    today = today or timezone.localdate()
    return item.comments_open and item.meeting.date >= today


def _check_meeting_considers(meeting: Meeting, version: ContractVersion) -> None:
    contract = version.contract
    body = meeting.body
    if body.kind == Body.Kind.CITY_COUNCIL and body.city_id != contract.city_id:
        raise InvalidInput.single("meeting", f"{body.name} is not the council of {contract.city}")
    if body.kind == Body.Kind.SCHOOL_BOARD and body.district_id != contract.district_id:
        raise InvalidInput.single("meeting", f"{body.name} is not the board of {contract.district}")


def agenda_item_create(
    *,
    actor: Actor | None,
    meeting: Meeting,
    version: ContractVersion,
    number: str,
    title: str,
    summary: str = "",
    title_es: str = "",
    summary_es: str = "",
    comments_open: bool = True,
) -> AgendaItem:
    """Put a contract version on a meeting's agenda; links the meeting's vote on it when one is scheduled.

    The Spanish title and summary are optional: where one is empty, the public site shows the
    English text, labelled as English."""
    contract = version.contract
    if actor is not None and not can_manage_agenda(actor, contract):
        raise Forbidden("Only the district's administrator may add agenda items for its contracts.")
    _check_meeting_considers(meeting, version)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        if AgendaItem.objects.filter(meeting=meeting, version=version).exists():
            raise InvalidInput.single("version", f"version {version.number} is already on this meeting's agenda")
        item = AgendaItem(
            meeting=meeting,
            version=version,
            vote=Vote.objects.filter(meeting=meeting, version=version).first(),
            number=number.strip(),
            title=title.strip(),
            summary=summary.strip(),
            title_es=title_es.strip(),
            summary_es=summary_es.strip(),
            comments_open=comments_open,
        )
        clean_or_raise(item)
        item.save()
        audit_log(
            actor=_user(actor),
            action="agenda_item_create",
            obj=item,
            changes={
                "meeting": str(meeting),
                "contract": contract.pk,
                "version": version.number,
                "vote": item.vote_id,
                "number": item.number,
                "title": item.title,
                "title_es": item.title_es,
            },
        )
    return item


def agenda_item_attach_vote(*, actor: Actor | None, item: AgendaItem) -> AgendaItem:
    """Link the vote scheduled after the item was added (idempotent)."""
    if actor is not None and not can_manage_agenda(actor, item.version.contract):
        raise Forbidden("Only the district's administrator may change agenda items.")
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        vote = Vote.objects.filter(meeting_id=locked.meeting_id, version_id=locked.version_id).first()
        if vote is not None and locked.vote_id != vote.pk:
            locked.vote = vote
            locked.save(update_fields=["vote", "updated_at"])
            audit_log(actor=_user(actor), action="agenda_item_vote", obj=locked, changes={"vote": vote.pk})
    return locked


def agenda_item_set_comments(*, actor: Actor | None, item: AgendaItem, open: bool) -> AgendaItem:
    if actor is not None and not can_manage_agenda(actor, item.version.contract):
        raise Forbidden("Only the district's administrator may open or close comments.")
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if locked.comments_open != open:
            locked.comments_open = open
            locked.save(update_fields=["comments_open", "updated_at"])
            audit_log(
                actor=_user(actor),
                action="agenda_item_comments",
                obj=locked,
                changes={"comments_open": [not open, open]},
            )
    return locked


def comment_submit(
    *,
    item: AgendaItem,
    body: str,
    language: str,
    address: str,
    name: str = "",
    neighbourhood: str = "",
    honeypot: str = "",
    now: dt.datetime | None = None,
) -> PublicComment | None:
    """A resident's comment, held for moderation. Returns None (and stores nothing) when the
    honeypot field was filled in. The trap is sprung last, once the comment has passed every check a
    person's comment passes: a robot is refused exactly where a person would be and otherwise gets
    the same thanks, so it learns nothing."""
    now = now or timezone.now()
    problems: list[tuple[str, str]] = []
    text = body.strip()
    if not text:
        problems.append(("body", "write your comment"))
    elif len(text) > COMMENT_MAX_CHARS:
        problems.append(("body", f"keep the comment under {COMMENT_MAX_CHARS} characters (it has {len(text)})"))
    if len(name.strip()) > NAME_MAX_CHARS:
        problems.append(("name", f"at most {NAME_MAX_CHARS} characters"))
    if len(neighbourhood.strip()) > NAME_MAX_CHARS:
        problems.append(("neighbourhood", f"at most {NAME_MAX_CHARS} characters"))
    if language not in Language.values:
        problems.append(("language", f"one of {', '.join(Language.values)}"))
    if problems:
        raise InvalidInput.many(problems)
    digest = address_hash(address)
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        if not comments_accepted(locked, today=timezone.localdate(now)):
            raise TransitionRefused(
                action="comment", current="closed", reason="Comments on this agenda item are closed."
            )
        recent = PublicComment.objects.filter(address_hash=digest, created_at__gte=now - dt.timedelta(hours=1)).count()
        check_rate(
            recent=recent,
            limit=COMMENTS_PER_HOUR,
            message=f"You have sent {COMMENTS_PER_HOUR} comments in the last hour; please try again later.",
        )
        comment = PublicComment(
            item=locked,
            body=text,
            language=language,
            name=name.strip(),
            neighbourhood=neighbourhood.strip(),
            address_hash=digest,
        )
        clean_or_raise(comment)
        if honeypot_tripped(honeypot):
            return None
        comment.save()
        audit_log(
            actor=None,
            action="comment_submit",
            obj=comment,
            changes={
                "item": locked.pk,
                "language": language,
                "chars": len(text),
                "named": bool(comment.name),
                "neighbourhood": bool(comment.neighbourhood),
            },
        )
    return comment


def comment_moderate(*, actor: Actor | None, comment: PublicComment, action: str, note: str = "") -> PublicComment:
    """Publish a comment or keep it unpublished (with a reason: a key of REJECTION_REASONS or free text)."""
    if actor is not None and not can_moderate(actor, comment.item):
        raise Forbidden("Only the district's administrator may moderate comments on its agenda items.")
    with transaction.atomic():
        locked = PublicComment.objects.select_for_update().get(pk=comment.pk)
        step = STEPS.get(action)
        if step is None or locked.status not in step.sources:
            raise TransitionRefused(action=action, current=locked.status, allowed=allowed_actions(locked.status))
        with translation.override("en"):  # the record is kept in one language
            reason = str(REJECTION_REASONS[note]) if note in REJECTION_REASONS else note.strip()
        if step.needs_note and not reason:
            raise InvalidInput.single("note", "give the reason the comment is not published")
        before = locked.status
        locked.status = step.target
        locked.moderated_at = timezone.now()
        locked.moderated_by = _user(actor)
        locked.moderation_note = reason[:500] if step.target == CommentStatus.REJECTED else ""
        clean_or_raise(locked)
        locked.save()
        audit_log(
            actor=_user(actor),
            action=f"comment_{action}",
            obj=locked,
            changes={"status": [before, locked.status], "note": locked.moderation_note},
        )
    return locked
