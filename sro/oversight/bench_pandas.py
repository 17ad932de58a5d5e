"""The benchmark's plain pandas implementation of the K-12 counts and rates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sro.oversight.bench_sql import DIMS
from sro.oversight.k12 import OUTCOMES
from sro.oversight.ripa import AGE_GROUPS, FORCE_FLAGS

NEEDED = ["AGENCY_ORI", "SCHOOL_CODE", "DATE_OF_STOP", "RAE_FULL", "G_FULL", "PD_FULL", "AGE", "REASON_FOR_STOP",
          "STOP_STUDENT", "K12_SCHOOL_GROUNDS", "BFS_SCHOOL_POLICY", "BPS_VIOLENT_SCHOOL", "ADS_SEARCHED_PER",
          "ADS_SEARCHED_PROP", *FORCE_FLAGS, "ADS_HANDCUFFED", "ROS_CUSTODIAL_WARRANT",
          "ROS_CUSTODIAL_WITHOU_WARRANT", "ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE",
          "ROS_REFFERAL_SCHOOL_ADMIN", "ROS_REFFERAL_SCHOOL_COUNSELOR"]  # fmt: skip
BREAKDOWNS = {"statewide": None, "agency": "AGENCY_ORI", "school": "SCHOOL_CODE", "month": "month"}


def k12_pandas(data: Path) -> pd.DataFrame:
    files = sorted(data.rglob("*.parquet")) if data.is_dir() else [data]
    df = pd.concat([pd.read_parquet(f, columns=NEEDED) for f in files], ignore_index=True)
    df = df[(df.STOP_STUDENT == 1) | (df.K12_SCHOOL_GROUNDS == 1)].copy()
    dates = pd.to_datetime(df.DATE_OF_STOP)
    df["month"] = (dates.dt.year * 100 + dates.dt.month).astype(str)
    df["AGE_GROUP"] = np.select(
        [hi >= df.AGE for _, hi, _ in AGE_GROUPS], list(range(len(AGE_GROUPS))), len(AGE_GROUPS) - 1
    )
    disc = df.REASON_FOR_STOP.isin([7, 8])
    pol = (df.BFS_SCHOOL_POLICY == 1) | (df.BPS_VIOLENT_SCHOOL == 1)
    df["discipline_stop"] = disc.astype(int)
    df["school_policy_search_seizure"] = pol.astype(int)
    df["boundary_crossing"] = (disc | pol).astype(int)
    df["searched"] = ((df.ADS_SEARCHED_PER == 1) | (df.ADS_SEARCHED_PROP == 1)).astype(int)
    df["force"] = (df[list(FORCE_FLAGS)] == 1).any(axis=1).astype(int)
    df["handcuffed"] = (df.ADS_HANDCUFFED == 1).astype(int)
    df["arrest"] = ((df.ROS_CUSTODIAL_WARRANT == 1) | (df.ROS_CUSTODIAL_WITHOU_WARRANT == 1)).astype(int)
    df["citation"] = ((df.ROS_CITATION == 1) | (df.ROS_IN_FIELD_CITE_RELEASE == 1)).astype(int)
    df["referral_admin"] = (df.ROS_REFFERAL_SCHOOL_ADMIN == 1).astype(int)
    df["referral_counsellor"] = (df.ROS_REFFERAL_SCHOOL_COUNSELOR == 1).astype(int)
    df["stops"] = 1
    parts = []
    for b, key in BREAKDOWNS.items():
        for d, (col, labels) in DIMS.items():
            keys = [col] if key is None else [key, col]
            g = df.groupby(keys, dropna=False)[["stops", *OUTCOMES]].sum().reset_index()
            g["group"] = g[col].map(labels).fillna(g[col].astype(str))
            cols = ["stops", *OUTCOMES]
            tot = df.groupby(key)[cols].sum().reset_index() if key else df[cols].sum().to_frame().T
            tot["group"] = "All"
            both = pd.concat([g, tot], ignore_index=True)
            both["breakdown"], both["dimension"] = b, d
            for k, name in (("AGENCY_ORI", "agency"), ("SCHOOL_CODE", "school"), ("month", "month")):
                both[name] = both[k].astype(str) if key == k else None
            parts.append(both[["breakdown", "agency", "school", "month", "dimension", "group", "stops", *OUTCOMES]])
    wide = pd.concat(parts, ignore_index=True)
    long = wide.melt(id_vars=["breakdown", "agency", "school", "month", "dimension", "group", "stops"],
                     value_vars=list(OUTCOMES), var_name="outcome", value_name="count")  # fmt: skip
    long["denominator"] = long.pop("stops")
    long["rate"] = long["count"] * 100.0 / long["denominator"]
    return long
