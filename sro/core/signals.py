"""Sign-in, sign-out and failed sign-in go to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from sro.core.audit import audit_log


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(actor=user, action="sign_in", obj=user)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        reason = getattr(request, "session_end_reason", None)  # set when the session expired
        audit_log(actor=user, action="sign_out", obj=user, changes={"reason": reason} if reason else None)


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_log(
        actor=None,
        action="sign_in_failed",
        object_type="orgs.User",
        username=username,
        changes={"username": username},
    )
