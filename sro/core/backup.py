"""`sro backup` and `sro restore`: the database and the audit checkpoints in one signed archive.

The archive is a tar file holding:

- `database.sqlite3` (SQLite, copied with SQLite's online backup API, `sqlite3.Connection.backup`,
  so a busy database is copied consistently) or `database.dump` (PostgreSQL, `pg_dump
  --format=custom`, restored with `pg_restore`);
- `audit-checkpoints/`: every signed checkpoint of the audit trail's head (`sro audit checkpoint`),
  one of them written by the backup itself, so the restored trail can be checked against the head
  it had when it was saved;
- `manifest.json`: what the archive holds (each file's SHA-256), the number of rows in every
  table, the audit trail's head, and an HMAC-SHA256 signature of all that under the audit key
  (`SRO_AUDIT_KEY`, which is never in the archive). A restore refuses an archive whose signature
  or any file's digest does not match, or that holds a file the manifest does not list.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from sro.core.audit import (
    VerifyResult,
    audit_keys,
    canonical_json,
    checkpoint_dir,
    current_key,
    read_checkpoint,
    verify_against,
    verify_chain,
    write_checkpoint,
)

MANIFEST = "manifest.json"
MANIFEST_KIND = "sro-backup"
CHECKPOINTS = "audit-checkpoints"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
PG_TOOLS = ("pg_dump", "pg_restore")


class BackupError(Exception):
    """A backup that cannot be made, or an archive that cannot be trusted or restored."""


@dataclass(frozen=True)
class RestoreReport:
    tables: dict[str, int]
    audit: VerifyResult
    checkpoint: str  # the archive's own checkpoint the restored trail was compared with
    newer_checkpoints: list[str]  # checkpoints in the folder counting more events than the archive holds


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _tables() -> list[str]:
    """Every table of the installed models, in a stable order."""
    existing = set(connection.introspection.table_names())
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    return sorted(names & existing)


def table_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the models, quoted
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _project_tables() -> list[str]:
    """The tables that hold the program's records (the sro apps' and the people's)."""
    user = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    own = {m._meta.db_table for m in apps.get_models() if m.__module__.startswith("sro.")}
    return sorted((own | {user}) & set(connection.introspection.table_names()))


def database_is_empty() -> bool:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _project_tables():
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - names from the models, quoted
            if cursor.fetchone() is not None:
                return False
    return True


def _sign(body: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, canonical_json(body).encode("utf-8"), hashlib.sha256).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools of the server's major version "
            "(Debian and Ubuntu: the postgresql-client package)"
        )
    return found


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--no-password", "--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _dump_database(folder: Path, engine: str) -> Path:
    if engine == "sqlite":
        target = folder / SQLITE_FILE
        connection.ensure_connection()
        raw = connection.connection
        with sqlite3.connect(target) as copy:
            raw.backup(copy)
        copy.close()
        return target
    target = folder / PG_FILE
    args, env = _pg_args_env()
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args], env, "pg_dump")
    return target


def backup(path: Path) -> dict[str, Any]:
    """Write the archive to `path`; returns its manifest."""
    engine = _engine()
    if engine == "postgresql":
        for tool in PG_TOOLS:
            _pg_tool(tool)
    _point_path, point = write_checkpoint()  # the head as saved, in the archive's checkpoints
    with tempfile.TemporaryDirectory(prefix="sro-backup-") as tmp:
        folder = Path(tmp)
        counts = table_counts()
        database = _dump_database(folder, engine)
        members: dict[str, Path] = {database.name: database}
        source = checkpoint_dir()
        for cp in sorted(source.glob("checkpoint-*.json")) if source.is_dir() else []:
            members[f"{CHECKPOINTS}/{cp.name}"] = cp
        key_id, key = current_key()
        body = {
            "kind": MANIFEST_KIND,
            "version": 1,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database": database.name,
            "tables": counts,
            "audit": {"count": point.count, "head_hash": point.head_hash, "checkpoint": _point_path.name},
            "files": {name: _sha256(p) for name, p in sorted(members.items())},
            "key_id": key_id,
        }
        manifest = {**body, "signature": _sign(body, key)}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name, p in sorted(members.items()):
                tar.add(p, arcname=name, recursive=False)
        partial.replace(path)
    return manifest


