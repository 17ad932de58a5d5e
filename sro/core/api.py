"""API plumbing shared by every app: the error shape, pagination, the error handlers.

Authentication (tokens, the session, the caller's actor) is the orgs app's: `sro.orgs.auth`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.pagination import PageNumberPagination
from pydantic import BeforeValidator

from sro.core.errors import DomainError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: object) -> object:
    """Only a date written YYYY-MM-DD (or a date already): pydantic would otherwise read a number,
    or a string of digits such as `on=0`, as seconds since 1970 and answer for 1 January 1970."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


def _iso_datetime_text(value: object) -> object:
    """Only a date and time written in ISO 8601 (YYYY-MM-DDTHH:MM, with seconds and an offset if
    wanted), not a number of seconds since 1970."""
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("must be a date and time written YYYY-MM-DDTHH:MM")


# Dates and times the API reads (query parameters and request bodies).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]
IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime_text)]
T = TypeVar("T", bound=Model)


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


class MappedRows(Generic[T]):
    """A queryset whose rows are turned into the API's dicts only for the page asked for, so a list
    endpoint under `@paginate(Pagination)` does the same work whatever the number of rows."""

    def __init__(self, queryset: QuerySet[T], out: Callable[[T], dict[str, Any]]) -> None:
        self.queryset, self.out = queryset, out

    def all(self) -> MappedRows[T]:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.out(row) for row in self.queryset[page]]


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


def document_error_answers(api: NinjaAPI, *, public: Callable[..., Any]) -> None:
    """Add to every operation's documented answers the errors any request can get, and mark the
    operations the public may call as needing no credentials.

    Every operation can answer 422: a NUL character anywhere in the request is refused before the
    operation runs (`NulCharacterMiddleware`), and a bad path or query parameter fails validation.
    Every operation that needs credentials answers 401 without them. `public` is the authentication
    callback that lets an anonymous caller through; an operation listing it gets an empty security
    requirement beside the token and session ones, which is how OpenAPI says "credentials
    optional" (OpenAPI 3.1, Security Requirement Object: "To make security optional, an empty
    security requirement ({}) can be included in the array").
    Run once every router has been added.
    """
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                _document_operation(operation, public=public)


def _document_operation(operation: Operation, *, public: Callable[..., Any]) -> None:
    models = operation.response_models
    if len(models) == 1 and 200 not in models:
        # ninja sends a lone documented status by default; with the errors added it would send 200
        raise ValueError(f"{operation.view_func.__name__}: return Status(...) and document an error too")
    error = _error_model(operation)
    models.setdefault(422, error)
    callbacks = list(operation.auth_callbacks)
    if not callbacks:
        return
    if public in callbacks:
        extra = dict(operation.openapi_extra or {})
        extra["security"] = [{}]  # appended by ninja to the token and session requirements
        operation.openapi_extra = extra
    else:
        models.setdefault(401, error)


def _error_model(operation: Operation) -> Any:
    return operation._create_response_model(ErrorOut)
