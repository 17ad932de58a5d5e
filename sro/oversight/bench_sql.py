"""The benchmark's hand-written DuckDB query: the K-12 counts and rates in one statement."""

# SQL here is assembled from the constant column schema; paths go through _q (quoted literals).
# ruff: noqa: S608

from __future__ import annotations

from pathlib import Path

from sro.oversight.k12 import AGE_LABELS, OUTCOMES
from sro.oversight.ripa import AGE_GROUPS, DISABILITY, FORCE_FLAGS, GENDER, RACE

DIMS = {"race": ("RAE_FULL", RACE), "gender": ("G_FULL", GENDER), "disability": ("PD_FULL", DISABILITY),
        "age_group": ("AGE_GROUP", AGE_LABELS)}  # fmt: skip
BREAKDOWNS = {"statewide": [], "agency": ["AGENCY_ORI"], "school": ["SCHOOL_CODE"], "month": ["month"]}


def _case(col: str, labels: dict[int, str]) -> str:
    whens = " ".join(f"WHEN {k} THEN '{v}'" for k, v in labels.items())
    return f"CASE {col} {whens} ELSE {col}::VARCHAR END"


def k12_sql(data: Path) -> str:
    src = f"read_parquet('{data}/**/*.parquet', hive_partitioning=true)" if data.is_dir() else f"read_parquet('{data}')"
    age = " ".join(f"WHEN AGE <= {hi} THEN {i}" for i, (_, hi, _) in enumerate(AGE_GROUPS))
    force = " OR ".join(f"{c} = 1" for c in FORCE_FLAGS)
    sets, labels = [], []
    for b, bkeys in BREAKDOWNS.items():
        for d, (col, lab) in DIMS.items():
            sets.append("(" + ", ".join([*bkeys, col]) + ")")
            labels.append((b, bkeys, d, col, lab))
    # One grouping id per set: GROUPING() is 0 for the columns the set groups by.
    allcols = ["AGENCY_ORI", "SCHOOL_CODE", "month", "RAE_FULL", "G_FULL", "PD_FULL", "AGE_GROUP"]
    branches = []
    for b, bkeys, d, col, lab in labels:
        gid = sum(1 << (len(allcols) - 1 - i) for i, c in enumerate(allcols) if c not in [*bkeys, col])
        keys = {"agency": "AGENCY_ORI", "school": "SCHOOL_CODE", "month": "month::VARCHAR"}
        keysel = ", ".join(f"{expr if name == b else 'NULL::VARCHAR'} AS {name}" for name, expr in keys.items())
        branches.append(f"WHEN gid = {gid} THEN {{'breakdown': '{b}', 'dimension': '{d}', 'group': {_case(col, lab)}}}")
        _ = keysel
    sums = ", ".join(f"sum({o})::BIGINT AS {o}" for o in OUTCOMES)
    unpivot = ", ".join(OUTCOMES)
    return f"""
WITH s AS (
  SELECT AGENCY_ORI, SCHOOL_CODE, year(DATE_OF_STOP) * 100 + month(DATE_OF_STOP) AS month,
         RAE_FULL, G_FULL, PD_FULL, CASE {age} ELSE {len(AGE_GROUPS) - 1} END AS AGE_GROUP,
         (REASON_FOR_STOP IN (7, 8))::INT AS discipline_stop,
         (BFS_SCHOOL_POLICY = 1 OR BPS_VIOLENT_SCHOOL = 1)::INT AS school_policy_search_seizure,
         (REASON_FOR_STOP IN (7, 8) OR BFS_SCHOOL_POLICY = 1 OR BPS_VIOLENT_SCHOOL = 1)::INT AS boundary_crossing,
         (ADS_SEARCHED_PER = 1 OR ADS_SEARCHED_PROP = 1)::INT AS searched,
         ({force})::INT AS force,
         (ADS_HANDCUFFED = 1)::INT AS handcuffed,
         (ROS_CUSTODIAL_WARRANT = 1 OR ROS_CUSTODIAL_WITHOU_WARRANT = 1)::INT AS arrest,
         (ROS_CITATION = 1 OR ROS_IN_FIELD_CITE_RELEASE = 1)::INT AS citation,
         (ROS_REFFERAL_SCHOOL_ADMIN = 1)::INT AS referral_admin,
         (ROS_REFFERAL_SCHOOL_COUNSELOR = 1)::INT AS referral_counsellor
  FROM {src} WHERE STOP_STUDENT = 1 OR K12_SCHOOL_GROUNDS = 1
), g AS (
  SELECT {", ".join(allcols)}, GROUPING({", ".join(allcols)}) AS gid, count(*) AS stops, {sums}
  FROM s GROUP BY GROUPING SETS ({", ".join(sets)})
), l AS (
  SELECT CASE {" ".join(branches)} END AS lab, * FROM g
), w AS (
  SELECT lab.breakdown AS breakdown,
         CASE WHEN lab.breakdown = 'agency' THEN AGENCY_ORI END AS agency,
         CASE WHEN lab.breakdown = 'school' THEN SCHOOL_CODE END AS school,
         CASE WHEN lab.breakdown = 'month' THEN month::VARCHAR END AS month,
         lab.dimension AS dimension, lab."group" AS "group", stops, {unpivot}
  FROM l
), wt AS (
  SELECT * FROM w
  UNION ALL
  SELECT breakdown, agency, school, month, dimension, 'All', sum(stops), {", ".join(f"sum({o})" for o in OUTCOMES)}
  FROM w GROUP BY ALL
), u AS (
  UNPIVOT wt ON {unpivot} INTO NAME outcome VALUE "count"
)
SELECT breakdown, agency, school, month, dimension, "group", outcome, "count"::BIGINT AS "count",
       stops::BIGINT AS denominator, "count" * 100.0 / stops AS rate
FROM u ORDER BY ALL
"""
