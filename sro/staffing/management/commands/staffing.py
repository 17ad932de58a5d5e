from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.params import option_date
from sro.staffing.assignments import staffing_check
from sro.staffing.catalogues import courses, rubric


class Command(BaseCommand):
    help = "Staffing: the daily check of assignments (run by cron), the course catalogue and the hiring rubric."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,courses,rubric}")
        c = sub.add_parser("check", help="Find assignments that became invalid; notify each new problem once.")
        c.add_argument("--today", help="Date to act as today (YYYY-MM-DD)")
        sub.add_parser("courses", help="List the training catalogue.")
        sub.add_parser("rubric", help="List the hiring rubric's criteria.")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "courses":
            for course in courses():
                refresh = f"every {course.refresh_months} months" if course.refresh_months else "once"
                self.stdout.write(f"{course.key:<28} {course.hours:>3} h  {refresh:<16} {course.title}")
            return
        if action == "rubric":
            r = rubric()
            self.stdout.write(f"Scale {r.scale_min}-{r.scale_max}; rubric version {r.version}")
            for criterion in r.criteria:
                self.stdout.write(f"{criterion.key:<24} {criterion.title}")
            return
        today = option_date(opts["today"], flag="--today") if opts.get("today") else None
        report = staffing_check(today=today)
        for p in report.found:
            self.stdout.write(f"new problem: {p.assignment}: {p.code}: {p.message}")
        for p in report.resolved:
            self.stdout.write(f"resolved: {p.assignment}: {p.code}")
        self.stdout.write(
            f"{len(report.found)} new problem(s), {len(report.resolved)} resolved, {report.notices} notice(s) sent"
        )
        if report.mail_failures:
            raise CommandError(f"{report.mail_failures} e-mail(s) could not be sent; the notices are on the home pages")
