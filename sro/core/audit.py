"""Append events to the hash-chained audit trail and verify the chain.

Every service that writes calls `audit_log` inside its transaction, so the event
is stored exactly when the change is. Reads of student-identifying records call
`audit_read`. Events are serialised (one writer at a time) so the chain is a line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from sro.core.context import current_request_id
from sro.core.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x5F524F41  # advisory lock id for the chain head on PostgreSQL


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": _iso(event.at),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "request_id": event.request_id,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }


def compute_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def _jsonable(value: Any) -> Any:
    """Make a changed-field value storable and stable across databases."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return _iso(value) if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _superuser_or_none(user: Any) -> str:
    return "superuser" if getattr(user, "is_superuser", False) else "none"


# How a signed-in user's roles read in the trail; the orgs app, which owns roles, registers its
# `role_label_for` from OrgsConfig.ready() (core names no app above it).
_role_label: Callable[[Any], str] = _superuser_or_none


def register_role_label(label: Callable[[Any], str]) -> None:
    """Set the function that writes a user's roles into each event's `role` (one, replaced)."""
    global _role_label  # a one-slot registry, set once at start-up
    _role_label = label


def _actor_fields(actor: AbstractBaseUser | AnonymousUser | None) -> tuple[int | None, str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "", "public"
    return int(str(actor.pk)), str(actor.get_username()), _role_label(actor)


def audit_log(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event. Call inside the transaction that makes the change."""
    actor_id, actor_username, role = _actor_fields(actor)
    if username and not actor_username:
        actor_username = username
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        event = AuditEvent(
            seq=seq,
            at=timezone.now(),
            actor_id=actor_id,
            actor_username=actor_username,
            role=role,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            request_id=current_request_id(),
            changes=_jsonable(changes or {}),
            prev_hash=prev,
        )
        event.hash = compute_hash(prev, event_payload(event))
        event.save(force_insert=True)
    return event


def audit_read(
    *, actor: AbstractBaseUser | AnonymousUser | None, obj: models.Model, fields: Iterable[str] = ()
) -> AuditEvent:
    """Record that `actor` viewed a student-identifying record."""
    return audit_log(actor=actor, action="read", obj=obj, changes={"fields": sorted(fields)})


def model_changes(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: _jsonable(getattr(instance, f)) for f in fields}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(events: Iterable[AuditEvent] | None = None) -> VerifyResult:
    """Walk the chain in order; report the first event whose link or hash is wrong."""
    rows: Iterable[AuditEvent] = (
        events if events is not None else AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    )
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for ev in rows:
        if ev.seq != expected_seq:
            return VerifyResult(False, checked, ev.seq, f"sequence gap: expected #{expected_seq}, found #{ev.seq}")
        if ev.prev_hash != prev:
            return VerifyResult(False, checked, ev.seq, "previous-hash link does not match the event before it")
        if compute_hash(prev, event_payload(ev)) != ev.hash:
            return VerifyResult(False, checked, ev.seq, "stored hash does not match the event's contents")
        prev = ev.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)


def export_events(since: dt.datetime | None = None) -> Iterator[str]:
    qs = AuditEvent.objects.order_by("seq")
    if since is not None:
        qs = qs.filter(at__gte=since)
    for ev in qs.iterator(chunk_size=2000):
        payload = event_payload(ev)
        payload["hash"] = ev.hash
        yield canonical_json(payload)
