"""`sro report program`: the public site's quarterly figures (`sro.public.figures`) at the command line.

The `report` command is oversight's; this kind reads the program's own records through the
public site's figures, so the public app registers it (PublicConfig.ready(), into
`sro.oversight.report_kinds`) and oversight names no app above it.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import CommandError

from sro.core.errors import InvalidInput
from sro.core.params import parse_date
from sro.orgs.actors import PUBLIC
from sro.orgs.models import District
from sro.oversight.management.commands._common import add_output, add_settings, settings_from
from sro.oversight.output import emit
from sro.oversight.report_kinds import ReportKind
from sro.public.figures import program_figures, reviews_arrow


def add_arguments(p: ArgumentParser) -> None:
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


def run(opts: dict[str, Any], stdout: Any) -> None:
    fmt, out = opts["format"], opts["out"]
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
    emit(figures.to_arrow(), fmt=fmt, out=out, stream=stdout, title="Program figures")
    reviews_out = out.with_name(out.stem + "-reviews" + out.suffix) if out else None
    emit(reviews_arrow(figures), fmt=fmt, out=reviews_out, stream=stdout, title="Boundary-crossing reviews")


def _date(text: str) -> dt.date:
    try:
        return parse_date(text, name="date")
    except InvalidInput as exc:
        raise ArgumentTypeError(exc.errors[0].message) from None  # argparse names the option


PROGRAM = ReportKind(
    name="program",
    help="The program's own contacts and incidents: the public site's quarterly figures (sro.public.figures).",
    add_arguments=add_arguments,
    run=run,
)
