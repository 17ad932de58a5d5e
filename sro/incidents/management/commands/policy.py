from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.incidents.policy import POLICY_PATH, validate_policy_file


class Command(BaseCommand):
    help = "Check a routing policy file: `sro policy validate PATH` reports every problem with its line."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{validate}")
        v = sub.add_parser("validate", help="Check a policy file (default: the policy in force).")
        v.add_argument("path", nargs="?", default=str(POLICY_PATH), help="policy TOML file")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        problems = validate_policy_file(path)
        for p in problems:
            self.stderr.write(str(p))  # file, line, key path: what is wrong
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {path}")
        self.stdout.write(f"{path}: ok")
