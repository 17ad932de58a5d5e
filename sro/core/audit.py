"""Append events to the keyed hash chain of the audit trail, checkpoint its head, verify it.

Every service that writes calls `audit_log` inside its transaction, so the event
is stored exactly when the change is. Reads of student-identifying records call
`audit_read`. Events are serialised (one writer at a time) so the chain is a line.

Each event's hash is an HMAC-SHA256 under the audit key (`SRO_AUDIT_KEY`), which the
database does not hold: someone who can write to the database but not read the server's
settings cannot append a forged event or rewrite the chain without `verify` noticing. Events
written before the key existed (plain SHA-256, `key_id` blank) are accepted only as the chain's
first events. A checkpoint (`write_checkpoint`) is the chain's head (count, newest event and
its hash) signed with the key and kept outside the database; `verify_against` compares the
database with a checkpoint or an export, which detects truncation and deleted newest events,
which no chain can detect by itself. docs/audit.md says exactly what is and is not detected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
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


def _derive(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), purpose, hashlib.sha256).digest()


def audit_keys() -> dict[str, bytes]:
    """The chain's keys by id: the current one first, then any previous ones still accepted.

    `SRO_AUDIT_KEY` (and `SRO_AUDIT_PREVIOUS_KEYS` after a rotation) are secrets kept in the
    server's environment, never in the database. Without one, a key is derived from
    `SECRET_KEY` (docs/audit.md: set a dedicated key, since rotating `SECRET_KEY` would then
    make old events unverifiable).
    """
    secrets = [settings.SRO_AUDIT_KEY or f"derived:{settings.SECRET_KEY}", *settings.SRO_AUDIT_PREVIOUS_KEYS]
    keys: dict[str, bytes] = {}
    for secret in secrets:
        key = _derive(secret, b"sro audit chain")
        keys.setdefault(hmac.new(key, b"key id", hashlib.sha256).hexdigest()[:12], key)
    return keys


def current_key() -> tuple[str, bytes]:
    return next(iter(audit_keys().items()))


def event_payload(event: AuditEvent) -> dict[str, Any]:
    payload = {
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
    if event.key_id:  # part of what is signed, so a keyed event cannot pass as an unkeyed one
        payload["key_id"] = event.key_id
    return payload


def compute_hash(prev_hash: str, payload: dict[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256 under `key` of the previous hash and the canonical payload; SHA-256 without."""
    message = (prev_hash + canonical_json(payload)).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


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
        event.key_id, key = current_key()
        event.hash = compute_hash(prev, event_payload(event), key)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One event for `audit_log_many`: what was done to which object."""

    action: str
    object_type: str
    object_id: str | int
    changes: dict[str, Any] = field(default_factory=dict)


def audit_log_many(
    *, actor: AbstractBaseUser | AnonymousUser | None, entries: Iterable[AuditEntry], batch_size: int = 2000
) -> int:
    """Append many events by one actor at once, chained exactly as `audit_log` chains them one by one
    (same sequence numbers, timestamps and hashes under the same key), under one lock and one read of
    the chain's head, written with bulk inserts. For bulk loads (`sro demo --scale`). Returns how
    many were written. Call inside the transaction that makes the changes."""
    actor_id, actor_username, role = _actor_fields(actor)
    key_id, key = current_key()
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        batch: list[AuditEvent] = []
        for entry in entries:
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=timezone.now(),
                actor_id=actor_id,
                actor_username=actor_username,
                role=role,
                action=entry.action,
                object_type=entry.object_type,
                object_id=str(entry.object_id),
                request_id=current_request_id(),
                changes=_jsonable(entry.changes),
                prev_hash=prev,
                key_id=key_id,
            )
            event.hash = prev = compute_hash(event.prev_hash, event_payload(event), key)
            batch.append(event)
            if len(batch) >= batch_size:
                AuditEvent.objects.bulk_create(batch)
                written, batch = written + len(batch), []
        AuditEvent.objects.bulk_create(batch)
        written += len(batch)
    return written


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
    unkeyed: int = 0  # events at the start of the chain written before the key existed
    head_hash: str = GENESIS


def _event_problem(ev: AuditEvent, prev: str, keys: dict[str, bytes], keyed_seen: bool) -> str | None:
    if ev.prev_hash != prev:
        return "previous-hash link does not match the event before it"
    if ev.key_id:
        key = keys.get(ev.key_id)
        if key is None:
            return f"signed with an unknown audit key ({ev.key_id}): not written by this server, or its key was lost"
        if not hmac.compare_digest(compute_hash(prev, event_payload(ev), key), ev.hash):
            return "stored hash does not match the event's contents under the audit key"
        return None
    if keyed_seen:
        return "an unkeyed event after the keyed chain began: written without the audit key"
    if compute_hash(prev, event_payload(ev)) != ev.hash:
        return "stored hash does not match the event's contents"
    return None


def verify_chain(events: Iterable[AuditEvent] | None = None) -> VerifyResult:
    """Walk the chain in order; report the first event whose link or hash is wrong."""
    rows: Iterable[AuditEvent] = (
        events if events is not None else AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    )
    keys = audit_keys()
    prev = GENESIS
    expected_seq = 1
    checked = unkeyed = 0
    for ev in rows:
        if ev.seq != expected_seq:
            return VerifyResult(False, checked, ev.seq, f"sequence gap: expected #{expected_seq}, found #{ev.seq}")
        problem = _event_problem(ev, prev, keys, keyed_seen=checked > unkeyed)
        if problem:
            return VerifyResult(False, checked, ev.seq, problem)
        unkeyed += not ev.key_id
        prev = ev.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked, unkeyed=unkeyed, head_hash=prev)


# Checkpoints: the head of the chain, signed, written outside the database.

CHECKPOINT_KIND = "sro-audit-checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_hash: str
    at: str


def _sign(body: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, canonical_json(body).encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(settings.SRO_AUDIT_CHECKPOINT_DIR)


def write_checkpoint(directory: Path | None = None, *, path: Path | None = None) -> tuple[Path, Checkpoint]:
    """Sign the chain's current head and write it (atomically) to `path` or a new file in `directory`."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    count, head = (last[0], last[1]) if last else (0, GENESIS)
    key_id, key = current_key()
    body = {
        "kind": CHECKPOINT_KIND,
        "version": 1,
        "count": count,
        "head_hash": head,
        "at": _iso(timezone.now()),
        "key_id": key_id,
    }
    data = canonical_json({**body, "signature": _sign(body, key)}) + "\n"
    if path is None:
        folder = directory or checkpoint_dir()
        stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"checkpoint-{stamp}-{count:012d}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".checkpoint-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return path, Checkpoint(count, head, str(body["at"]))


