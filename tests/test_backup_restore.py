"""The restore drill: `sro backup` and `sro restore` round-trip the demo and its audit checkpoints.

Runs on the test database's engine: SQLite (the online backup API), or PostgreSQL when
DATABASE_URL points there (pg_dump and pg_restore). The tests commit (`transactional_db`): a
restore replaces the whole database, which cannot happen inside a test's transaction.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from sro.core.backup import MANIFEST, table_counts
from sro.core.models import AuditEvent
from sro.orgs.models import School


@pytest.fixture
def checkpoints(tmp_path: Path) -> Iterator[Path]:
    """A checkpoint folder of the test's own, so no other test's checkpoint is compared."""
    folder = tmp_path / "checkpoints"
    with override_settings(SRO_AUDIT_CHECKPOINT_DIR=str(folder)):
        yield folder


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def _flush() -> None:
    call_command("flush", interactive=False, verbosity=0)


def test_backup_and_restore_round_trip_the_demo_and_the_audit_trail(
    demo: dict[str, Any], transactional_db: Any, checkpoints: Path, tmp_path: Path
) -> None:
    before = table_counts()
    events = AuditEvent.objects.count()
    assert events > 0 and before["orgs_school"] > 0
    archive = tmp_path / "sro.tar"
    said = _run("backup", str(archive))
    assert f"{events} audit events" in said
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    assert MANIFEST in names and any(n.startswith("audit-checkpoints/checkpoint-") for n in names)
    assert manifest["tables"] == before and manifest["audit"]["count"] == events

    with pytest.raises(CommandError, match="not empty"):
        _run("restore", str(archive))  # refused while the records are there
    _flush()
    assert School.objects.count() == 0 and AuditEvent.objects.count() == 0
    said = _run("restore", str(archive))
    assert "database restored" in said
    assert f"audit trail intact: {events} events verified" in said
    assert table_counts() == before
    assert "audit trail intact" in _run("audit", "verify")  # against the newest checkpoint: the backup's


def test_restore_with_force_replaces_a_database_that_is_not_empty(
    demo: dict[str, Any], transactional_db: Any, checkpoints: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "sro.tar"
    _run("backup", str(archive))
    school = School.objects.first()
    assert school is not None
    School.objects.filter(pk=school.pk).update(name="Renamed after the backup")
    said = _run("restore", str(archive), "--force")
    assert "audit trail intact" in said
    assert School.objects.get(pk=school.pk).name == school.name


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy the archive with `change(name, data) -> data | None` applied to each member (None drops it)."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            data = change(member.name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def _tamper_manifest_count(name: str, data: bytes) -> bytes:
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["audit"]["count"] -= 1
    return json.dumps(manifest).encode()


def _tamper_database(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("database.") else data


def _drop_a_checkpoint(name: str, data: bytes) -> bytes | None:
    return None if name.startswith("audit-checkpoints/") else data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_tamper_manifest_count, "signature does not match"),
        (_tamper_database, "does not match its digest"),
        (_drop_a_checkpoint, "missing: audit-checkpoints/"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_is_restored(
    demo: dict[str, Any], transactional_db: Any, checkpoints: Path, tmp_path: Path, change: Any, message: str
) -> None:
    archive, tampered = tmp_path / "sro.tar", tmp_path / "tampered.tar"
    _run("backup", str(archive))
    _rewrite(archive, tampered, change)
    _flush()
    with pytest.raises(CommandError, match=message):
        _run("restore", str(tampered))
    assert School.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_an_archive_signed_under_another_audit_key_is_refused(
    demo: dict[str, Any], transactional_db: Any, checkpoints: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "sro.tar"
    _run("backup", str(archive))
    _flush()
    other_server = override_settings(SRO_AUDIT_KEY="another server's key", SRO_AUDIT_PREVIOUS_KEYS=[])
    with other_server, pytest.raises(CommandError, match="audit key this server does not hold"):
        _run("restore", str(archive))


def test_a_file_that_is_not_a_backup_is_refused(db: Any, tmp_path: Path) -> None:
    junk = tmp_path / "notes.tar"
    junk.write_text("not an archive")
    with pytest.raises(CommandError, match="not a readable tar archive"):
        _run("restore", str(junk))
    with pytest.raises(CommandError, match="no such file"):
        _run("restore", str(tmp_path / "missing.tar"))
