from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.oversight.ripa import RipaFilter, ingest
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
        keep = r.add_argument_group("keep a slice (repeat an option for several values; each kind given must match)")
        keep.add_argument(
            "--county", action="append", default=[], help="A county, as the DOJ's workbook names give it."
        )
        keep.add_argument("--agency-ori", action="append", default=[], metavar="ORI", help="An agency's ORI code.")
        keep.add_argument("--school", action="append", default=[], metavar="CDS", help="A school's 14-digit CDS code.")
        keep.add_argument(
            "--district", action="append", default=[], metavar="CDS", help="A district's CDS code (7 digits)."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["path"].exists():
            raise CommandError(f"{opts['path']}: no such file")
        try:
            keep = RipaFilter(
                counties=tuple(c.strip() for c in opts["county"] if c.strip()),
                agency_oris=tuple(a.strip() for a in opts["agency_ori"] if a.strip()),
                schools=tuple(RipaFilter.check_code(c, (14,), "--school") for c in opts["school"]),
                districts=tuple(RipaFilter.check_code(c, (7, 14), "--district") for c in opts["district"]),
            )
            s = ingest(opts["path"], opts["out"], keep=keep)
        except InputError as exc:
            raise CommandError(exc.describe()) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(s.as_dict()))
            return
        if keep.describe():
            self.stdout.write(f"slice kept: {keep.describe()}")
        self.stdout.write(f"rows read: {s.rows_read:,}")
        for name, c in s.by_member.items():
            self.stdout.write(
                f"  {name} ({c['layout']} layout): {c['rows']:,} read, {c['doubtful']:,} flagged doubtful, "
                f"{c['written']:,} written"
            )
        self.stdout.write(f"rows flagged doubtful (kept, reasons in column DOUBT): {s.rows_doubtful:,}")
        for reason, n in s.doubtful_by_reason.items():
            self.stdout.write(f"  {reason}: {n:,}")
        if s.problems:
            self.stdout.write("first doubtful cells:")
        for p in s.problems:
            self.stdout.write(f"  {p}")
        self.stdout.write(f"rows written: {s.rows_written:,} -> {opts['out']}")
