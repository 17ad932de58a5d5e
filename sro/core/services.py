"""Small helpers every app's services share."""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ValidationError

from sro.core.errors import FieldError, InvalidInput


class HasUser(Protocol):
    """Anything acting for a user (`sro.orgs.actors.Actor`; its `user` is None for the public)."""

    @property
    def user(self) -> Any: ...


def actor_user(actor: HasUser | None) -> Any:
    """The user to audit for an actor; None is the operator at the command line."""
    return actor.user if actor is not None else None


def clean_errors(instance: Any, *, exclude: list[str] | None = None, prefix: str = "") -> list[FieldError]:
    """`full_clean()`'s problems as field errors (names prefixed), for a service that reports
    every problem of several objects at once; `clean_or_raise` is the one-object form."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        return [FieldError(f"{prefix}{e.field}", e.message) for e in InvalidInput.from_django(exc).errors]
    return []


def clean_or_raise(instance: Any, exclude: list[str] | None = None) -> None:
    """`full_clean()`, turning Django's ValidationError into InvalidInput with field names."""
    errors = clean_errors(instance, exclude=exclude)
    if errors:
        raise InvalidInput.many((e.field, e.message) for e in errors)
