from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.oversight import reports
from sro.oversight.k12 import YearFlag, parse_by
from sro.oversight.management.commands._common import add_output, add_settings, settings_from
from sro.oversight.output import emit
from sro.oversight.report_kinds import report_kinds
from sro.oversight.validation import InputError


class Command(BaseCommand):
    help = (
        "Disparity reports: from a counts file, RIPA stop data (at K-12 schools; search and hit rates), "
        "or a CRDC school file."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        names = ["disparity", "k12", "searches", "crdc", *(kind.name for kind in report_kinds())]
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{" + ",".join(names) + "}")
        d = sub.add_parser("disparity", help="Rates and risk ratios from a counts CSV (group,enrolled,outcomes...).")
        d.add_argument("--counts", type=Path, required=True, help="CSV: group,enrolled,<outcome>...")
        d.add_argument("--reference", default="others", help="'others' (IDEA method) or a group name (OJJDP RRI).")
        add_settings(d, per=1000)
        add_output(d)
        k = sub.add_parser("k12", help="Stops of students or on K-12 grounds, by group (RIPA data).")
        _add_ripa(k)
        k.add_argument("--enrolment", type=Path, help="CSV: school_code,group,enrolled for per-enrolment rates.")
        k.add_argument(
            "--flag-years",
            type=_positive,
            metavar="N",
            help="Flag groups whose risk ratio exceeded --flag-threshold in each of N consecutive years "
            "(needs a breakdown by year).",
        )
        k.add_argument("--flag-threshold", type=float, default=2.0, metavar="RR", help="Risk ratio (default 2.0).")
        _add_exclude_doubtful(k)
        add_settings(k, per=100)
        add_output(k)
        s = sub.add_parser(
            "searches",
            help="Search rates and contraband hit rates by group (the outcome test), per person and per stop (RIPA).",
        )
        _add_ripa(s)
        s.add_argument(
            "--reference", default="others", help="'others' (each group against all others) or a group, e.g. White."
        )
        s.add_argument("--k12", action="store_true", help="Only students and stops on K-12 grounds.")
        _add_exclude_doubtful(s)
        add_settings(s, per=100)
        add_output(s)
        c = sub.add_parser(
            "crdc", help="CRDC referrals and school-related arrests by group, per school/district/state."
        )
        c.add_argument(
            "--crdc",
            type=Path,
            required=True,
            help="CRDC Referrals and Arrests module CSV (2017-18, 2020-21) or the 2015-16 combined school file.",
        )
        c.add_argument(
            "--enrolment",
            type=Path,
            help="CRDC Enrollment module CSV (same year) for rates per 1,000 enrolled; "
            "the 2015-16 combined file carries its own.",
        )
        c.add_argument(
            "--support",
            type=Path,
            help="CRDC School Support module CSV (same year): schools with sworn officers (SCH_FTESECURITY_LEO).",
        )
        add_settings(c, per=100)
        add_output(c)
        for kind in report_kinds():  # registered by the apps above oversight (sro.oversight.report_kinds)
            kind.add_arguments(sub.add_parser(kind.name, help=kind.help))

    def handle(self, *args: Any, **opts: Any) -> None:
        kind = opts["kind"]
        fmt, out = opts["format"], opts["out"]
        registered = {k.name: k for k in report_kinds()}
        try:
            if kind == "disparity":
                ref = None if opts["reference"] == "others" else opts["reference"]
                table = reports.disparity_report(opts["counts"], settings_from(opts, ref))
                emit(table, fmt=fmt, out=out, stream=self.stdout, title="Disparity")
            elif kind == "crdc":
                crdc = reports.crdc_file_report(
                    opts["crdc"], settings_from(opts), enrolment=opts["enrolment"], support=opts["support"]
                )
                emit(crdc.report, fmt=fmt, out=out, stream=self.stdout, title="CRDC referrals and arrests")
                for suffix, table, title in (
                    ("-enrolment", crdc.per_enrolment, "CRDC referrals and arrests per 1,000 enrolled"),
                    ("-officers", crdc.officers, "CRDC schools with sworn law enforcement officers"),
                ):
                    if table is not None:
                        extra_out = out.with_name(out.stem + suffix + out.suffix) if out else None
                        emit(table, fmt=fmt, out=extra_out, stream=self.stdout, title=title)
                # Notes go with a terminal table; beside CSV or JSON on stdout they go to stderr.
                notes = self.stdout if fmt == "table" or out is not None else self.stderr
                for line in crdc.messages():
                    notes.write(line)
            elif kind in registered:
                registered[kind].run(opts, self.stdout)
            elif kind == "searches":
                ref = None if opts["reference"] == "others" else opts["reference"]
                result = reports.searches_file_report(
                    opts["ripa"], by=parse_by(opts["by"]), settings=settings_from(opts, ref), k12_only=opts["k12"],
                    exclude_doubtful=opts["exclude_doubtful"],
                )  # fmt: skip
                emit(result.report, fmt=fmt, out=out, stream=self.stdout, title="Search and hit rates")
                self._notes(fmt, out, result.notes())
            else:
                by = parse_by(opts["by"])
                flag = YearFlag(opts["flag_threshold"], opts["flag_years"]) if opts["flag_years"] else None
                k12 = reports.k12_file_report(
                    opts["ripa"], by=by, settings=settings_from(opts), enrolment_csv=opts["enrolment"], flag=flag,
                    exclude_doubtful=opts["exclude_doubtful"],
                )  # fmt: skip
                emit(k12.report, fmt=fmt, out=out, stream=self.stdout, title="K-12 stops")
                if k12.per_enrolment is not None:
                    enrol_out = out.with_name(out.stem + "-enrolment" + out.suffix) if out else None
                    emit(k12.per_enrolment, fmt=fmt, out=enrol_out, stream=self.stdout, title="Per 1,000 enrolled")
                self._notes(fmt, out, k12.notes())
        except InputError as exc:
            raise CommandError(exc.describe()) from exc
        except (ValueError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc

    def _notes(self, fmt: str, out: Path | None, lines: list[str]) -> None:
        """Like the CRDC notes: with a terminal table or --out on stdout, beside CSV or JSON on stderr."""
        stream = self.stdout if fmt == "table" or out is not None else self.stderr
        for line in lines:
            stream.write(line)


def _add_ripa(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--ripa",
        type=Path,
        action="append",
        required=True,
        help="RIPA CSV, workbook, zip, or Parquet directory from sro ingest; repeat to read several "
        "(years, layouts) together.",
    )
    parser.add_argument(
        "--by", action="append", default=[], help="agency, school, month, year; comma-join to cross; repeat."
    )


def _add_exclude_doubtful(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--exclude-doubtful",
        action="store_true",
        help="Leave out the rows flagged doubtful (the DOJ's known errors, unreadable cells); "
        "by default they are included, as the DOJ publishes them, and counted in the summary.",
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ArgumentTypeError(f"{text!r} is not a whole number of years (1 or more)")
    return int(text)
