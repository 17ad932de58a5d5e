"""Charts declared in Python (Vega-Altair). Each comes with a text summary and a data table,
so the figure can be read without the picture, and printed.

The page embeds `spec` with Django's `json_script`; `public/charts.js` renders it with the
vendored Vega-Embed and the CSP-safe expression interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd
from django.utils.translation import gettext as _

from sro.oversight.metrics import TOTAL
from sro.public.figures import ProgramFigures
from sro.public.formatting import interval, money, number, period_label, withheld
from sro.public.groups import DIMENSIONS, OUTCOMES

WIDTH = "container"


@dataclass
class ChartBlock:
    id: str
    title: str
    summary: str
    spec: dict[str, Any]
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"


def _spec(chart: alt.TopLevelMixin, description: str) -> dict[str, Any]:
    # Vega's own ARIA labels are English-only; the container carries the translated title and summary.
    spec: dict[str, Any] = chart.properties(description=description).configure(aria=False).to_dict()
    spec.pop("$schema", None)  # the vendored Vega-Lite knows its own schema; no remote reference
    return spec


def trend_chart(figures: ProgramFigures) -> ChartBlock:
    """Rate per 1,000 students over the quarters, all program campuses, each outcome."""
    points: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    published: dict[str, list[str]] = {}
    for p in figures.periods:
        for outcome, outcome_label in OUTCOMES.items():
            r = figures.total(period=p.key, outcome=outcome)
            if r is None:
                continue
            text = str(outcome_label)
            if r.suppressed:
                rows.append([period_label(p), text, "", "", withheld(r)])
                continue
            points.append(
                {
                    "period": period_label(p),
                    "order": p.key,
                    "outcome": text,
                    "rate": r.rate,
                    "lo": r.rate_lo,
                    "hi": r.rate_hi,
                }
            )
            published.setdefault(text, []).append(
                _("%(rate)s in %(period)s") % {"rate": number(r.rate), "period": period_label(p)}
            )
            rows.append([period_label(p), text, number(r.count, 0), number(r.rate), interval(r.rate_lo, r.rate_hi)])
    rate_title = _("Per 1,000 students")
    df = pd.DataFrame(points, columns=["period", "order", "outcome", "rate", "lo", "hi"])
    order = [period_label(p) for p in figures.periods]
    x = alt.X("period:N", sort=order, title=_("Quarter"), axis=alt.Axis(labelAngle=0))
    color = alt.Color("outcome:N", title=_("Figure"), legend=alt.Legend(orient="bottom", columns=2, labelLimit=0))
    base = alt.Chart(df)
    chart = alt.layer(
        base.mark_line(point=True).encode(x=x, y=alt.Y("rate:Q", title=rate_title), color=color),
        base.mark_rule().encode(x=x, y="lo:Q", y2="hi:Q", color=color),
    ).properties(width=WIDTH, height=260)
    if published:
        parts = [f"{name}: {'; '.join(vals)}" for name, vals in published.items()]
        summary = _("Across all program campuses, per 1,000 students: %(parts)s.") % {"parts": ". ".join(parts)}
    else:
        summary = _("Every figure in these quarters is withheld because the counts are too small to publish safely.")
    hidden = [str(lbl) for lbl in OUTCOMES.values() if str(lbl) not in published]
    if published and hidden:
        summary += " " + _("Withheld in every quarter (too few to publish): %(names)s.") % {"names": ", ".join(hidden)}
    return ChartBlock(
        id="trend",
        title=_("Rates over time, all program campuses"),
        summary=summary,
        spec=_spec(chart, summary),
        headers=[_("Quarter"), _("Figure"), _("Count"), rate_title, _("95%% confidence interval") % {}],
        rows=rows,
    )


def group_chart(figures: ProgramFigures, *, period: str, dimension: str, outcome: str) -> ChartBlock:
    """One outcome's rate by student group in one quarter, with its 95% interval."""
    dim = DIMENSIONS[dimension]
    p = next(x for x in figures.periods if x.key == period)
    rows: list[list[str]] = []
    points: list[dict[str, Any]] = []
    shown: list[str] = []
    hidden: list[str] = []
    for r in figures.select(period=period, breakdown=dimension, outcome=outcome):
        name = _("All students") if r.group == TOTAL else str(dim.groups.get(r.group, r.group))
        if r.suppressed:
            rows.append([name, number(r.denominator, 0), "", "", "", withheld(r)])
            hidden.append(name)
            continue
        rows.append(
            [name, number(r.denominator, 0), number(r.count, 0), number(r.rate), interval(r.rate_lo, r.rate_hi), ""]
        )
        points.append({"group": name, "rate": r.rate, "lo": r.rate_lo, "hi": r.rate_hi})
        shown.append(_("%(group)s %(rate)s") % {"group": name, "rate": number(r.rate)})
    rate_title = _("Per 1,000 students")
    df = pd.DataFrame(points, columns=["group", "rate", "lo", "hi"])
    y = alt.Y("group:N", title=None, sort=None)
    base = alt.Chart(df)
    chart = alt.layer(
        base.mark_bar(color="#0b5cad").encode(y=y, x=alt.X("rate:Q", title=rate_title)),
        base.mark_rule(color="#1b1f24").encode(y=y, x="lo:Q", x2="hi:Q"),
    ).properties(width=WIDTH, height=max(60, 28 * len(points)))
    what = str(OUTCOMES[outcome])
    summary = _("%(what)s per 1,000 students by %(dimension)s, %(period)s: %(shown)s.") % {
        "what": what,
        "dimension": str(dim.label).lower(),
        "period": period_label(p),
        "shown": "; ".join(shown) if shown else _("nothing can be published"),
    }
    if hidden:
        summary += " " + _("Withheld: %(names)s.") % {"names": ", ".join(hidden)}
    return ChartBlock(
        id=f"group-{dimension}-{outcome}",
        title=_("%(what)s by %(dimension)s") % {"what": what, "dimension": str(dim.label).lower()},
        summary=summary,
        spec=_spec(chart, summary),
        headers=[
            _("Group"),
            _("Students enrolled"),
            _("Count"),
            rate_title,
            _("95%% confidence interval") % {},
            _("Note"),
        ],
        rows=rows,
    )


