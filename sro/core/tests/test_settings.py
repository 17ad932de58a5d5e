from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.env import DEFAULT_SECRET_KEY


def _check(**kw: object) -> None:
    from config.checks import check_production_settings

    check_production_settings(**kw)  # type: ignore[arg-type]


GOOD_KEY = "k" * 50


@pytest.mark.parametrize(
    "debug,key,hosts,message",
    [
        (True, GOOD_KEY, ["sro.example.org"], "DEBUG must be off"),
        (False, DEFAULT_SECRET_KEY, ["sro.example.org"], "SECRET_KEY"),
        (False, "short", ["sro.example.org"], "SECRET_KEY"),
        (False, GOOD_KEY, [], "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(debug: bool, key: str, hosts: list[str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        _check(debug=debug, secret_key=key, allowed_hosts=hosts)


def test_production_accepts_safe_settings() -> None:
    _check(debug=False, secret_key=GOOD_KEY, allowed_hosts=["sro.example.org"])


@pytest.mark.usefixtures("db")
def test_pages_send_a_content_security_policy_without_inline_scripts() -> None:
    r = Client().get("/accounts/login/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in r.content.decode()
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Request-ID"]


def test_production_settings_module_refuses_to_load_with_defaults() -> None:
    import importlib
    import sys

    sys.modules.pop("config.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("config.settings.production")


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
