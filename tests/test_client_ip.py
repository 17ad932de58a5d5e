"""The client's address behind a trusted HTTPS proxy (SRO_TRUSTED_PROXIES), and what keys on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from sro.core.clientip import check_trusted_proxies, client_ip, parse_networks

PROXY = "10.0.0.5"


def _ip(remote: str, xff: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client_ip(RequestFactory().get("/", **extra))  # type: ignore[arg-type]


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.SRO_TRUSTED_PROXIES = []
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_from_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(settings: Any) -> None:
    settings.SRO_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]
    # The client wrote 1.2.3.4 itself; the outer proxy (10.1.2.3) appended 203.0.113.9.
    assert _ip(PROXY, "1.2.3.4, 203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert _ip(PROXY, "203.0.113.9") == "203.0.113.9"
    assert _ip(PROXY, "2001:db8::7") == "2001:db8::7"
    assert _ip(PROXY, "[2001:db8::7]:4431") == "2001:db8::7"
    assert _ip(PROXY, "203.0.113.9:5555") == "203.0.113.9"


def test_a_request_not_from_a_trusted_proxy_cannot_choose_its_address(settings: Any) -> None:
    settings.SRO_TRUSTED_PROXIES = [PROXY]
    assert _ip("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_missing_or_garbled_header_falls_back_to_the_connection(settings: Any) -> None:
    settings.SRO_TRUSTED_PROXIES = [PROXY]
    assert _ip(PROXY) == PROXY
    assert _ip(PROXY, "") == PROXY
    assert _ip(PROXY, "not-an-address") == PROXY
    assert _ip(PROXY, "10.0.0.5") == PROXY  # only trusted hops: the left-most


def test_a_bad_trusted_proxy_setting_is_named_at_start_up(settings: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300'"):
        parse_networks(["10.0.0.1", "10.0.0.300"])
    settings.SRO_TRUSTED_PROXIES = ["proxy.example.org"]
    [error] = check_trusted_proxies()
    assert "SRO_TRUSTED_PROXIES" in error.msg and "proxy.example.org" in error.msg


def _sign_in(client: Client, password: str) -> int:
    return client.post("/accounts/login/", {"username": "director", "password": password}).status_code


def test_lockout_behind_the_proxy_locks_the_sender_not_everyone(demo: dict[str, Any], settings: Any) -> None:
    settings.SRO_TRUSTED_PROXIES = [PROXY]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(3):
        _sign_in(attacker, "wrong-password")
    assert _sign_in(attacker, "palm-springs-demo") == 429
    # The director, through the same proxy from another address, still signs in.
    director = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert _sign_in(director, "palm-springs-demo") == 302


def test_a_forged_header_does_not_escape_the_lockout(demo: dict[str, Any], settings: Any) -> None:
    settings.SRO_TRUSTED_PROXIES = [PROXY]
    for n in range(3):
        _sign_in(Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "wrong-password")
    forged = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert _sign_in(forged, "palm-springs-demo") == 429


def test_the_comment_limit_behind_the_proxy_counts_each_sender(demo: dict[str, Any], settings: Any) -> None:
    from sro.community.services import COMMENTS_PER_HOUR
    from sro.community.tests.test_comments import open_item

    settings.SRO_TRUSTED_PROXIES = [PROXY]
    item = open_item()
    url = f"/public/meetings/items/{item.pk}/"
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for i in range(COMMENTS_PER_HOUR):
        assert first.post(url, {"body": f"n{i}", "language": "en"}).status_code == 302
    assert first.post(url, {"body": "again", "language": "en"}).status_code == 429
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert second.post(url, {"body": "mine", "language": "en"}).status_code == 302


def test_the_complaint_limit_behind_the_proxy_counts_each_sender(demo: dict[str, Any], settings: Any) -> None:
    from sro.complaints.tests.test_public import NEW, _form

    settings.SRO_TRUSTED_PROXIES = [PROXY]
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(3):
        assert first.post(NEW, _form(demo)).status_code == 200
    assert first.post(NEW, _form(demo)).status_code == 429
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert second.post(NEW, _form(demo)).status_code == 200
