"""The program's figures from its own records, through the oversight engine.

`program_figures` is the one selector behind the public figures page, its CSV files, the
board report and `sro report program`. It counts, per period, SRO contacts and the outcomes
in `groups.OUTCOMES` by campus and by student group, with enrolment as the denominator, and
passes the counts to `sro.oversight.metrics.disparity` for rates, 95% intervals, risk ratios
and suppression (cell minimum, n-size minimum, complementary suppression).

Partitions are (period, breakdown, outcome): one breakdown of one period at a time, each with
its `All` total, so complementary suppression protects every published table. Periods do not
overlap, and no campus-by-group cross-tabulation is published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import ibis
import pandas as pd
import pyarrow as pa
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.models import Case, CharField, Count, Value, When
from django.utils import timezone
from django.utils.translation import get_language

from sro.core.models import AuditEvent
from sro.incidents.models import Contact, Incident, IncidentStudent, Review
from sro.incidents.policy import routed_to_law_enforcement_q
from sro.orgs.actors import Actor
from sro.orgs.models import School
from sro.orgs.selectors import school_list
from sro.oversight.metrics import TOTAL, Settings, disparity
from sro.public.groups import CAMPUS, DIMENSIONS, OUTCOMES, contact_groups, contact_outcomes, student_groups
from sro.public.models import GroupEnrolment

# Suppression as IDEA calls presumptively reasonable (34 CFR 300.647): counts of 10 or fewer
# and groups of fewer than 30 students are never published. Rates per 1,000 students.
T = TypeVar("T")
PUBLIC_SETTINGS = Settings(per=1000, cell_min=11, n_min=30)
MAX_QUARTERS = 8
BREAKDOWN_ORDER = [CAMPUS, *DIMENSIONS]


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date
    partial: bool = False

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1


@dataclass(frozen=True)
class FigureRow:
    period: str
    breakdown: str
    outcome: str
    group: str
    count: int | None
    denominator: int
    rate: float | None
    rate_lo: float | None
    rate_hi: float | None
    rr: float | None
    rr_lo: float | None
    rr_hi: float | None
    suppressed: bool
    reason: str

    @property
    def is_total(self) -> bool:
        return self.group == TOTAL


@dataclass(frozen=True)
class ReviewCount:
    period: str
    status: str
    count: int


@dataclass
class ProgramFigures:
    periods: list[Period]
    schools: list[School]
    rows: list[FigureRow]
    reviews: list[ReviewCount]
    settings: Settings
    enrolment_sources: list[tuple[str, bool]] = field(default_factory=list)

    def select(self, *, period: str, breakdown: str, outcome: str) -> list[FigureRow]:
        return [r for r in self.rows if (r.period, r.breakdown, r.outcome) == (period, breakdown, outcome)]

    def total(self, *, period: str, outcome: str) -> FigureRow | None:
        return next(iter(r for r in self.select(period=period, breakdown=CAMPUS, outcome=outcome) if r.is_total), None)

    @property
    def illustrative(self) -> bool:
        return any(flag for _, flag in self.enrolment_sources)

    def to_arrow(self) -> pa.Table:
        periods = {p.key: p for p in self.periods}
        names = {s.cds_code: s.name for s in self.schools}
        records = [
            {
                "period": r.period,
                "period_start": periods[r.period].start.isoformat(),
                "period_end": periods[r.period].end.isoformat(),
                "partial": periods[r.period].partial,
                "breakdown": r.breakdown,
                "outcome": r.outcome,
                "group": r.group,
                "group_name": names.get(r.group, ""),
                "count": r.count,
                "denominator": r.denominator,
                "per": self.settings.per,
                "rate": r.rate,
                "rate_lo": r.rate_lo,
                "rate_hi": r.rate_hi,
                "rr": r.rr,
                "rr_lo": r.rr_lo,
                "rr_hi": r.rr_hi,
                "suppressed": r.suppressed,
                "reason": r.reason,
            }
            for r in self.rows
        ]
        return pa.Table.from_pylist(records, schema=ARROW_SCHEMA)


ARROW_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("period_start", pa.string()),
        ("period_end", pa.string()),
        ("partial", pa.bool_()),
        ("breakdown", pa.string()),
        ("outcome", pa.string()),
        ("group", pa.string()),
        ("group_name", pa.string()),
        ("count", pa.int64()),
        ("denominator", pa.int64()),
        ("per", pa.int64()),
        ("rate", pa.float64()),
        ("rate_lo", pa.float64()),
        ("rate_hi", pa.float64()),
        ("rr", pa.float64()),
        ("rr_lo", pa.float64()),
        ("rr_hi", pa.float64()),
        ("suppressed", pa.bool_()),
        ("reason", pa.string()),
    ]
)


def school_year_of(day: dt.date) -> str:
    year = day.year if day.month >= 7 else day.year - 1
    return f"{year}-{str(year + 1)[2:]}"


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters(start: dt.date, end: dt.date, *, today: dt.date) -> list[Period]:
    """Calendar quarters from the one holding `start` to the one holding `end`."""
    out: list[Period] = []
    q = quarter_start(start)
    while q <= end:
        nxt = dt.date(q.year + (q.month + 3 > 12), (q.month + 2) % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        out.append(Period(f"{q.year}-Q{(q.month - 1) // 3 + 1}", q, last, partial=last >= today))
        q = nxt
    return out


def whole_range(start: dt.date, end: dt.date, *, today: dt.date) -> list[Period]:
    return [Period(f"{start.isoformat()}..{end.isoformat()}", start, end, partial=end >= today)]


def program_schools(*, actor: Actor, district: str | None = None, campus: str | None = None) -> list[School]:
    """Program campuses the actor may list (the public: every program campus), optionally one district's
    or one campus's (by CDS code)."""
    qs = school_list(actor=actor)
    if district:
        qs = qs.filter(district__cds_code=district)
    if campus:
        qs = qs.filter(cds_code=campus)
    return list(qs.order_by("name"))


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def first_record_date(schools: Sequence[School]) -> dt.date | None:
    firsts = [
        Contact.objects.filter(school__in=schools)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first(),
        Incident.objects.filter(school__in=schools)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first(),
    ]
    dates = [timezone.localtime(d).date() for d in firsts if d is not None]
    return min(dates) if dates else None


