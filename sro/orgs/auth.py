"""Who is calling the API: a personal token or the browser's session, and the caller's actor.

Every app's `api.py` takes its `auth=` and `request_actor` from here; the error shape and the
pagination every API shares are in `sro.core.api`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import APIKeyCookie, HttpBearer

from sro.core.errors import Forbidden
from sro.orgs.actors import Actor, actor_for
from sro.orgs.services import token_authenticate

logger = logging.getLogger("django.security.csrf")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal token from `sro token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request._sro_token_auth = True  # type: ignore[attr-defined]
        return user


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check (Origin, Referer on HTTPS, the token), keeping the refusal's reason."""

    reason: str | None = None

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponseForbidden:
        self.reason = reason
        logger.warning("Forbidden (%s): %s", reason, request.path)
        return HttpResponseForbidden(reason)


def _unchecked_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - the check only looks at it
    return HttpResponse()


def csrf_refusal(request: HttpRequest) -> str | None:
    """Why Django's CSRF check refuses this request, or None when it passes (safe methods always do)."""
    check = _CsrfCheck(_unchecked_view)
    request.csrf_processing_done = False  # type: ignore[attr-defined] # the API's views are csrf_exempt
    check.process_request(request)
    check.process_view(request, _unchecked_view, (), {})
    return check.reason


class SessionCookie(APIKeyCookie):
    """The browser's session, for pages that call the API; unsafe methods need the CSRF token.

    django-ninja's `APIKeyCookie` runs the check in `_get_key`, before it knows whether the cookie
    signs anyone in, so an anonymous request to a public endpoint (a resident's comment) would be
    refused for want of a token it cannot have. Here the check runs once the session has
    authenticated a user, and a refusal is final: the request is not retried as the public.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            reason = csrf_refusal(request)
            if reason is not None:
                raise Forbidden(
                    f"CSRF check failed: {reason} A signed-in page must send the X-CSRFToken header "
                    "with the csrftoken cookie's value; scripts use 'Authorization: Bearer <token>'."
                )
        return user


AUTH = [BearerToken(), SessionCookie(csrf=True)]


def anonymous(request: HttpRequest) -> bool:
    """Lets a request through without credentials: the caller is then the public."""
    return True


# Public endpoints still honour a token or session, so a signed-in caller sees their own scope.
AUTH_OR_PUBLIC: list[Any] = [*AUTH, anonymous]


def request_actor(request: HttpRequest) -> Actor:
    return actor_for(getattr(request, "user", None))
