from __future__ import annotations

import datetime as dt
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sro.core.audit import export_events, verify_chain
from sro.core.params import option_date


class Command(BaseCommand):
    help = "Verify the tamper-evident audit trail or export it as JSON lines."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,export}")
        sub.add_parser("verify", help="Walk the hash chain; name the first broken event.")
        exp = sub.add_parser("export", help="Write events as JSON lines (stdout or --out).")
        exp.add_argument("--since", help="Only events at or after this date (YYYY-MM-DD).")
        exp.add_argument("--out", help="File to write (default: standard output).")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "verify":
            result = verify_chain()
            if result.ok:
                self.stdout.write(f"audit trail intact: {result.checked} events verified")
                return
            raise CommandError(
                f"audit trail BROKEN at event #{result.broken_seq}: {result.reason} "
                f"({result.checked} events before it verified)"
            )
        since = None
        if opts.get("since"):
            day = option_date(opts["since"], flag="--since")
            since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        out = open(opts["out"], "w", encoding="utf-8") if opts.get("out") else sys.stdout  # noqa: SIM115
        n = 0
        try:
            for line in export_events(since):
                out.write(line + "\n")
                n += 1
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"exported {n} events")
