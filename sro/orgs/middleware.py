"""Two-step sign-in at every request (`sro.orgs.twostep` says who must use it).

After the password, a signed-in person who set up an authenticator but has not given its code in
this session is sent to the code page; a person who must use two-step sign-in and has not set it
up is sent to the set-up page. Either way nothing else opens (pages redirect, the API answers 401)
until they have. Signing out, the two-step pages themselves, the language switch and static
files stay open. API requests with a bearer token are not sessions and are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sro.orgs.models import User
from sro.orgs.twostep import authenticator, is_required

SETUP_URL = "/accounts/two-step/"
VERIFY_URL = "/accounts/two-step/verify/"
OPEN_PREFIXES = ("/accounts/two-step/", "/accounts/logout/", "/accounts/login/", "/static/", "/i18n/", "/healthz")
API_PREFIX = "/api/"


class TwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path_info
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # set by django-otp's OTPMiddleware
            and not path.startswith(OPEN_PREFIXES)
            and not (path.startswith(API_PREFIX) and "HTTP_AUTHORIZATION" in request.META)
        ):
            target = VERIFY_URL if authenticator(user) is not None else SETUP_URL if is_required(user) else None
            if target is not None:
                if path.startswith(API_PREFIX):
                    detail = _("Finish the two-step sign-in in the browser first, or use an API token.")
                    return JsonResponse({"detail": detail, "errors": []}, status=401)
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
