from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the audit checkpoints into one signed archive (a tar file)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The archive to write, e.g. sro-2026-12-05.tar")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        if path.is_dir():
            raise CommandError(f"{path}: is a folder; give the archive's file name")
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        audit = manifest["audit"]
        self.stdout.write(
            f"backup written: {path} ({manifest['engine']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{audit['count']} audit events, head {audit['head_hash'][:16]}…)\n"
            "Keep SRO_AUDIT_KEY apart from the archive: a restore needs it to trust the archive."
        )
