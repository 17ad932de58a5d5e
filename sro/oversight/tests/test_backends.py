"""The same report code gives the same numbers on every engine it claims to run on.

The metrics are written once as Ibis expressions; here the full K-12 report (every
breakdown, dimension, outcome, interval and suppression) is computed from the same rows
on DuckDB (files), SQLite (the application's default database) and, when DATABASE_URL
points at one, PostgreSQL, and the results are compared cell by cell.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from sro.oversight import synth
from sro.oversight.k12 import KEY_COLUMNS
from sro.oversight.metrics import Settings
from sro.oversight.reports import k12_from_table

BY = [(), ("agency",), ("school",), ("month",)]
KEYS = ["breakdown", *KEY_COLUMNS, "dimension", "group", "outcome"]
Reports = tuple[pd.DataFrame, pd.DataFrame]  # the K-12 report and the per-enrolment table
SETTINGS = Settings(per=100, cell_min=5, n_min=10)  # small minimums, so a small file publishes numbers


@pytest.fixture(scope="module")
def stops(directory: synth.Directory) -> pa.Table:
    spec = synth.SynthSpec(rows=3_000, seed=21, k12_share=0.6, disparity={"Black": 2.0})
    table = pa.concat_tables(list(synth.generate(directory, spec)))
    # Plain columns (the generator writes dictionary-encoded text), as a database would hold them.
    return pa.table(
        {n: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for n, c in zip(
            table.column_names, table.columns, strict=True)}
    )  # fmt: skip


def _enrolment(stops: pa.Table) -> pd.DataFrame:
    """Enrolment by race at the ten schools with the most stops (a school missing a group is fine)."""
    top = stops.to_pandas()["SCHOOL_CODE"].value_counts().index[:10]
    races = ["Black", "White", "Hispanic", "Asian"]
    return pd.DataFrame(
        [{"school_code": s, "group": g, "enrolled": 200 + 37 * i + 11 * j} for i, s in enumerate(top)
         for j, g in enumerate(races)]
    )  # fmt: skip


def _report(source: Any, stops: pa.Table) -> Reports:
    report, per_enrol = k12_from_table(source, by=BY, settings=SETTINGS, enrolment=_enrolment(stops))
    assert per_enrol is not None
    return (
        report.to_pandas().sort_values(KEYS, ignore_index=True),
        per_enrol.to_pandas().sort_values(["school", "group", "outcome"], ignore_index=True),
    )


@pytest.fixture(scope="module")
def on_duckdb(stops: pa.Table) -> Reports:
    df, per_enrol = _report(stops, stops)
    # The comparison means something only if the report publishes and withholds numbers.
    assert df["rr_lo"].notna().sum() > 50 and df["suppressed"].sum() > 50
    assert set(df["breakdown"]) == {"statewide", "agency", "school", "month"}
    assert per_enrol["rate"].notna().sum() >= 5
    return df, per_enrol


def _same(a: Reports, b: Reports) -> None:
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y, check_dtype=False, check_exact=False, rtol=1e-12)


def test_sqlite_gives_identical_report(stops: pa.Table, on_duckdb: Reports) -> None:
    raw = sqlite3.connect(":memory:")
    stops.to_pandas().to_sql("ripa", raw, index=False, dtype={"DATE_OF_STOP": "DATE"})
    con: Any = ibis.sqlite.from_connection(raw)
    _same(_report(con.table("ripa"), stops), on_duckdb)


@pytest.fixture
def postgres() -> Iterator[Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL is not a PostgreSQL URL; the PostgreSQL comparison needs one")
    con: Any = ibis.connect(url.replace("postgres://", "postgresql://", 1))
    yield con
    con.disconnect()


@pytest.mark.postgres
def test_postgres_gives_identical_report(stops: pa.Table, on_duckdb: Reports, postgres: Any) -> None:
    name = f"oversight_ripa_{uuid.uuid4().hex[:10]}"
    try:
        table = postgres.create_table(name, stops.to_pandas())
        _same(_report(table, stops), on_duckdb)
    finally:
        postgres.raw_sql(f'DROP TABLE IF EXISTS "{name}"').close()
