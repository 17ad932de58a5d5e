"""The NUL character (U+0000), and lone surrogates, in text: refused everywhere, naming the field.

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

A lone surrogate (`"\\ud800"` in JSON) is refused in the same two places with its own message:
SQLite and PostgreSQL both fail to encode it (a 500 before this check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models

from sro.core.errors import InvalidInput

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (\\x00)"
# Half of a UTF-16 surrogate pair on its own (JSON lets a client write "\ud800"): not a character,
# so no database can store it as UTF-8 text (Unicode 15, section 3.9, D91: a Unicode scalar value
# excludes the surrogate code points U+D800 to U+DFFF; RFC 8259, section 8.2, warns that such
# strings are allowed by JSON's grammar and break software that decodes them).
SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_MESSAGE = "must be valid Unicode text: it holds half of a surrogate pair (\\ud800 to \\udfff)"


def _join(prefix: str, part: object) -> str:
    return f"{prefix}.{part}" if prefix else str(part)


def _shown(key: str) -> str:
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", key.replace(NUL, "\\x00"))


def _has_nul(text: str) -> bool:
    return NUL in text


def has_surrogate(text: str) -> bool:
    return SURROGATE.search(text) is not None


def _find(value: Any, prefix: str, bad: Callable[[str], bool]) -> str | None:
    if isinstance(value, str):
        return prefix if bad(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and bad(key):
                return _join(prefix, _shown(key))
            found = _find(item, _join(prefix, key), bad)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found = _find(item, _join(prefix, i), bad)
            if found is not None:
                return found
    return None


def nul_path(value: Any, prefix: str = "") -> str | None:
    """The dotted path (`students.0.name`) of the first text holding a NUL in `value`, or None.

    Walks dicts (keys too), lists and tuples; any other value is not text. The root itself is
    named `prefix` (empty when the value is a bare string).
    """
    return _find(value, prefix, _has_nul)


def surrogate_path(value: Any, prefix: str = "") -> str | None:
    """The dotted path of the first text holding a lone surrogate in `value`, or None (as `nul_path`)."""
    return _find(value, prefix, has_surrogate)


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
            found = surrogate_path(value, field.name)
            if found is not None:
                raise InvalidInput.single(found, SURROGATE_MESSAGE)
