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
# The same for many officers at once, by officer pk, in a fixed number of queries (the status board).
ManyReasonsFn = Callable[[list["Officer"], dt.date], dict[int, list[tuple[str, str]]]]


@dataclass(frozen=True)
class HistoryLine:
    label: str  # "Uses of force reported"
    value: str  # "2 (last on 3 March 2026)"
    url: str = ""  # where the whole record is, for those who may open it


HistoryFn = Callable[["Officer", Any], list[HistoryLine]]  # (officer, the actor reading the panel)

_REASONS: list[ReasonsFn] = []
_MANY: dict[ReasonsFn, ManyReasonsFn] = {}
_HISTORY: list[HistoryFn] = []


def register_officer_reasons(fn: ReasonsFn, many: ManyReasonsFn | None = None) -> None:
    """`fn` gives one officer's reasons; `many` (optional) the same for a list of officers at once."""
    if fn not in _REASONS:
        _REASONS.append(fn)
    if many is not None:
        _MANY[fn] = many


def extra_officer_reasons(officer: Officer, on: dt.date) -> list[tuple[str, str]]:
    return [pair for fn in _REASONS for pair in fn(officer, on)]


def extra_officer_reasons_many(officers: list[Officer], on: dt.date) -> dict[int, list[tuple[str, str]]]:
    """Every officer's extra reasons by pk, in order of registration (one officer at a time where a
    registrant gave no `many`)."""
    out: dict[int, list[tuple[str, str]]] = {o.pk: [] for o in officers}
    for fn in _REASONS:
        many = _MANY.get(fn)
        found = many(officers, on) if many is not None else {o.pk: fn(o, on) for o in officers}
        for pk, pairs in found.items():
            out[pk] += pairs
    return out


def register_candidate_history(fn: HistoryFn) -> None:
    if fn not in _HISTORY:
        _HISTORY.append(fn)


def candidate_history(officer: Officer, actor: Any) -> list[HistoryLine]:
    return [line for fn in _HISTORY for line in fn(officer, actor)]
