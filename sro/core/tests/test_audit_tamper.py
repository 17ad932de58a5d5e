"""What the keyed chain and the checkpoints detect (docs/audit.md, "What is detected").

Each test tampers the way someone with write access to the database (but not the server's
settings, where the audit key lives) would, and checks that `sro audit verify` says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from sro.core.audit import (
    GENESIS,
    audit_log,
    compute_hash,
    event_payload,
    verify_against,
    verify_chain,
    write_checkpoint,
)
from sro.core.models import AuditEvent

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _attacker(sql: str, params: list[Any] | None = None) -> None:
    """Raw SQL with the triggers off, as a database owner could."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(sql, params or [])


def _append_forged(key: bytes | None, key_id: str = "") -> AuditEvent:
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    ev = AuditEvent(
        seq=last.seq + 1,
        at=last.at,
        actor_username="mallory",
        role="district_admin",
        action="approve",
        object_type="contracts.Contract",
        object_id="1",
        changes={},
        prev_hash=last.hash,
        key_id=key_id,
    )
    ev.hash = compute_hash(last.hash, event_payload(ev), key)
    ev.save(force_insert=True)
    return ev


def _verify(*against: Path) -> str:
    out = StringIO()
    call_command("audit", "verify", *[a for p in against for a in ("--against", str(p))], stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _own_checkpoint_dir(tmp_path: Path) -> Any:
    with override_settings(SRO_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints")):
        yield


@pytest.fixture
def events(db: None) -> list[AuditEvent]:
    return [audit_log(actor=None, action="create", object_type="x.Thing", object_id=i) for i in range(1, 6)]


@pytest.fixture
def checkpoint(events: list[AuditEvent], tmp_path: Path) -> Path:
    path, point = write_checkpoint(tmp_path)
    assert (point.count, point.head_hash) == (5, events[-1].hash)
    return path


def test_events_are_keyed_and_the_key_is_not_in_the_database(events: list[AuditEvent]) -> None:
    assert all(e.key_id for e in events)
    plain = compute_hash(events[0].prev_hash, event_payload(events[0]))  # what a keyless forger computes
    assert events[0].hash != plain
    assert verify_chain().ok


def test_truncation_is_caught_by_the_checkpoint(checkpoint: Path) -> None:
    _attacker("DELETE FROM core_auditevent")
    assert verify_chain().ok  # an empty chain is a valid chain: only the checkpoint can tell
    with pytest.raises(CommandError, match="recorded 5 events, the database holds 0: the trail was truncated"):
        _verify(checkpoint)


def test_verify_uses_the_newest_checkpoint_by_itself(events: list[AuditEvent], tmp_path: Path) -> None:
    with override_settings(SRO_AUDIT_CHECKPOINT_DIR=str(tmp_path / "elsewhere")):
        assert "no checkpoint in" in _verify()
        call_command("audit", "checkpoint", stdout=StringIO())
        assert "agrees with checkpoint-" in _verify()
        _attacker("DELETE FROM core_auditevent WHERE seq >= 4")
        with pytest.raises(CommandError, match="recorded 5 events, the database holds 3"):
            _verify()


def test_deleting_the_newest_events_is_caught(checkpoint: Path) -> None:
    _attacker("DELETE FROM core_auditevent WHERE seq = 5")
    assert verify_chain().ok
    with pytest.raises(CommandError, match=r"BROKEN at event #5: the checkpoint of .* recorded 5 events"):
        _verify(checkpoint)


def test_a_forged_event_with_a_recomputed_plain_hash_is_caught(events: list[AuditEvent]) -> None:
    forged = _append_forged(key=None)
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, forged.seq)
    assert "written without the audit key" in result.reason


def test_a_forged_event_under_a_guessed_key_is_caught(events: list[AuditEvent]) -> None:
    forged = _append_forged(key=b"guess", key_id=events[0].key_id)  # the real key id, the wrong key
    result = verify_chain()
    assert result.broken_seq == forged.seq
    assert result.reason == "stored hash does not match the event's contents under the audit key"


def test_an_event_signed_by_another_key_id_is_caught(events: list[AuditEvent]) -> None:
    forged = _append_forged(key=b"other", key_id="0123456789ab")
    result = verify_chain()
    assert result.broken_seq == forged.seq and "unknown audit key" in result.reason


def test_rewriting_the_chain_from_a_point_is_caught(events: list[AuditEvent]) -> None:
    # Rewrite events 3-5 consistently, as someone without the key can only do with plain hashes.
    prev = events[1].hash
    for ev in events[2:]:
        ev.prev_hash, ev.key_id, ev.action = prev, "", "rewritten"
        new = compute_hash(prev, event_payload(ev))
        _attacker(
            "UPDATE core_auditevent SET prev_hash = %s, key_id = '', action = 'rewritten', hash = %s WHERE seq = %s",
            [prev, new, ev.seq],
        )
        prev = new
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)


