"""Small helpers every app's services share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from sro.core.errors import InvalidInput

if TYPE_CHECKING:
    from sro.orgs.actors import Actor


def actor_user(actor: Actor | None) -> Any:
    """The user to audit for an actor; None is the operator at the command line."""
    return actor.user if actor is not None else None


def clean_or_raise(instance: Any, exclude: list[str] | None = None) -> None:
    """`full_clean()`, turning Django's ValidationError into InvalidInput with field names."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput.from_django(exc) from None
