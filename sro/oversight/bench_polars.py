"""The benchmark's Polars implementation of the K-12 report, written as a Polars user would.

A lazy scan reads only the columns the report needs and keeps only K-12 stops; one
``group_by`` per breakdown and dimension gives the wide counts (a column per outcome),
and each partition's ``All`` row is the sum of its groups. Partition totals and the
suppression inputs are worked out on those wide rows for every outcome at once, then the
rows are turned long (one per outcome) for the rates, Wilson intervals, Katz risk
ratios, risk differences and suppression of sro.oversight.metrics. The output is in
the order of the keys: the wide rows are sorted, never the long ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from sro.oversight.bench_sql import CELL_MIN, DIMS, N_MIN, PER, Z
from sro.oversight.bench_sql import DataFrameShape as Shape
from sro.oversight.k12 import OUTCOMES
from sro.oversight.ripa import AGE_GROUPS, FORCE_FLAGS, NOT_RECORDED

BREAKDOWNS, PLACES, PARTITION, COLUMNS, TOTAL = (
    Shape.BREAKDOWNS,
    Shape.PLACES,
    Shape.PARTITION,
    Shape.COLUMNS,
    Shape.TOTAL,
)


def _any(*cols: str) -> pl.Expr:
    return pl.any_horizontal([pl.col(c) == 1 for c in cols]).fill_null(value=False).cast(pl.Int64)


def k12_stops(data: Path) -> pl.LazyFrame:
    """K-12 stops (students, or on K-12 grounds), one row per person, with a 0/1 column per outcome."""
    source = str(data / "**" / "*.parquet") if data.is_dir() else str(data)
    s = pl.scan_parquet(source, hive_partitioning=False).filter(
        (pl.col("STOP_STUDENT") == 1) | (pl.col("K12_SCHOOL_GROUNDS") == 1)
    )
    age = pl.col("AGE")
    age_group: Any = pl.when(age.is_null()).then(None)
    for i, (_, hi, _) in enumerate(AGE_GROUPS):
        age_group = age_group.when(age <= hi).then(i)
    discipline = pl.col("REASON_FOR_STOP").is_in([7, 8]).fill_null(value=False)
    policy = ((pl.col("BFS_SCHOOL_POLICY") == 1) | (pl.col("BPS_VIOLATE_SCHOOL") == 1)).fill_null(value=False)
    date = pl.col("DATE_OF_STOP")
    return s.select(
        "AGENCY_ORI",
        "SCHOOL_CODE",
        month=(date.dt.year().cast(pl.Int64) * 100 + date.dt.month().cast(pl.Int64)).cast(pl.String),
        RAE_FULL=pl.col("RAE_FULL"),
        G_FULL=pl.col("G_FULL"),
        PD_FULL=pl.col("PD_FULL"),
        AGE_GROUP=age_group.otherwise(len(AGE_GROUPS) - 1).cast(pl.Int64),
        discipline_stop=discipline.cast(pl.Int64),
        school_policy_search_seizure=policy.cast(pl.Int64),
        boundary_crossing=(discipline | policy).cast(pl.Int64),
        searched=_any("ADS_SEARCH_PERSON", "ADS_SEARCH_PROPERTY"),
        force=_any(*FORCE_FLAGS),
        handcuffed=_any("ADS_HANDCUFFED"),
        arrest=_any("ROS_CUSTODIAL_WARRANT", "ROS_CUSTODIAL_WITHOUT_WARRANT"),
        citation=_any("ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE"),
        referral_admin=_any("ROS_REFERRAL_SCHOOL_ADMIN"),
        referral_counsellor=_any("ROS_REFERRAL_SCHOOL_COUNSELOR"),
    )


def _label(col: str, labels: dict[int, str]) -> pl.Expr:
    codes = pl.col(col)
    named = codes.replace_strict(labels, default=codes.cast(pl.String), return_dtype=pl.String)
    return named.fill_null(NOT_RECORDED)


def k12_wide(stops: pl.DataFrame) -> pl.DataFrame:
    """Counts: one row per breakdown, place, dimension and group (with ``All``), a column per outcome."""
    sums = [pl.len().cast(pl.Int64).alias("stops"), *(pl.col(o).sum().cast(pl.Int64) for o in OUTCOMES)]
    parts = []
    for breakdown, key in BREAKDOWNS.items():
        for dimension, (col, labels) in DIMS.items():
            g = stops.lazy().group_by([key, col] if key else [col]).agg(sums)
            places = {p: (pl.col(k) if k == key else pl.lit(None, pl.String)) for k, p in PLACES.items()}
            groups = g.select(
                breakdown=pl.lit(breakdown), **places, dimension=pl.lit(dimension), group=_label(col, labels),
                stops=pl.col("stops"), **{o: pl.col(o) for o in OUTCOMES},
            )  # fmt: skip
            # The partition's total: the sum of its groups.
            total = groups.group_by(PARTITION).agg(pl.col("stops", *OUTCOMES).sum()).with_columns(group=pl.lit(TOTAL))
            parts += [groups, total.select(groups.collect_schema().names())]
    return pl.concat(pl.collect_all(parts))


def k12_polars(data: Path) -> pl.DataFrame:
    """The published report: one row per count with its rates, ratios, intervals and suppression."""
    wide = k12_wide(k12_stops(data).collect())
    is_all = pl.col("group") == TOTAL
    n = pl.col("stops")
    # Per partition and outcome, on the wide rows: the total (the All row), how many groups
    # are under a minimum, and the smallest published group (ties: the first label).
    stats: list[pl.Expr] = [n.filter(is_all).max().over(PARTITION).alias("total_den")]
    for o in OUTCOMES:
        shown = (n >= N_MIN) & (pl.col(o) >= CELL_MIN) & ~is_all
        stats += [
            pl.col(o).filter(is_all).max().over(PARTITION).alias(f"{o}_total"),
            (~shown & ~is_all).sum().over(PARTITION).alias(f"{o}_np"),
            pl.col(o).filter(shown).min().over(PARTITION).alias(f"{o}_min"),
        ]
    wide = wide.sort([*PARTITION, pl.col("group") != TOTAL, "group"], nulls_last=True).with_columns(stats)
    firsts = []
    for o in OUTCOMES:
        shown = (n >= N_MIN) & (pl.col(o) >= CELL_MIN) & ~is_all
        firsts.append(pl.col("group").filter(shown & (pl.col(o) == pl.col(f"{o}_min"))).min().over(PARTITION))
    wide = wide.with_columns(firsts[i].alias(f"{o}_first") for i, o in enumerate(OUTCOMES))
    # Long: each wide row becomes one row per outcome, in place (row-major, no sort).
    lists = {
        "outcome": pl.lit(list(OUTCOMES)),
        "count": pl.concat_list(list(OUTCOMES)),
        "total_count": pl.concat_list([f"{o}_total" for o in OUTCOMES]),
        "n_primary": pl.concat_list([f"{o}_np" for o in OUTCOMES]),
        "smallest": pl.concat_list([f"{o}_min" for o in OUTCOMES]),
        "first": pl.concat_list([f"{o}_first" for o in OUTCOMES]),
    }
    t = wide.select(*PARTITION, "group", "total_den", denominator=n, **lists).explode(list(lists))
    a, n, c, m = pl.col("count"), pl.col("denominator"), pl.col("total_count"), pl.col("total_den")
    af, nf = a.cast(pl.Float64), n.cast(pl.Float64)
    others_a, others_n = (c - a).cast(pl.Float64), (m - n).cast(pl.Float64)
    p = pl.when(n > 0).then(af / nf)
    q = pl.when(m - n > 0).then(others_a / others_n)
    z2 = Z * Z
    centre = (p + z2 / (2 * nf)) / (1 + z2 / nf)
    half = Z * (p * (1 - p) / nf + z2 / (4 * nf * nf)).sqrt() / (1 + z2 / nf)
    rr_ok = (a > 0) & (n > 0) & (c - a > 0) & (m - n > 0) & ~is_all
    rr = pl.when(rr_ok).then(p / q)
    se = pl.when(rr_ok).then((1 / af - 1 / nf + 1 / others_a - 1 / others_n).sqrt())
    # Primary suppression, then complementary: when the total is published and exactly one
    # group is withheld, the smallest published group (ties: the first label) is withheld too.
    primary = pl.when(n < N_MIN).then(pl.lit("n-size")).when(a < CELL_MIN).then(pl.lit("cell"))
    complementary = (
        (m >= N_MIN) & (c >= CELL_MIN) & (pl.col("n_primary") == 1) & ~is_all
        & (a == pl.col("smallest")) & (pl.col("group") == pl.col("first"))
    )  # fmt: skip
    reason = pl.coalesce(primary, pl.when(complementary).then(pl.lit("complementary")))
    t = t.with_columns(reason=reason)
    shown = pl.col("reason").is_null()
    metrics = {
        "rate": p * PER,
        "rate_lo": (centre - half) * PER,
        "rate_hi": (centre + half) * PER,
        "rr": rr,
        "rr_lo": (rr.log() - Z * se).exp(),
        "rr_hi": (rr.log() + Z * se).exp(),
        "rd": pl.when(~is_all).then((p - q) * PER),
    }
    return t.select(
        *PARTITION,
        "group",
        "outcome",
        count=pl.when(shown).then(a),
        denominator=n,
        **{k: pl.when(shown).then(v) for k, v in metrics.items()},
        suppressed=~shown,
        reason="reason",
    )
