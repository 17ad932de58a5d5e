"""Deadlines in school days: Saturdays and Sundays are skipped (holidays are not modelled yet)."""

from __future__ import annotations

import datetime as dt


def is_school_day(day: dt.date) -> bool:
    return day.weekday() < 5


def next_school_day(day: dt.date) -> dt.date:
    nxt = day + dt.timedelta(days=1)
    while not is_school_day(nxt):
        nxt += dt.timedelta(days=1)
    return nxt


def due_on(deadline_kind: str, occurred: dt.date) -> dt.date:
    """The last day to notify: the incident day for `immediately` and `before_suspension`
    (a suspension may follow at once), the next school day for `within_one_school_day`."""
    if deadline_kind == "within_one_school_day":
        return next_school_day(occurred)
    return occurred
