from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.oversight.ripa import ingest
from sro.oversight.validation import InputError


class Command(BaseCommand):
    help = "Read RIPA stop data (CSV, workbook or the DOJ's zip) and convert it to Parquet partitioned by year."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{ripa}")
        r = sub.add_parser(
            "ripa",
            help="RIPA CSV, county workbook, or zip of workbooks/CSVs -> Parquet directory. Every row is "
            "written; rows with a reason to doubt them carry it in DOUBT and are counted by reason.",
        )
        r.add_argument("path", type=Path)
        r.add_argument("--out", type=Path, required=True, help="Output directory (replaced when the run succeeds).")
        r.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["path"].exists():
            raise CommandError(f"{opts['path']}: no such file")
        try:
            s = ingest(opts["path"], opts["out"])
        except InputError as exc:
            raise CommandError(exc.describe()) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(s.as_dict()))
            return
        self.stdout.write(f"rows read: {s.rows_read:,}")
        for name, counts in s.by_member.items():
            self.stdout.write(f"  {name}: {counts['rows']:,} rows, {counts['doubtful']:,} flagged doubtful")
        self.stdout.write(f"rows flagged doubtful (kept, reasons in column DOUBT): {s.rows_doubtful:,}")
        for reason, n in s.doubtful_by_reason.items():
            self.stdout.write(f"  {reason}: {n:,}")
        if s.problems:
            self.stdout.write("first doubtful cells:")
        for p in s.problems:
            self.stdout.write(f"  {p}")
        self.stdout.write(f"rows written: {s.rows_written:,} -> {opts['out']}")
