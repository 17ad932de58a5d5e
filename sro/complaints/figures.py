"""Public complaint counts: by category, by finding and by time to close, per campus and per period.

Suppression follows the public figures' rule (`sro.oversight.metrics.suppress`, the settings of
`sro.public.figures.PUBLIC_SETTINGS`): a count under 11 is withheld, and when exactly one group
of a table is withheld while its total is published, the smallest other group is withheld too
(on a tie, the first label) so it cannot be recovered by subtraction. Complaint counts have no
enrolment denominator, so the n-size minimum does not apply. This module sits below the oversight
engine in the layers, so it applies the rule to plain counts itself; `tests/test_complaint_suppression.py`
checks that both give the same answer on the same tables.

Nothing identifies a complainant or a student (only counts), and no officer is named.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sro.complaints.models import Complaint, Status
from sro.complaints.rules import categories

CELL_MIN = 11  # as sro.public.figures.PUBLIC_SETTINGS.cell_min (34 CFR 300.647)
TOTAL = "All"
REASON_CELL = "cell"
REASON_COMPLEMENT = "complementary"
CLOSE_BANDS = (("0-30", 0, 30), ("31-90", 31, 90), ("91-180", 91, 180), ("181+", 181, 100000))


@dataclass(frozen=True)
class Cell:
    table: str  # about, category, finding, days_to_close
    period: str  # school year "2025-26" or quarter "2026-Q1"
    campus: str  # a school's CDS code, "program" (no school) or "All"
    group: str  # the category / finding / band, or "All"
    count: int | None  # None: withheld
    reason: str  # "", "cell" or "complementary"


def suppress_counts(counts: dict[str, int], *, cell_min: int = CELL_MIN) -> dict[str, tuple[int | None, str]]:
    """One table's groups and its total (key TOTAL) -> (shown count or None, reason)."""
    out: dict[str, tuple[int | None, str]] = {}
    primary = {g for g, n in counts.items() if n < cell_min}
    hidden = dict.fromkeys(primary, REASON_CELL)
    groups = [g for g in counts if g != TOTAL]
    if TOTAL in counts and TOTAL not in primary and len([g for g in groups if g in primary]) == 1:
        others = sorted((counts[g], g) for g in groups if g not in primary)
        if others:
            hidden[others[0][1]] = REASON_COMPLEMENT
    for g, n in counts.items():
        out[g] = (None, hidden[g]) if g in hidden else (n, "")
    return out


def school_year(day: dt.date) -> str:
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _band(days: int) -> str:
    return next(label for label, lo, hi in CLOSE_BANDS if lo <= days <= hi)


def _rows(complaints: Iterable[Complaint]) -> list[tuple[str, str, str, str]]:
    """(table, period, campus, group) for every complaint (by what it is about, and by time to close)
    and every allegation (by category, and by finding once decided), before totals."""
    rows: list[tuple[str, str, str, str]] = []
    for c in complaints:
        received = c.received_at.date()
        campus = c.school.cds_code if c.school is not None else "program"
        for period in (school_year(received), quarter(received)):
            rows.append(("about", period, campus, c.about))
            for a in c.allegations.all():
                rows.append(("category", period, campus, a.category))
                if a.finding:
                    rows.append(("finding", period, campus, a.finding))
            if c.status == Status.CLOSED and c.closed_at is not None:
                rows.append(("days_to_close", period, campus, _band((c.closed_at.date() - received).days)))
    return rows


def complaint_figures(complaints: Iterable[Complaint] | None = None) -> list[Cell]:
    """Every published cell, suppressed. Each (table, period, campus) is one table with its total,
    and each (table, period) has an "All campuses" table with the campus totals as its groups."""
    if complaints is None:
        complaints = Complaint.objects.select_related("school").prefetch_related("allegations")
    counted = Counter(_rows(complaints))
    tables: dict[tuple[str, str, str], dict[str, int]] = {}
    for (table, period, campus, group), n in counted.items():
        for where in (campus, TOTAL):
            t = tables.setdefault((table, period, where), {})
            t[group] = t.get(group, 0) + n
    cells: list[Cell] = []
    for (table, period, campus), groups in sorted(tables.items()):
        counts = {**groups, TOTAL: sum(groups.values())}
        for group, (shown, reason) in suppress_counts(counts).items():
            cells.append(Cell(table, period, campus, group, shown, reason))
    return cells


def group_label(table: str, group: str, language: str = "en") -> str:
    if table == "category" and group in categories():
        cat = categories()[group]
        return cat.title_es if language == "es" else cat.title
    return group
