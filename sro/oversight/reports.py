"""The reports behind ``sro report``: each reads its inputs and returns an Arrow table.

``k12_from_table`` takes any Ibis table or pandas frame in the RIPA layout, so the
application's own contacts can be reported with the same code as DOJ files.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pandas as pd
import pyarrow as pa
from ibis.backends.duckdb import Backend as BaseBackend

from sro.oversight import k12, searches
from sro.oversight.counts import read_counts, read_enrolment
from sro.oversight.crdc import CrdcReport, crdc_files_report
from sro.oversight.metrics import Settings, disparity, long_counts
from sro.oversight.ripa import (
    Doubt,
    Member,
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


def _paths(ripa: Path | Sequence[Path]) -> list[Path]:
    paths = [ripa] if isinstance(ripa, Path) else list(ripa)
    if not paths:
        raise ValueError("no RIPA input given (--ripa PATH)")
    for p in paths:
        if not p.exists():
            raise FileNotFoundError(f"--ripa {p}: no such file or directory")
    return paths


def union_by_name(parts: Sequence[str]) -> str:
    """The rows of several relations together, matched by column name (a column one lacks is NULL)."""
    if len(parts) == 1:
        return parts[0]
    return " UNION ALL BY NAME ".join(f"(SELECT * FROM ({sql}))" for sql in parts)  # noqa: S608 (the reader's own SQL)


@dataclass(frozen=True)
class RipaSource:
    """The rows of every RIPA input, read together: what each report runs on, and what it says it read."""

    raw: duckdb.DuckDBPyConnection
    table: ibis.Table  # the view over every input's rows
    sql: str
    paths: tuple[Path, ...]

    def doubt(self, excluded: bool) -> Doubt:
        rows, doubtful, reasons = count_doubts(self.raw, self.sql)
        return Doubt(rows, doubtful, reasons, excluded)

    def layouts(self) -> dict[str, int]:
        """Rows per published layout read (``LAYOUT``); empty when the rows do not say."""
        if "LAYOUT" not in self.table.columns:
            return {}
        found = self.raw.execute(
            "SELECT coalesce(LAYOUT, 'not recorded'), count(*) FROM ripa_source GROUP BY 1 ORDER BY 1"
        ).fetchall()
        return {str(name): int(n) for name, n in found}

    def repeated(self) -> int:
        """Rows whose stop, date and person (DOJ_RECORD_ID, DATE_OF_STOP, PERSON_NUMBER) another row
        has too, when several inputs are read (the same data given twice, say a zip and its Parquet)."""
        if len(self.paths) < 2:
            return 0
        got = self.raw.execute(
            "SELECT count(*) - count(DISTINCT (DOJ_RECORD_ID, DATE_OF_STOP, PERSON_NUMBER)) FROM ripa_source "
            "WHERE DOJ_RECORD_ID IS NOT NULL AND DATE_OF_STOP IS NOT NULL AND PERSON_NUMBER IS NOT NULL"
        ).fetchone()
        return int(got[0]) if got else 0


def _input_error(exc: duckdb.Error, read: Sequence[tuple[Path, list[Member]]], paths: Sequence[Path]) -> InputError:
    """``ripa.reading_error`` for the input whose member DuckDB names (else every input)."""
    text = str(exc)
    for path, members in read:
        if any(str(m.path) in text for m in members):
            return reading_error(exc, members, str(path))
    every = [m for _, members in read for m in members]
    return reading_error(exc, every, ", ".join(str(p) for p in paths))


@contextmanager
def ripa_source(ripa: Path | Sequence[Path]) -> Iterator[RipaSource]:
    """Read one or several RIPA inputs (CSV, workbook, zip, Parquet from ``sro ingest ripa``) as one
    table: UNION ALL BY NAME, so a column one input lacks (``NFA_TERRY_FRISK`` before 2024, say) is
    NULL in its rows. Zip and workbook inputs stay unpacked until the block ends. What DuckDB cannot
    read is an ``InputError`` naming the file (and member) and line."""
    paths = _paths(ripa)
    raw = duckdb.connect()
    con = ibis.duckdb.from_connection(raw)
    read: list[tuple[Path, list[Member]]] = []
    try:
        with ExitStack() as stack:
            parts = []
            for path in paths:
                if path.is_dir() or path.suffix.lower() == ".parquet":
                    try:
                        parts.append(ripa_table_sql(raw, path))
                    except duckdb.Error as exc:  # no Parquet there, or not Parquet
                        raise reading_error(exc, [], str(path)) from exc
                    continue
                members = read_headers(stack.enter_context(ripa_members(path)), str(path))
                read.append((path, members))
                parts.append(typed_relation_sql(members))
            sql = union_by_name(parts)
            try:
                yield RipaSource(raw, _view(raw, con, sql), sql, tuple(paths))
            except duckdb.Error as exc:
                raise _input_error(exc, read, paths) from exc
    finally:
        raw.close()


def _layout_note(layouts: dict[str, int]) -> list[str]:
    if not layouts:
        return []
    return ["Layouts read: " + "; ".join(f"{name} {n:,} rows" for name, n in layouts.items())]


def _repeat_note(repeated: int) -> list[str]:
    if not repeated:
        return []
    return [
        f"{repeated:,} rows repeat the DOJ_RECORD_ID, DATE_OF_STOP and PERSON_NUMBER of another row read "
        "(the same data given twice?); they are counted as read"
    ]


PER_PERSON_NOTE = (
    "Counts are per person stopped (one RIPA row per person: a stop of two people counts twice); "
    "the denominator is persons stopped, not stops (sro report searches also counts distinct stops)."
)


@dataclass(frozen=True)
class K12FileReport:
    """The K-12 report of a RIPA file, its per-enrolment table, and what was done with doubtful rows."""

    report: pa.Table
    per_enrolment: pa.Table | None
    doubt: Doubt
    layouts: dict[str, int] = field(default_factory=dict)  # rows per published layout read
    repeated: int = 0  # rows repeating another's stop and person, across several inputs

    def notes(self) -> list[str]:
        """What the report read and how to read it, one line each (printed under the table)."""
        return [self.doubt.describe(), *_layout_note(self.layouts), *_repeat_note(self.repeated), PER_PERSON_NOTE]


def k12_file_report(
    ripa: Path | Sequence[Path],
    *,
    by: Sequence[tuple[str, ...]],
    settings: Settings,
    enrolment_csv: Path | None = None,
    flag: k12.YearFlag | None = None,
    exclude_doubtful: bool = False,
) -> K12FileReport:
    """The K-12 report from RIPA CSVs, workbooks, zips, or Parquet directories made by ``sro ingest ripa``;
    several inputs (years, layouts) are read together (see ``ripa_source``).

    Rows flagged doubtful are included unless ``exclude_doubtful``; ``doubt`` says how many and why.
    """
    enrolment = read_enrolment(enrolment_csv) if enrolment_csv else None
    with ripa_source(ripa) as source:
        doubt = source.doubt(exclude_doubtful)
        report, per_enrol = k12_from_table(
            source.table, by=by, settings=settings, enrolment=enrolment, flag=flag, exclude_doubtful=exclude_doubtful
        )
        return K12FileReport(report, per_enrol, doubt, source.layouts(), source.repeated())


@dataclass(frozen=True)
class Coverage:
    """What the search report's rows hold, for its notes (see ``searches.coverage``)."""

    people: int = 0
    searched: int = 0
    known: int = 0  # persons searched whose contraband was recorded
    contraband_recorded: int = 0  # rows with CONTRABAND_FOUND recorded
    frisk_recorded: int = 0  # rows with NFA_TERRY_FRISK recorded (2024 layout)
    frisked: int = 0

    def notes(self) -> list[str]:
        out = []
        if self.people and not self.contraband_recorded:
            out.append(
                "No contraband data: CONTRABAND_FOUND is empty in every row (an input without the CED_ columns), "
                "so hit rates are left empty (hit_reason 'no contraband data')."
            )
        elif self.searched > self.known:
            out.append(
                f"CONTRABAND_FOUND is empty for {self.searched - self.known:,} of {self.searched:,} persons searched "
                f"(inputs without the CED_ columns): hit rates are over the {self.known:,} persons searched whose "
                "contraband was recorded."
            )
        if self.frisk_recorded:
            out.append(
                f"2024 layout: a search of the person includes a Terry frisk (pat-down), as the RIPA Board counts it "
                f"(11 CCR 999.224(a)(19)); persons in the report frisked (NFA_TERRY_FRISK): {self.frisked:,}."
            )
        return out


