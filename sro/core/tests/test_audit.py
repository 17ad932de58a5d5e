from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sro.core.audit import audit_log, verify_chain
from sro.core.models import AppendOnlyError, AuditEvent

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _raw_update(sql: str, params: list[Any]) -> None:
    """Tamper with stored rows the way an attacker with database access would."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")  # bypass the trigger
        cur.execute(sql, params)


@pytest.fixture
def events(db: None) -> list[AuditEvent]:
    return [
        audit_log(actor=None, action="create", object_type="x.Thing", object_id=i, changes={"n": i})
        for i in range(1, 6)
    ]


def test_events_form_a_verified_chain(events: list[AuditEvent]) -> None:
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    result = verify_chain()
    assert result.ok and result.checked == 5


@pytest.mark.parametrize(
    "column,value",
    [("action", "delete"), ("changes", '{"n": 99}'), ("actor_username", "mallory"), ("object_id", "42")],
)
@pytest.mark.parametrize("seq", [1, 3, 5])
def test_tampering_with_any_event_is_named_by_verify(
    events: list[AuditEvent], column: str, value: str, seq: int
) -> None:
    _raw_update(f"UPDATE core_auditevent SET {column} = %s WHERE seq = %s", [value, seq])  # noqa: S608
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == seq
    with pytest.raises(CommandError, match=f"BROKEN at event #{seq}"):
        call_command("audit", "verify")


def test_removed_event_breaks_the_chain(events: list[AuditEvent]) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("DELETE FROM core_auditevent WHERE seq = 3")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 4)


def test_rehashing_a_tampered_event_still_breaks_the_next_link(events: list[AuditEvent]) -> None:
    from sro.core.audit import compute_hash, current_key, event_payload

    ev = AuditEvent.objects.get(seq=2)
    ev.action = "forged"
    new_hash = compute_hash(ev.prev_hash, event_payload(ev), current_key()[1])  # even with the key
    _raw_update("UPDATE core_auditevent SET action = %s, hash = %s WHERE seq = 2", ["forged", new_hash])
    assert verify_chain().broken_seq == 3


def test_model_layer_refuses_updates_and_deletes(events: list[AuditEvent]) -> None:
    ev = AuditEvent.objects.get(seq=1)
    ev.action = "changed"
    with pytest.raises(AppendOnlyError):
        ev.save()
    with pytest.raises(AppendOnlyError):
        ev.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=1).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(seq=1).action == "create"


@pytest.mark.skipif(not ON_POSTGRES, reason="the append-only trigger exists on PostgreSQL only")
def test_postgres_trigger_refuses_raw_update(events: list[AuditEvent]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET action = 'x' WHERE seq = 1")
    assert verify_chain().ok


def test_export_writes_json_lines_since_a_date(events: list[AuditEvent], tmp_path: Path) -> None:
    out = tmp_path / "audit.jsonl"
    call_command("audit", "export", "--since", "2000-01-01", "--out", str(out), stderr=StringIO())
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3, 4, 5]
    assert lines[4]["hash"] == events[4].hash
    call_command("audit", "export", "--since", "2999-01-01", "--out", str(out), stderr=StringIO())
    assert out.read_text() == ""
    with pytest.raises(CommandError, match="--since"):
        call_command("audit", "export", "--since", "yesterday")
