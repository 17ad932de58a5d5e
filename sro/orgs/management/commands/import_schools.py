from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sro.core.importing import CsvFormatError
from sro.orgs.importers import import_schools


class Command(BaseCommand):
    help = "Load the California school directory CSV (CDS_Code, Status, County, District, schoolname)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", help="CSV file (default: SRO_SCHOOLS_CSV)")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; save nothing.")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="Load the good rows even when some rows are bad (they are listed).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"] or settings.SRO_SCHOOLS_CSV)
        try:
            report = import_schools(path, dry_run=opts["dry_run"], skip_bad_rows=opts["skip_bad_rows"])
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from None
        for err in report.errors:
            self.stderr.write(f"{path}, {err}")
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.errors and not opts["skip_bad_rows"]:
            raise CommandError(f"{len({e.line for e in report.errors})} bad row(s); nothing was saved")
