"""Each person's own API tokens from the pages: create (shown once), see when used, revoke (issue 15)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from sro.core.models import AuditEvent
from sro.orgs.models import ApiToken

SUMMARY = "There is a problem"


def _client(org: dict[str, Any], username: str) -> Client:
    c = Client()
    c.force_login(org["users"][username])
    return c


def _create(c: Client, name: str = "nightly export") -> str:
    page = c.post("/people/tokens/", {"name": name}).content.decode()
    found = re.search(r'value="(sro_[^"]+)"', page)
    assert found is not None, "the new token is shown"
    return found.group(1)


def test_any_signed_in_person_creates_a_token_shown_once_that_reaches_the_api(org: dict[str, Any]) -> None:
    c = _client(org, "officer.pspd")
    assert "You have no tokens." in c.get("/people/tokens/").content.decode()
    raw = _create(c)
    token = ApiToken.objects.get(user__username="officer.pspd")
    assert raw.startswith(token.key_prefix) and token.name == "nightly export"
    event = AuditEvent.objects.get(action="token_create")
    assert event.actor_username == "officer.pspd"
    me = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "officer.pspd"
    later = c.get("/people/tokens/").content.decode()
    assert raw not in later and token.key_prefix in later and "nightly export" in later
    assert "never" not in later  # the API call above is shown as its last use


def test_a_name_too_long_shows_the_summary_and_saves_nothing(org: dict[str, Any]) -> None:
    c = _client(org, "analyst")
    r = c.post("/people/tokens/", {"name": "x" * 101})
    assert r.status_code == 200 and SUMMARY in r.content.decode()
    assert not ApiToken.objects.exists() and not AuditEvent.objects.filter(action="token_create").exists()


def test_revoking_is_confirmed_and_the_token_stops_working(org: dict[str, Any]) -> None:
    c = _client(org, "lt.pspd")
    raw = _create(c)
    token = ApiToken.objects.get()
    url = f"/people/tokens/{token.pk}/revoke/"
    page = c.get(url).content.decode()
    assert "What will happen" in page and "Revoke the token" in page
    r = c.post(url)
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.get(action="token_revoke").actor_username == "lt.pspd"
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401
    assert "Revoked on" in c.get("/people/tokens/").content.decode()


def test_nobody_sees_or_revokes_anothers_token(org: dict[str, Any]) -> None:
    _create(_client(org, "director"))
    token = ApiToken.objects.get()
    other = _client(org, "lt.pspd")
    assert token.key_prefix not in other.get("/people/tokens/").content.decode()
    assert other.get(f"/people/tokens/{token.pk}/revoke/").status_code == 404
    assert other.post(f"/people/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    anonymous = Client().get("/people/tokens/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
