"""Two-step sign-in (TOTP) for staff accounts, with django-otp: who must use it, setting it up,
signing in with a code or a recovery code, and turning it off. Every step is audited.

- **Who.** Anyone may set it up. A district administrator or an agency supervisor must: after the
  password, such a person with no confirmed authenticator is sent to set one up and can do nothing
  else until they have (`SRO_TWO_STEP_REQUIRED`, on by default). A trial site (`SRO_DEMO_MODE`)
  does not require it, so the demo's accounts sign in with the password alone; an account that set
  it up is still asked for its code there.
- **Authenticator.** A TOTP device (RFC 6238: a 6-digit code from the shared secret and the time,
  every 30 seconds), as django-otp's `TOTPDevice` implements it, set up by scanning a QR code of
  its `otpauth://` address or typing the secret, and confirmed by one code from the app.
- **Recovery codes.** 10 single-use codes (django-otp's `StaticDevice`), shown once when the
  authenticator is confirmed; each signs in once, in place of the app's code.
- **API tokens** are not sessions: a program with a token never gives a code (docs/api.md).

Wrong codes are throttled by django-otp (each failure doubles the wait before the next try).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sro.core.audit import audit_log
from sro.core.errors import InvalidInput
from sro.orgs.actors import actor_for
from sro.orgs.models import User
from sro.orgs.roles import Role

REQUIRED_ROLES = (Role.DISTRICT_ADMIN, Role.AGENCY_SUPERVISOR)
RECOVERY_CODES = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _wrong_code() -> str:
    return _("That code is not right, or it was used already. Check the time on your phone and try again.")


def is_required(user: User) -> bool:
    """Must this person set up two-step sign-in before doing anything else?"""
    if not settings.SRO_TWO_STEP_REQUIRED or settings.SRO_DEMO_MODE:
        return False
    actor = actor_for(user)
    return any(actor.org_ids(role) for role in REQUIRED_ROLES)


def authenticator(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet): the same one until it is confirmed, so the
    QR code does not change when the page is shown again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _clean_token(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def two_step_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with one code from the app; returns it and the new
    recovery codes (shown once). A wrong code raises InvalidInput naming `code`, nothing changes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise InvalidInput.single("code", _("Start again: no authenticator is being set up."))
        if not device.verify_token(_clean_token(token)):
            raise InvalidInput.single("code", _wrong_code())
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        codes = _new_recovery_codes(user)
        audit_log(
            actor=user,
            action="two_step_setup",
            obj=user,
            changes={"device": device.name, "recovery_codes": len(codes)},
        )
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = []
    for _n in range(RECOVERY_CODES):
        code = StaticToken.random_token()
        static.token_set.create(token=code)
        codes.append(code)
    return codes


def two_step_verify(*, user: User, token: str) -> TOTPDevice | StaticDevice:
    """The device that accepts `token` (the authenticator's code or an unused recovery code), or
    InvalidInput naming `code`. A recovery code is used up, and its use is audited."""
    cleaned = _clean_token(token)
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is not None and cleaned.isdigit() and totp.verify_token(cleaned):
            return totp
        static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if static is not None and static.verify_token(cleaned):
            audit_log(
                actor=user,
                action="two_step_recovery_code_used",
                obj=user,
                changes={"recovery_codes_left": static.token_set.count()},
            )
            return static
    with transaction.atomic():
        audit_log(actor=user, action="two_step_failed", obj=user)
    raise InvalidInput.single("code", _wrong_code())


def two_step_remove(*, user: User, token: str) -> None:
    """Turn two-step sign-in off (after a current code or a recovery code): the authenticator and
    the recovery codes go. Audited."""
    two_step_verify(user=user, token=token)
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        StaticDevice.objects.filter(user=user).delete()
        audit_log(actor=user, action="two_step_removed", obj=user, changes={"devices": removed})


def two_step_new_recovery_codes(*, user: User, token: str) -> list[str]:
    """Replace the recovery codes (after a current code): the old ones stop working. Audited."""
    two_step_verify(user=user, token=token)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_log(actor=user, action="two_step_recovery_codes_replaced", obj=user, changes={"count": len(codes)})
    return codes
