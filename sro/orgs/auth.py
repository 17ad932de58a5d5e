"""Who is calling the API: a personal token or the browser's session, and the caller's actor.

Every app's `api.py` takes its `auth=` and `request_actor` from here; the error shape and the
pagination every API shares are in `sro.core.api`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from sro.orgs.actors import Actor, actor_for
from sro.orgs.services import token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal token from `sro token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request._sro_token_auth = True  # type: ignore[attr-defined]
        return user


class SessionCookie(APIKeyCookie):
    """The browser's session, for pages that call the API (CSRF-checked)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


AUTH = [BearerToken(), SessionCookie(csrf=True)]


def anonymous(request: HttpRequest) -> bool:
    """Lets a request through without credentials: the caller is then the public."""
    return True


# Public endpoints still honour a token or session, so a signed-in caller sees their own scope.
AUTH_OR_PUBLIC: list[Any] = [*AUTH, anonymous]


def request_actor(request: HttpRequest) -> Actor:
    return actor_for(getattr(request, "user", None))
