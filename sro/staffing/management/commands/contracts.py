"""`sro contracts refresh|gate`. It lives in the staffing app because `gate` answers with the full
deployment gate (`sro.staffing.gate`), which reads contracts and staffing; the contracts app may
not import staffing. Django finds a command by its name, so the command line is unchanged.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sro.contracts.services import contracts_refresh
from sro.core.params import option_date
from sro.orgs.actors import PUBLIC
from sro.orgs.selectors import school_get, school_list
from sro.staffing.gate import deployment_gate


class Command(BaseCommand):
    help = "Contracts: daily refresh of term starts and ends, and the deployment gate for campuses."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{refresh,gate}")
        r = sub.add_parser("refresh", help="Activate approved contracts whose term began; expire ended ones.")
        r.add_argument("--today", help="Date to act as today (YYYY-MM-DD)")
        g = sub.add_parser("gate", help="May an SRO be on each program campus (or one) on a date?")
        g.add_argument("--school", help="CDS code (default: every program campus)")
        g.add_argument("--on", help="Date (YYYY-MM-DD, default today)")

    def _date(self, text: str | None, name: str) -> dt.date | None:
        return option_date(text, flag=name) if text else None

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "refresh":
            done = contracts_refresh(today=self._date(opts.get("today"), "--today"))
            for contract, action in done:
                self.stdout.write(f"{action}: {contract.title} -> {contract.status}")
            self.stdout.write(f"{len(done)} contract(s) changed")
            return
        from django.utils import timezone

        on = self._date(opts.get("on"), "--on") or timezone.localdate()
        schools = (
            [school_get(actor=PUBLIC, cds_code=opts["school"])]
            if opts.get("school")
            else list(school_list(actor=PUBLIC).order_by("name"))
        )
        for s in schools:
            ans = deployment_gate(school=s, on=on)
            verdict = "MAY DEPLOY" if ans.may_deploy else "NO"
            reasons = "; ".join(f"{r.code}: {r.message}" for r in ans.reasons)
            self.stdout.write(f"{s.cds_code}  {s.name:<28} {verdict:<10} {reasons}")
