"""What the public site (above this app) lends the evaluation, registered from `PublicConfig.ready()`.

- the **disparity figures**: the public site's own figures (`sro.public.figures.program_figures`,
  rates with 95% intervals and risk ratios, suppressed as the public site suppresses) for some
  campuses over a date range. Not registered: the evaluation says the figures are not available.
- the **labels** of its outcomes, breakdowns and groups, in the active language;
- the **suppression rule**: the public site's (`sro.public.force_counts.suppress_counts`, the same
  function the force app's public counts use), for the survey's results by group. Not registered:
  every survey count is withheld.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from sro.orgs.models import School

# (campuses, first day, last day) -> rows: {campus, breakdown, outcome, group, count, denominator, rate,
# rate_lo, rate_hi, rr, rr_lo, rr_hi, suppressed, reason}
Figures = Callable[[list[School], dt.date, dt.date], list[dict[str, Any]]]
# frame (period, breakdown, outcome, group, count, denominator) -> the rows, `count` None where withheld
Suppression = Callable[[pd.DataFrame], list[dict[str, Any]]]

# (kind, key) -> the public site's label in the active language; kind is "outcome", "breakdown" or
# "group" (a group's key is "breakdown:group")
Labels = Callable[[str, str], str]

WITHHELD_UNRULED = "no suppression rule registered"

_FIGURES: list[Figures] = []
_SUPPRESSION: list[Suppression] = []
_LABELS: list[Labels] = []


def register_figures(fn: Figures) -> None:
    """The public site's disparity figures (one; registering again replaces it)."""
    _FIGURES[:] = [fn]


def register_suppression(fn: Suppression) -> None:
    """The public site's suppression rule (one; registering again replaces it)."""
    _SUPPRESSION[:] = [fn]


def register_labels(fn: Labels) -> None:
    """The public site's labels for its outcomes, breakdowns and groups (one; again replaces it)."""
    _LABELS[:] = [fn]


def figure_label(kind: str, key: str) -> str:
    """The public site's label, or the key itself when no labels are registered."""
    return _LABELS[0](kind, key) if _LABELS else key


def disparity_rows(schools: list[School], start: dt.date, end: dt.date) -> list[dict[str, Any]] | None:
    """The registered figures, or None when no figures are registered."""
    return _FIGURES[0](schools, start, end) if _FIGURES else None


def suppress(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if _SUPPRESSION:
        return _SUPPRESSION[0](frame)
    rows: list[dict[str, Any]] = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    return [{**row, "count": None, "suppressed": True, "reason": WITHHELD_UNRULED} for row in rows]
