from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an `sro backup` archive into an empty database (--force to replace one), then verify the audit trail."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The archive written by `sro backup`")
        parser.add_argument("--force", action="store_true", help="Replace the records of a database that is not empty.")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = restore(Path(opts["path"]), force=opts["force"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(report.tables.values())
        self.stdout.write(f"restored {len(report.tables)} tables, {rows} rows, as saved")
        result = report.audit
        if not result.ok:
            raise CommandError(
                f"audit trail BROKEN at event #{result.broken_seq}: {result.reason} "
                f"(compared with the archive's checkpoint {report.checkpoint})"
            )
        self.stdout.write(f"audit trail intact: {result.checked} events verified; agrees with {report.checkpoint}")
        if report.newer_checkpoints:
            self.stdout.write(
                f"note: {len(report.newer_checkpoints)} checkpoint(s) in the checkpoint folder count more events "
                f"than this backup holds (newest: {report.newer_checkpoints[-1]}): the events written after the "
                "backup are not restored, and `sro audit verify`, which compares with the newest checkpoint, "
                "reports them (docs/install.md, Backups)"
            )
