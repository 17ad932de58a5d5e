"""The benchmark's pandas implementation of the K-12 report: counts, rates, Wilson intervals,
Katz risk ratios, risk differences and suppression (see sro.oversight.metrics), as a competent
pandas user would write it.

pyarrow reads only the columns needed and only the K-12 rows (``columns=`` and ``filters=``).
One ``groupby`` per breakdown and dimension gives the wide counts (a column per outcome) and
each partition's ``All`` row is the sum of its groups. Totals and suppression inputs are
worked out on those wide rows for every outcome at once; each wide row then becomes one row per
outcome, in place, for the metrics. Only the wide rows are sorted, never the long ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

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

NEEDED = ["AGENCY_ORI", "SCHOOL_CODE", "DATE_OF_STOP", "RAE_FULL", "G_FULL", "PD_FULL", "AGE", "REASON_FOR_STOP",
          "STOP_STUDENT", "K12_SCHOOL_GROUNDS", "BFS_SCHOOL_POLICY", "BPS_VIOLATE_SCHOOL", "ADS_SEARCH_PERSON",
          "ADS_SEARCH_PROPERTY", *FORCE_FLAGS, "ADS_HANDCUFFED", "ROS_CUSTODIAL_WARRANT",
          "ROS_CUSTODIAL_WITHOUT_WARRANT", "ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE",
          "ROS_REFERRAL_SCHOOL_ADMIN", "ROS_REFERRAL_SCHOOL_COUNSELOR"]  # fmt: skip
#: Students, or stops on K-12 grounds (pyarrow's filters: a list of AND lists, ORed).
K12 = [[("STOP_STUDENT", "=", 1)], [("K12_SCHOOL_GROUNDS", "=", 1)]]


def _is(df: pd.DataFrame, *cols: str) -> pd.Series:
    return (df[list(cols)] == 1).any(axis=1)


def k12_stops(data: Path) -> pd.DataFrame:
    """K-12 stops, one row per person stopped, with a 0/1 column per outcome."""
    files = sorted(data.rglob("*.parquet")) if data.is_dir() else [data]
    df = pq.read_table(files, columns=NEEDED, filters=K12).to_pandas()
    dates = df.DATE_OF_STOP
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates)
    age = df.AGE
    group = np.select([age <= hi for _, hi, _ in AGE_GROUPS], list(range(len(AGE_GROUPS))), len(AGE_GROUPS) - 1)
    disc = df.REASON_FOR_STOP.isin([7, 8])
    pol = _is(df, "BFS_SCHOOL_POLICY", "BPS_VIOLATE_SCHOOL")
    outcomes = {
        "discipline_stop": disc,
        "school_policy_search_seizure": pol,
        "boundary_crossing": disc | pol,
        "searched": _is(df, "ADS_SEARCH_PERSON", "ADS_SEARCH_PROPERTY"),
        "force": _is(df, *FORCE_FLAGS),
        "handcuffed": _is(df, "ADS_HANDCUFFED"),
        "arrest": _is(df, "ROS_CUSTODIAL_WARRANT", "ROS_CUSTODIAL_WITHOUT_WARRANT"),
        "citation": _is(df, "ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE"),
        "referral_admin": _is(df, "ROS_REFERRAL_SCHOOL_ADMIN"),
        "referral_counsellor": _is(df, "ROS_REFERRAL_SCHOOL_COUNSELOR"),
    }
    return pd.DataFrame(
        {
            "AGENCY_ORI": df.AGENCY_ORI,
            "SCHOOL_CODE": df.SCHOOL_CODE,
            "month": (dates.dt.year * 100 + dates.dt.month).astype(str),
            "RAE_FULL": df.RAE_FULL,
            "G_FULL": df.G_FULL,
            "PD_FULL": df.PD_FULL,
            "AGE_GROUP": pd.Series(group, index=df.index).where(age.notna()),
            "stops": 1,
            **{o: v.astype("int64") for o, v in outcomes.items()},
        }
    )


def _label(codes: pd.Series, labels: dict[int, str]) -> pd.Series:
    known = codes.map(labels)
    other = codes.map(lambda c: NOT_RECORDED if pd.isna(c) else str(int(c)))
    return known.fillna(other)


def k12_wide(stops: pd.DataFrame) -> pd.DataFrame:
    """Counts: one row per breakdown, place, dimension and group (with ``All``), a column per outcome."""
    cols = ["stops", *OUTCOMES]
    parts = []
    for breakdown, key in BREAKDOWNS.items():
        for dimension, (col, labels) in DIMS.items():
            keys = [col] if key is None else [key, col]
            g = stops.groupby(keys, dropna=False, sort=False)[cols].sum().reset_index()
            g["group"] = _label(g[col], labels)
            # The partition's total: the sum of its groups.
            tot = (
                g.groupby(key, dropna=False, sort=False)[cols].sum().reset_index()
                if key
                else g[cols].sum().to_frame().T
            )
            tot["group"] = TOTAL
            both = pd.concat([g, tot], ignore_index=True)
            both["breakdown"], both["dimension"] = breakdown, dimension
            for k, name in PLACES.items():
                both[name] = both[k].astype(str) if key == k else None
            parts.append(both[[*PARTITION, "group", *cols]])
    return pd.concat(parts, ignore_index=True)


def k12_pandas(data: Path) -> pd.DataFrame:
    """The published report: one row per count with its rates, ratios, intervals and suppression."""
    w = k12_wide(k12_stops(data))
    w["_rest"] = w["group"] != TOTAL
    w = w.sort_values([*PARTITION, "_rest", "group"], ignore_index=True)
    is_all = ~w.pop("_rest").to_numpy()
    part = w.groupby(PARTITION, dropna=False, sort=False).ngroup()
    n_w = w["stops"].to_numpy()
    total_den = pd.Series(np.where(is_all, n_w, -1)).groupby(part).transform("max").to_numpy()
    # Per partition and outcome, on the wide rows: the total (the All row), how many groups
    # are under a minimum, and the smallest published group (ties: the first label).
    stat: dict[str, list[Any]] = {"total": [], "np": [], "min": [], "first": []}
    for o in OUTCOMES:
        a_w = w[o].to_numpy()
        shown = (n_w >= N_MIN) & (a_w >= CELL_MIN) & ~is_all
        stat["total"].append(pd.Series(np.where(is_all, a_w, -1)).groupby(part).transform("max").to_numpy())
        stat["np"].append(pd.Series(~shown & ~is_all).groupby(part).transform("sum").to_numpy())
        smallest = pd.Series(a_w, dtype="float64").where(shown).groupby(part).transform("min")
        stat["min"].append(smallest.to_numpy())
        first = w["group"].where(shown & (a_w == smallest.to_numpy())).groupby(part).transform("min")
        stat["first"].append(first.to_numpy())
    # Long: each wide row becomes one row per outcome, in place (row-major, no sort).
    k = len(OUTCOMES)
    t = w[[*PARTITION, "group"]].loc[w.index.repeat(k)].reset_index(drop=True)
    t["outcome"] = np.tile(np.array(OUTCOMES, dtype=object), len(w))
    a = w[list(OUTCOMES)].to_numpy().ravel().astype("float64")
    n = np.repeat(n_w, k).astype("float64")
    c = np.column_stack(stat["total"]).ravel().astype("float64")
    m = np.repeat(total_den, k).astype("float64")
    n_primary = np.column_stack(stat["np"]).ravel()
    smallest_count = np.column_stack(stat["min"]).ravel()
    first_group = np.column_stack(stat["first"]).ravel()
    total = np.repeat(is_all, k)
    group = t["group"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, a / n, np.nan)
        q = np.where(m - n > 0, (c - a) / (m - n), np.nan)
        z2 = Z * Z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        rr_ok = (a > 0) & (n > 0) & (c - a > 0) & (m - n > 0) & ~total
        rr = np.where(rr_ok, p / q, np.nan)
        se = np.where(rr_ok, np.sqrt(1 / a - 1 / n + 1 / (c - a) - 1 / (m - n)), np.nan)
        metrics = {
            "rate": p * PER,
            "rate_lo": (centre - half) * PER,
            "rate_hi": (centre + half) * PER,
            "rr": rr,
            "rr_lo": np.exp(np.log(rr) - Z * se),
            "rr_hi": np.exp(np.log(rr) + Z * se),
            "rd": np.where(total, np.nan, (p - q) * PER),
        }
    # Primary suppression, then complementary: when the total is published and exactly one
    # group is withheld, the smallest published group (ties: the first label) is withheld too.
    complementary = (
        (m >= N_MIN) & (c >= CELL_MIN) & (n_primary == 1) & ~total & (a == smallest_count) & (group == first_group)
    )
    reason = np.select([n < N_MIN, a < CELL_MIN, complementary], ["n-size", "cell", "complementary"], "")
    hidden = reason != ""
    t["count"] = pd.array(np.where(hidden, 0, a).astype("int64"), dtype="Int64")
    t.loc[hidden, "count"] = pd.NA
    t["denominator"] = n.astype("int64")
    for col, values in metrics.items():
        t[col] = np.where(hidden, np.nan, values)
    t["suppressed"] = hidden
    t["reason"] = pd.Series(reason, dtype=object).where(hidden, None)
    return t[COLUMNS]
