"""`sro import-enrolment FILE`: enrolment by group from the CDE's Census Day enrollment file."""

from __future__ import annotations

import re
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.errors import DomainError
from sro.orgs.models import District
from sro.public.cde import SOURCE_TITLE, SOURCE_URL, CensusDayError
from sro.public.services import EnrolmentImport, census_day_import


class Command(BaseCommand):
    help = (
        "Load the program campuses' enrolment by group (race, sex, disability, English learners) and "
        "their totals from the CDE's Census Day enrollment file (tab-delimited text, cdenrollYYZZ.txt)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.epilog = f"Layout: {SOURCE_TITLE}, {SOURCE_URL}. Mapping and rules: docs/public-site.md, Enrolment."
        parser.add_argument("path", help="the Census Day enrollment file, as downloaded from the CDE")
        parser.add_argument("--year", help="the school year to load, e.g. 2024-25 (needed if the file holds several)")
        parser.add_argument("--district", help="only this district's program campuses (7-digit CDS code)")
        parser.add_argument("--dry-run", action="store_true", help="check and report; save nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        year: str | None = opts["year"]
        if year is not None and not re.fullmatch(r"[0-9]{4}-[0-9]{2}", year):
            raise CommandError(f"--year: '{year}' is not a school year such as 2024-25")
        district = None
        if opts["district"] is not None:
            code = opts["district"]
            if not re.fullmatch(r"[0-9]{7}", code):
                raise CommandError(f"--district: '{code}' is not a 7-digit district CDS code")
            district = District.objects.filter(cds_code=code).first()
            if district is None:
                raise CommandError(f"--district: no such district {code}")
        try:
            result = census_day_import(
                actor=None, path=Path(opts["path"]), school_year=year, district=district, dry_run=opts["dry_run"]
            )
        except CensusDayError as exc:
            raise CommandError(f"{exc}\nnothing was saved") from None
        except DomainError as exc:
            raise CommandError(f"{exc.detail}\nnothing was saved") from None
        for line in summary_lines(result):
            self.stdout.write(line)


def summary_lines(result: EnrolmentImport) -> list[str]:
    out = [result.source, f"rows read: {result.rows:,}", f"program campuses updated: {len(result.updated)}"]
    for c in result.updated:
        s = c.school
        total = c.split.total or 0
        if c.total_updated:
            was = "none" if c.enrolment_before is None else f"{c.enrolment_before:,}"
            change = f"campus total {was} -> {total:,}"
        elif s.enrolment == total:
            change = "campus total unchanged"
        else:
            change = f"campus total kept at {s.enrolment or 0:,} (enrolment by group for a later year is on file)"
        out.append(f"  {s.name} ({s.cds_code}): {total:,} enrolled; {change}")
        out.extend(f"    {note}" for note in c.split.notes)
        out.extend(f"    {dim}: not loaded ({why})" for dim, why in c.split.withheld.items())
    if result.skipped:
        out.append(f"program campuses skipped: {len(result.skipped)}")
        out.extend(f"  {s.name} ({s.cds_code}): {why}" for s, why in result.skipped)
    out.append(f"program campuses not in the file: {len(result.not_in_file)}")
    out.extend(f"  {s.name} ({s.cds_code})" for s in result.not_in_file)
    if result.dry_run:
        out.append("dry run: nothing was saved")
    return out
