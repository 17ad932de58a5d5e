"""RIPA stop data in the DOJ public column layout (2018-2023 files): the columns, their codes,
a validating reader (CSV, a zip of CSV or Excel files, or a Parquet directory) and the
CSV-to-Parquet ingest. One row is one person stopped. See docs/metrics.md.
"""

# SQL here is assembled from the constant column schema; paths go through _q (quoted literals).
# ruff: noqa: S608

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sro.incidents.ripa_layout import FORCE_FLAGS as FORCE_FLAGS  # re-exported: the K-12 report's force flags
from sro.incidents.ripa_layout import RIPA_COLUMNS as RIPA_COLUMNS
from sro.incidents.ripa_layout import SCHEMA
from sro.oversight.validation import MAX_SHOWN, InputError, Problem, ReadSummary, run_with_progress

RACE = {1: "Asian", 2: "Black", 3: "Hispanic", 4: "Middle Eastern/South Asian", 5: "Native American",
        6: "Pacific Islander", 7: "White", 8: "Multiracial"}  # fmt: skip
GENDER = {1: "Male", 2: "Female", 3: "Transgender man/boy", 4: "Transgender woman/girl",
          5: "Gender nonconforming", 6: "More than one"}  # fmt: skip
DISABILITY = {0: "None", 1: "Deaf/hard of hearing", 2: "Speech impairment", 3: "Blind/limited vision",
              4: "Mental health condition", 5: "Intellectual/developmental", 6: "Other",
              7: "Hyperactivity/impulsive", 8: "More than one"}  # fmt: skip
AGE_GROUPS = ((0, 9, "0-9"), (10, 14, "10-14"), (15, 17, "15-17"), (18, 24, "18-24"), (25, 200, "25+"))


def _q(path: Path | str) -> str:
    """A path as an SQL string literal (DuckDB's COPY target cannot be a parameter)."""
    return "'" + str(path).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed_select() -> str:
    """Typed read: DuckDB parses the numbers; text columns stay text."""
    parts = []
    for c in SCHEMA:
        n = _ident(c.name)
        if c.kind == "flag":
            parts.append(f"coalesce({n}, 0)::UTINYINT AS {n}")
        elif c.kind == "int":
            parts.append(f"{n}::SMALLINT AS {n}")
        elif c.kind == "date":
            parts.append(f"coalesce(try_cast({n} AS DATE), try_strptime({n}, '%m/%d/%Y')::DATE) AS {n}")
        else:
            parts.append(f"nullif(trim({n}), '') AS {n}")
    return ", ".join(parts)


def _typed_ok() -> str:
    """The domain rules on typed values (all true for a valid row)."""
    rules = []
    for c in SCHEMA:
        n = _ident(c.name)
        if c.kind == "flag":
            rules.append(f"{n} IN (0, 1)")
        elif c.kind == "int":
            rng = f"{n} BETWEEN {c.low} AND {c.high}"
            rules.append(rng if c.required else f"({n} IS NULL OR {rng})")
        elif c.kind in {"id", "date"}:
            rules.append(f"{n} IS NOT NULL")
        elif c.kind == "cds":
            rules.append(f"({n} IS NULL OR regexp_full_match({n}, '[0-9]{{14}}'))")
    return " AND ".join(rules)


def _csv_types() -> str:
    types = {c.name: ("INTEGER" if c.kind in {"int", "flag"} else "VARCHAR") for c in SCHEMA}
    return "{" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in types.items()) + "}"


def _checks_varchar() -> list[tuple[str, str, str]]:
    """Per-column (column, failing-condition SQL, message) on the raw text of each cell."""
    out = []
    for c in SCHEMA:
        v = f"trim({_ident(c.name)})"
        blank = f"coalesce({v}, '') = ''"
        if c.kind == "flag":
            out.append((c.name, f"NOT ({blank} OR {v} IN ('0', '1'))", "expected 0 or 1"))
        elif c.kind == "int":
            bad = f"coalesce(try_cast({v} AS INTEGER) NOT BETWEEN {c.low} AND {c.high}, true)"
            cond = f"{bad} AND NOT {blank}" if not c.required else f"({blank} OR {bad})"
            out.append((c.name, cond, f"unknown code (expected {c.low}-{c.high})"))
        elif c.kind == "id":
            out.append((c.name, blank, "must not be empty"))
        elif c.kind == "date":
            parsed = f"coalesce(try_cast({v} AS DATE), try_strptime({v}, '%m/%d/%Y')::DATE)"
            out.append((c.name, f"{parsed} IS NULL", "not a date (YYYY-MM-DD or MM/DD/YYYY)"))
        elif c.kind == "cds":
            out.append((c.name, f"NOT ({blank} OR regexp_full_match({v}, '[0-9]{{14}}'))", "not a 14-digit CDS code"))
    return out


@contextmanager
def csv_files(path: Path) -> Iterator[list[Path]]:
    """The CSV files behind a source: itself, or a zip's CSV and Excel members (Excel converted)."""
    if path.suffix.lower() != ".zip":
        yield [path]
        return
    tmp = Path(tempfile.mkdtemp(prefix="ripa-"))
    try:
        files: list[Path] = []
        with zipfile.ZipFile(path) as zf:
            for i, info in enumerate(m for m in zf.infolist() if not m.is_dir()):
                suffix = Path(info.filename).suffix.lower()
                if suffix == ".csv":
                    target = tmp / f"{i:03d}.csv"
                    with zf.open(info) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                    files.append(target)
                elif suffix in {".xlsx", ".xlsm"}:
                    with zf.open(info) as src:
                        files.append(_excel_to_csv(src.read(), tmp / f"{i:03d}.csv"))
        if not files:
            raise InputError(str(path), [Problem(0, "", "the zip holds no CSV or Excel file")])
        yield files
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _excel_to_csv(data: bytes, target: Path) -> Path:
    import csv
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    with target.open("w", newline="") as fh:
        writer = csv.writer(fh)
        for row in wb.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    return target


