from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.oversight import reports
from sro.oversight.k12 import YearFlag, parse_by
from sro.oversight.management.commands._common import add_output, add_settings, settings_from
from sro.oversight.output import emit
from sro.oversight.validation import InputError


class Command(BaseCommand):
    help = "Disparity reports: from a counts file, RIPA stop data at K-12 schools, or a CRDC school file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{disparity,k12,crdc,program}")
        d = sub.add_parser("disparity", help="Rates and risk ratios from a counts CSV (group,enrolled,outcomes...).")
        d.add_argument("--counts", type=Path, required=True, help="CSV: group,enrolled,<outcome>...")
        d.add_argument("--reference", default="others", help="'others' (IDEA method) or a group name (OJJDP RRI).")
        add_settings(d, per=1000)
        add_output(d)
        k = sub.add_parser("k12", help="Stops of students or on K-12 grounds, by group (RIPA data).")
        k.add_argument("--ripa", type=Path, required=True, help="RIPA CSV, zip, or Parquet directory from sro ingest.")
        k.add_argument(
            "--by", action="append", default=[], help="agency, school, month, year; comma-join to cross; repeat."
        )
        k.add_argument("--enrolment", type=Path, help="CSV: school_code,group,enrolled for per-enrolment rates.")
        k.add_argument(
            "--flag-years",
            type=_positive,
            metavar="N",
            help="Flag groups whose risk ratio exceeded --flag-threshold in each of N consecutive years "
            "(needs a breakdown by year).",
        )
        k.add_argument("--flag-threshold", type=float, default=2.0, metavar="RR", help="Risk ratio (default 2.0).")
        add_settings(k, per=100)
        add_output(k)
        c = sub.add_parser(
            "crdc", help="CRDC referrals and school-related arrests by group, per school/district/state."
        )
        c.add_argument("--crdc", type=Path, required=True, help="CRDC school-level CSV.")
        add_settings(c, per=100)
        add_output(c)
        p = sub.add_parser(
            "program",
            help="The program's own contacts and incidents: the public site's quarterly figures (sro.public.figures).",
        )
        p.add_argument("--district", help="CDS district code (7 digits); default: every district's program campuses.")
        p.add_argument("--from", dest="start", type=_date, help="First day (YYYY-MM-DD); default: the first record.")
        p.add_argument("--to", dest="end", type=_date, help="Last day (YYYY-MM-DD); default: today.")
        p.add_argument(
            "--period",
            choices=("quarter", "range"),
            default="quarter",
            help="quarter (default): whole calendar quarters, as published; range: exactly --from to --to.",
        )
        add_settings(p, per=1000)
        add_output(p)

    def handle(self, *args: Any, **opts: Any) -> None:
        kind = opts["kind"]
        fmt, out = opts["format"], opts["out"]
        try:
            if kind == "disparity":
                ref = None if opts["reference"] == "others" else opts["reference"]
                table = reports.disparity_report(opts["counts"], settings_from(opts, ref))
                emit(table, fmt=fmt, out=out, stream=self.stdout, title="Disparity")
            elif kind == "crdc":
                table = reports.crdc_file_report(opts["crdc"], settings_from(opts))
                emit(table, fmt=fmt, out=out, stream=self.stdout, title="CRDC referrals and arrests")
            elif kind == "program":
                self._program(opts, fmt, out)
            else:
                by = parse_by(opts["by"])
                flag = YearFlag(opts["flag_threshold"], opts["flag_years"]) if opts["flag_years"] else None
                report, per_enrol = reports.k12_file_report(
                    opts["ripa"], by=by, settings=settings_from(opts), enrolment_csv=opts["enrolment"], flag=flag
                )
                emit(report, fmt=fmt, out=out, stream=self.stdout, title="K-12 stops")
                if per_enrol is not None:
                    enrol_out = out.with_name(out.stem + "-enrolment" + out.suffix) if out else None
                    emit(per_enrol, fmt=fmt, out=enrol_out, stream=self.stdout, title="Per 1,000 enrolled")
        except InputError as exc:
            raise CommandError(exc.describe()) from exc
        except (ValueError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc

    def _program(self, opts: dict[str, Any], fmt: str, out: Path | None) -> None:
        from sro.orgs.actors import PUBLIC
        from sro.orgs.models import District
        from sro.public.figures import program_figures, reviews_arrow

        district = opts["district"]
        if district and not District.objects.filter(cds_code=district).exists():
            raise CommandError(f"--district {district}: no such district (a 7-digit CDS code, e.g. 3367173)")
        figures = program_figures(
            actor=PUBLIC,
            district=district,
            start=opts["start"],
            end=opts["end"],
            by=opts["period"],
            settings=settings_from(opts),
        )
        emit(figures.to_arrow(), fmt=fmt, out=out, stream=self.stdout, title="Program figures")
        reviews_out = out.with_name(out.stem + "-reviews" + out.suffix) if out else None
        emit(reviews_arrow(figures), fmt=fmt, out=reviews_out, stream=self.stdout, title="Boundary-crossing reviews")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ArgumentTypeError(f"{text!r} is not a whole number of years (1 or more)")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