# The contact fields an outcome or a group is read from (sro.public.groups): contacts are counted
# in the database, grouped by these, the period and the campus, so a period of 100,000 contacts is a
# few hundred rows to read, not 100,000 records.
CONTACT_FIELDS = [
    "codes_version",
    "results",
    "actions",
    "boundary_crossing",
    "race",
    "gender",
    "disability",
    "limited_english",
]
STUDENT_FIELDS = ["race", "sex", "idea", "section_504", "english_learner"]
Counts = Counter[tuple[str, str, str, str]]  # (period, breakdown, outcome, group) -> count


def _period_of(field: str, periods: Sequence[Period]) -> Case:
    """The key of the period holding `field` (a moment), by each period's local-day bounds; NULL outside."""
    whens = []
    for p in periods:
        lo, hi = _bounds(p.start, p.end)
        whens.append(When(**{f"{field}__gte": lo, f"{field}__lt": hi}, then=Value(p.key)))
    return Case(*whens, default=Value(None), output_field=CharField())


def _add(counts: Counts, period: str, cds: str, outcome: str, groups: dict[str, str], n: int) -> None:
    counts[(period, CAMPUS, outcome, cds)] += n
    counts[(period, CAMPUS, outcome, TOTAL)] += n
    for dim, group in groups.items():
        if group:
            counts[(period, dim, outcome, group)] += n


