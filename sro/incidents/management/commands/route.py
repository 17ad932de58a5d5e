from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.errors import DomainError
from sro.incidents.catalogue import catalogue
from sro.incidents.policy import DEADLINE_LABELS, FACTS, ROUTE_LABELS, policy, route_for


class Command(BaseCommand):
    help = (
        "Show the route the policy gives an incident, e.g. `sro route 48900(h)` or `--offence 48900(c) --fact weapon`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("offences", nargs="*", help="offence codes, e.g. 48900(h) PC245 policy:dress_code")
        parser.add_argument("--offence", action="append", default=[], help="an offence code (repeatable)")
        parser.add_argument("--fact", action="append", default=[], help=f"a fact (repeatable): {', '.join(FACTS)}")

    def handle(self, *args: Any, **opts: Any) -> None:
        offences = [*opts["offences"], *opts["offence"]]
        try:
            decision = route_for(offences=offences, facts=opts["fact"])
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        known = catalogue()
        self.stdout.write(f"policy {policy().version}")
        for code in offences:
            self.stdout.write(f"offence {code}: {known[code].title} ({known[code].citation})")
        self.stdout.write(f"route: {decision.route} - {ROUTE_LABELS[decision.route]}")
        if decision.deadline:
            self.stdout.write(f"deadline: {decision.deadline} - notify {DEADLINE_LABELS[decision.deadline]}")
        self.stdout.write("rules:")
        for rule in decision.rules:
            self.stdout.write(f"  {rule.id} -> {rule.route}")
            self.stdout.write(f"    citation: {rule.citation}")
            self.stdout.write(f"    reason: {rule.reason}")
