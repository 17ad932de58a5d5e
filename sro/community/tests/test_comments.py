"""Agenda items and public comments: submission, honeypot, rate limit, moderation, publication, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.community.models import AgendaItem, CommentStatus, PublicComment
from sro.community.services import (
    COMMENTS_PER_HOUR,
    RateLimited,
    agenda_item_create,
    comment_moderate,
    comment_submit,
)
from sro.contracts.models import Body, Contract, Meeting
from sro.core.errors import Forbidden, InvalidInput, TransitionRefused
from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for


def open_item() -> AgendaItem:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    return item


def test_demo_has_council_and_board_items_and_comments_in_both_languages(site: dict[str, Any]) -> None:
    kinds = set(AgendaItem.objects.values_list("meeting__body__kind", flat=True))
    assert kinds == {Body.Kind.CITY_COUNCIL, Body.Kind.SCHOOL_BOARD}
    assert AgendaItem.objects.filter(meeting__body__kind="school_board").count() == Contract.objects.count() == 4
    assert all(i.vote_id for i in AgendaItem.objects.filter(meeting__body__kind="city_council"))
    langs = set(PublicComment.objects.values_list("language", flat=True))
    statuses = set(PublicComment.objects.values_list("status", flat=True))
    assert langs == {"en", "es"} and statuses == {"pending", "published", "rejected"}


def test_a_comment_waits_for_moderation_and_is_audited_without_its_text(site: dict[str, Any]) -> None:
    item = open_item()
    c = comment_submit(item=item, body="  Please keep officers out of discipline.  ", language="en", address="1.2.3.4")
    assert c is not None and c.status == CommentStatus.PENDING and c.body == "Please keep officers out of discipline."
    assert c.address_hash and "1.2.3.4" not in c.address_hash
    event = AuditEvent.objects.filter(action="comment_submit", object_id=str(c.pk)).get()
    assert event.role == "public" and "discipline" not in str(event.changes)


def test_the_honeypot_stores_nothing_and_answers_like_success(site: dict[str, Any]) -> None:
    before = PublicComment.objects.count()
    assert comment_submit(item=open_item(), body="Buy now", language="en", address="5.5.5.5", honeypot="x") is None
    assert PublicComment.objects.count() == before


def test_the_rate_limit_counts_each_address_in_the_database(site: dict[str, Any]) -> None:
    item = open_item()
    for i in range(COMMENTS_PER_HOUR):
        comment_submit(item=item, body=f"Comment {i}", language="es", address="9.9.9.9")
    with pytest.raises(RateLimited):
        comment_submit(item=item, body="One more", language="es", address="9.9.9.9")
    assert comment_submit(item=item, body="Another neighbour", language="es", address="9.9.9.8") is not None
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    assert comment_submit(item=item, body="An hour later", language="es", address="9.9.9.9", now=later) is not None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * 3001}, "body"),
        ({"body": "ok", "language": "fr"}, "language"),
        ({"body": "ok", "name": "n" * 121}, "name"),
    ],
)
def test_invalid_comments_are_refused_naming_the_field(
    site: dict[str, Any], fields: dict[str, str], field: str
) -> None:
    kwargs: dict[str, Any] = {"language": "en", **fields}
    with pytest.raises(InvalidInput) as exc:
        comment_submit(item=open_item(), address="7.7.7.7", **kwargs)
    assert exc.value.errors[0].field == field


def test_closed_and_past_items_refuse_comments(site: dict[str, Any]) -> None:
    past = AgendaItem.objects.filter(meeting__date__lt=timezone.localdate()).first()
    assert past is not None
    with pytest.raises(TransitionRefused):
        comment_submit(item=past, body="Too late", language="en", address="3.3.3.3")


def test_moderation_publishes_or_keeps_back_with_a_reason(site: dict[str, Any]) -> None:
    director = actor_for(site["users"]["director"])
    c = comment_submit(item=open_item(), body="A view", language="en", address="4.4.4.4")
    assert c is not None
    with pytest.raises(InvalidInput):
        comment_moderate(actor=director, comment=c, action="reject")
    c = comment_moderate(actor=director, comment=c, action="reject", note="off_topic")
    assert c.status == "rejected" and c.moderation_note == "Not about this agenda item"
    c = comment_moderate(actor=director, comment=c, action="publish")
    assert c.status == "published" and c.moderation_note == "" and c.moderated_by == site["users"]["director"]
    with pytest.raises(TransitionRefused) as exc:
        comment_moderate(actor=director, comment=c, action="publish")
    assert exc.value.allowed == ["reject"]
    assert AuditEvent.objects.filter(action__in=["comment_reject", "comment_publish"], object_id=str(c.pk)).count() == 2


@pytest.mark.parametrize("username", ["boardmember", "principal.pshs", "lt.pspd", "officer.pspd", "analyst"])
def test_only_the_district_administrator_moderates(site: dict[str, Any], username: str) -> None:
    c = PublicComment.objects.filter(status="pending").first()
    assert c is not None
    with pytest.raises(Forbidden):
        comment_moderate(actor=actor_for(site["users"][username]), comment=c, action="publish")
    r = Client()
    r.force_login(site["users"][username])
    assert r.get("/community/moderation/").status_code == 404
    assert r.post(f"/community/comments/{c.pk}/moderate/", {"action": "publish"}).status_code == 404


def test_agenda_items_must_go_before_the_contracts_own_bodies(site: dict[str, Any]) -> None:
    director = actor_for(site["users"]["director"])
    cc = Contract.objects.get(city__name="Cathedral City")
    ps_council = Meeting.objects.filter(body__city__name="Palm Springs").first()
    assert ps_council is not None
    version = cc.versions.order_by("-number").first()
    assert version is not None
    with pytest.raises(InvalidInput) as exc:
        agenda_item_create(actor=director, meeting=ps_council, version=version, number="1", title="Wrong council")
    assert exc.value.errors[0].field == "meeting"
    with pytest.raises(Forbidden):
        agenda_item_create(
            actor=actor_for(site["users"]["boardmember"]), meeting=ps_council, version=version, number="1", title="x"
        )


def test_public_pages_show_published_comments_only_and_take_new_ones(site: dict[str, Any]) -> None:
    item = AgendaItem.objects.filter(comments__status="rejected").first()
    assert item is not None
    c = Client()
    page = c.get(f"/public/meetings/items/{item.pk}/").content.decode()
    for comment in item.comments.all():
        assert (comment.body[:40] in page) == (comment.status == "published")
    contract_page = c.get(f"/public/contracts/{item.version.contract_id}/").content.decode()
    assert "section 2 holds" in contract_page and "everyone&#x27;s lips" not in contract_page
    r = c.post(f"/public/meetings/items/{item.pk}/", {"body": "Hola", "language": "es", "website": ""}, follow=True)
    assert r.status_code == 200 and "Thank you" in r.content.decode()
    assert PublicComment.objects.filter(item=item, body="Hola", status="pending").exists()
    r = c.post(f"/public/meetings/items/{item.pk}/", {"body": "Spam", "language": "en", "website": "http://x"})
    assert r.status_code == 302 and not PublicComment.objects.filter(body="Spam").exists()


def test_the_rate_limit_answers_429_on_the_page(site: dict[str, Any]) -> None:
    item = open_item()
    c = Client(REMOTE_ADDR="10.1.1.1")
    for i in range(COMMENTS_PER_HOUR):
        assert c.post(f"/public/meetings/items/{item.pk}/", {"body": f"n{i}", "language": "en"}).status_code == 302
    r = c.post(f"/public/meetings/items/{item.pk}/", {"body": "again", "language": "en"})
    assert r.status_code == 429 and "last hour" in r.content.decode()


def test_the_moderation_queue_publishes_onto_the_public_page(signed_in: Any) -> None:
    director = signed_in("director")
    pending = PublicComment.objects.filter(status="pending").first()
    assert pending is not None
    queue = director.get("/community/moderation/").content.decode()
    assert pending.body[:30] in queue
    r = director.post(f"/community/comments/{pending.pk}/moderate/", {"action": "publish"})
    assert r.status_code == 302
    page = Client().get(f"/public/meetings/items/{pending.item_id}/").content.decode()
    assert pending.body[:30] in page
    home = director.get("/").content.decode()
    assert "Public comments to moderate" in home


def test_the_director_adds_an_agenda_item_and_closes_its_comments(signed_in: Any, site: dict[str, Any]) -> None:
    from sro.community.services import agenda_item_attach_vote, agenda_item_set_comments
    from sro.contracts.services import meeting_create

    director = signed_in("director")
    board = Body.objects.get(kind="school_board")
    meeting = meeting_create(actor=None, body=board, date=timezone.localdate() + dt.timedelta(days=30))
    contract = Contract.objects.get(city__name="Desert Hot Springs")
    version = contract.versions.order_by("-number").first()
    assert version is not None
    assert director.get("/community/agenda/new/").status_code == 200
    r = director.post(
        "/community/agenda/new/",
        {
            "meeting": meeting.pk,
            "version": version.pk,
            "number": "4.1",
            "title": "Study session",
            "comments_open": "on",
        },
    )
    assert r.status_code == 200  # a version in negotiation is not offered: only versions before a body
    assert signed_in("boardmember").get("/community/agenda/new/").status_code == 404
    item = agenda_item_create(
        actor=actor_for(site["users"]["director"]), meeting=meeting, version=version, number="4.1", title="Study"
    )
    assert item.vote is None and agenda_item_attach_vote(actor=None, item=item).vote is None
    closed = agenda_item_set_comments(actor=actor_for(site["users"]["director"]), item=item, open=False)
    assert not closed.comments_open
    assert AuditEvent.objects.filter(action="agenda_item_comments", object_id=str(item.pk)).exists()
    r = Client().post(f"/public/meetings/items/{item.pk}/", {"body": "Late", "language": "en"})
    assert r.status_code == 200 and "closed" in r.content.decode()