def _counts(periods: Sequence[Period], schools: Sequence[School], start: dt.date, end: dt.date) -> Counts:
    """Every count the figures publish, from two grouped queries: SRO contacts grouped by period, campus
    and the fields their outcomes and groups are read from; the offenders of incidents routed to law
    enforcement grouped by period, campus and their groups. Each distinct combination is read once and
    weighed by its count, through the same rules (`contact_outcomes`, `contact_groups`, `student_groups`)."""
    counts: Counts = Counter()
    if not periods:
        return counts
    lo, hi = _bounds(start, end)
    codes = {s.pk: s.cds_code for s in schools}
    contacts = (
        Contact.objects.filter(school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi)
        .annotate(period=_period_of("occurred_at", periods))
        .exclude(period=None)
        .values("period", "school_id", *CONTACT_FIELDS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in contacts:
        c = Contact(**{f: row[f] for f in CONTACT_FIELDS})
        groups = contact_groups(c)
        for outcome in contact_outcomes(c):
            _add(counts, row["period"], codes[row["school_id"]], outcome, groups, row["n"])
    referred = Incident.objects.filter(
        routed_to_law_enforcement_q(), school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi
    )
    students = (
        IncidentStudent.objects.filter(incident__in=referred, role=IncidentStudent.Role.OFFENDER)
        .annotate(period=_period_of("incident__occurred_at", periods))
        .exclude(period=None)
        .values("period", "incident__school_id", *STUDENT_FIELDS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in students:
        groups = student_groups(IncidentStudent(**{f: row[f] for f in STUDENT_FIELDS}))
        _add(counts, row["period"], codes[row["incident__school_id"]], "referrals", groups, row["n"])
    return counts


def _group_enrolment(schools: Sequence[School], years: set[str]) -> dict[tuple[str, str, str], int]:
    """(school year, dimension, group) -> enrolled, summed over the campuses; the latest year at or before each."""
    rows = GroupEnrolment.objects.filter(school__in=schools).values_list(
        "school_id", "school_year", "dimension", "group", "enrolled"
    )
    by_school_year: dict[tuple[int, str], list[tuple[str, str, int]]] = {}
    for school_id, year, dim, group, n in rows:
        by_school_year.setdefault((school_id, year), []).append((dim, group, n))
    out: Counter[tuple[str, str, str]] = Counter()
    for wanted in years:
        for s in schools:
            have = sorted(y for (sid, y) in by_school_year if sid == s.pk and y <= wanted)
            if not have:
                continue
            for dim, group, n in by_school_year[(s.pk, have[-1])]:
                out[(wanted, dim, group)] += n
    return dict(out)


def _long_counts(periods: Sequence[Period], schools: Sequence[School], counts: Counts) -> pd.DataFrame:
    total_enrolment = sum(s.enrolment or 0 for s in schools)
    enrolment = _group_enrolment(schools, {school_year_of(p.start) for p in periods})
    rows: list[tuple[str, str, str, str, int, int]] = []
    for p in periods:
        year = school_year_of(p.start)
        for outcome in OUTCOMES:
            total = counts[(p.key, CAMPUS, outcome, TOTAL)]
            for s in schools:
                n = counts[(p.key, CAMPUS, outcome, s.cds_code)]
                rows.append((p.key, CAMPUS, outcome, s.cds_code, n, s.enrolment or 0))
            rows.append((p.key, CAMPUS, outcome, TOTAL, total, total_enrolment))
            for dim, d in DIMENSIONS.items():
                for group in d.groups:
                    n = enrolment.get((year, dim, group), 0)
                    rows.append((p.key, dim, outcome, group, counts[(p.key, dim, outcome, group)], n))
                rows.append((p.key, dim, outcome, TOTAL, total, total_enrolment))
    return pd.DataFrame(rows, columns=["period", "breakdown", "outcome", "group", "count", "denominator"]).astype(
        {"count": "int64", "denominator": "int64"}
    )


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _reviews(schools: Sequence[School], periods: Sequence[Period]) -> list[ReviewCount]:
    if not periods:
        return []
    lo, hi = _bounds(periods[0].start, periods[-1].end)
    counts: Counter[tuple[str, str]] = Counter()
    grouped = (
        Review.objects.filter(school__in=schools, contact__occurred_at__gte=lo, contact__occurred_at__lt=hi)
        .annotate(period=_period_of("contact__occurred_at", periods))
        .exclude(period=None)
        .values_list("period", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for period, status, n in grouped:
        counts[(period, status)] += n
    statuses = [s.value for s in Review.Status]
    return [ReviewCount(p.key, s, counts[(p.key, s)]) for p in periods for s in statuses]


def cached_figures(parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, cached for `SRO_FIGURES_CACHE_SECONDS` (0: not cached) under a key made of the audit
    trail's head (every change to a record appends an event, so a new head means new figures), the
    active language and `parts` (everything else the result depends on)."""
    seconds = django_settings.SRO_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    key = "sro:figures:" + hashlib.sha256(repr((head, get_language(), *parts)).encode()).hexdigest()
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def program_figures(
    *,
    actor: Actor,
    district: str | None = None,
    campus: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "quarter",
    settings: Settings = PUBLIC_SETTINGS,
    today: dt.date | None = None,
) -> ProgramFigures:
    """Figures for the program campuses the actor may list, per calendar quarter (`by="quarter"`:
    the whole quarters that hold `start` to `end`) or for exactly `start` to `end` (`by="range"`,
    for analysts: figures for overlapping ranges can be subtracted, so publish quarters only).
    Without `start`, from the first record (at most 8 quarters back). `campus` (a CDS code) keeps
    one campus, for the staff's disparity explorer; the public site never passes it."""
    today = today or timezone.localdate()
    schools = program_schools(actor=actor, district=district, campus=campus)
    return cached_figures(
        ("program", [s.pk for s in schools], start, end, by, settings, today),
        lambda: _program_figures(schools, start, end, by, settings, today),
    )


def _program_figures(
    schools: list[School],
    start: dt.date | None,
    end: dt.date | None,
    by: str,
    settings: Settings,
    today: dt.date,
) -> ProgramFigures:
    end = end or today
    if start is None:
        first = first_record_date(schools) or today
        start = max(first, quarter_start(end) - dt.timedelta(days=92 * (MAX_QUARTERS - 1)))
    if end < start:
        start, end = end, start
    if by == "quarter":  # always whole quarters, so no two publications differ by a few days
        periods = quarters(start, end, today=today)
        start, end = periods[0].start, periods[-1].end
    else:
        periods = whole_range(start, end, today=today)
    long = _long_counts(periods, schools, _counts(periods, schools, start, end))
    result = disparity(ibis.memtable(long), keys=["period", "breakdown"], settings=settings).to_pyarrow()
    rows = [
        FigureRow(
            period=r["period"],
            breakdown=r["breakdown"],
            outcome=r["outcome"],
            group=r["group"],
            count=None if r["count"] is None else int(r["count"]),
            denominator=int(r["denominator"]),
            rate=_num(r["rate"]),
            rate_lo=_num(r["rate_lo"]),
            rate_hi=_num(r["rate_hi"]),
            rr=_num(r["rr"]),
            rr_lo=_num(r["rr_lo"]),
            rr_hi=_num(r["rr_hi"]),
            suppressed=bool(r["suppressed"]),
            reason=r["reason"] or "",
        )
        for r in result.to_pylist()
    ]
    order = {k: i for i, k in enumerate(BREAKDOWN_ORDER)}
    period_order = {p.key: i for i, p in enumerate(periods)}
    group_order = {g: i for d in DIMENSIONS.values() for i, g in enumerate(d.groups)}
    group_order |= {s.cds_code: i for i, s in enumerate(schools)}
    outcome_order = {k: i for i, k in enumerate(OUTCOMES)}
    rows.sort(
        key=lambda r: (
            period_order[r.period],
            order[r.breakdown],
            outcome_order[r.outcome],
            r.is_total,
            group_order.get(r.group, 99),
        )
    )
    sources = sorted(
        set(GroupEnrolment.objects.filter(school__in=schools).values_list("source", "illustrative")),
        key=lambda x: x[0],
    )
    return ProgramFigures(
        periods=periods,
        schools=schools,
        rows=rows,
        reviews=_reviews(schools, periods),
        settings=settings,
        enrolment_sources=sources,
    )


def reviews_arrow(figures: ProgramFigures) -> pa.Table:
    """Boundary-crossing reviews by quarter and status, all campuses in scope together."""
    return pa.Table.from_pylist(
        [{"period": r.period, "status": r.status, "count": r.count} for r in figures.reviews],
        schema=pa.schema([("period", pa.string()), ("status", pa.string()), ("count", pa.int64())]),
    )
