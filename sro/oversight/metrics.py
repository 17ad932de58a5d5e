"""Disparity metrics written once as Ibis expressions (DuckDB, PostgreSQL, SQLite, Spark).

The input is a *long* table of counts: one row per partition key values, ``group``
and ``outcome`` with ``count`` (students or people with the outcome) and
``denominator`` (students enrolled, or people stopped). A row whose group is
``All`` is the published total of its partition; without one, the total is the
sum of the groups. ``disparity_wide`` takes the same counts as one row per group with
a column per outcome and publishes the same rows, with less work when there are many
outcomes. See docs/metrics.md for every definition and its source.

Nothing here imports Django models, so the same functions serve files (DuckDB),
the application's database and tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis

# Ibis's column classes do not type arithmetic and window methods precisely enough for
# mypy strict, so column expressions are typed loosely; tables stay ``ibis.Table``.
Col = Any
untyped: Any = ibis  # the same module, seen untyped for column expressions

TOTAL = "All"
Z95 = 1.959963984540054

REASON_CELL = "cell"  # numerator below the cell minimum
REASON_N = "n-size"  # denominator below the n-size minimum
REASON_COMPLEMENT = "complementary"  # would let a suppressed cell be recovered from the total
REASON_REFERENCE = "reference suppressed"


@dataclass(frozen=True)
class Settings:
    """Knobs of a disparity calculation; the defaults follow 34 CFR 300.647."""

    per: int = 1000
    reference: str | None = None  # None: compare each group with all other students
    cell_min: int = 11
    n_min: int = 30
    z: float = Z95


DEFAULTS = Settings()


def long_counts(
    wide: ibis.Table, *, keys: Sequence[str], group: str, denominator: str, outcomes: Sequence[str]
) -> ibis.Table:
    """Turn ``group, denominator, outcome1, outcome2...`` into the long layout (portable SQL)."""
    parts = [
        wide.select(
            *[wide[k] for k in keys],
            group=wide[group].cast("string"),
            outcome=ibis.literal(o),
            count=wide[o].cast("int64"),
            denominator=wide[denominator].cast("int64"),
        )
        for o in outcomes
    ]
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]


def _ratio(num: Col, den: Col) -> Col:
    """num / den as a float, null (never NaN or an error) when den is zero or null."""
    return untyped.ifelse(den > 0, num.cast("float64") / den.cast("float64"), ibis.null("float64"))


def _wilson(x: Col, n: Col, z: float) -> tuple[Col, Col]:
    p = _ratio(x, n)
    nf = n.cast("float64")
    z2 = z * z
    centre = (p + z2 / (2 * nf)) / (1 + z2 / nf)
    half = z * (p * (1 - p) / nf + z2 / (4 * nf * nf)).sqrt() / (1 + z2 / nf)
    return centre - half, centre + half


def _katz(a: Col, n1: Col, c: Col, n2: Col, z: float) -> tuple[Col, Col, Col]:
    """Risk ratio (a/n1)/(c/n2) with the Katz log interval; null when a or c is zero."""
    ok = (a > 0) & (c > 0) & (n1 > 0) & (n2 > 0)
    af, n1f, cf, n2f = (v.cast("float64") for v in (a, n1, c, n2))
    rr = untyped.ifelse(ok, (af / n1f) / (cf / n2f), ibis.null("float64"))
    se = untyped.ifelse(ok, (1 / af - 1 / n1f + 1 / cf - 1 / n2f).sqrt(), ibis.null("float64"))
    return rr, (rr.ln() - z * se).exp(), (rr.ln() + z * se).exp()


def disparity(counts: ibis.Table, *, keys: Sequence[str] = (), settings: Settings = DEFAULTS) -> ibis.Table:
    """Rates, risk ratios, risk differences, intervals and suppression per group and outcome.

    Returns one row per ``keys, outcome, group`` (including the ``All`` row) with
    ``count, denominator, rate, rate_lo, rate_hi, rr, rr_lo, rr_hi, rd`` (against
    all other students) and ``rr_ref, rr_ref_lo, rr_ref_hi, rd_ref`` (against the
    reference group, when one is chosen), ``suppressed`` and ``reason``.
    Suppressed rows carry nulls in every number, so nothing can be read off them.
    """
    s = settings
    part = [*keys, "outcome"]
    w = window(group_by=part)
    t = counts
    is_total = t.group == TOTAL
    all_count = untyped.cases((is_total, t["count"]), else_=ibis.null("int64")).max().over(w)
    all_den = untyped.cases((is_total, t.denominator), else_=ibis.null("int64")).max().over(w)
    sum_count = untyped.cases((~is_total, t["count"]), else_=0).sum().over(w)
    sum_den = untyped.cases((~is_total, t.denominator), else_=0).sum().over(w)
    t = t.mutate(
        total_count=all_count.coalesce(sum_count),
        total_den=all_den.coalesce(sum_den),
        has_total_row=all_count.notnull(),
    )
    if s.reference is not None:
        is_ref = t.group == s.reference
        t = t.mutate(
            ref_count=untyped.cases((is_ref, t["count"]), else_=ibis.null("int64")).max().over(w),
            ref_den=untyped.cases((is_ref, t.denominator), else_=ibis.null("int64")).max().over(w),
        )
    # Rows for the total itself, when the input has none.
    if_missing = (
        t.filter(~t.has_total_row)
        .select(*part, "total_count", "total_den")
        .distinct()
        .mutate(group=ibis.literal(TOTAL), has_total_row=ibis.literal(False))
    )
    if s.reference is not None:
        if_missing = if_missing.mutate(ref_count=ibis.null("int64"), ref_den=ibis.null("int64"))
    if_missing = if_missing.mutate(count=if_missing.total_count, denominator=if_missing.total_den)
    t = ibis.union(t, if_missing.select(*t.columns), distinct=False).drop("has_total_row")
    # Suppression inputs: how many groups fall under a minimum, and the smallest shown group.
    shown = (_primary_reason(t["count"], t.denominator, s).isnull()) & (t.group != TOTAL)
    t = t.mutate(
        n_primary=untyped.cases((~shown & (t.group != TOTAL), 1), else_=0).sum().over(w),
        smallest_count=untyped.cases((shown, t["count"]), else_=ibis.null("int64")).min().over(w),
    )
    shown = (_primary_reason(t["count"], t.denominator, s).isnull()) & (t.group != TOTAL)
    smallest = untyped.cases((shown & (t["count"] == t.smallest_count), t.group), else_=ibis.null("string"))
    t = t.mutate(smallest_group=smallest.min().over(w))
    return _metrics(t, part=part, settings=s)


def disparity_wide(
    wide: ibis.Table,
    *,
    keys: Sequence[str] = (),
    group: str = "group",
    denominator: str,
    outcomes: Sequence[str],
    settings: Settings = DEFAULTS,
) -> ibis.Table:
    """``disparity(long_counts(wide, ...))`` with the partition totals worked out on the wide rows.

    ``wide`` has one row per ``keys`` and group, with the denominator and a count
    column per outcome. Totals and suppression inputs are computed once per wide
    row for every outcome, before the rows are turned long, which is several times
    less work than windows over the long rows when there are many outcomes.
    The result is the same as ``disparity`` on the long counts, row for row.
    """
    s = settings
    cols = {f"_c{i}": o for i, o in enumerate(outcomes)}
    t = wide.select(
        *[wide[k] for k in keys],
        group=wide[group].cast("string"),
        _den=wide[denominator].cast("int64"),
        **{c: wide[o].cast("int64") for c, o in cols.items()},
    )
    w = window(group_by=list(keys)) if keys else window()
    is_total = t.group == TOTAL
    t = t.mutate(_has_total=untyped.cases((is_total, 1), else_=0).max().over(w))
    # Rows for the total itself, where the input has none: the sums of the groups.
    missing = t.filter(t._has_total == 0)
    sums = {"_den": missing._den.sum(), **{c: missing[c].sum() for c in cols}}
    totals = missing.group_by(list(keys)).aggregate(**sums) if keys else missing.aggregate(**sums)
    totals = totals.filter(totals._den.notnull())  # no partition is missing a total
    totals = totals.select(*keys, group=ibis.literal(TOTAL), _den=totals._den, **{c: totals[c] for c in cols})
    t = ibis.union(t.drop("_has_total"), totals.select(*keys, "group", "_den", *cols), distinct=False)

    is_total = t.group == TOTAL
    is_ref = t.group == s.reference if s.reference is not None else None
    stats: dict[str, Col] = {
        "_tden": untyped.cases((is_total, t._den), else_=ibis.null("int64")).max().over(w),
    }
    if is_ref is not None:
        stats["_rden"] = untyped.cases((is_ref, t._den), else_=ibis.null("int64")).max().over(w)
    for c in cols:
        shown = _primary_reason(t[c], t._den, s).isnull() & ~is_total
        stats[f"{c}_tot"] = untyped.cases((is_total, t[c]), else_=ibis.null("int64")).max().over(w)
        stats[f"{c}_np"] = untyped.cases((~shown & ~is_total, 1), else_=0).sum().over(w)
        stats[f"{c}_min"] = untyped.cases((shown, t[c]), else_=ibis.null("int64")).min().over(w)
        if is_ref is not None:
            stats[f"{c}_ref"] = untyped.cases((is_ref, t[c]), else_=ibis.null("int64")).max().over(w)
    t = t.mutate(**stats)
    smallest: dict[str, Col] = {}
    for c in cols:
        shown = _primary_reason(t[c], t._den, s).isnull() & (t.group != TOTAL)
        smallest[f"{c}_grp"] = (
            untyped.cases((shown & (t[c] == t[f"{c}_min"]), t.group), else_=ibis.null("string")).min().over(w)
        )
    # The published order (partition keys, outcome, the total first, then the groups) as three
    # integers worked out on the wide rows: sorting the long rows by them is several times
    # cheaper than by the text keys, and gives the same order. (In the same step as the
    # smallest groups: one more nested query is too deep for SQLite's parser.)
    key_order = [ibis.asc(t[k], nulls_first=False) for k in keys]
    row_order = [*key_order, (t.group == TOTAL).desc(), t.group]
    t = t.mutate(
        **smallest,
        _part=ibis.dense_rank().over(window(order_by=key_order)) if keys else ibis.literal(0),
        _pos=ibis.row_number().over(window(order_by=row_order)),
    )
    rank = {o: i for i, o in enumerate(sorted(outcomes))}
    parts = []
    for c, o in cols.items():
        ref = {"ref_count": t[f"{c}_ref"], "ref_den": t._rden} if s.reference is not None else {}
        parts.append(
            t.select(
                *keys,
                "group",
                _part=t._part,
                _outcome=ibis.literal(rank[o]),
                _pos=t._pos,
                outcome=ibis.literal(o),
                count=t[c],
                denominator=t._den,
                total_count=t[f"{c}_tot"],
                total_den=t._tden,
                **ref,
                n_primary=t[f"{c}_np"],
                smallest_count=t[f"{c}_min"],
                smallest_group=t[f"{c}_grp"],
            )
        )
    long = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    return _metrics(long, part=[*keys, "outcome"], settings=s, order=["_part", "_outcome", "_pos"])


def _primary_reason(count: Col, denominator: Col, s: Settings) -> Col:
    """Why a cell is withheld on its own (denominator under the n-size or count under the cell minimum)."""
    return untyped.cases(
        (denominator < s.n_min, ibis.literal(REASON_N)),
        (count < s.cell_min, ibis.literal(REASON_CELL)),
        else_=ibis.null("string"),
    )


def _metrics(
    t: ibis.Table, *, part: Sequence[str], settings: Settings, order: Sequence[str] | None = None
) -> ibis.Table:
    """Rates, ratios, intervals and suppression for long rows that carry their partition's totals.

    Beside ``count`` and ``denominator`` each row has ``total_count, total_den`` (its
    partition's ``All`` row), ``n_primary`` (groups under a minimum), ``smallest_count``
    and ``smallest_group`` (the smallest group shown, ties broken by label) and, with a
    reference group, ``ref_count, ref_den``.
    """
    s = settings
    is_total = t.group == TOTAL
    others_count = t.total_count - t["count"]
    others_den = t.total_den - t.denominator
    per = float(s.per)
    lo, hi = _wilson(t["count"], t.denominator, s.z)
    rr, rr_lo, rr_hi = _katz(t["count"], t.denominator, others_count, others_den, s.z)
    none = ibis.null("float64")
    cols: dict[str, Col] = {
        "rate": _ratio(t["count"], t.denominator) * per,
        "rate_lo": lo * per,
        "rate_hi": hi * per,
        "rr": untyped.ifelse(is_total, none, rr),
        "rr_lo": untyped.ifelse(is_total, none, rr_lo),
        "rr_hi": untyped.ifelse(is_total, none, rr_hi),
        "rd": untyped.ifelse(
            is_total, none, (_ratio(t["count"], t.denominator) - _ratio(others_count, others_den)) * per
        ),
    }
    if s.reference is not None:
        r, r_lo, r_hi = _katz(t["count"], t.denominator, t.ref_count, t.ref_den, s.z)
        cols |= {
            "rr_ref": untyped.ifelse(is_total, none, r),
            "rr_ref_lo": untyped.ifelse(is_total, none, r_lo),
            "rr_ref_hi": untyped.ifelse(is_total, none, r_hi),
            "rd_ref": untyped.ifelse(
                is_total, none, (_ratio(t["count"], t.denominator) - _ratio(t.ref_count, t.ref_den)) * per
            ),
        }
    t = t.mutate(**cols)
    return suppress(t, part=part, settings=s, order=order)


def suppress(
    t: ibis.Table, *, part: Sequence[str], settings: Settings, order: Sequence[str] | None = None
) -> ibis.Table:
    """Primary suppression (cell and n-size minimums) and complementary suppression.

    When exactly one group of a partition is suppressed and the partition's
    total is published, the published total minus the other groups would give
    it away, so the smallest remaining group is suppressed as well (the one with
    the smallest count; on a tie, the first label).
    """
    s = settings
    total_published = _primary_reason(t.total_count, t.total_den, s).isnull()
    lone = total_published & (t.n_primary == 1)

    def complementary(group: Col, count: Col) -> Col:
        return lone & (group != TOTAL) & (count == t.smallest_count) & (group == t.smallest_group)

    primary = _primary_reason(t["count"], t.denominator, s)
    reason = primary.coalesce(
        untyped.ifelse(complementary(t.group, t["count"]), ibis.literal(REASON_COMPLEMENT), ibis.null("string"))
    )
    t = t.mutate(reason=reason)
    hidden = t.reason.notnull()
    numbers = ["count", "rate", "rate_lo", "rate_hi", "rr", "rr_lo", "rr_hi", "rd"]
    ref_numbers = [c for c in ("rr_ref", "rr_ref_lo", "rr_ref_hi", "rd_ref") if c in t.columns]
    masked: dict[str, Col] = {c: untyped.ifelse(hidden, ibis.null(t[c].type()), t[c]) for c in numbers}
    if ref_numbers:
        # A ratio to a suppressed reference group would reveal the reference's count.
        ref = ibis.literal(s.reference)
        ref_hidden = _primary_reason(t.ref_count, t.ref_den, s).notnull() | complementary(ref, t.ref_count)
        ref_hidden = ref_hidden.fill_null(False)
        for c in ref_numbers:
            masked[c] = untyped.ifelse(hidden | ref_hidden, ibis.null(t[c].type()), t[c])
        masked["reason"] = untyped.ifelse(
            ~hidden & ref_hidden & (t.group != TOTAL), ibis.literal(REASON_REFERENCE), t.reason
        )
    out = t.mutate(suppressed=hidden, **masked)
    stats = ("total_count", "total_den", "ref_count", "ref_den", "n_primary", "smallest_count", "smallest_group")
    dropped = [c for c in stats if c in out.columns]
    if order:  # integer sort keys standing for the same order (``disparity_wide``), sorted then dropped
        return out.order_by(list(order)).drop(*dropped, *order)
    out = out.drop(*dropped)
    return out.order_by([*part, (out.group == TOTAL).desc(), out.group])


def window(**kwargs: Any) -> Any:
    """``ibis.window`` (untyped upstream)."""
    return ibis.window(**kwargs)  # type: ignore[no-untyped-call]


def flag_consecutive(
    results: ibis.Table,
    *,
    keys: Sequence[str] = (),
    year: str = "year",
    metric: str = "rr",
    threshold: float = 2.0,
    years: int = 3,
) -> ibis.Table:
    """Add ``flagged``: the metric exceeded ``threshold`` in each of ``years`` consecutive years.

    A year whose ratio is null (suppressed or undefined) breaks the run, as the
    IDEA regulation requires a calculated ratio in each year.
    """
    part = [*keys, "outcome", "group"]
    w = window(group_by=part, order_by=results[year], preceding=years - 1, following=0)
    over = untyped.ifelse(results[metric] > threshold, 1, 0).coalesce(0)
    t = results.mutate(
        _over=over.sum().over(w),
        _span=results[year].max().over(w) - results[year].min().over(w),
        _n=results[year].count().over(w),
    )
    flagged = (t._over == years) & (t._n == years) & (t._span == years - 1)
    return t.mutate(flagged=flagged).drop("_over", "_span", "_n")


def wilson_interval(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion, in plain Python (for documentation and checks)."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
