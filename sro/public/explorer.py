"""The disparity explorer: the public figures, for the district's staff, one question at a time.

Choose a campus (or all program campuses), a student-group dimension, a period (a school year,
or any dates) and an outcome; the page shows each group's count, rate per 1,000 students
enrolled with its 95% Wilson interval, and risk ratio against all other students with its
Katz interval, as a table and a chart, and the same table as CSV.

The figures are `program_figures`, the public site's own selector, with the public site's
suppression (counts under 11 and groups under 30 students withheld, and a second cell where
a total would give one away): the explorer shows a campus-by-group table the public site does
not publish, so it is for district roles only (`can_see_board_report`: administrator,
superintendent, board member, analyst), and it withholds the same cells. Nothing here reads a
student's record: only counts leave `program_figures`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.core import csvsafe
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import School
from sro.oversight.metrics import TOTAL
from sro.public.figures import first_record_date, program_figures, program_schools, school_year_of
from sro.public.formatting import interval, number, period_label, withheld
from sro.public.groups import DIMENSIONS, OUTCOME_HELP, OUTCOMES
from sro.public.report import can_see_board_report
from sro.public.svg import Bar, bar_chart

CSV_HEADER = [
    "group_code",
    "group",
    "students_enrolled",
    "count",
    "rate_per_1000",
    "rate_lo",
    "rate_hi",
    "risk_ratio",
    "risk_ratio_lo",
    "risk_ratio_hi",
    "withheld_reason",
    "note",
]


def year_bounds(key: str) -> tuple[dt.date, dt.date]:
    """A school year "2026-27": 1 July 2026 to 30 June 2027."""
    first = int(key[:4])
    return dt.date(first, 7, 1), dt.date(first + 1, 6, 30)


def school_years(schools: list[School], today: dt.date) -> list[str]:
    """School years from the first record's to the current one, newest first."""
    current = int(school_year_of(today)[:4])
    first_day = first_record_date(schools)
    first = int(school_year_of(first_day)[:4]) if first_day else current
    return [f"{y}-{str(y + 1)[2:]}" for y in range(current, min(first, current) - 1, -1)]


class ExplorerForm(forms.Form):
    campus = forms.ChoiceField(label=gettext_lazy("Campus"), required=False)
    dimension = forms.ChoiceField(
        label=gettext_lazy("Student groups"), choices=[(k, d.label) for k, d in DIMENSIONS.items()]
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=list(OUTCOMES.items()))
    year = forms.ChoiceField(label=gettext_lazy("School year"))
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("With “To”, takes the place of the school year."),
    )
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: dict[str, str], *, schools: list[School], years: list[str]) -> None:
        super().__init__(data)
        campus = self.fields["campus"]
        year = self.fields["year"]
        assert isinstance(campus, forms.ChoiceField) and isinstance(year, forms.ChoiceField)
        campus.choices = [("", _("All program campuses")), *[(s.cds_code, s.name) for s in schools]]
        year.choices = [(y, y) for y in years]

    def clean(self) -> dict[str, object] | None:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            self.add_error("end" if start else "start", _("Give both dates, or neither to use the school year."))
        elif isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", _("The last day is before the first day."))
        return data


@dataclass(frozen=True)
class Query:
    campus: str  # CDS code; "" for all program campuses
    dimension: str
    outcome: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ExplorerRow:
    code: str
    group: str
    enrolled: int
    count: int | None
    rate: float | None
    rate_lo: float | None
    rate_hi: float | None
    rr: float | None
    rr_lo: float | None
    rr_hi: float | None
    reason: str  # the suppression reason's code; "" when the row is published
    note: str  # the same, in words
    is_total: bool

    @property
    def suppressed(self) -> bool:
        return bool(self.reason)

    def cells(self) -> list[str]:
        """The table's cells as the page shows them (a withheld row: its group, enrolment and why)."""

        def fmt(value: float | None, places: int) -> str:
            return "" if value is None else number(round(value, places), places)

        def ci(lo: float | None, hi: float | None, places: int) -> str:
            return "" if lo is None or hi is None else interval(round(lo, places), round(hi, places), places)

        return [
            self.group,
            number(self.enrolled, 0) if self.enrolled else _("not on file"),
            "" if self.count is None else number(self.count, 0),
            fmt(self.rate, 1),
            ci(self.rate_lo, self.rate_hi, 1),
            fmt(self.rr, 2),
            ci(self.rr_lo, self.rr_hi, 2),
            self.note,
        ]

    def csv(self) -> list[object]:
        """The same row for the CSV: codes beside labels, numbers as numbers, rounded as shown."""
        numbers = [(self.rate, 1), (self.rate_lo, 1), (self.rate_hi, 1), (self.rr, 2), (self.rr_lo, 2), (self.rr_hi, 2)]
        return [
            self.code,
            self.group,
            self.enrolled,
            "" if self.count is None else self.count,
            *["" if v is None else round(v, places) for v, places in numbers],
            self.reason,
            self.note,
        ]


