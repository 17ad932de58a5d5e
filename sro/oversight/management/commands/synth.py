from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sro.oversight import synth


class Command(BaseCommand):
    help = "Write synthetic RIPA stop data with real school codes and an optional planted disparity."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{ripa}")
        r = sub.add_parser("ripa", help="RIPA layout; CSV, or Parquet when --out ends in .parquet.")
        r.add_argument("--rows", type=int, required=True)
        r.add_argument("--seed", type=int, default=0)
        r.add_argument("--out", type=Path, required=True)
        r.add_argument("--k12-share", type=float, default=0.05, help="Share of stops at K-12 schools (default 0.05).")
        r.add_argument("--disparity", action="append", default=[], metavar="GROUP=RATIO",
                       help="Multiply every outcome's probability for a perceived race, e.g. Black=2.")  # fmt: skip
        r.add_argument("--schools", type=Path, help="School directory CSV (default: settings.SRO_SCHOOLS_CSV).")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["rows"] < 1:
            raise CommandError("--rows must be positive")
        try:
            spec = synth.SynthSpec(rows=opts["rows"], seed=opts["seed"], k12_share=opts["k12_share"],
                                   disparity=synth.parse_disparity(opts["disparity"]))  # fmt: skip
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        schools = opts["schools"] or Path(settings.SRO_SCHOOLS_CSV)
        if not schools.exists():
            raise CommandError(f"{schools}: school directory not found (set SRO_SCHOOLS_CSV or pass --schools)")
        n = synth.write(synth.load_directory(schools), spec, opts["out"])
        self.stdout.write(f"wrote {n:,} rows to {opts['out']}")
