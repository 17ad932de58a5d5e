"""Signed-in sessions end after the idle time and after the maximum age (issue: sessions never ended)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from sro.core.models import AuditEvent


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(time, "time", c)
    return c


def _home(client: Client) -> Any:
    return client.get("/", follow=False)


def test_a_session_in_use_stays_signed_in(signed_in: Callable[[str], Client], clock: Clock) -> None:
    c = signed_in("director")
    assert _home(c).status_code == 200
    for _ in range(5):  # a request every 20 minutes for 100 minutes
        clock.now += 20 * 60
        assert _home(c).status_code == 200


def test_idle_session_is_signed_out_with_a_message_and_comes_back(
    signed_in: Callable[[str], Client], clock: Clock
) -> None:
    c = signed_in("director")
    assert c.get("/contracts/").status_code == 200
    clock.now += 31 * 60
    r = c.get("/contracts/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/?next=/contracts/")
    page = c.get(r["Location"])
    assert "after 30 minutes without activity" in page.content.decode()
    assert c.get("/contracts/").status_code == 302  # the cookie no longer signs anyone in
    event = AuditEvent.objects.filter(action="sign_out").latest("pk")
    assert event.actor_username == "director"
    assert event.changes == {"reason": "idle"}


def test_the_api_answers_401_once_the_session_has_expired(signed_in: Callable[[str], Client], clock: Clock) -> None:
    c = signed_in("director")
    assert c.get("/api/v1/me").status_code == 200
    clock.now += 31 * 60
    assert c.get("/api/v1/me").status_code == 401


@override_settings(SRO_SESSION_IDLE_MINUTES=5)
def test_idle_time_is_configurable(signed_in: Callable[[str], Client], clock: Clock) -> None:
    c = signed_in("principal.pshs")
    assert _home(c).status_code == 200
    clock.now += 4 * 60
    assert _home(c).status_code == 200
    clock.now += 6 * 60
    assert _home(c).status_code == 302


def test_maximum_age_ends_even_an_active_session(signed_in: Callable[[str], Client], clock: Clock) -> None:
    c = signed_in("director")
    assert _home(c).status_code == 200
    for _ in range(12 * 4 + 1):  # every 15 minutes for just over 12 hours
        clock.now += 15 * 60
        r = _home(c)
        if r.status_code != 200:
            break
    assert r.status_code == 302
    page = c.get(r["Location"])
    assert "a session lasts at most 12 hours" in page.content.decode()
    assert AuditEvent.objects.filter(action="sign_out").latest("pk").changes == {"reason": "maximum_age"}


def test_public_pages_are_unaffected(db: Any, clock: Clock) -> None:
    c = Client()
    clock.now += 24 * 3600
    assert c.get("/public/").status_code == 200
