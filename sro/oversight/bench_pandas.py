"""The benchmark's plain pandas implementation of the K-12 report: counts, rates, Wilson
intervals, Katz risk ratios, risk differences and suppression (see sro.oversight.metrics)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sro.oversight.bench_sql import CELL_MIN, DIMS, N_MIN, PER, Z
from sro.oversight.k12 import OUTCOMES
from sro.oversight.ripa import AGE_GROUPS, FORCE_FLAGS

NEEDED = ["AGENCY_ORI", "SCHOOL_CODE", "DATE_OF_STOP", "RAE_FULL", "G_FULL", "PD_FULL", "AGE", "REASON_FOR_STOP",
          "STOP_STUDENT", "K12_SCHOOL_GROUNDS", "BFS_SCHOOL_POLICY", "BPS_VIOLATE_SCHOOL", "ADS_SEARCH_PERSON",
          "ADS_SEARCH_PROPERTY", *FORCE_FLAGS, "ADS_HANDCUFFED", "ROS_CUSTODIAL_WARRANT",
          "ROS_CUSTODIAL_WITHOUT_WARRANT", "ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE",
          "ROS_REFERRAL_SCHOOL_ADMIN", "ROS_REFERRAL_SCHOOL_COUNSELOR"]  # fmt: skip
BREAKDOWNS = {"statewide": None, "agency": "AGENCY_ORI", "school": "SCHOOL_CODE", "month": "month"}
PARTITION = ["breakdown", "agency", "school", "month", "dimension", "outcome"]
COLUMNS = ["breakdown", "agency", "school", "month", "dimension", "group", "outcome", "count", "denominator",
           "rate", "rate_lo", "rate_hi", "rr", "rr_lo", "rr_hi", "rd", "suppressed", "reason"]  # fmt: skip


def k12_counts(data: Path) -> pd.DataFrame:
    """Long counts, one row per breakdown, place, dimension, group (with ``All``) and outcome."""
    files = sorted(data.rglob("*.parquet")) if data.is_dir() else [data]
    df = pd.concat([pd.read_parquet(f, columns=NEEDED) for f in files], ignore_index=True)
    df = df[(df.STOP_STUDENT == 1) | (df.K12_SCHOOL_GROUNDS == 1)].copy()
    dates = pd.to_datetime(df.DATE_OF_STOP)
    df["month"] = (dates.dt.year * 100 + dates.dt.month).astype(str)
    df["AGE_GROUP"] = np.select(
        [hi >= df.AGE for _, hi, _ in AGE_GROUPS], list(range(len(AGE_GROUPS))), len(AGE_GROUPS) - 1
    )
    disc = df.REASON_FOR_STOP.isin([7, 8])
    pol = (df.BFS_SCHOOL_POLICY == 1) | (df.BPS_VIOLATE_SCHOOL == 1)
    df["discipline_stop"] = disc.astype(int)
    df["school_policy_search_seizure"] = pol.astype(int)
    df["boundary_crossing"] = (disc | pol).astype(int)
    df["searched"] = ((df.ADS_SEARCH_PERSON == 1) | (df.ADS_SEARCH_PROPERTY == 1)).astype(int)
    df["force"] = (df[list(FORCE_FLAGS)] == 1).any(axis=1).astype(int)
    df["handcuffed"] = (df.ADS_HANDCUFFED == 1).astype(int)
    df["arrest"] = ((df.ROS_CUSTODIAL_WARRANT == 1) | (df.ROS_CUSTODIAL_WITHOUT_WARRANT == 1)).astype(int)
    df["citation"] = ((df.ROS_CITATION == 1) | (df.ROS_IN_FIELD_CITE_RELEASE == 1)).astype(int)
    df["referral_admin"] = (df.ROS_REFERRAL_SCHOOL_ADMIN == 1).astype(int)
    df["referral_counsellor"] = (df.ROS_REFERRAL_SCHOOL_COUNSELOR == 1).astype(int)
    df["stops"] = 1
    cols = ["stops", *OUTCOMES]
    parts = []
    for b, key in BREAKDOWNS.items():
        for d, (col, labels) in DIMS.items():
            keys = [col] if key is None else [key, col]
            g = df.groupby(keys, dropna=False)[cols].sum().reset_index()
            g["group"] = g[col].map(labels).fillna(g[col].astype(str))
            # The partition's total: the sum of its groups.
            tot = g.groupby(key, dropna=False)[cols].sum().reset_index() if key else g[cols].sum().to_frame().T
            tot["group"] = "All"
            both = pd.concat([g, tot], ignore_index=True)
            both["breakdown"], both["dimension"] = b, d
            for k, name in (("AGENCY_ORI", "agency"), ("SCHOOL_CODE", "school"), ("month", "month")):
                both[name] = both[k].astype(str) if key == k else None
            parts.append(both[["breakdown", "agency", "school", "month", "dimension", "group", *cols]])
    wide = pd.concat(parts, ignore_index=True)
    long = wide.melt(id_vars=["breakdown", "agency", "school", "month", "dimension", "group", "stops"],
                     value_vars=list(OUTCOMES), var_name="outcome", value_name="count")  # fmt: skip
    long["denominator"] = long.pop("stops")
    return long


def k12_pandas(data: Path) -> pd.DataFrame:
    """The published report: one row per count with its rates, ratios, intervals and suppression."""
    t = k12_counts(data)
    is_all = t["group"] == "All"
    part = t.groupby(PARTITION, dropna=False, sort=False).ngroup()
    a = t["count"].astype("float64")
    n = t["denominator"].astype("float64")
    total_count = a.where(is_all).groupby(part).transform("max")
    total_den = n.where(is_all).groupby(part).transform("max")
    c, m = total_count - a, total_den - n  # everyone else in the partition
    p = a / n.where(n > 0)
    q = c / m.where(m > 0)
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    rr_ok = (a > 0) & (n > 0) & (c > 0) & (m > 0) & ~is_all
    rr = (p / q).where(rr_ok)
    se = np.sqrt((1 / a - 1 / n + 1 / c - 1 / m).where(rr_ok))
    t["rate"] = p * PER
    t["rate_lo"] = (centre - half) * PER
    t["rate_hi"] = (centre + half) * PER
    t["rr"] = rr
    t["rr_lo"] = np.exp(np.log(rr) - Z * se)
    t["rr_hi"] = np.exp(np.log(rr) + Z * se)
    t["rd"] = ((p - q) * PER).where(~is_all)

    # Primary suppression, then complementary: when the total is published and exactly one
    # group is withheld, the smallest published group (ties: the first label) is withheld too.
    reason = pd.Series(None, index=t.index, dtype="str")
    reason = reason.mask(a < CELL_MIN, "cell").mask(n < N_MIN, "n-size")
    primary = reason.notna()
    n_primary = (primary & ~is_all).groupby(part).transform("sum")
    total_published = (total_den >= N_MIN) & (total_count >= CELL_MIN)
    candidate = ~primary & ~is_all
    smallest = a.where(candidate).groupby(part).transform("min")
    first = t["group"].where(candidate & (a == smallest)).groupby(part).transform("min")
    complementary = candidate & total_published & (n_primary == 1) & (a == smallest) & (t["group"] == first)
    t["reason"] = reason.mask(complementary, "complementary")
    t["suppressed"] = t["reason"].notna()
    shown = ~t["suppressed"]
    t["count"] = t["count"].astype("Int64").where(shown)
    for col in ("rate", "rate_lo", "rate_hi", "rr", "rr_lo", "rr_hi", "rd"):
        t[col] = t[col].where(shown)
    # Sorted, as the engine and the SQL sort theirs (here in the SQL's ORDER BY ALL order).
    return t[COLUMNS].sort_values(COLUMNS[:7], ignore_index=True)
