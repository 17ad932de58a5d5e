"""The public site's figures and suppression rule, lent to the yearly evaluation (sro/evaluation),
which sits below this app and cannot call them itself: registered from `PublicConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sro.orgs.actors import PUBLIC
from sro.orgs.models import School
from sro.public.figures import program_figures
from sro.public.groups import BREAKDOWNS, DIMENSIONS, OUTCOMES


def evaluation_figures(schools: list[School], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Each campus's figures for exactly `start` to `end`, as the public would see them (suppressed)."""
    rows: list[dict[str, Any]] = []
    for school in schools:
        figures = program_figures(
            actor=PUBLIC, campus=school.cds_code, start=start, end=end, by="range", today=timezone.localdate()
        )
        rows += [
            {
                "campus": school.cds_code,
                "breakdown": r.breakdown,
                "outcome": r.outcome,
                "group": r.group,
                "count": r.count,
                "denominator": r.denominator,
                "rate": r.rate,
                "rate_lo": r.rate_lo,
                "rate_hi": r.rate_hi,
                "rr": r.rr,
                "rr_lo": r.rr_lo,
                "rr_hi": r.rr_hi,
                "suppressed": r.suppressed,
                "reason": r.reason,
            }
            for r in figures.rows
        ]
    return rows


def figure_label(kind: str, key: str) -> str:
    """The public site's own label of an outcome, a breakdown or a group ("race:HI")."""
    if kind == "outcome":
        return str(OUTCOMES.get(key, key))
    if kind == "breakdown":
        return str(BREAKDOWNS.get(key, key))
    breakdown, _sep, group = key.partition(":")
    dimension = DIMENSIONS.get(breakdown)
    return str(dimension.groups.get(group, group)) if dimension else group
