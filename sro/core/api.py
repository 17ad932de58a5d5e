"""API plumbing shared by every app: authentication, the error shape, pagination."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import APIKeyCookie, HttpBearer

from sro.core.errors import DomainError
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


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class Pagination(PageNumberPagination):
    class Input(PageNumberPagination.Input):
        pass

    def __init__(self, page_size: int = 50, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, **kwargs)


def request_actor(request: HttpRequest) -> Actor:
    return actor_for(getattr(request, "user", None))


def _loc_to_field(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "payload", "form"}]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _loc_to_field(e.get("loc", [])), "message": str(e.get("msg", "invalid"))} for e in exc.errors
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid input."
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {
                "detail": "Authentication required: send 'Authorization: Bearer <token>'.",
                "errors": [],
            },
            status=401,
        )

    @api.exception_handler(Http404)
    def _404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)