def test_rewriting_the_whole_chain_without_the_key_is_caught_by_the_checkpoint(checkpoint: Path) -> None:
    prev = GENESIS
    for ev in AuditEvent.objects.order_by("seq"):
        ev.prev_hash, ev.key_id = prev, ""
        new = compute_hash(prev, event_payload(ev))
        _attacker(
            "UPDATE core_auditevent SET prev_hash = %s, key_id = '', hash = %s WHERE seq = %s", [prev, new, ev.seq]
        )
        prev = new
    result = verify_chain()
    assert result.ok and result.unkeyed == 5  # a keyless chain from the start looks like a legacy trail...
    with pytest.raises(CommandError, match=r"event #5 differs from the checkpoint .*: the chain was rewritten"):
        _verify(checkpoint)  # ...but not like the checkpoint


def test_an_altered_checkpoint_is_refused(checkpoint: Path) -> None:
    data = json.loads(checkpoint.read_text())
    data["count"] = 3
    checkpoint.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="signature does not match"):
        _verify(checkpoint)


def test_an_export_is_a_checkpoint_too(events: list[AuditEvent], tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    call_command("audit", "export", "--out", str(out), stderr=StringIO())
    beside = tmp_path / "audit.checkpoint.json"
    assert beside.is_file()
    assert "agrees with audit.jsonl" in _verify(out, beside)
    _attacker("DELETE FROM core_auditevent WHERE seq = 5")
    assert verify_against(out) is not None
    with pytest.raises(CommandError, match="event #5 of the export is missing from the database"):
        _verify(out)


def test_a_doctored_export_is_named_by_line(events: list[AuditEvent], tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    call_command("audit", "export", "--out", str(out), stderr=StringIO())
    lines = out.read_text().splitlines()
    doctored = json.loads(lines[1])
    doctored["action"] = "nothing to see"
    lines[1] = json.dumps(doctored)
    out.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match=r"audit.jsonl, line 2: the exported event #2 was altered"):
        _verify(out)


def test_a_rotated_key_still_verifies_older_events(db: None) -> None:
    with override_settings(SRO_AUDIT_KEY="first-key"):
        audit_log(actor=None, action="create", object_type="x.Thing", object_id=1)
    with override_settings(SRO_AUDIT_KEY="second-key", SRO_AUDIT_PREVIOUS_KEYS=["first-key"]):
        audit_log(actor=None, action="create", object_type="x.Thing", object_id=2)
        assert verify_chain().ok
    with override_settings(SRO_AUDIT_KEY="second-key", SRO_AUDIT_PREVIOUS_KEYS=[]):
        result = verify_chain()
        assert (result.broken_seq, "unknown audit key" in result.reason) == (1, True)


def test_unkeyed_events_from_before_the_key_are_accepted_only_at_the_start(db: None) -> None:
    first = AuditEvent(seq=1, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), action="create", prev_hash=GENESIS)
    first.hash = compute_hash(GENESIS, event_payload(first))
    first.save(force_insert=True)
    audit_log(actor=None, action="create", object_type="x.Thing", object_id=2)
    result = verify_chain()
    assert (result.ok, result.checked, result.unkeyed) == (True, 2, 1)
    assert "the first 1 events were written before the audit key" in _verify()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="the TRUNCATE guard is a PostgreSQL trigger")
def test_postgres_refuses_truncate_and_a_production_flush(events: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE core_auditevent")
    with (
        override_settings(DEBUG=False, SRO_DEMO_MODE=False),
        pytest.raises((DatabaseError, CommandError), match="flushed"),
        transaction.atomic(),
    ):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 5
