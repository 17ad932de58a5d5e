"""Visibility rules: who may see which rows of a model, written once as a `Q` for one actor.

Each scoped entity has one `<entity>_visibility(actor) -> Q` in its app's selectors. The list
selector filters by it, and a single-object check evaluates the very same `Q` against the one
row (`matches`), so a list and an object check cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from sro.core.audit import audit_log
from sro.core.errors import NotFound

M = TypeVar("M", bound=Model)

EVERYONE = Q()  # the rule of a superuser, and of entities everybody may see


def matches(obj: Model, rule: Q) -> bool:
    """Does the saved row `obj` satisfy the visibility rule `rule`? One query."""
    if obj.pk is None:
        return False
    # The base manager: a model's default manager may hide rows (cancelled assignments).
    return type(obj)._base_manager.filter(pk=obj.pk).filter(rule).exists()


# ---------------------------------------------------------------- refused access, audited
#
# A record that exists but is outside the caller's scope answers exactly as a missing one
# (NotFound: 404 on pages and in the API). The refusal is still written to the audit trail
# (action `access_refused`: the caller, the record's type and id, and whether the request was a
# read or a write), so attempts to reach other people's student records leave a trace. Only the
# audit trail sees the difference; the caller's answer does not change.
#
# The answer is often raised inside a service's transaction, which its error rolls back; so
# during a request the refusal is kept aside and written by `RefusedAccessMiddleware` once the
# response is ready, outside any transaction of the view. Outside a request (a command, a test
# calling a selector) it is written at once.

_pending: ContextVar[list[Refusal] | None] = ContextVar("sro_refused_access", default=None)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Refusal:
    user: Any  # the signed-in user (or the token's owner); None for the public
    object_type: str
    object_id: str


def get_visible(qs: QuerySet[M], *, pk: object, actor_user: Any, label: str) -> M:
    """The row `pk` of the actor's scoped queryset `qs`, or NotFound(label) alike for missing and
    hidden; a hidden row (it exists, outside the scope) is recorded as a refused access."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        refuse(qs.model, pk, actor_user=actor_user)
        raise NotFound(label) from None


def refuse(model: type[Model], pk: object, *, actor_user: Any) -> None:
    """Record that `actor_user` was refused the row `pk` of `model`, when that row exists."""
    try:
        exists = model._base_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        return
    if not exists:
        return
    refusal = Refusal(user=actor_user, object_type=model._meta.label, object_id=str(pk))
    pending = _pending.get()
    if pending is not None:
        pending.append(refusal)
    else:
        _write(refusal, attempted="read")


def _write(refusal: Refusal, *, attempted: str) -> None:
    user = refusal.user if refusal.user is not None and refusal.user.is_authenticated else None
    audit_log(
        actor=user,
        action="access_refused",
        object_type=refusal.object_type,
        object_id=refusal.object_id,
        changes={"attempted": attempted},
    )


@contextmanager
def collecting_refusals(*, method: str) -> Iterator[None]:
    """Keep the refusals of one request aside, and write them when it has been answered."""
    pending: list[Refusal] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        attempted = "read" if method.upper() in SAFE_METHODS else "write"
        for refusal in dict.fromkeys(pending):  # once per record and request
            _write(refusal, attempted=attempted)
