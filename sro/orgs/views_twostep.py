"""Two-step sign-in pages: set up (QR code and secret, confirmed with a code), the code asked for
after the password, recovery codes, turning it off. The rules are in `sro.orgs.twostep`."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from sro.core.errors import DomainError
from sro.core.forms import add_service_error
from sro.orgs.models import User
from sro.orgs.twostep import (
    authenticator,
    is_required,
    pending_device,
    recovery_codes_left,
    two_step_confirm,
    two_step_new_recovery_codes,
    two_step_remove,
    two_step_verify,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter the code")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@login_required
def two_step(request: HttpRequest) -> HttpResponse:
    """Your two-step sign-in: its state, set it up, new recovery codes, turn it off."""
    me = _me(request)
    device = authenticator(me)
    if device is None:
        return _setup(request, me)
    if not _verified(request):
        return redirect(f"/accounts/two-step/verify/?next={request.path}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "remove":
                two_step_remove(user=me, token=form.cleaned_data["code"])
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("two_step")
            codes = two_step_new_recovery_codes(user=me, token=form.cleaned_data["code"])
            return render(request, "orgs/two_step_codes.html", {"codes": codes, "next": "/"})
        except DomainError as exc:
            add_service_error(form, exc)
    return render(
        request,
        "orgs/two_step.html",
        {"device": device, "left": recovery_codes_left(me), "form": form, "required": is_required(me)},
        status=422 if form.errors else 200,
    )


def _setup(request: HttpRequest, me: User) -> HttpResponse:
    device = pending_device(me)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = two_step_confirm(user=me, token=form.cleaned_data["code"])
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            otp_login(request, confirmed)
            return render(request, "orgs/two_step_codes.html", {"codes": codes, "next": _next(request)})
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "orgs/two_step_setup.html",
        {
            "qr_svg": mark_safe(qr.svg_inline(scale=5, title=_("QR code to scan with your authenticator app"))),  # noqa: S308 - segno's own SVG
            "secret": b32encode(device.bin_key).decode(),
            "form": form,
            "required": is_required(me),
            "next": _next(request),
        },
        status=422 if form.errors else 200,
    )


@login_required
def two_step_verify_view(request: HttpRequest) -> HttpResponse:
    """After the password: the authenticator's code (or a recovery code)."""
    me = _me(request)
    if authenticator(me) is None or _verified(request):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step_verify(user=me, token=form.cleaned_data["code"])
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = recovery_codes_left(me)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)s are left. "
                        "Make new ones on the Two-step sign-in page."
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
    return render(
        request, "orgs/two_step_verify.html", {"form": form, "next": _next(request)}, status=422 if form.errors else 200
    )
