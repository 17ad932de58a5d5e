from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sro.orgs.models import ApiToken


def _create(username: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("token", "create", "--user", username, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_token_carries_exactly_the_users_scope(demo: dict[str, Any]) -> None:
    raw = _create("lt.pspd")
    assert raw.startswith("sro_")
    assert not ApiToken.objects.filter(key_hash=raw).exists()  # stored hashed only
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    me = c.get("/api/v1/me").json()
    assert (me["username"], me["roles"]) == ("lt.pspd", ["agency_supervisor"])
    assert [s["name"] for s in c.get("/api/v1/schools").json()["items"]] == ["Palm Springs High"]


def test_revoked_and_wrong_tokens_are_refused(demo: dict[str, Any]) -> None:
    raw = _create("director")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    assert c.get("/api/v1/me").status_code == 200
    call_command("token", "revoke", raw[:12], stdout=StringIO())
    assert c.get("/api/v1/me").status_code == 401
    bad = Client(headers={"Authorization": "Bearer sro_not-a-real-token"})
    assert bad.get("/api/v1/me").status_code == 401


def test_token_commands_name_bad_input(demo: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("token", "create", "--user", "nobody")
    with pytest.raises(CommandError, match="at least the first 8"):
        call_command("token", "revoke", "sro_")
