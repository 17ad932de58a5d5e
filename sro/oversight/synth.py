"""Synthetic RIPA stop data with real school codes and an optional planted disparity.

Generation is vectorised (numpy + pyarrow) and chunked, so tens of millions of rows
fit in a few hundred megabytes. The same seed always gives the same file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sro.incidents.ripa_layout import layouts
from sro.oversight.ripa import FORCE_FLAGS, RACE, RIPA_COLUMNS

CHUNK = 1_000_000
YEARS = (2019, 2020, 2021, 2022, 2023)
# Approximate shares of statewide RIPA person-stops (perceived race 1-8).
RACE_P = np.array([0.055, 0.15, 0.41, 0.05, 0.004, 0.006, 0.315, 0.01])
GENDER_P = np.array([0.715, 0.28, 0.0015, 0.0015, 0.002])  # G_FULL 1-5 (Read Me 2021)
# PD_FULL 0-8 as the DOJ codes it: 6 hyperactivity, 7 other, 8 multiple.
DISABILITY_P = np.array([0.985, 0.002, 0.002, 0.001, 0.007, 0.001, 0.0005, 0.001, 0.0005])
REASON_P_K12 = np.array([0.05, 0.42, 0.03, 0.02, 0.05, 0.05, 0.24, 0.14])
REASON_P_OTHER = np.array([0.855, 0.12, 0.01, 0.01, 0.0005, 0.0045, 0.0, 0.0])
# Base probability of each outcome among K-12 stops and among other stops.
OUTCOME_P: dict[str, tuple[float, float]] = {
    "ADS_HANDCUFFED": (0.06, 0.08),
    "ADS_SEARCH_PERSON": (0.18, 0.09),
    "ADS_SEARCH_PROPERTY": (0.12, 0.07),
    "ADS_PROP_SEIZE": (0.05, 0.03),
    "ADS_WRITTEN_STATEMENT": (0.12, 0.01),
    "BFS_SCHOOL_POLICY": (0.05, 0.0),
    "BPS_VIOLATE_SCHOOL": (0.02, 0.0),
    "ROS_CITATION": (0.07, 0.45),
    "ROS_IN_FIELD_CITE_RELEASE": (0.04, 0.05),
    "ROS_CUSTODIAL_WARRANT": (0.005, 0.02),
    "ROS_CUSTODIAL_WITHOUT_WARRANT": (0.05, 0.06),
    "ROS_REFERRAL_SCHOOL_ADMIN": (0.25, 0.0),
    "ROS_REFERRAL_SCHOOL_COUNSELOR": (0.08, 0.0),
    **dict.fromkeys(FORCE_FLAGS, (0.004, 0.003)),
}


#: Outcomes that the regulations reserve for students (K-12 seizure basis and referrals).
STUDENT_ONLY = frozenset({"BPS_VIOLATE_SCHOOL", "ROS_REFERRAL_SCHOOL_ADMIN", "ROS_REFERRAL_SCHOOL_COUNSELOR"})


@dataclass(frozen=True)
class Directory:
    school_codes: np.ndarray
    school_names: np.ndarray
    school_agency: np.ndarray  # index into agency arrays
    agency_ori: np.ndarray
    agency_name: np.ndarray


def load_directory(path: Path) -> Directory:
    """Active schools (not district rows) from the CDE directory; one agency per county and district."""
    codes, names, districts, counties = [], [], [], []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row["Status"] == "Active" and row["schoolname"] != "No Data" and len(row["CDS_Code"]) == 14:
                codes.append(row["CDS_Code"])
                names.append(row["schoolname"])
                districts.append(row["District"])
                counties.append(row["County"])
    keys = sorted({f"{c}|{d}" for c, d in zip(counties, districts, strict=True)})
    # Large districts get their own police department; the rest are served by the county sheriff.
    agency_names = sorted({k.split("|")[0] + " CO SO" for k in keys} | {d + " PD" for d in set(districts)})
    index = {n: i for i, n in enumerate(agency_names)}
    school_agency = np.array(
        [
            index[(d + " PD") if hash_int(d) % 3 == 0 else (c + " CO SO")]
            for c, d in zip(counties, districts, strict=True)
        ]
    )
    ori = np.array([f"CA{(i * 7919) % 10_000_000:07d}" for i in range(len(agency_names))])
    return Directory(np.array(codes), np.array(names), school_agency, ori, np.array(agency_names))


def hash_int(text: str) -> int:
    """A stable small hash (Python's own is salted per process)."""
    return sum((i + 1) * ord(ch) for i, ch in enumerate(text))


@dataclass(frozen=True)
class SynthSpec:
    rows: int
    seed: int = 0
    k12_share: float = 0.05
    disparity: Mapping[str, float] = field(default_factory=dict)  # race label -> outcome multiplier


def parse_disparity(items: list[str]) -> dict[str, float]:
    """``["Black=2.0"]`` -> ``{"Black": 2.0}``, checking the group names."""
    by_lower = {v.lower(): v for v in RACE.values()}
    out: dict[str, float] = {}
    for item in items:
        name, _, ratio = item.partition("=")
        label = by_lower.get(name.strip().lower())
        if label is None or not ratio:
            raise ValueError(f"--disparity {item!r}: expected GROUP=RATIO with GROUP one of {', '.join(RACE.values())}")
        out[label] = float(ratio)
    return out


def _chunk(directory: Directory, spec: SynthSpec, start: int, n: int, index: int) -> pa.Table:
    rng = np.random.default_rng([spec.seed, index])
    k12 = rng.random(n, dtype=np.float32) < spec.k12_share
    race = rng.choice(8, size=n, p=RACE_P).astype(np.int16) + 1
    person = np.where(rng.random(n, dtype=np.float32) < 0.12, 2, 1).astype(np.int16)
    person[0] = 1
    stop_id = start + np.cumsum(person == 1)
    school = rng.integers(0, len(directory.school_codes), size=n)
    n_agency = len(directory.agency_ori)
    other_agency = np.minimum(rng.zipf(1.3, size=n) - 1, n_agency - 1)
    agency = np.where(k12, directory.school_agency[school], other_agency)
    student = np.where(k12, rng.random(n, dtype=np.float32) < 0.85, 0).astype(np.int8)
    # Every K-12 stop is on school grounds: a student stopped off grounds is one of the DOJ's known
    # errors. The draw stays so that each seed gives the same values in the other columns.
    rng.random(n, dtype=np.float32)
    grounds = k12.astype(np.int8)
    reason = np.where(k12, rng.choice(8, size=n, p=REASON_P_K12), rng.choice(8, size=n, p=REASON_P_OTHER)) + 1
    ec_code = np.where(reason == 7, rng.choice(5, size=n, p=[0.7, 0.05, 0.05, 0.15, 0.05]) + 1, 0)
    ec_sub = np.where(ec_code == 1, rng.integers(1, 9, size=n), 0)
    age = np.where(k12, np.clip(rng.normal(15, 1.8, size=n), 10, 19), np.clip(rng.normal(34, 12, size=n), 15, 85))
    mult = np.ones(9, dtype=np.float32)
    for label, ratio in spec.disparity.items():
        mult[next(k for k, v in RACE.items() if v == label)] = ratio
    row_mult = mult[race]
    days = rng.integers(0, 365, size=n)
    year = np.array(YEARS)[rng.integers(0, len(YEARS), size=n)]
    dates = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + days
    time_of_stop = rng.integers(0, 86400, size=n, dtype=np.int32)  # drawn in the order the seeds expect
    gender = (rng.choice(5, size=n, p=GENDER_P) + 1).astype(np.int16)
    disability = rng.choice(9, size=n, p=DISABILITY_P)
    cols: dict[str, pa.Array] = {
        "DOJ_RECORD_ID": pa.array(stop_id).cast(pa.string()),
        "PERSON_NUMBER": pa.array(person),
        "AGENCY_ORI": pa.DictionaryArray.from_arrays(pa.array(agency, pa.int32()), pa.array(directory.agency_ori)),
        "AGENCY_NAME": pa.DictionaryArray.from_arrays(pa.array(agency, pa.int32()), pa.array(directory.agency_name)),
        "DATE_OF_STOP": pa.array(dates.astype("datetime64[D]"), pa.date32()),
        "TIME_OF_STOP": pa.array(time_of_stop, pa.time32("s")),
        "SCHOOL_CODE": pa.DictionaryArray.from_arrays(
            pa.array(school, pa.int32(), mask=~k12), pa.array(directory.school_codes)
        ),
        "SCHOOL_NAME": pa.DictionaryArray.from_arrays(
            pa.array(school, pa.int32(), mask=~k12), pa.array(directory.school_names)
        ),
        "AGE": pa.array(age.astype(np.int16)),
        "REASON_FOR_STOP": pa.array(reason.astype(np.int16)),
        "RAE_FULL": pa.array(race),
        "G_FULL": pa.array(gender),
        # Hyperactivity is a K-12 category: recorded as "other" (7) for anyone not a student.
        "PD_FULL": pa.array(np.where((disability == 6) & (student == 0), 7, disability).astype(np.int16)),
        "RFS_EC_DISCIPLINE_CODE": pa.array(ec_code.astype(np.int16), mask=ec_code == 0),
        "RFS_EC_DISCIPLINE": pa.array(ec_sub.astype(np.int16), mask=ec_sub == 0),
        "STOP_STUDENT": pa.array(student),
        "K12_SCHOOL_GROUNDS": pa.array(grounds),
    }
    for name, (p_k12, p_other) in OUTCOME_P.items():
        p = np.where(k12, np.float32(p_k12), np.float32(p_other)) * row_mult
        drawn = rng.random(n, dtype=np.float32) < p
        if name in STUDENT_ONLY:  # the DOJ lists these for a non-student as known errors
            drawn &= student == 1
        cols[name] = pa.array(drawn.astype(np.int8))
    return pa.table({c: cols[c] for c in RIPA_COLUMNS})


def generate(directory: Directory, spec: SynthSpec, chunk: int = CHUNK) -> Iterator[pa.Table]:
    """Yield the file in chunks of at most ``chunk`` rows."""
    done = 0
    index = 0
    stop_base = 0
    while done < spec.rows:
        n = min(chunk, spec.rows - done)
        table = _chunk(directory, spec, stop_base, n, index)
        ids = table.column("DOJ_RECORD_ID")
        stop_base = int(ids[len(ids) - 1].as_py()) if n else stop_base
        yield table
        done += n
        index += 1


def in_layout(table: pa.Table, layout: str) -> pa.Table:
    """The rows under a published layout's column names (data/ripa_layouts.toml): a harmonised
    column read from several 2024 columns is written to the first of them, the others 0."""
    lay = next((x for x in layouts() if x.name == layout), None)
    if lay is None:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(x.name for x in layouts())}")
    cols: dict[str, pa.Array] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        first, *rest = lay.sources(name)
        cols[first] = column
        for other in rest:
            cols.setdefault(other, pa.array(np.zeros(table.num_rows, dtype=np.int8)))
    return pa.table(cols)


def write(directory: Directory, spec: SynthSpec, out: Path, chunk: int = CHUNK, layout: str = "2018-2023") -> int:
    """Write CSV, or Parquet when ``out`` ends in .parquet, in a published layout's column names;
    return the rows written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    parquet = out.suffix.lower() == ".parquet"
    writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
    try:
        for harmonised in generate(directory, spec, chunk):
            table = in_layout(harmonised, layout)
            if parquet:
                writer = writer or pq.ParquetWriter(out, table.schema)
                writer.write_table(table)
            else:
                plain = pa.table({n: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
                                  for n, c in zip(table.column_names, table.columns, strict=True)})  # fmt: skip
                writer = writer or pacsv.CSVWriter(out, plain.schema)
                writer.write_table(plain)
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows
