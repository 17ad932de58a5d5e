from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.oversight.ripa import ingest
from sro.oversight.validation import InputError


class Command(BaseCommand):
    help = "Validate RIPA stop data (CSV or zip) and convert it to Parquet partitioned by year."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{ripa}")
        r = sub.add_parser("ripa", help="RIPA CSV or zip of CSV/Excel files -> Parquet directory.")
        r.add_argument("path", type=Path)
        r.add_argument("--out", type=Path, required=True, help="Output directory (replaced when the run succeeds).")
        r.add_argument("--skip-bad-rows", action="store_true", help="Write bad rows to a side file and go on.")
        r.add_argument("--rejects", type=Path, help="Side file for bad rows (default OUT-rejects.csv).")
        r.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["path"].exists():
            raise CommandError(f"{opts['path']}: no such file")
        try:
            s = ingest(opts["path"], opts["out"], skip_bad_rows=opts["skip_bad_rows"], rejects=opts["rejects"])
        except InputError as exc:
            raise CommandError(exc.describe()) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(s.as_dict()))
            return
        self.stdout.write(f"rows read: {s.rows_read:,}")
        self.stdout.write(
            f"rows rejected: {s.rows_rejected:,}" + (f" (written to {s.rejects_path})" if s.rejects_path else "")
        )
        for p in s.problems:
            self.stdout.write(f"  {p}")
        self.stdout.write(f"rows written: {s.rows_written:,} -> {opts['out']}")
