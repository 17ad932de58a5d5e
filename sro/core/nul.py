"""The NUL character (U+0000) in text: refused everywhere, naming the field, on every database.

PostgreSQL cannot store NUL in a text column (the write fails with a DataError, a 500) and
SQLite stores it silently. The product refuses it before either sees it, in two places:

- at the door, `sro.core.middleware.NulCharacterMiddleware`: every HTTP request's path, query
  string and, for the API, its body (JSON or form) -> the API answers 422 in its error shape,
  a page answers 400 naming the parameter. Page forms are not checked there: Django's
  `forms.CharField` already refuses NUL beside the field ("Null characters are not allowed.");
- at the table, `refuse_nul_on_save` (a `pre_save` receiver on every sro model): any text,
  including text inside a JSON field, raises `InvalidInput` naming the field. This catches what
  does not come through the door: the command line, imports, a page's free-text field read
  without a form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from sro.core.errors import InvalidInput

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (\\x00)"


def _join(prefix: str, part: object) -> str:
    return f"{prefix}.{part}" if prefix else str(part)


def _shown(key: str) -> str:
    return key.replace(NUL, "\\x00")


def nul_path(value: Any, prefix: str = "") -> str | None:
    """The dotted path (`students.0.name`) of the first text holding a NUL in `value`, or None.

    Walks dicts (keys too), lists and tuples; any other value is not text. The root itself is
    named `prefix` (empty when the value is a bare string).
    """
    if isinstance(value, str):
        return prefix if NUL in value else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                return _join(prefix, _shown(key))
            found = nul_path(item, _join(prefix, key))
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = nul_path(item, _join(prefix, i))
            if found is not None:
                return found
    return None


def refuse_nul_on_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """`pre_save`: refuse text holding a NUL in any concrete field of an sro model."""
    if not sender.__module__.startswith("sro."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str | Mapping | list | tuple):
            found = nul_path(value, field.name)
            if found is not None:
                raise InvalidInput.single(found, NUL_MESSAGE)
