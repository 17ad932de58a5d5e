"""A council's or board's name, seats and rule, and a meeting's date, title and minutes, changed from the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.models import Body, Meeting, Vote
from sro.core.models import AuditEvent

Login = Callable[[str], Client]


def _audits() -> int:
    return AuditEvent.objects.count()


def test_the_director_adds_the_minutes_link_to_a_held_meeting_and_its_date_stays(client_for: Login) -> None:
    director = client_for("director")
    held = Vote.objects.exclude(outcome="scheduled").select_related("meeting__body").first()
    assert held is not None
    meeting, body = held.meeting, held.meeting.body
    listing = director.get(f"/contracts/bodies/{body.pk}/meetings/").content.decode()
    assert f'href="/contracts/bodies/{body.pk}/meetings/{meeting.pk}/edit/"' in listing
    url = f"/contracts/bodies/{body.pk}/meetings/{meeting.pk}/edit/"
    r = director.post(
        url, {"date": meeting.date.isoformat(), "title": meeting.title, "minutes_url": "example.org/minutes.pdf"}
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_url == "https://example.org/minutes.pdf"
    assert AuditEvent.objects.filter(action="update", object_type__icontains="meeting").exists()
    before = _audits()
    moved = director.post(url, {"date": (meeting.date + dt.timedelta(days=7)).isoformat(), "title": meeting.title})
    html = moved.content.decode()
    assert moved.status_code == 200 and "There is a problem" in html and "a vote was recorded at this meeting" in html
    meeting.refresh_from_db()
    assert meeting.minutes_url == "https://example.org/minutes.pdf" and _audits() == before


def test_a_meeting_with_only_scheduled_items_is_moved_to_another_day(client_for: Login) -> None:
    director = client_for("director")
    board_meeting = Meeting.objects.filter(body__kind="school_board", date__gt=timezone.localdate()).first()
    assert board_meeting is not None and not board_meeting.votes.exclude(outcome="scheduled").exists()
    new_day = board_meeting.date + dt.timedelta(days=2)
    r = director.post(
        f"/contracts/bodies/{board_meeting.body_id}/meetings/{board_meeting.pk}/edit/",
        {"date": new_day.isoformat(), "title": "Rescheduled"},
    )
    assert r.status_code == 302
    board_meeting.refresh_from_db()
    assert (board_meeting.date, board_meeting.title) == (new_day, "Rescheduled")


def test_a_council_gets_seven_seats_after_an_election(client_for: Login) -> None:
    director = client_for("director")
    council = Body.objects.filter(kind="city_council").first()
    assert council is not None
    page = director.get(f"/contracts/bodies/{council.pk}/edit/").content.decode()
    assert 'name="kind"' not in page and 'name="city"' not in page  # a different body is a new one
    r = director.post(
        f"/contracts/bodies/{council.pk}/edit/",
        {"name": council.name, "seats": "7", "voting_rule": "majority_of_votes"},
    )
    assert r.status_code == 302
    council.refresh_from_db()
    assert (council.seats, council.voting_rule) == (7, "majority_of_votes")
    before = _audits()
    bad = director.post(f"/contracts/bodies/{council.pk}/edit/", {"name": "", "seats": "0", "voting_rule": "x"})
    html = bad.content.decode()
    assert "There is a problem" in html and "Enter the body&#x27;s name" in html
    council.refresh_from_db()
    assert council.seats == 7 and _audits() == before


@pytest.mark.parametrize("username", ["superintendent", "boardmember", "principal.pshs", "lt.pspd", "analyst"])
def test_only_the_director_changes_bodies_and_meetings(client_for: Login, username: str) -> None:
    c = client_for(username)
    meeting = Meeting.objects.select_related("body").first()
    assert meeting is not None
    before = _audits()
    for url, data in (
        (f"/contracts/bodies/{meeting.body_id}/edit/", {"name": "X", "seats": "3", "voting_rule": "majority_of_seats"}),
        (f"/contracts/bodies/{meeting.body_id}/meetings/{meeting.pk}/edit/", {"date": "2026-01-01", "title": "X"}),
    ):
        assert c.post(url, data).status_code in {403, 404}
    assert _audits() == before
