"""The public counts of force reports: by campus, by quarter, by student group, withheld like every
other public figure.

Suppression is the public site's rule, applied by the public site's own function: the public app
(above this one) registers it from its `AppConfig.ready()` with `register_suppression` (it is
`sro.oversight.metrics.disparity` with the public settings: counts of 10 or fewer are withheld, and
a second count where the published total would give a withheld one away). Until one is registered
every count is withheld. Only counts are published, no rate: group enrolment is not needed, so each
group row is given the enrolment of the campuses in scope as its denominator (the n-size rule then
never withholds a count; the cell rule does).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sro.force.models import ForceReport, Recorded
from sro.incidents.models import IncidentStudent
from sro.orgs.models import School

TOTAL = "All"  # a partition's total row (the public site's name for it)
QUARTERS = 4
WITHHELD_UNRULED = "no suppression rule registered"

# frame of counts (period, breakdown, outcome, group, count, denominator) -> the same rows with
# `count` None where withheld and `reason` saying why.
Suppression = Callable[[pd.DataFrame], list[dict[str, Any]]]
_SUPPRESSION: list[Suppression] = []


def register_suppression(fn: Suppression) -> None:
    """The public site's suppression rule (one; registering again replaces it)."""
    _SUPPRESSION[:] = [fn]


def _suppress(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if _SUPPRESSION:
        return _SUPPRESSION[0](frame)
    rows: list[dict[str, Any]] = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    return [{**row, "count": None, "reason": WITHHELD_UNRULED} for row in rows]


CAMPUS = "campus"

DIMENSIONS: dict[str, tuple[Promise, dict[str, Promise | str]]] = {
    "race": (_("Race or ethnicity"), {k: v for k, v in IncidentStudent.Race.choices if k != "NR"}),
    "sex": (_("Sex"), {k: v for k, v in IncidentStudent.Sex.choices if k != "NR"}),
    "disability": (
        _("Disability"),
        {"idea": _("Students with an IEP (IDEA)"), "section_504": _("Students with a 504 plan")},
    ),
    "english_learner": (_("English learners"), {"yes": _("English learners")}),
}


@dataclass(frozen=True)
class Quarter:
    key: str  # "2026-Q1"
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class CountRow:
    period: str
    breakdown: str
    group: str
    label: str
    count: int | None  # None: withheld
    reason: str


def last_quarters(today: dt.date, n: int = QUARTERS) -> list[Quarter]:
    out: list[Quarter] = []
    year, q = today.year, (today.month - 1) // 3 + 1
    for _i in range(n):
        start = dt.date(year, 3 * q - 2, 1)
        end = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append(Quarter(f"{year}-Q{q}", start, end))
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return list(reversed(out))


def _groups(r: ForceReport) -> dict[str, list[str]]:
    disability = [k for k in ("idea", "section_504") if getattr(r, k) == Recorded.YES]
    return {
        "race": [r.race] if r.race != "NR" else [],
        "sex": [r.sex] if r.sex != "NR" else [],
        "disability": disability,
        "english_learner": ["yes"] if r.english_learner == Recorded.YES else [],
    }


def public_counts(*, today: dt.date | None = None) -> tuple[list[Quarter], list[CountRow]]:
    """Force reports at the program campuses per quarter (the last four), withheld where small."""
    today = today or timezone.localdate()
    quarters = last_quarters(today)
    schools = list(School.objects.filter(in_program=True).order_by("name"))
    enrolment = sum(s.enrolment or 0 for s in schools)
    counts: Counter[tuple[str, str, str]] = Counter()
    for r in ForceReport.objects.filter(school__in=schools):
        day = timezone.localtime(r.occurred_at).date()
        q = next((q for q in quarters if q.start <= day <= q.end), None)
        if q is None:
            continue
        counts[(q.key, CAMPUS, str(r.school_id))] += 1
        counts[(q.key, CAMPUS, TOTAL)] += 1
        for dim, present in _groups(r).items():
            for g in present:
                counts[(q.key, dim, g)] += 1
    rows: list[tuple[str, str, str, str, int, int]] = []
    labels: dict[tuple[str, str], str] = {(CAMPUS, str(s.pk)): s.name for s in schools}
    for q in quarters:
        total = counts[(q.key, CAMPUS, TOTAL)]
        for s in schools:
            rows.append((q.key, CAMPUS, "force", str(s.pk), counts[(q.key, CAMPUS, str(s.pk))], s.enrolment or 0))
        rows.append((q.key, CAMPUS, "force", TOTAL, total, enrolment))
        for dim, (_label, groups) in DIMENSIONS.items():
            for g, glabel in groups.items():
                labels[(dim, g)] = str(glabel)
                rows.append((q.key, dim, "force", g, counts[(q.key, dim, g)], enrolment))
            rows.append((q.key, dim, "force", TOTAL, total, enrolment))
    frame = pd.DataFrame(rows, columns=["period", "breakdown", "outcome", "group", "count", "denominator"]).astype(
        {"count": "int64", "denominator": "int64"}
    )
    order = {k: i for i, k in enumerate([CAMPUS, *DIMENSIONS])}
    period_order = {q.key: i for i, q in enumerate(quarters)}
    position = {(r[1], r[3]): i for i, r in enumerate(rows)}
    out = [
        CountRow(
            period=r["period"],
            breakdown=r["breakdown"],
            group=r["group"],
            label=str(_("All")) if r["group"] == TOTAL else labels.get((r["breakdown"], r["group"]), r["group"]),
            count=None if r["count"] is None else int(r["count"]),
            reason=r["reason"] or "",
        )
        for r in _suppress(frame)
    ]
    out.sort(
        key=lambda c: (
            period_order[c.period],
            order[c.breakdown],
            c.group == TOTAL,
            position.get((c.breakdown, c.group), 0),
        )
    )
    return quarters, out
