from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.params import option_date
from sro.incidents.ripa import MixedEras, agency_contacts, ripa_write
from sro.orgs.models import LawEnforcementAgency


class Command(BaseCommand):
    help = "Export records: `sro export ripa --agency NAME_OR_ID --from DATE --to DATE [--out PATH]`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{ripa}")
        r = sub.add_parser("ripa", help="An agency's SRO contacts in the DOJ public RIPA layout (CSV).")
        r.add_argument("--agency", required=True, help="agency name or id")
        r.add_argument("--from", dest="start", required=True, help="first date, YYYY-MM-DD")
        r.add_argument("--to", dest="end", required=True, help="last date, YYYY-MM-DD")
        r.add_argument("--out", help="CSV file to write (default: standard output)")

    def handle(self, *args: Any, **opts: Any) -> None:
        ref = opts["agency"]
        qs = LawEnforcementAgency.objects.all()
        agency = (qs.filter(pk=int(ref)) if ref.isdigit() else qs.filter(name__iexact=ref)).first()
        if agency is None:
            raise CommandError(f"--agency: no agency '{ref}'")
        start, end = option_date(opts["start"], flag="--from"), option_date(opts["end"], flag="--to")
        if end < start:
            raise CommandError("--to: is before --from")
        contacts = agency_contacts(agency_id=agency.pk, start=start, end=end)
        versions = sorted(set(contacts.values_list("codes_version", flat=True)))
        if len(versions) > 1:
            raise CommandError(
                f"--from/--to: the contacts of these dates were recorded under the RIPA code lists "
                f"{', '.join(versions)}, whose DOJ layouts differ (the lists changed on 2024-01-01): "
                "export each period to its own file"
            )
        try:
            if opts["out"]:
                with Path(opts["out"]).open("w", encoding="utf-8", newline="") as fh:
                    n = ripa_write(contacts, fh)
                self.stderr.write(f"{n} contact(s) of {agency} written to {opts['out']}")
            else:
                ripa_write(contacts, sys.stdout)
        except MixedEras as exc:  # a contact recorded meanwhile under other lists
            raise CommandError(str(exc)) from exc
