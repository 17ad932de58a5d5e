"""Two-step sign-in (TOTP, django-otp): set up with a QR code and a code, signing in with a code,
a wrong code, recovery codes used once, the roles that must use it, API tokens unaffected."""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for
from sro.orgs.models import User
from sro.orgs.services import token_create
from sro.orgs.twostep import RECOVERY_CODES, pending_device, two_step_confirm

PASSWORD = "palm-springs-demo"


@pytest.fixture(autouse=True)
def _no_throttle(settings: Any) -> None:
    """django-otp makes each try after a wrong one wait (1 s, 2 s, ...): these tests try at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _sign_in(username: str) -> Client:
    c = Client()
    r = c.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:500]
    return c


def _set_up(user: User) -> tuple[TOTPDevice, list[str]]:
    return two_step_confirm(user=user, token=_code(pending_device(user)))


def _events(action: str, user: User) -> int:
    return AuditEvent.objects.filter(action=action, actor_username=user.username).count()


def test_setting_up_shows_a_qr_code_and_a_key_and_confirms_with_a_code(demo: dict[str, Any]) -> None:
    principal = demo["users"]["principal.pshs"]
    c = _sign_in("principal.pshs")
    page = c.get("/accounts/two-step/").content.decode()
    assert "<svg" in page and "data-secret" in page
    device = TOTPDevice.objects.get(user=principal, confirmed=False)
    assert f">{b32encode(device.bin_key).decode()}<" in page

    wrong = c.post("/accounts/two-step/", {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and "not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=principal, confirmed=True).exists()

    done = c.post("/accounts/two-step/", {"code": _code(device)})
    assert done.status_code == 200
    shown = [t.token for t in StaticToken.objects.filter(device__user=principal)]
    assert len(shown) == RECOVERY_CODES and all(code in done.content.decode() for code in shown)
    assert TOTPDevice.objects.get(user=principal).confirmed
    assert _events("two_step_setup", principal) == 1
    # The session that set it up is signed in with it: pages open.
    assert c.get("/incidents/").status_code == 200


def test_signing_in_asks_for_the_code_after_the_password(demo: dict[str, Any]) -> None:
    principal = demo["users"]["principal.pshs"]
    device, _codes = _set_up(principal)
    c = _sign_in("principal.pshs")
    r = c.get("/incidents/")
    assert r.status_code == 302 and r["Location"] == "/accounts/two-step/verify/?next=%2Fincidents%2F"
    assert c.get("/api/v1/incidents").status_code == 401  # the session's API calls wait too

    wrong = c.post("/accounts/two-step/verify/", {"code": "12345", "next": "/incidents/"})
    assert wrong.status_code == 422 and "not right" in wrong.content.decode()
    assert _events("two_step_failed", principal) == 1
    assert c.get("/incidents/").status_code == 302

    ok = c.post("/accounts/two-step/verify/", {"code": _code(device, steps_ahead=1), "next": "/incidents/"})
    assert ok.status_code == 302 and ok["Location"] == "/incidents/"
    assert c.get("/incidents/").status_code == 200
    assert c.get("/api/v1/incidents").status_code == 200


def test_a_recovery_code_signs_in_once(demo: dict[str, Any]) -> None:
    principal = demo["users"]["principal.pshs"]
    _device, codes = _set_up(principal)
    first = _sign_in("principal.pshs")
    r = first.post("/accounts/two-step/verify/", {"code": codes[0].upper(), "next": "/"})
    assert r.status_code == 302 and first.get("/incidents/").status_code == 200
    assert _events("two_step_recovery_code_used", principal) == 1
    assert StaticToken.objects.filter(device__user=principal).count() == RECOVERY_CODES - 1

    again = _sign_in("principal.pshs")
    r = again.post("/accounts/two-step/verify/", {"code": codes[0], "next": "/"})
    assert r.status_code == 422
    assert again.get("/incidents/").status_code == 302
    assert _events("two_step_recovery_code_used", principal) == 1


def test_the_required_roles_can_do_nothing_until_they_set_it_up(demo: dict[str, Any], settings: Any) -> None:
    settings.SRO_DEMO_MODE = False  # a real site: the demo does not require it
    director = demo["users"]["director"]
    c = _sign_in("director")
    for path in ("/", "/incidents/", "/people/", "/admin/"):
        r = c.get(path)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/two-step/?next="), path
    assert c.get("/api/v1/contracts").status_code == 401
    page = c.get("/accounts/two-step/")
    assert page.status_code == 200 and "data-two-step-required" in page.content.decode()

    # An API token is not a session: it works without a code.
    _token, raw = token_create(actor=actor_for(director), user=director, name="script")
    assert Client().get("/api/v1/contracts", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    device = TOTPDevice.objects.get(user=director, confirmed=False)
    assert c.post("/accounts/two-step/", {"code": _code(device), "next": "/"}).status_code == 200
    assert c.get("/").status_code == 200
    assert c.get("/api/v1/contracts").status_code == 200

    # Optional for the other roles.
    assert _sign_in("principal.pshs").get("/incidents/").status_code == 200
    supervisor = _sign_in("lt.pspd").get("/")
    assert supervisor.status_code == 302 and supervisor["Location"].startswith("/accounts/two-step/")


def test_the_demo_signs_in_without_it(demo: dict[str, Any], settings: Any) -> None:
    settings.SRO_DEMO_MODE = True
    assert _sign_in("director").get("/").status_code == 200


def test_turning_it_off_needs_a_code_and_is_audited(demo: dict[str, Any]) -> None:
    principal = demo["users"]["principal.pshs"]
    c = _sign_in("principal.pshs")
    device = pending_device(principal)
    assert c.post("/accounts/two-step/", {"code": _code(device)}).status_code == 200
    page = c.get("/accounts/two-step/").content.decode()
    assert "data-two-step-on" in page and f"{RECOVERY_CODES} unused recovery codes" in page
    assert c.post("/accounts/two-step/", {"code": "999999", "action": "remove"}).status_code == 422
    device.refresh_from_db()
    r = c.post("/accounts/two-step/", {"code": _code(device, steps_ahead=1), "action": "remove"})
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=principal).exists()
    assert not StaticToken.objects.filter(device__user=principal).exists()
    assert _events("two_step_removed", principal) == 1
    assert _sign_in("principal.pshs").get("/incidents/").status_code == 200  # no code asked any more
