from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from sro.core.params import option_date
from sro.evaluation.services import REMINDER_DAYS, reminders_send


class Command(BaseCommand):
    help = "Yearly evaluation: the daily renewal reminders (run by cron)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{remind}")
        c = sub.add_parser(
            "remind",
            help=f"Remind the owners of each contract whose term ends in {', '.join(map(str, REMINDER_DAYS))} days "
            "(once per step; running twice a day sends nothing new).",
        )
        c.add_argument("--today", help="Date to act as today (YYYY-MM-DD)")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = option_date(opts["today"], flag="--today") if opts.get("today") else timezone.localdate()
        sent = reminders_send(today=today)
        for r in sent:
            self.stdout.write(f"reminder: {r.contract.title} ends {r.term_end} ({r.days_before} days) -> {r.recipient}")
        self.stdout.write(f"{len(sent)} new renewal reminder(s) on {today}")