def cost_chart(costs: list[tuple[str, Decimal | None, Decimal | None, str]]) -> ChartBlock:
    """Annual cost per campus and per student: (campus, per campus, per student, status label)."""
    points = [
        {"campus": c, "per_campus": float(pc), "per_student": float(ps) if ps is not None else None, "status": st}
        for c, pc, ps, st in costs
        if pc is not None
    ]
    df = pd.DataFrame(points, columns=["campus", "per_campus", "per_student", "status"])
    per_student = _("Annual cost per student (USD)")
    chart = (
        alt.Chart(df)
        .mark_bar(color="#116329")
        .encode(
            y=alt.Y("campus:N", title=None, sort="-x"),
            x=alt.X("per_student:Q", title=per_student),
        )
        .properties(width=WIDTH, height=max(60, 32 * len(points)))
    )
    rows = [[c, money(pc), money(ps, 2), st] for c, pc, ps, st in costs]
    with_cost = [(c, ps) for c, _pc, ps, _st in costs if ps is not None]
    if with_cost:
        lo, hi = min(with_cost, key=lambda x: x[1] or 0), max(with_cost, key=lambda x: x[1] or 0)
        summary = _("Annual cost per student ranges from %(lo)s at %(lo_campus)s to %(hi)s at %(hi_campus)s.") % {
            "lo": money(lo[1], 2),
            "lo_campus": lo[0],
            "hi": money(hi[1], 2),
            "hi_campus": hi[0],
        }
    else:
        summary = _("No campus has a contract with a cost yet.")
    return ChartBlock(
        id="cost",
        title=_("Cost per student, by campus"),
        summary=summary,
        spec=_spec(chart, summary),
        headers=[_("Campus"), _("Annual cost per campus"), per_student, _("Contract status")],
        rows=rows,
    )
