"""The board report: contracts and votes, costs, staffing, figures, crossings and reviews for a date range.

One context feeds the page and the PDF. Figures are the public site's own quarterly figures
(`program_figures`, whole quarters covering the range), so the report can be attached to a
public agenda without revealing anything the public site withholds.

Other apps add sections through `register_section` (the staffing section below is one), e.g.::

    register_section(ReportSection(
        key="staffing.training", title=_("Training compliance"), order=30,
        template="staffing/report_section.html",          # rendered inside the page and the PDF
        context=lambda actor, start, end: {...},          # read through your selectors; None hides it
    ))
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sro.contracts.models import Vote
from sro.contracts.selectors import contract_costs, contract_list, district_spend_by_year
from sro.core.errors import NotFound
from sro.orgs.actors import Actor
from sro.orgs.models import District
from sro.orgs.roles import DISTRICT_ROLES
from sro.public import tables
from sro.public.figures import ProgramFigures, program_figures
from sro.public.formatting import number, period_label, withheld
from sro.public.groups import CAMPUS, DIMENSIONS, OUTCOMES
from sro.public.labels import CONTRACT_STATUS, label
from sro.public.program import campus_answers_for
from sro.public.svg import Bar, bar_chart

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[[Actor, District, dt.date, dt.date], dict[str, Any] | None]
    order: int = 100


_SECTIONS: dict[str, ReportSection] = {}


def register_section(section: ReportSection) -> ReportSection:
    _SECTIONS[section.key] = section
    return section


def sections() -> list[ReportSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def can_see_board_report(actor: Actor) -> bool:
    """District roles (administrator, superintendent, board member, analyst) of a district."""
    return actor.is_superuser or any(actor.org_ids(r) for r in DISTRICT_ROLES)


def report_districts(actor: Actor) -> list[District]:
    if actor.is_superuser:
        return list(District.objects.filter(schools__in_program=True).distinct())
    ids: set[int] = set()
    for role in DISTRICT_ROLES:
        ids |= actor.org_ids(role)
    return list(District.objects.filter(pk__in=ids))


def district_for(actor: Actor, cds: str = "") -> District:
    options = report_districts(actor)
    chosen = next((d for d in options if d.cds_code == cds), None) if cds else (options[0] if options else None)
    if chosen is None:
        raise NotFound("District")
    return chosen


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the start of the school year (1 July) to today."""
    year = today.year if today.month >= 7 else today.year - 1
    return dt.date(year, 7, 1), today


def _metric_svgs(figures: ProgramFigures) -> list[SafeString]:
    out: list[SafeString] = []
    rate = _("per 1,000")
    for outcome, name in OUTCOMES.items():
        bars = []
        for p in figures.periods:
            r = figures.total(period=p.key, outcome=outcome)
            if r is None:
                continue
            bars.append(Bar(period_label(p), None if r.suppressed else r.rate, r.rate_lo, r.rate_hi, withheld(r)))
        title = _("%(what)s per 1,000 students, all program campuses") % {"what": name}
        shown = [f"{b.label}: {number(b.value)}" for b in bars if b.value is not None]
        summary = "; ".join(shown) if shown else _("Every quarter withheld (too few to publish).")
        out.append(bar_chart(bars, title=title, summary=summary, unit=f" {rate}"))
    return out


def _svg_titles() -> list[str]:
    return [_("%(what)s per 1,000 students, all program campuses") % {"what": name} for name in OUTCOMES.values()]


def board_report(
    *, actor: Actor, district: District, start: dt.date, end: dt.date, request: HttpRequest
) -> dict[str, Any]:
    today = timezone.localdate()
    contracts = list(contract_list(actor=actor).filter(district=district).order_by("city__name"))
    votes = (
        Vote.objects.filter(version__contract__in=contracts)
        .select_related("meeting__body", "version__contract")
        .order_by("meeting__date", "pk")
    )
    held = [v for v in votes if start <= v.meeting.date <= end]
    coming = [v for v in votes if v.meeting.date > end or v.outcome == Vote.Outcome.SCHEDULED]
    figures = program_figures(actor=actor, district=district.cds_code, start=start, end=end, today=today)
    schools = figures.schools
    rendered: list[tuple[str, SafeString]] = []
    for section in sections():
        try:
            ctx = section.context(actor, district, start, end)
            if ctx is not None:
                html = render_to_string(section.template, {**ctx, "section": section}, request=request)
                rendered.append((str(section.title), SafeString(html)))
        except Exception:
            logger.exception("board report section %s failed", section.key)
    return {
        "district": district,
        "start": start,
        "end": end,
        "generated_at": timezone.localtime(),
        "answers": campus_answers_for(schools, end),
        "contracts": [(c, label(CONTRACT_STATUS, c.status), contract_costs(c)) for c in contracts],
        "votes_held": tables.vote_rows(held),
        "votes_coming": tables.vote_rows(coming),
        "spend": district_spend_by_year(contract_list(actor=actor).filter(district=district)),
        "figures": figures,
        "metric_svgs": list(zip(_svg_titles(), _metric_svgs(figures), strict=True)),
        "period_tables": [
            (period_label(p), [tables.breakdown_table(figures, p.key, b) for b in (CAMPUS, *DIMENSIONS)])
            for p in figures.periods
        ],
        "reviews": tables.review_rows(figures),
        "sections": rendered,
    }
