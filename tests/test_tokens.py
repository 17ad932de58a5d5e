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


def test_a_token_works_until_its_last_day_and_not_after(demo: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    out, err = StringIO(), StringIO()
    call_command("token", "create", "--user", "director", "--expires", str(today), stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert f"works until {today}" in err.getvalue()
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    assert c.get("/api/v1/me").status_code == 200  # its last day
    ApiToken.objects.filter(key_prefix=raw[:12]).update(expires_on=today - dt.timedelta(days=1))
    assert c.get("/api/v1/me").status_code == 401  # the day after
    listing = StringIO()
    call_command("token", "list", "--user", "director", stdout=listing)
    assert f"{raw[:12]}\tdirector\t-\t" in listing.getvalue() and listing.getvalue().rstrip().endswith("expired")


def test_a_new_token_lasts_90_days_unless_told_and_at_most_a_year(demo: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    raw = _create("analyst")
    assert ApiToken.objects.get(key_prefix=raw[:12]).expires_on == today + dt.timedelta(days=90)
    with pytest.raises(CommandError, match="is in the past"):
        call_command("token", "create", "--user", "analyst", "--expires", str(today - dt.timedelta(days=1)))
    with pytest.raises(CommandError, match="at most a year"):
        call_command("token", "create", "--user", "analyst", "--expires", str(today + dt.timedelta(days=400)))
    with pytest.raises(CommandError, match="--expires"):
        call_command("token", "create", "--user", "analyst", "--expires", "next week")


def test_the_tokens_page_sets_and_shows_the_last_day(signed_in: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    c = signed_in("analyst")
    day = timezone.localdate() + dt.timedelta(days=30)
    page = c.post("/people/tokens/", {"name": "nightly export", "expires": day.isoformat()}).content.decode()
    assert "Copy it now" in page and day.isoformat() in page
    late = c.post("/people/tokens/", {"name": "too long", "expires": "2099-01-01"}).content.decode()
    assert "at most a year" in late and "Copy it now" not in late
    assert ApiToken.objects.filter(name="too long").count() == 0
