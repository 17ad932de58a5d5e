"""What upper apps add to staffing's pages and rules, without staffing naming them.

Two registries, filled from the upper app's `AppConfig.ready()` (the force app fills both):

- **Extra officer reasons for the deployment gate** (`register_officer_reasons(fn)`): `fn(officer, on)`
  returns the extra reasons (`(code, detail)` pairs) why the officer may not serve on `on`. Every
  code must be listed in `sro.staffing.gate.REASON_TEXT` and `OFFICER_REASONS` (the gate's one list
  of reasons, documented in docs/staffing.md and docs/contracts.md). The gate asks them wherever it
  asks the officer's joint approval: the campus board, assignments and the daily check.

- **A candidate's history on the selection panel's page** (`register_candidate_history(fn)`):
  `fn(officer, actor)` returns `HistoryLine`s (what the panel should know: complaints and findings, uses of
  force, boundary reviews), shown beside the scoresheet to the panel's members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sro.staffing.models import Officer

ReasonsFn = Callable[["Officer", dt.date], list[tuple[str, str]]]


@dataclass(frozen=True)
class HistoryLine:
    label: str  # "Uses of force reported"
    value: str  # "2 (last on 3 March 2026)"
    url: str = ""  # where the whole record is, for those who may open it


HistoryFn = Callable[["Officer", Any], list[HistoryLine]]  # (officer, the actor reading the panel)

_REASONS: list[ReasonsFn] = []
_HISTORY: list[HistoryFn] = []


def register_officer_reasons(fn: ReasonsFn) -> None:
    if fn not in _REASONS:
        _REASONS.append(fn)


def extra_officer_reasons(officer: Officer, on: dt.date) -> list[tuple[str, str]]:
    return [pair for fn in _REASONS for pair in fn(officer, on)]


def register_candidate_history(fn: HistoryFn) -> None:
    if fn not in _HISTORY:
        _HISTORY.append(fn)


def candidate_history(officer: Officer, actor: Any) -> list[HistoryLine]:
    return [line for fn in _HISTORY for line in fn(officer, actor)]