def read_manifest(tar: tarfile.TarFile, path: Path) -> dict[str, Any]:
    """The archive's manifest, once its signature is checked under the audit keys."""
    try:
        member = tar.getmember(MANIFEST)
        raw = tar.extractfile(member)
        manifest = json.loads(raw.read().decode("utf-8")) if raw is not None else None
    except (KeyError, ValueError, UnicodeDecodeError):
        raise BackupError(f"{path.name}: no readable {MANIFEST}: not an sro backup") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != MANIFEST_KIND:
        raise BackupError(f"{path.name}: not an sro backup")
    body = {k: v for k, v in manifest.items() if k != "signature"}
    key = audit_keys().get(str(manifest.get("key_id")))
    if key is None:
        raise BackupError(
            f"{path.name}: signed with an audit key this server does not hold ({manifest.get('key_id')}): "
            "set SRO_AUDIT_KEY (or SRO_AUDIT_PREVIOUS_KEYS) to the key of the server that made it"
        )
    if not hmac.compare_digest(_sign(body, key), str(manifest.get("signature", ""))):
        raise BackupError(f"{path.name}: the manifest's signature does not match: the archive was altered")
    return manifest


def _extract_checked(tar: tarfile.TarFile, manifest: dict[str, Any], folder: Path, path: Path) -> None:
    files: dict[str, str] = manifest["files"]
    names = {m.name for m in tar.getmembers()} - {MANIFEST}
    unexpected = sorted(names - set(files))
    missing = sorted(set(files) - names)
    if unexpected or missing:
        raise BackupError(
            f"{path.name}: the archive does not hold what its manifest lists "
            f"(not listed: {', '.join(unexpected) or 'none'}; missing: {', '.join(missing) or 'none'})"
        )
    for name, expected in files.items():
        member = tar.getmember(name)
        if not member.isfile() or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"{path.name}: {name} is not a plain file inside the archive")
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        if source is None:
            raise BackupError(f"{path.name}: {name} cannot be read")
        with target.open("wb") as out:
            shutil.copyfileobj(source, out)
        if _sha256(target) != expected:
            raise BackupError(f"{path.name}: {name} does not match its digest in the manifest: the archive was altered")


def _restore_database(folder: Path, manifest: dict[str, Any], engine: str) -> None:
    dump = folder / str(manifest["database"])
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    args, env = _pg_args_env()
    connection.close()
    _run(
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(dump)],
        env,
        "pg_restore",
    )


def restore(path: Path, *, force: bool = False, progress: Callable[[str], None] = lambda _m: None) -> RestoreReport:
    """Check the archive, restore the database and the checkpoints, then verify the audit trail."""
    engine = _engine()
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        tar = tarfile.open(path, "r")  # noqa: SIM115 - closed by the `with tar` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path.name}: not a readable tar archive ({exc})") from None
    with tar, tempfile.TemporaryDirectory(prefix="sro-restore-") as tmp:
        manifest = read_manifest(tar, path)
        if manifest["engine"] != engine:
            raise BackupError(f"{path.name}: a {manifest['engine']} backup cannot be restored into {engine}")
        if engine == "postgresql":
            for tool in PG_TOOLS:
                _pg_tool(tool)
        if not force and not database_is_empty():
            raise BackupError(
                "the database is not empty: restoring would replace its records; "
                "give --force to replace them (back it up first)"
            )
        folder = Path(tmp)
        _extract_checked(tar, manifest, folder, path)
        progress(f"archive checked: {len(manifest['files'])} files, signature and digests match")
        _restore_database(folder, manifest, engine)
        progress("database restored")
        target = checkpoint_dir()
        target.mkdir(parents=True, exist_ok=True)
        for cp in sorted((folder / CHECKPOINTS).glob("checkpoint-*.json")):
            if not (target / cp.name).exists():
                shutil.copy2(cp, target / cp.name)
        own = folder / CHECKPOINTS / str(manifest["audit"]["checkpoint"])
    counts = table_counts()
    expected: dict[str, int] = manifest["tables"]
    differ = [f"{t}: {counts.get(t)} rows, {n} saved" for t, n in expected.items() if counts.get(t) != n]
    if differ:
        raise BackupError("the restored tables do not hold what was saved: " + "; ".join(differ[:10]))
    result = verify_chain()
    if result.ok:
        problem = verify_against(target / own.name)
        if problem is not None:
            result = problem
    newer = [p.name for p in sorted(target.glob("checkpoint-*.json")) if _count_of(p) > int(manifest["audit"]["count"])]
    return RestoreReport(tables=counts, audit=result, checkpoint=own.name, newer_checkpoints=newer)


def _count_of(path: Path) -> int:
    try:
        return read_checkpoint(path).count
    except ValueError:
        return -1
