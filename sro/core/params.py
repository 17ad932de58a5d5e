"""Reading typed values out of query strings and command-line options, with errors that name them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib import messages
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.utils import timezone

from sro.core.errors import InvalidInput


def parse_date(text: str, *, name: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); otherwise InvalidInput naming the parameter `name`.

    Its `detail` reads "<name>: '<text>' is not a date (YYYY-MM-DD)", ready for a CLI error.
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput.single(name, f"'{text}' is not a date (YYYY-MM-DD)") from None


def option_date(text: str, *, flag: str) -> dt.date:
    """A command-line option's date; CommandError naming the option (`--today: '...' is not a date`)."""
    try:
        return parse_date(text, name=flag)
    except InvalidInput as exc:
        raise CommandError(exc.detail) from None


def date_param(query: Mapping[str, str], name: str) -> dt.date | None:
    """The date in query parameter `name` (e.g. `request.GET`); None when absent or blank."""
    text = query.get(name, "")
    return parse_date(text, name=name) if text else None


def date_param_or_today(request: HttpRequest, name: str = "on") -> dt.date:
    """A page's date parameter; today when absent, and when it is not a date (saying so on the page)."""
    try:
        return date_param(request.GET, name) or timezone.localdate()
    except InvalidInput as exc:
        messages.error(request, f"{exc.errors[0].message}; showing today.")
        return timezone.localdate()