def latest_checkpoint(directory: Path | None = None) -> Path | None:
    folder = directory or checkpoint_dir()
    files = sorted(folder.glob("checkpoint-*.json")) if folder.is_dir() else []
    return files[-1] if files else None


class CheckpointError(ValueError):
    """A checkpoint or export file that cannot be trusted or read."""


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path.name}: not a readable checkpoint ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != CHECKPOINT_KIND:
        raise CheckpointError(f"{path.name}: not an audit checkpoint")
    signature = str(data.pop("signature", ""))
    key = audit_keys().get(str(data.get("key_id", "")))
    if key is None:
        raise CheckpointError(f"{path.name}: signed with an unknown audit key ({data.get('key_id')})")
    if not hmac.compare_digest(_sign(data, key), signature):
        raise CheckpointError(f"{path.name}: the signature does not match: the checkpoint was altered")
    try:
        return Checkpoint(int(data["count"]), str(data["head_hash"]), str(data["at"]))
    except (KeyError, TypeError, ValueError):
        raise CheckpointError(f"{path.name}: a checkpoint field is missing or wrong") from None


def _compare_head(count: int, head_hash: str, what: str) -> VerifyResult | None:
    """The database against a head (count and newest hash) recorded in `what`."""
    held = AuditEvent.objects.count()
    if count == 0:
        return None
    event = AuditEvent.objects.filter(seq=count).values_list("hash", flat=True).first()
    if event is None:
        return VerifyResult(
            False,
            held,
            count,
            f"{what} recorded {count} events, the database holds {held}: the trail was truncated "
            f"or its newest events deleted",
        )
    if event != head_hash:
        return VerifyResult(False, held, count, f"event #{count} differs from {what}: the chain was rewritten")
    return None


def _export_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        yield line_no, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise CheckpointError(f"{path.name}, line {line_no}: not JSON ({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"{path.name}: cannot be read ({exc})") from None


def _verify_export(path: Path) -> VerifyResult | None:
    """Every exported event must be in the database, unchanged; the export itself must be intact."""
    keys = audit_keys()
    stored = dict(AuditEvent.objects.values_list("seq", "hash"))
    held = len(stored)
    for line_no, data in _export_lines(path):
        try:
            seq, exported, key_id = int(data["seq"]), str(data.pop("hash")), str(data.get("key_id", ""))
        except (KeyError, TypeError, ValueError):
            raise CheckpointError(f"{path.name}, line {line_no}: not an exported audit event") from None
        key = keys.get(key_id) if key_id else None
        if key_id and key is None:
            raise CheckpointError(f"{path.name}, line {line_no}: signed with an unknown audit key ({key_id})")
        if compute_hash(str(data.get("prev_hash", "")), data, key) != exported:
            raise CheckpointError(f"{path.name}, line {line_no}: the exported event #{seq} was altered")
        if seq not in stored:
            return VerifyResult(
                False,
                held,
                seq,
                f"event #{seq} of the export is missing from the database: the trail was truncated or events deleted",
            )
        if stored[seq] != exported:
            return VerifyResult(False, held, seq, f"event #{seq} differs from the export: the chain was rewritten")
    return None


def verify_against(path: Path) -> VerifyResult | None:
    """Compare the database with a checkpoint file or an export (JSON lines); None when they agree."""
    if path.suffix == ".jsonl":
        return _verify_export(path)
    point = read_checkpoint(path)
    return _compare_head(point.count, point.head_hash, f"the checkpoint of {point.at}")


def export_events(since: dt.datetime | None = None) -> Iterator[str]:
    qs = AuditEvent.objects.order_by("seq")
    if since is not None:
        qs = qs.filter(at__gte=since)
    for ev in qs.iterator(chunk_size=2000):
        payload = event_payload(ev)
        payload["hash"] = ev.hash
        yield canonical_json(payload)