@dataclass(frozen=True)
class SearchesReport:
    """The search and hit-rate report, and what its rows held."""

    report: pa.Table
    coverage: Coverage
    k12_only: bool = False

    def notes(self) -> list[str]:
        scope = (
            "Scope: persons stopped who are students or were stopped on K-12 grounds (--k12)."
            if self.k12_only
            else "Scope: every person stopped (--k12 keeps students and stops on K-12 grounds)."
        )
        counted = (
            "people counts persons stopped (RIPA rows); stops counts distinct stops (DOJ_RECORD_ID): a stop of "
            "people of two groups counts in both, and once in All. Search rates are per person stopped, hit rates "
            "per person searched."
        )
        return [scope, counted, *self.coverage.notes()]


def searches_from_table(
    stops_source: ibis.Table | pd.DataFrame | pa.Table,
    *,
    by: Sequence[tuple[str, ...]] = ((),),
    settings: Settings = K12_DEFAULTS,
    k12_only: bool = False,
    exclude_doubtful: bool = False,
) -> SearchesReport:
    """Search rates and contraband hit rates by group (``sro.oversight.searches``) from RIPA-layout rows."""
    searches.check_reference(settings.reference)
    table = ibis.memtable(stops_source) if isinstance(stops_source, pd.DataFrame | pa.Table) else stops_source
    if exclude_doubtful:
        table = k12.without_doubtful(table)
    backend = table._find_backend(use_default=True)
    tag = uuid.uuid4().hex[:12]
    rows = work_table(backend, f"_search_rows_{tag}", searches.search_rows(table, k12_only=k12_only))
    try:
        counts = work_table(backend, f"_search_counts_{tag}", searches.search_counts(rows, by))
        report = searches.search_report(counts, settings).to_pyarrow()
        cov = searches.coverage(rows).to_pyarrow().to_pylist()[0]
    finally:
        drop_table(backend, f"_search_counts_{tag}")
        drop_table(backend, f"_search_rows_{tag}")
    return SearchesReport(report, Coverage(**{k: int(v or 0) for k, v in cov.items()}), k12_only)


@dataclass(frozen=True)
class SearchesFileReport:
    """The search and hit-rate report of RIPA files, with what was read."""

    searches: SearchesReport
    doubt: Doubt
    layouts: dict[str, int] = field(default_factory=dict)
    repeated: int = 0

    @property
    def report(self) -> pa.Table:
        return self.searches.report

    def notes(self) -> list[str]:
        return [
            self.doubt.describe(),
            *_layout_note(self.layouts),
            *_repeat_note(self.repeated),
            *self.searches.notes(),
        ]


def searches_file_report(
    ripa: Path | Sequence[Path],
    *,
    by: Sequence[tuple[str, ...]],
    settings: Settings,
    k12_only: bool = False,
    exclude_doubtful: bool = False,
) -> SearchesFileReport:
    """Search and hit rates from one or several RIPA inputs read together (see ``ripa_source``)."""
    searches.check_reference(settings.reference)
    with ripa_source(ripa) as source:
        doubt = source.doubt(exclude_doubtful)
        result = searches_from_table(
            source.table, by=by, settings=settings, k12_only=k12_only, exclude_doubtful=exclude_doubtful
        )
        return SearchesFileReport(result, doubt, source.layouts(), source.repeated())
