"""The API lists bodies and meetings (public records) and creates them, so that a contract's vote can
be scheduled and recorded from the API alone, on a meeting held today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.models import Body, Meeting, Vote

ClientFor = Callable[[str], Client]


def _items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_anyone_lists_the_bodies_and_filters_them_by_kind(demo: dict[str, Any]) -> None:
    public = Client()
    names = {b["name"]: b for b in _items(public.get("/api/v1/bodies"))}
    assert set(names) == {
        "PSUSD Board of Education",
        "Palm Springs City Council",
        "Cathedral City City Council",
        "Desert Hot Springs City Council",
        "Rancho Mirage City Council",
    }
    board = names["PSUSD Board of Education"]
    assert (board["kind"], board["seats"], board["city_id"]) == ("school_board", 5, None)
    assert board["district_id"] == demo["district"].pk
    boards = _items(public.get("/api/v1/bodies?kind=school_board"))
    assert [b["name"] for b in boards] == ["PSUSD Board of Education"]
    assert public.get("/api/v1/bodies?kind=senate").status_code == 422


def test_meetings_are_listed_by_body_and_date(demo: dict[str, Any]) -> None:
    board = Body.objects.get(kind="school_board")
    board_day = Meeting.objects.filter(body=board).latest("date").date  # the coming one
    public = Client()
    everything = _items(public.get("/api/v1/meetings"))
    assert len(everything) == Meeting.objects.count()
    assert [m["date"] for m in everything] == sorted(m["date"] for m in everything)
    of_board = _items(public.get(f"/api/v1/meetings?body_id={board.pk}"))
    # the coming meeting, after the one that adopted Desert Hot Springs High's agreement last year
    assert [(m["body"], m["date"]) for m in of_board][-1] == ("PSUSD Board of Education", board_day.isoformat())
    assert _items(public.get(f"/api/v1/meetings?body_id={board.pk}&from={board_day.isoformat()}"))
    after = (board_day + dt.timedelta(days=1)).isoformat()
    assert _items(public.get(f"/api/v1/meetings?body_id={board.pk}&from={after}")) == []
    before = (board_day - dt.timedelta(days=1)).isoformat()
    assert all(m["date"] <= before for m in _items(public.get(f"/api/v1/meetings?body_id={board.pk}&to={before}")))
    assert public.get("/api/v1/meetings?from=next-week").status_code == 422
    assert public.get("/api/v1/meetings?body_id=999999").status_code == 404


def test_the_director_holds_the_board_vote_today_from_the_api(client_for: ClientFor) -> None:
    """The demo's board meeting is next week; a meeting today lets the approval be recorded today."""
    director = client_for("director")
    today = timezone.localdate()
    board = _items(director.get("/api/v1/bodies?kind=school_board"))[0]
    r = director.post(
        "/api/v1/meetings",
        {"body_id": board["id"], "date": today.isoformat(), "title": "Special meeting"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    meeting = r.json()
    assert (meeting["body"], meeting["date"], meeting["title"]) == (
        "PSUSD Board of Education",
        today.isoformat(),
        "Special meeting",
    )
    contract = next(c for c in _items(director.get("/api/v1/contracts")) if c["status"] == "board_review")
    scheduled = director.post(
        f"/api/v1/contracts/{contract['id']}/votes", {"meeting_id": meeting["id"]}, content_type="application/json"
    )
    assert scheduled.status_code == 201 and scheduled.json()["outcome"] == "scheduled"
    recorded = director.post(
        f"/api/v1/contracts/{contract['id']}/votes",
        {"meeting_id": meeting["id"], "ayes": 4, "noes": 1},
        content_type="application/json",
    )
    assert recorded.status_code == 201 and recorded.json()["outcome"] == "passed"
    assert director.get(f"/api/v1/contracts/{contract['id']}").json()["status"] in {"approved", "active"}


def test_the_director_creates_a_council_from_the_api(client_for: ClientFor) -> None:
    director = client_for("director")
    city = next(c for c in director.get("/api/v1/cities").json() if c["name"] == "Palm Springs")
    r = director.post(
        "/api/v1/bodies",
        {"name": "Palm Springs Council (2027)", "kind": "city_council", "seats": 7, "city_id": city["id"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    assert (r.json()["seats"], r.json()["city_id"], r.json()["voting_rule"]) == (7, city["id"], "majority_of_seats")
    assert Body.objects.filter(name="Palm Springs Council (2027)", city_id=city["id"]).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "A council", "kind": "city_council", "seats": 5}, "city"),
        ({"name": "A council", "kind": "city_council", "seats": 5, "city_id": 999999}, "city_id"),
        ({"name": "A board", "kind": "school_board", "seats": 5, "district_id": 999999}, "district_id"),
        ({"name": "PSUSD Board of Education", "kind": "school_board", "seats": 5, "district_id": 0}, "district_id"),
    ],
)
def test_a_body_with_a_problem_is_refused_naming_the_field(
    client_for: ClientFor, payload: dict[str, Any], field: str
) -> None:
    before = Body.objects.count()
    r = client_for("director").post("/api/v1/bodies", payload, content_type="application/json")
    assert r.status_code == 422, r.json()
    assert field in [e["field"] for e in r.json()["errors"]]
    assert Body.objects.count() == before


def test_a_meeting_with_a_problem_is_refused_naming_the_field(client_for: ClientFor) -> None:
    director = client_for("director")
    board = Body.objects.get(kind="school_board")
    before = Meeting.objects.count()
    r = director.post("/api/v1/meetings", {"body_id": 999999, "date": "2027-01-05"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body_id"
    r = director.post(
        "/api/v1/meetings",
        {"body_id": board.pk, "date": "2027-01-05", "minutes_url": "not a link"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "minutes_url"
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("username", ["principal.pshs", "officer.pspd", "lt.pspd", "boardmember", "analyst"])
def test_only_district_administrators_create_bodies_and_meetings(client_for: ClientFor, username: str) -> None:
    c = client_for(username)
    board = Body.objects.get(kind="school_board")
    council = Body.objects.get(name="Palm Springs City Council")
    before = (Body.objects.count(), Meeting.objects.count(), Vote.objects.count())
    r = c.post(
        "/api/v1/bodies",
        {"name": "X", "kind": "school_board", "seats": 5, "district_id": board.district_id},
        content_type="application/json",
    )
    assert r.status_code == 403, username
    for body in (board, council):
        r = c.post("/api/v1/meetings", {"body_id": body.pk, "date": "2027-01-05"}, content_type="application/json")
        assert r.status_code == 403, username
    assert (Body.objects.count(), Meeting.objects.count(), Vote.objects.count()) == before
    assert _items(c.get("/api/v1/bodies"))  # reading is open to every role


def test_creating_needs_a_sign_in(demo: dict[str, Any]) -> None:
    board = Body.objects.get(kind="school_board")
    r = Client().post("/api/v1/meetings", {"body_id": board.pk, "date": "2027-01-05"}, content_type="application/json")
    assert r.status_code == 401