def _header_problems(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list[Problem]:
    problems = []
    for f in files:
        cols = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_csv(?, all_varchar=true)", [str(f)]).fetchall()}
        problems += [Problem(1, c, f"missing column in {f.name}") for c in RIPA_COLUMNS if c not in cols]
    return problems


def _source_sql(files: list[Path]) -> str:
    lst = "[" + ", ".join(_q(f) for f in files) + "]"
    return f"read_csv({lst}, header=true, union_by_name=true, types={_csv_types()})"


def typed_relation_sql(files: list[Path]) -> str:
    """SQL for the typed, validated rows; raises inside DuckDB on the first invalid row."""
    return (
        f"SELECT {_typed_select()} FROM {_source_sql(files)} "
        f"WHERE CASE WHEN {_typed_ok()} THEN true ELSE error('invalid RIPA row') END"
    )


def find_problems(
    con: duckdb.DuckDBPyConnection, files: list[Path], rejects: Path | None = None, limit: int = 1000
) -> tuple[int, list[Problem]]:
    """Check every cell of every row as text; return (rows with problems, the first problems).

    With ``rejects``, every rejected row is written there with its file and line.
    """
    checks = _checks_varchar()
    any_bad = " OR ".join(f"({cond})" for _, cond, _ in checks)
    total_bad = 0
    problems: list[Problem] = []
    for f in files:
        src = f"(SELECT row_number() OVER () + 1 AS _line, * FROM read_csv({_q(f)}, all_varchar=true))"
        flags = ", ".join(f"({cond}) AS {_ident('_bad_' + col)}" for col, cond, _ in checks)
        sel = f"SELECT _line, {flags} FROM {src} WHERE {any_bad} ORDER BY _line"
        rows = con.execute(sel + f" LIMIT {int(limit)}").fetchall()
        for row in rows:
            line = int(row[0])
            problems += [Problem(line, checks[i][0], checks[i][2]) for i, bad in enumerate(row[1:]) if bad]
        n = con.execute(f"SELECT count(*) FROM {src} WHERE {any_bad}").fetchone()
        total_bad += int(n[0]) if n else 0
        if rejects is not None:
            target = rejects if len(files) == 1 else rejects.with_name(f"{rejects.stem}-{f.stem}{rejects.suffix}")
            con.execute(
                f"COPY (SELECT {_q(f.name)} AS _file, * FROM {src} WHERE {any_bad} ORDER BY _line) "
                f"TO {_q(target)} (HEADER)"
            )
    return total_bad, problems


def ripa_table_sql(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """SQL for the typed rows of a Parquet directory or file made by ``sro ingest ripa``."""
    if path.is_dir():
        return f"SELECT * FROM read_parquet({_q(path / '**' / '*.parquet')}, hive_partitioning=true)"
    return f"SELECT * FROM read_parquet({_q(path)})"


def check_csv(con: duckdb.DuckDBPyConnection, files: list[Path], source: str) -> None:
    """Reject the source, naming every problem, if its header or any row is invalid."""
    head = _header_problems(con, files)
    if head:
        raise InputError(source, head)


def ingest(
    src: Path, out: Path, *, skip_bad_rows: bool = False, rejects: Path | None = None, threads: int | None = None
) -> ReadSummary:
    """Validate a RIPA CSV (or zip) and write it as Parquet partitioned by year of stop.

    The output appears only when the whole run succeeds. Without ``skip_bad_rows``
    any invalid row rejects the file; with it, bad rows go to ``rejects``.
    """
    summary = ReadSummary(source=str(src))
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with csv_files(src) as files:
        check_csv(con, files, str(src))
        if skip_bad_rows:
            rejects = rejects or out.with_name(out.name + "-rejects.csv")
            bad, problems = find_problems(con, files, rejects=rejects)
            summary.rows_rejected, summary.problems = bad, problems[:MAX_SHOWN]
            summary.rejects_path = rejects if bad else None
            if not bad and rejects.exists():
                rejects.unlink()
            checks = " OR ".join(f"({cond})" for _, cond, _ in _checks_varchar())
            casts = ", ".join(
                f"try_cast(trim({_ident(c.name)}) AS INTEGER) AS {_ident(c.name)}" if c.kind in {"int", "flag"}
                else _ident(c.name)
                for c in SCHEMA
            )  # fmt: skip
            lst = "[" + ", ".join(_q(f) for f in files) + "]"
            select = (
                f"SELECT {_typed_select()} FROM (SELECT {casts} FROM read_csv({lst}, all_varchar=true, "
                f"union_by_name=true) WHERE NOT ({checks}))"
            )
        else:
            select = typed_relation_sql(files)
        copy = (
            f"COPY (SELECT *, year(DATE_OF_STOP) AS YEAR FROM ({select})) TO {_q(staging)} "
            "(FORMAT parquet, PARTITION_BY (YEAR), COMPRESSION snappy)"
        )
        try:
            rows = run_with_progress(con, copy, None, f"Ingesting {src.name}")
        except duckdb.Error as exc:
            shutil.rmtree(staging, ignore_errors=True)
            bad, problems = find_problems(con, files)
            raise InputError(str(src), problems or [Problem(0, "", str(exc).splitlines()[0])], bad or None) from exc
    written = int(rows[0][0]) if rows else 0
    summary.rows_written = written
    summary.rows_read = written + summary.rows_rejected
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return summary
