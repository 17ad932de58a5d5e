"""The reports behind ``sro report``: each reads its inputs and returns an Arrow table.

``k12_from_table`` takes any Ibis table or pandas frame in the RIPA layout, so the
application's own contacts can be reported with the same code as DOJ files.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pandas as pd
import pyarrow as pa
from ibis.backends.duckdb import Backend as BaseBackend

from sro.oversight import k12
from sro.oversight.counts import read_counts, read_enrolment
from sro.oversight.crdc import CrdcReport, crdc_files_report
from sro.oversight.metrics import Settings, disparity, long_counts
from sro.oversight.ripa import (
    Doubt,
    count_doubts,
    read_headers,
    reading_error,
    ripa_members,
    ripa_table_sql,
    typed_relation_sql,
)
from sro.oversight.validation import InputError, Problem


def disparity_report(counts_csv: Path, settings: Settings) -> pa.Table:
    df, outcomes = read_counts(counts_csv)
    if settings.reference is not None and settings.reference not in set(df.group):
        raise InputError(
            str(counts_csv), [Problem(0, "group", f"reference group {settings.reference!r} not in the file")]
        )
    long = long_counts(ibis.memtable(df), keys=[], group="group", denominator="enrolled", outcomes=outcomes)
    return disparity(long, settings=settings).to_pyarrow()


def crdc_file_report(
    path: Path, settings: Settings, *, enrolment: Path | None = None, support: Path | None = None
) -> CrdcReport:
    """The CRDC report (see ``sro.oversight.crdc.crdc_files_report``)."""
    return crdc_files_report(path, settings, enrolment=enrolment, support=support)


K12_DEFAULTS = Settings(per=100)


def work_table(backend: Any, name: str, expr: ibis.Table) -> ibis.Table:
    """Hold an intermediate result: a temporary table, or on Spark (which has none) a temporary view."""
    if backend.name == "pyspark":
        return backend.create_view(name, expr, overwrite=True)
    return backend.create_table(name, expr, temp=True)


def drop_table(backend: Any, name: str) -> None:
    """Drop a work table (Ibis 12's own drop_table emits invalid SQL with this sqlglot)."""
    if backend.name == "pyspark":
        backend._session.catalog.dropTempView(name)  # Ibis's drop_view emits invalid SQL here too
        return
    result = backend.raw_sql(f'DROP TABLE IF EXISTS "{name}"')
    if backend.name != "duckdb" and hasattr(result, "close"):
        result.close()  # a DB-API cursor; DuckDB returns its connection, which must stay open


def k12_from_table(
    stops_source: ibis.Table | pd.DataFrame | pa.Table,
    *,
    by: Sequence[tuple[str, ...]] = ((),),
    settings: Settings = K12_DEFAULTS,
    enrolment: pd.DataFrame | ibis.Table | None = None,
    flag: k12.YearFlag | None = None,
    exclude_doubtful: bool = False,
) -> tuple[pa.Table, pa.Table | None]:
    """The K-12 report (and the per-enrolment table when enrolment is given) from RIPA-layout rows.

    With ``flag``, the rows of breakdowns by year get ``flagged`` (see ``k12.flag_years``).
    With ``exclude_doubtful``, rows flagged in ``DOUBT`` are left out (see ``sro.oversight.ripa``).
    """
    if flag is not None and not any("year" in keys for keys in by):
        raise ValueError("flagging consecutive years needs a breakdown by year (--by year)")
    table = ibis.memtable(stops_source) if isinstance(stops_source, pd.DataFrame | pa.Table) else stops_source
    if exclude_doubtful:
        table = k12.without_doubtful(table)
    backend = table._find_backend(use_default=True)
    tag = uuid.uuid4().hex[:12]
    stops = work_table(backend, f"_k12_stops_{tag}", k12.k12_stops(table))
    try:
        counts = work_table(backend, f"_k12_counts_{tag}", k12.k12_counts(stops, by))
        expr = k12.k12_report(counts, settings)
        report = (k12.flag_years(expr, flag) if flag is not None else expr).to_pyarrow()
        per_enrol = None
        if enrolment is not None:
            enrol = ibis.memtable(enrolment) if isinstance(enrolment, pd.DataFrame) else enrolment
            per_enrol = k12.per_enrolment(stops, enrol, replace(settings, per=1000)).to_pyarrow()
    finally:
        drop_table(backend, f"_k12_counts_{tag}")
        drop_table(backend, f"_k12_stops_{tag}")
    return report, per_enrol


def _view(raw: duckdb.DuckDBPyConnection, con: BaseBackend, sql: str) -> ibis.Table:
    """Register ``sql`` as a temporary view and return it as an Ibis table."""
    raw.execute(f"CREATE OR REPLACE TEMP VIEW ripa_source AS {sql}")
    return con.table("ripa_source")


@dataclass(frozen=True)
class K12FileReport:
    """The K-12 report of a RIPA file, its per-enrolment table, and what was done with doubtful rows."""

    report: pa.Table
    per_enrolment: pa.Table | None
    doubt: Doubt


def k12_file_report(
    ripa: Path,
    *,
    by: Sequence[tuple[str, ...]],
    settings: Settings,
    enrolment_csv: Path | None = None,
    flag: k12.YearFlag | None = None,
    exclude_doubtful: bool = False,
) -> K12FileReport:
    """The K-12 report from a RIPA CSV, workbook, zip, or a Parquet directory made by ``sro ingest ripa``.

    Rows flagged doubtful are included unless ``exclude_doubtful``; ``doubt`` says how many and why.
    """
    enrolment = read_enrolment(enrolment_csv) if enrolment_csv else None
    raw = duckdb.connect()
    con = ibis.duckdb.from_connection(raw)

    def run(sql: str) -> K12FileReport:
        rows, doubtful, reasons = count_doubts(raw, sql)
        report, per_enrol = k12_from_table(
            _view(raw, con, sql), by=by, settings=settings, enrolment=enrolment, flag=flag,
            exclude_doubtful=exclude_doubtful,
        )  # fmt: skip
        return K12FileReport(report, per_enrol, Doubt(rows, doubtful, reasons, exclude_doubtful))

    if ripa.is_dir() or ripa.suffix.lower() == ".parquet":
        return run(ripa_table_sql(raw, ripa))
    with ripa_members(ripa) as members:
        read = read_headers(members, str(ripa))
        try:
            return run(typed_relation_sql(read))
        except duckdb.Error as exc:
            raise reading_error(exc, read, str(ripa)) from exc
