from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from sro.core.params import option_date
from sro.force.services import ei_evaluate
from sro.staffing.models import Officer, OfficerStatus


class Command(BaseCommand):
    help = "Use of force: the daily early-intervention check (run by cron, after complaints are decided)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        c = sub.add_parser("check", help="Check every officer against the early-intervention rules; flag each once.")
        c.add_argument("--today", help="Date to act as today (YYYY-MM-DD)")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = option_date(opts["today"], flag="--today") if opts.get("today") else timezone.localdate()
        raised = []
        for officer in Officer.objects.exclude(status=OfficerStatus.INACTIVE).select_related("agency"):
            raised += ei_evaluate(officer=officer, today=today)
        for flag in raised:
            self.stdout.write(f"flag: {flag.officer.name}: {flag.rule} ({flag.count} counted)")
        self.stdout.write(f"{len(raised)} new early-intervention flag(s) on {today}")
