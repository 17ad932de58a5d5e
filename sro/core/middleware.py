from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from sro.core.context import new_request_id, request_context
from sro.core.errors import InvalidInput
from sro.core.nul import NUL, NUL_MESSAGE, SURROGATE_MESSAGE, nul_path, surrogate_path
from sro.core.visibility import collecting_refusals

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane X-Request-ID) for logs and the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        with request_context(rid):
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class RefusedAccessMiddleware:
    """Writes the refused accesses of a request to the audit trail once it is answered
    (`sro.core.visibility.collecting_refusals`: outside the transaction a service rolled back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with collecting_refusals(method=request.method or "GET"):
            return self.get_response(request)


API_PREFIX = "/api/"


class NulCharacterMiddleware:
    """Refuses a NUL character in a request's path, query string or API body, naming the field.

    The API answers 422 in its error shape (`{"detail", "errors": [{"field", "message"}]}`), the
    field named as the API names it (`students.0.name`, a query parameter's name, a path
    parameter's name); a page answers 400 naming the parameter. Page form bodies are left to the
    forms (Django's `forms.CharField` refuses NUL beside the field); `sro.core.nul` explains the
    whole rule.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith(API_PREFIX)
        field = _nul_in_path(request) or _nul_in_query(request) or (_nul_in_body(request) if is_api else None)
        if field is None:
            odd = _surrogate_in_body(request) if is_api else None
            if odd is None:
                return self.get_response(request)
            return JsonResponse(InvalidInput.single(odd, SURROGATE_MESSAGE).as_dict(), status=422)
        if is_api:
            return JsonResponse(InvalidInput.single(field, NUL_MESSAGE).as_dict(), status=422)
        return HttpResponseBadRequest(
            f"Bad request: '{field}' {NUL_MESSAGE}.".encode(), content_type="text/plain; charset=utf-8"
        )


def _nul_in_path(request: HttpRequest) -> str | None:
    if NUL not in request.path_info:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None  # names nothing: Django answers 404
    return nul_path(dict(match.kwargs)) or "path"


def _nul_in_fields(data: QueryDict) -> str | None:
    """A query string's or form's parameter holding a NUL (in its name or any of its values)."""
    for name, values in data.lists():
        if nul_path([name, *values]) is not None:
            return name.replace(NUL, "\\x00")
    return None


def _nul_in_query(request: HttpRequest) -> str | None:
    return _nul_in_fields(request.GET)


def _nul_in_body(request: HttpRequest) -> str | None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    body = request.body  # read first: the form parser below then reads the kept copy
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _nul_in_fields(request.POST)
    if b"\x00" not in body and b"\\u0000" not in body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # not JSON: the API answers 400 for an unreadable body
    return nul_path(data) if not isinstance(data, str) else ("body" if NUL in data else None)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _surrogate_in_body(request: HttpRequest) -> str | None:
    """An API JSON body's field holding half of a surrogate pair (written `\\ud800` in JSON).

    Only JSON can carry one: a query string or a form is decoded from UTF-8, which cannot. A
    well-formed pair (an emoji written as two escapes) is one character once decoded and passes.
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type != "application/json":
        return None
    body = request.body
    if _SURROGATE_ESCAPE.search(body) is None:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # not JSON: the API answers 400 for an unreadable body
    return surrogate_path(data) if not isinstance(data, str) else None


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and `Pragma: no-cache`) on every response that may carry records.

    The rule is deliberately coarse, so no page or endpoint has to remember it: every response to
    a request that carries credentials (a session cookie or an `Authorization` header), and every
    API response except an anonymous read's success (`GET`/`HEAD` without credentials answered
    2xx, which only the public endpoints do). It replaces any caching header the view set.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        credentials = "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES
        public_read = not credentials and request.method in ("GET", "HEAD") and 200 <= response.status_code < 300
        if credentials or (request.path_info.startswith(API_PREFIX) and not public_read):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


IDLE_KEY = "sro.seen"  # when the session last made a request (epoch seconds)
STARTED_KEY = "sro.started"  # when the session signed in
TOUCH_EVERY = 60  # seconds: `seen` is written at most once a minute, not on every request


class SessionExpiryMiddleware:
    """Ends a signed-in session after `SRO_SESSION_IDLE_MINUTES` without a request, and after
    `SRO_SESSION_MAX_HOURS` in all, whatever the activity.

    Both limits are checked on the server at every request, so a copied cookie stops working
    too. An ended session is signed out (the audit trail records the sign-out and why); a page
    request is sent to the sign-in page with a message and comes back where it was, an API
    request continues unauthenticated and gets the API's 401.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._check(request)
            if ended is not None and not request.path_info.startswith(API_PREFIX):
                messages.info(request, ended)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _check(request: HttpRequest) -> str | None:
        session = request.session
        now = time.time()
        started = session.get(STARTED_KEY)
        seen = session.get(IDLE_KEY)
        if started is None or seen is None:
            session[STARTED_KEY] = started or now
            session[IDLE_KEY] = now
            return None
        idle = settings.SRO_SESSION_IDLE_MINUTES * 60
        longest = settings.SRO_SESSION_MAX_HOURS * 3600
        if now - float(seen) > idle:
            reason = "idle"
            text = _("You were signed out after %(minutes)s minutes without activity. Sign in again to go on.") % {
                "minutes": settings.SRO_SESSION_IDLE_MINUTES
            }
        elif now - float(started) > longest:
            reason = "maximum_age"
            text = _("You were signed out: a session lasts at most %(hours)s hours. Sign in again to go on.") % {
                "hours": settings.SRO_SESSION_MAX_HOURS
            }
        else:
            if now - float(seen) >= TOUCH_EVERY:
                session[IDLE_KEY] = now
            return None
        request.session_end_reason = reason  # type: ignore[attr-defined]  # read by the sign-out audit
        logout(request)
        return str(text)
