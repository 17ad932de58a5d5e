"""The benchmark's hand-written DuckDB query: the whole published K-12 report in one statement.

Counts come from one GROUPING SETS aggregate, one row per place, dimension and group with
a column per outcome, plus each partition's ``All`` row. One window pass over those wide
rows finds each partition's totals and suppression inputs for every outcome at once; an
UNPIVOT then gives one row per outcome, where the rates, Wilson intervals, Katz risk
ratios, risk differences and suppression of sro.oversight.metrics are computed.
"""

# SQL here is assembled from the constant column schema; the path goes through _q (a quoted literal).
# ruff: noqa: S608

from __future__ import annotations

from pathlib import Path

from sro.oversight.k12 import AGE_LABELS, OUTCOMES
from sro.oversight.ripa import AGE_GROUPS, DISABILITY, FORCE_FLAGS, GENDER, RACE, _q

DIMS = {"race": ("RAE_FULL", RACE), "gender": ("G_FULL", GENDER), "disability": ("PD_FULL", DISABILITY),
        "age_group": ("AGE_GROUP", AGE_LABELS)}  # fmt: skip
BREAKDOWNS = {"statewide": [], "agency": ["AGENCY_ORI"], "school": ["SCHOOL_CODE"], "month": ["month"]}
# The engine's settings in the benchmark: Settings(per=100) of sro.oversight.metrics.
PER = 100


class DataFrameShape:
    """The output's shape for the two data-frame baselines (pandas and Polars), kept here so that
    neither imports the other's library."""

    BREAKDOWNS = {"statewide": None, "agency": "AGENCY_ORI", "school": "SCHOOL_CODE", "month": "month"}
    PLACES = {"AGENCY_ORI": "agency", "SCHOOL_CODE": "school", "month": "month"}
    PARTITION = ["breakdown", "agency", "school", "month", "dimension"]
    COLUMNS = ["breakdown", "agency", "school", "month", "dimension", "group", "outcome", "count", "denominator",
               "rate", "rate_lo", "rate_hi", "rr", "rr_lo", "rr_hi", "rd", "suppressed", "reason"]  # fmt: skip
    TOTAL = "All"


CELL_MIN = 11
N_MIN = 30
Z = 1.959963984540054


def _case(col: str, labels: dict[int, str]) -> str:
    whens = " ".join(f"WHEN {k} THEN '{v}'" for k, v in labels.items())
    return f"CASE {col} {whens} ELSE {col}::VARCHAR END"


