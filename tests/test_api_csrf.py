"""The API's session authentication is CSRF-checked; token authentication is not (issue 14, item 1).

A browser sends the session cookie with any request, even one another site makes it send; only
a page of this site can read the csrftoken cookie and copy it into the X-CSRFToken header.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from sro.community.models import AgendaItem
from sro.contracts.models import Contract, ContractStatus


def _browser(demo: dict[str, Any], username: str) -> tuple[Client, str]:
    """A signed-in browser that holds the csrftoken cookie (as after any page with a form)."""
    c = Client(enforce_csrf_checks=True)
    c.force_login(demo["users"][username])
    secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    c.cookies[settings.CSRF_COOKIE_NAME] = secret
    return c, secret


def _open_contract() -> Contract:
    """A contract under review (the demo has no active one); a district administrator may terminate it."""
    contract = Contract.objects.filter(status=ContractStatus.BOARD_REVIEW).order_by("pk").first()
    assert contract is not None
    return contract


def test_a_cross_site_form_post_with_the_session_does_not_terminate_a_contract(demo: dict[str, Any]) -> None:
    c, _secret = _browser(demo, "director")
    contract = _open_contract()
    r = c.post(
        f"/api/v1/contracts/{contract.pk}/actions/terminate",
        data="x=1",
        content_type="text/plain",
        headers={"Origin": "https://attacker.example"},
    )
    assert r.status_code == 403, r.content
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"].startswith("CSRF check failed")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.BOARD_REVIEW


def test_a_session_write_without_the_token_is_refused_naming_the_missing_token(demo: dict[str, Any]) -> None:
    c, _secret = _browser(demo, "director")
    contract = _open_contract()
    r = c.post(f"/api/v1/contracts/{contract.pk}/actions/terminate")
    assert r.status_code == 403, r.content
    body = r.json()
    assert set(body) == {"detail", "errors"}
    assert "CSRF token missing" in body["detail"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.BOARD_REVIEW


def test_a_session_without_the_csrf_cookie_is_refused_too(demo: dict[str, Any]) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(demo["users"]["director"])
    r = c.post(f"/api/v1/contracts/{_open_contract().pk}/actions/terminate")
    assert r.status_code == 403 and "CSRF cookie not set" in r.json()["detail"]


def test_a_session_write_with_the_token_works(demo: dict[str, Any]) -> None:
    c, secret = _browser(demo, "director")
    contract = _open_contract()
    r = c.post(f"/api/v1/contracts/{contract.pk}/actions/terminate", headers={"X-CSRFToken": secret})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == ContractStatus.TERMINATED
    # reads need no token
    assert c.get("/api/v1/me").status_code == 200


def test_a_bearer_token_needs_no_csrf_token(demo: dict[str, Any]) -> None:
    out = StringIO()
    call_command("token", "create", "--user", "director", stdout=out, stderr=StringIO())
    c = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {out.getvalue().strip()}"})
    contract = _open_contract()
    r = c.post(f"/api/v1/contracts/{contract.pk}/actions/terminate")
    assert r.status_code == 200, r.content


def test_an_anonymous_comment_needs_no_csrf_token(demo: dict[str, Any]) -> None:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    r = Client(enforce_csrf_checks=True).post(
        f"/api/v1/agenda-items/{item.pk}/comments", {"body": "Publish the data."}, content_type="application/json"
    )
    assert r.status_code == 202, r.content
