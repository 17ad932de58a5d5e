"""Protection for the public forms that need no sign-in (public comment, complaints).

Two layers, shared by every such form:

- a **honeypot** field (`honeypot_field`, named `website`): hidden from people by the stylesheet
  (`.hp` in the site's CSS), left empty by people and filled in by robots. A service that finds it
  filled stores nothing and answers exactly as on success, so a robot learns nothing;
- a **rate limit** per sender: the sender's network address is kept only as a keyed hash
  (`address_hash`, under the site's secret key and a per-form purpose), enough to count the
  sender's recent submissions in the database and not enough to recover the address. Over the
  limit, the service raises `RateLimited` (HTTP 429) and stores nothing.
"""

from __future__ import annotations

from django import forms
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sro.core.errors import DomainError

HONEYPOT_FIELD = "website"


class RateLimited(DomainError):
    """Too many submissions from one address in the period."""

    status = 429


def address_hash(address: str, *, purpose: str) -> str:
    """A keyed hash of the sender's address for one form (`purpose`): enough to count, not to recover."""
    return salted_hmac(purpose, address or "unknown", algorithm="sha256").hexdigest()


def honeypot_tripped(value: str) -> bool:
    return bool(value.strip())


def check_rate(*, recent: int, limit: int, message: str) -> None:
    """Refuse a submission when the sender already sent `limit` in the period (`recent` counted by the caller)."""
    if recent >= limit:
        raise RateLimited(message)


def honeypot_field() -> forms.CharField:
    """The hidden field robots fill in; give the form's field the name `HONEYPOT_FIELD`."""
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
