from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.demo import DemoRefused, load_demo, scale_demo


class Command(BaseCommand):
    help = "Load the Palm Springs Unified demo scenario and print the demo sign-ins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Erase every record first (demo only).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database holds no district yet; always print the sign-ins.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            metavar="N",
            help="Then grow the district to N times the demo (campuses, contracts, officers, incidents, "
            "contacts, reviews, complaints), for measuring pages as a district grows.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            rows = load_demo(reset=opts["reset"], only_if_empty=opts["if_empty"])
            if opts["scale"] != 1:
                began = time.monotonic()
                added = scale_demo(opts["scale"])
                self.stdout.write(
                    f"Scaled the demo to {opts['scale']} times: {added} rows added in {time.monotonic() - began:.1f} s."
                )
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        headers = ("username", "role", "organisation", "password")
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
        self.stdout.write("Demo sign-ins:")
        self.stdout.write(line)
        self.stdout.write("  ".join("-" * w for w in widths))
        for r in rows:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))
