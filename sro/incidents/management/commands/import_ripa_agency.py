"""`sro import-ripa-agency FILE --agency NAME_OR_ID [--dry-run]`: an agency's own RIPA records."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.incidents.agency_import import ripa_agency_import
from sro.orgs.models import LawEnforcementAgency


class Command(BaseCommand):
    help = (
        "Bring an agency's own RIPA stop records (the DOJ layout, 2018-2023 or 2024, plus OFFICER_ID) in as "
        "its SROs' contacts, recognising those already in sro. Rules: docs/contacts.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="the agency's RIPA records, CSV in the DOJ column layout")
        parser.add_argument("--agency", required=True, help="the agency: its name, id or ORI")
        parser.add_argument("--dry-run", action="store_true", help="check and report; save nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        ref = opts["agency"].strip()
        qs = LawEnforcementAgency.objects.all()
        agency = (
            (qs.filter(pk=int(ref)).first() if ref.isdigit() else None)
            or qs.filter(name__iexact=ref).first()
            or (qs.filter(ori__iexact=ref).first() if ref else None)
        )
        if agency is None:
            raise CommandError(f"--agency: no agency '{ref}' (give its name, id or ORI)")
        report = ripa_agency_import(actor=None, path=Path(opts["path"]), agency=agency, dry_run=opts["dry_run"])
        if report.errors:
            shown = [str(e) if e.line else e.message for e in report.errors[:50]]
            more = len(report.errors) - len(shown)
            rows = len({e.line for e in report.errors if e.line})
            head = f"{rows} row(s) refused" if rows else "the file was refused"
            tail = [f"... and {more} more"] if more > 0 else []
            raise CommandError("\n".join([*shown, *tail, f"{head}; nothing was saved"]))
        for line in report.summary_lines():
            self.stdout.write(line)