def k12_sql(data: Path) -> str:
    if data.is_dir():
        src = f"read_parquet({_q(data / '**' / '*.parquet')}, hive_partitioning=true)"
    else:
        src = f"read_parquet({_q(data)})"
    age = " ".join(f"WHEN AGE <= {hi} THEN {i}" for i, (_, hi, _) in enumerate(AGE_GROUPS))
    force = " OR ".join(f"{c} = 1" for c in FORCE_FLAGS)
    # One grouping set per breakdown and dimension, told apart by GROUPING() (a bit set per
    # column left out of the set).
    allcols = ["AGENCY_ORI", "SCHOOL_CODE", "month", "RAE_FULL", "G_FULL", "PD_FULL", "AGE_GROUP"]
    sets, branches = [], []
    for b, bkeys in BREAKDOWNS.items():
        for d, (col, lab) in DIMS.items():
            sets.append("(" + ", ".join([*bkeys, col]) + ")")
            gid = sum(1 << (len(allcols) - 1 - i) for i, c in enumerate(allcols) if c not in [*bkeys, col])
            branches.append(f"WHEN {gid} THEN {{'breakdown': '{b}', 'dimension': '{d}', 'group': {_case(col, lab)}}}")
    sums = ", ".join(f"sum({o})::BIGINT AS {o}" for o in OUTCOMES)
    outcomes = ", ".join(OUTCOMES)
    z2 = Z * Z
    # Per partition and outcome: the total (the All row), how many groups fall under a
    # minimum, and the smallest published group (ties: the first label), which is the one
    # withheld as well when exactly one group is withheld and the total is published.
    is_group, shown = "\"group\" <> 'All'", f"stops >= {N_MIN}"
    stats = ["max(CASE WHEN \"group\" = 'All' THEN stops END) OVER part AS total_den"]
    for o in OUTCOMES:
        stats += [
            f"max(CASE WHEN \"group\" = 'All' THEN {o} END) OVER part AS {o}_total",
            f"count(*) FILTER (WHERE {is_group} AND NOT ({shown} AND {o} >= {CELL_MIN})) OVER part AS {o}_np",
            f"min(CASE WHEN {is_group} AND {shown} AND {o} >= {CELL_MIN} THEN {{'c': {o}, 'g': \"group\"}} END) "
            f"OVER part AS {o}_min",
        ]
    cols = ", ".join(f"({o}, {o}_total, {o}_np, {o}_min) AS '{o}'" for o in OUTCOMES)
    # p: the group's proportion; q: everyone else's in the partition (null when nobody else).
    return f"""
WITH s AS (
  SELECT AGENCY_ORI, SCHOOL_CODE, year(DATE_OF_STOP) * 100 + month(DATE_OF_STOP) AS month,
         RAE_FULL, G_FULL, PD_FULL, CASE {age} ELSE {len(AGE_GROUPS) - 1} END AS AGE_GROUP,
         (REASON_FOR_STOP IN (7, 8))::INT AS discipline_stop,
         (BFS_SCHOOL_POLICY = 1 OR BPS_VIOLATE_SCHOOL = 1)::INT AS school_policy_search_seizure,
         (REASON_FOR_STOP IN (7, 8) OR BFS_SCHOOL_POLICY = 1 OR BPS_VIOLATE_SCHOOL = 1)::INT AS boundary_crossing,
         (ADS_SEARCH_PERSON = 1 OR ADS_SEARCH_PROPERTY = 1)::INT AS searched,
         ({force})::INT AS force,
         (ADS_HANDCUFFED = 1)::INT AS handcuffed,
         (ROS_CUSTODIAL_WARRANT = 1 OR ROS_CUSTODIAL_WITHOUT_WARRANT = 1)::INT AS arrest,
         (ROS_CITATION = 1 OR ROS_IN_FIELD_CITE_RELEASE = 1)::INT AS citation,
         (ROS_REFERRAL_SCHOOL_ADMIN = 1)::INT AS referral_admin,
         (ROS_REFERRAL_SCHOOL_COUNSELOR = 1)::INT AS referral_counsellor
  FROM {src} WHERE STOP_STUDENT = 1 OR K12_SCHOOL_GROUNDS = 1
), g AS (
  SELECT CASE GROUPING({", ".join(allcols)}) {" ".join(branches)} END AS lab, {", ".join(allcols)},
         count(*) AS stops, {sums}
  FROM s GROUP BY GROUPING SETS ({", ".join(sets)})
), w AS (
  SELECT lab.breakdown AS breakdown,
         CASE WHEN lab.breakdown = 'agency' THEN AGENCY_ORI END AS agency,
         CASE WHEN lab.breakdown = 'school' THEN SCHOOL_CODE END AS school,
         CASE WHEN lab.breakdown = 'month' THEN month::VARCHAR END AS month,
         lab.dimension AS dimension, lab."group" AS "group", stops, {outcomes}
  FROM g
), wt AS (
  SELECT * FROM w
  UNION ALL
  SELECT breakdown, agency, school, month, dimension, 'All', sum(stops), {", ".join(f"sum({o})" for o in OUTCOMES)}
  FROM w GROUP BY ALL
), t AS (
  SELECT *, {", ".join(stats)}
  FROM wt WINDOW part AS (PARTITION BY breakdown, agency, school, month, dimension)
), u AS (
  SELECT breakdown, agency, school, month, dimension, "group", outcome, "count"::BIGINT AS "count",
         stops::BIGINT AS denominator, total_den::BIGINT AS total_den, total_count::BIGINT AS total_count,
         n_primary, smallest,
         CASE WHEN stops < {N_MIN} THEN 'n-size' WHEN "count" < {CELL_MIN} THEN 'cell' END AS primary_reason
  FROM t UNPIVOT INCLUDE NULLS (("count", total_count, n_primary, smallest) FOR outcome IN ({cols}))
), r AS (
  SELECT *,
         coalesce(primary_reason,
                  CASE WHEN total_den >= {N_MIN} AND total_count >= {CELL_MIN} AND n_primary = 1
                            AND "group" <> 'All' AND smallest = {{'c': "count", 'g': "group"}}
                       THEN 'complementary' END) AS reason,
         CASE WHEN denominator > 0 THEN "count"::DOUBLE / denominator::DOUBLE END AS p,
         CASE WHEN total_den - denominator > 0
              THEN (total_count - "count")::DOUBLE / (total_den - denominator)::DOUBLE END AS q,
         "count" > 0 AND denominator > 0 AND total_count - "count" > 0 AND total_den - denominator > 0
           AND "group" <> 'All' AS rr_ok,
         denominator::DOUBLE AS n
  FROM u
), m AS (
  SELECT *,
         (p + {z2!r} / (2 * n)) / (1 + {z2!r} / n) AS centre,
         {Z!r} * sqrt(p * (1 - p) / n + {z2!r} / (4 * n * n)) / (1 + {z2!r} / n) AS half,
         CASE WHEN rr_ok THEN p / q END AS rr,
         CASE WHEN rr_ok THEN sqrt(1 / "count"::DOUBLE - 1 / n + 1 / (total_count - "count")::DOUBLE
                                   - 1 / (total_den - denominator)::DOUBLE) END AS se
  FROM r
)
SELECT breakdown, agency, school, month, dimension, "group", outcome,
       CASE WHEN reason IS NULL THEN "count" END AS "count", denominator,
       CASE WHEN reason IS NULL THEN p * {PER} END AS rate,
       CASE WHEN reason IS NULL THEN (centre - half) * {PER} END AS rate_lo,
       CASE WHEN reason IS NULL THEN (centre + half) * {PER} END AS rate_hi,
       CASE WHEN reason IS NULL THEN rr END AS rr,
       CASE WHEN reason IS NULL THEN exp(ln(rr) - {Z!r} * se) END AS rr_lo,
       CASE WHEN reason IS NULL THEN exp(ln(rr) + {Z!r} * se) END AS rr_hi,
       CASE WHEN reason IS NULL AND "group" <> 'All' THEN (p - q) * {PER} END AS rd,
       reason IS NOT NULL AS suppressed, reason
FROM m ORDER BY ALL
"""
