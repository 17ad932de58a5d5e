"""Home-page panels of the district side (see sro.core.panels): the campus status board (the
deployment gate's answer for each campus), and the program in aggregate for the roles that see
no individual record (superintendent, board member, analyst): this school year's figures, the
incidents by route, the boundary reviews by outcome, and the disparity explorer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import pandas as pd
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.panels import Panel, register
from sro.incidents.models import Incident, Route
from sro.orgs.actors import Actor
from sro.orgs.models import School
from sro.orgs.roles import Role
from sro.orgs.selectors import school_list
from sro.oversight.metrics import TOTAL, disparity
from sro.public.figures import PUBLIC_SETTINGS, cached_figures, program_figures
from sro.public.formatting import cell, number, period_label
from sro.public.groups import OUTCOMES
from sro.public.labels import REVIEW_STATUS, WITHHELD, label
from sro.public.program import campus_answers_for
from sro.public.report import default_range

DISTRICT_SIDE = frozenset({Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST})
AGGREGATE_ROLES = frozenset({Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST})

ROUTE_NAMES = {
    Route.SUPPORT_REFERRAL: _("Support referral (no discipline, no police)"),
    Route.SCHOOL_DISCIPLINE: _("School discipline (no officer may act)"),
    Route.DISCRETIONARY_REFERRAL: _("Discretionary referral to law enforcement"),
    Route.MANDATORY_NOTIFICATION: _("Mandatory notification of law enforcement"),
    Route.EMERGENCY: _("Emergency"),
}


def campus_board(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    answers = campus_answers_for(list(school_list(actor=actor).order_by("name")), today)
    return {"answers": answers, "today": today, "deployable": sum(1 for a in answers if a.answer.may_deploy)}


def incidents_by_route(schools: list[School], start: dt.date, end: dt.date) -> list[tuple[str, dict[str, str]]]:
    """Incidents at the campuses by route, with the public site's suppression (counts under 11 withheld,
    and a second route where the total would give one away); the total last."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    counts = dict(
        Incident.objects.filter(school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi)
        .values_list("route")
        .annotate(n=Count("pk"))
        .values_list("route", "n")
    )
    enrolled = sum(s.enrolment or 0 for s in schools)
    rows = [(r.value, counts.get(r.value, 0)) for r in Route] + [(TOTAL, sum(counts.values()))]
    long = pd.DataFrame(
        [("year", "route", "incidents", group, n, enrolled) for group, n in rows],
        columns=["period", "breakdown", "outcome", "group", "count", "denominator"],
    ).astype({"count": "int64", "denominator": "int64"})
    result = disparity(ibis.memtable(long), keys=["period", "breakdown"], settings=PUBLIC_SETTINGS).to_pyarrow()
    by_group = {r["group"]: r for r in result.to_pylist()}
    out = []
    for group, _n in rows:
        r = by_group[group]
        shown = {"count": number(r["count"], 0), "withheld": ""}
        if r["suppressed"]:
            shown = {"count": "", "withheld": label(WITHHELD, r["reason"], r["reason"])}
        out.append((str(ROUTE_NAMES[Route(group)]) if group != TOTAL else str(_("All incidents")), shown))
    return out


def program_in_aggregate(actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    start, end = default_range(today)
    figures = program_figures(actor=actor, start=start, end=end, by="range", today=today)
    period = figures.periods[0]
    reviews = {r.status: r.count for r in figures.reviews if r.period == period.key}
    open_statuses = {"open", "under_review"}
    return {
        "period": period_label(period),
        "campuses": len(figures.schools),
        "figures": [(str(name), cell(figures.total(period=period.key, outcome=key))) for key, name in OUTCOMES.items()],
        "routes": cached_figures(
            ("routes", [s.pk for s in figures.schools], start, end),
            lambda: incidents_by_route(figures.schools, start, end),
        ),
        "reviews": [(label(REVIEW_STATUS, s), n) for s, n in reviews.items()],
        "reviews_open": sum(n for s, n in reviews.items() if s in open_statuses),
        "reviews_closed": sum(n for s, n in reviews.items() if s not in open_statuses),
        "is_analyst": Role.ANALYST in actor.roles,
        "illustrative": figures.illustrative,
    }


register(
    Panel("contracts.campus_board", _("Campus status board"), "web/panels/campus_board.html", DISTRICT_SIDE,
          campus_board, 10)
)  # fmt: skip
register(
    Panel("public.program", _("The program this school year"), "public/panels/program.html", AGGREGATE_ROLES,
          program_in_aggregate, 15)
)  # fmt: skip
