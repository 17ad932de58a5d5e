"""The community API: public reads and comments, moderation for the district administrator."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from sro.community.models import AgendaItem, PublicComment


def test_anyone_lists_agenda_items_with_published_comments(site: dict[str, Any]) -> None:
    items = Client().get("/api/v1/agenda-items").json()
    assert len(items) == AgendaItem.objects.count()
    published = sum(len(i["comments"]) for i in items)
    assert published == PublicComment.objects.filter(status="published").count()


def test_a_resident_comments_through_the_api_and_the_director_publishes(signed_in: Any) -> None:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    r = Client().post(
        f"/api/v1/agenda-items/{item.pk}/comments",
        {"body": "Por favor publiquen los datos.", "language": "es"},
        content_type="application/json",
    )
    assert r.status_code == 202, r.json()
    assert r.json() == {"status": "pending"}  # no id: a comment caught by the robot trap gets the same answer
    r = Client().get("/api/v1/comments")
    assert r.status_code == 401
    director = signed_in("director")
    pending = director.get("/api/v1/comments").json()
    cid = next(c["id"] for c in pending if c["body"] == "Por favor publiquen los datos.")
    r = director.post(f"/api/v1/comments/{cid}/moderate", {"action": "publish"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "published"
    r = director.post(f"/api/v1/comments/{cid}/moderate", {"action": "publish"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["allowed_actions"] == ["reject"]
    board = signed_in("boardmember")
    assert board.get("/api/v1/comments").json() == []
    assert board.post(f"/api/v1/comments/{cid}/moderate", {"action": "reject", "note": "spam"},
                      content_type="application/json").status_code == 404  # fmt: skip
