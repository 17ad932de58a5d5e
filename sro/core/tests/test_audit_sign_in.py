"""Sign-ins, sign-outs and failed sign-ins go into the audit trail (on the demo's people)."""

from __future__ import annotations

from django.test import Client

from sro.core.audit import verify_chain
from sro.core.models import AuditEvent


def test_sign_in_sign_out_and_failures_are_audited(demo: dict[str, object]) -> None:
    c = Client()
    c.post("/accounts/login/", {"username": "director", "password": "wrong-password"})
    c.post("/accounts/login/", {"username": "director", "password": "palm-springs-demo"})
    c.post("/accounts/logout/")
    actions = list(AuditEvent.objects.filter(action__startswith="sign").values_list("action", "actor_username"))
    assert actions == [("sign_in_failed", "director"), ("sign_in", "director"), ("sign_out", "director")]
    signed_in = AuditEvent.objects.get(action="sign_in")
    assert signed_in.role == "district_admin"
    assert signed_in.request_id.startswith("req-")
    assert verify_chain().ok


def test_repeated_failures_lock_the_account(demo: dict[str, object]) -> None:
    c = Client()
    for _ in range(3):
        c.post("/accounts/login/", {"username": "director", "password": "wrong-password"})
    r = c.post("/accounts/login/", {"username": "director", "password": "palm-springs-demo"})
    assert r.status_code == 429
    assert "locked" in r.content.decode().lower()
    assert not AuditEvent.objects.filter(action="sign_in").exists()