@dataclass
class Exploration:
    query: Query
    campus_name: str
    period: str
    rows: list[ExplorerRow]
    chart: SafeString
    summary: str

    @property
    def headers(self) -> list[str]:
        return [
            str(DIMENSIONS[self.query.dimension].label),
            _("Students enrolled"),
            _("Count"),
            _("Per 1,000 students"),
            _("95%% confidence interval") % {},
            _("Risk ratio (against all other students)"),
            _("95%% interval of the ratio") % {},
            _("Note"),
        ]


def explore(*, actor: Actor, query: Query, today: dt.date) -> Exploration:
    figures = program_figures(
        actor=actor, campus=query.campus or None, start=query.start, end=query.end, by="range", today=today
    )
    period = figures.periods[0]
    dim = DIMENSIONS[query.dimension]
    rows = [
        ExplorerRow(
            code=r.group,
            group=_("All students") if r.is_total else str(dim.groups.get(r.group, r.group)),
            enrolled=r.denominator,
            count=r.count,
            rate=r.rate,
            rate_lo=r.rate_lo,
            rate_hi=r.rate_hi,
            rr=r.rr,
            rr_lo=r.rr_lo,
            rr_hi=r.rr_hi,
            reason=r.reason if r.suppressed else "",
            note=withheld(r) if r.suppressed else "",
            is_total=r.group == TOTAL,
        )
        for r in figures.select(period=period.key, breakdown=query.dimension, outcome=query.outcome)
    ]
    campus_name = next((s.name for s in figures.schools if s.cds_code == query.campus), _("All program campuses"))
    what = str(OUTCOMES[query.outcome])
    shown = [f"{row.group} {number(round(row.rate, 1))}" for row in rows if row.rate is not None]
    hidden = [row.group for row in rows if row.suppressed]
    summary = _("%(what)s per 1,000 students by %(dimension)s, %(campus)s, %(period)s: %(shown)s.") % {
        "what": what,
        "dimension": str(dim.label).lower(),
        "campus": campus_name,
        "period": period_label(period),
        "shown": "; ".join(shown) if shown else _("every figure is withheld"),
    }
    if hidden:
        summary += " " + _("Withheld: %(names)s.") % {"names": ", ".join(hidden)}

    def one(value: float | None) -> float | None:
        return None if value is None else round(value, 1)  # the chart shows the table's rounding

    bars = [Bar(row.group, one(row.rate), one(row.rate_lo), one(row.rate_hi), row.note) for row in rows]
    title = _("%(what)s per 1,000 students, by %(dimension)s") % {"what": what, "dimension": str(dim.label).lower()}
    chart = bar_chart(bars, title=title, summary=summary, unit=" " + _("per 1,000"))
    return Exploration(query, campus_name, period_label(period), rows, chart, summary)


def csv_text(exploration: Exploration) -> str:
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in exploration.rows:
        writer.writerow(row.csv())
    return out.getvalue()


def _explore_request(request: HttpRequest) -> tuple[ExplorerForm, Exploration | None]:
    actor = actor_for(request.user)
    if not can_see_board_report(actor):
        raise Http404
    today = timezone.localdate()
    schools = program_schools(actor=actor)
    years = school_years(schools, today)
    defaults = {"dimension": "race", "outcome": "contacts", "year": years[0]}
    form = ExplorerForm({**defaults, **request.GET.dict()}, schools=schools, years=years)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    start, end = (d["start"], d["end"]) if d.get("start") else year_bounds(d["year"])
    query = Query(d["campus"], d["dimension"], d["outcome"], start, min(end, today) if start <= today else end)
    return form, explore(actor=actor, query=query, today=today)


@login_required
def explorer_page(request: HttpRequest) -> HttpResponse:
    form, exploration = _explore_request(request)
    outcome = form.cleaned_data.get("outcome", "contacts") if form.is_valid() else "contacts"
    return render(
        request,
        "public/explorer.html",
        {
            "form": form,
            "x": exploration,
            "table": [(row, row.cells()) for row in exploration.rows] if exploration else [],
            "outcome_help": str(OUTCOME_HELP[outcome]),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def explorer_csv(request: HttpRequest) -> HttpResponse:
    form, exploration = _explore_request(request)
    if exploration is None:
        return render(request, "public/explorer.html", {"form": form, "x": None, "table": []}, status=400)
    q = exploration.query
    name = f"sro-explorer-{q.campus or 'all'}-{q.dimension}-{q.outcome}-{q.start:%Y%m%d}-{q.end:%Y%m%d}.csv"
    response = HttpResponse(csv_text(exploration), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
