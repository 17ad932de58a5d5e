"""``make bench``: the K-12 report four ways on a large synthetic statewide file.

Generates (and caches under bench/data/) ``BENCH_ROWS`` person-stops (default
25,000,000), ingests them to Parquet, then runs the full published K-12 report
(statewide, by agency, by school, by month; every dimension and outcome; counts,
rates, Wilson intervals, risk ratios with Katz intervals, risk differences and
suppression) with the engine, with one hand-written DuckDB query, with a competent
pandas (bench_pandas) and with a straightforward Polars (bench_polars). Each runs in
its own process, so peak memory is measured per approach, and each imports its own
libraries before its clock starts, so the timings measure the work, not interpreter
start-up and imports. ``compare`` checks that the four publish the same rows and the
same value in every column; the results go to bench/results.json (merged: keys other
benchmarks write there, such as ``web``, are kept).

The ingest is set against two baselines measured in the same run: the floor, DuckDB
reading the same CSV with the same column types and writing it, unvalidated and
unpartitioned, to one snappy Parquet file; and Polars' streaming CSV-to-Parquet
(``scan_csv(...).sink_parquet(...)``, types inferred, one snappy file). Both files are
deleted afterwards.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BY = [(), ("agency",), ("school",), ("month",)]
KEYS = ["breakdown", "agency", "school", "month", "dimension", "group", "outcome"]
#: Every published column, in order.
COLUMNS = [*KEYS, "count", "denominator", "rate", "rate_lo", "rate_hi", "rr", "rr_lo", "rr_hi", "rd",
           "suppressed", "reason"]  # fmt: skip
INTEGERS = ("count", "denominator")  # equal exactly
LABELS = ("suppressed", "reason")  # equal exactly
RTOL = 1e-9  # the float columns (rate, rate_lo, ... rd): equal within this, relative
#: What each approach imports before its clock starts.
IMPORTS = {
    "engine": ("ibis", "pyarrow.parquet", "sro.oversight.reports"),
    "sql": ("duckdb", "pyarrow.parquet", "sro.oversight.bench_sql"),
    "pandas": ("pandas", "pyarrow.parquet", "sro.oversight.bench_pandas"),
    "polars": ("polars", "sro.oversight.bench_polars"),
}
#: The order the approaches run in.
APPROACHES = ("sql", "engine", "pandas", "polars")


def _bench_dir() -> Path:
    return Path(os.environ.get("BENCH_DIR", Path(__file__).resolve().parents[2] / "bench"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_engine(data: Path, out: Path) -> int:
    import pyarrow.parquet as pq

    from sro.oversight.metrics import Settings
    from sro.oversight.reports import k12_file_report

    report = k12_file_report(data, by=BY, settings=Settings(per=100)).report
    pq.write_table(report.select(COLUMNS), out)
    return int(report.num_rows)


def run_sql(data: Path, out: Path) -> int:
    import duckdb
    import pyarrow.parquet as pq

    from sro.oversight.bench_sql import k12_sql

    con = duckdb.connect()
    table = con.sql(k12_sql(data)).to_arrow_table()
    pq.write_table(table, out)
    return int(table.num_rows)


def run_pandas(data: Path, out: Path) -> int:
    from sro.oversight.bench_pandas import k12_pandas

    df = k12_pandas(data)
    df.to_parquet(out)
    return len(df)


def run_polars(data: Path, out: Path) -> int:
    from sro.oversight.bench_polars import k12_polars

    df = k12_polars(data)
    df.write_parquet(out)
    return int(df.height)


RUNS: dict[str, Callable[[Path, Path], int]] = {
    "engine": run_engine,
    "sql": run_sql,
    "pandas": run_pandas,
    "polars": run_polars,
}


def child(approach: str, data: Path, out: Path) -> None:
    for module in IMPORTS[approach]:
        importlib.import_module(module)  # before the clock: imports are not the work
    run = RUNS[approach]
    start = time.perf_counter()
    rows = run(data, out)
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "result_rows": rows}))


def _spawn(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "sro.oversight.bench", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {args[0]} failed:\n{proc.stderr[-4000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def ingest_child(csv_path: Path, out: Path) -> None:
    from sro.oversight.ripa import ingest

    start = time.perf_counter()
    s = ingest(csv_path, out)
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "rows": s.rows_written}))


def floor_child(csv_path: Path, workdir: Path) -> None:
    """The ingest's floor: the same typed CSV read, copied unvalidated to one snappy Parquet file."""
    import duckdb

    from sro.oversight.ripa import _q, _source_sql

    tmp = Path(tempfile.mkdtemp(prefix="ingest-floor-", dir=workdir))  # beside the real ingest's output
    try:
        start = time.perf_counter()
        con = duckdb.connect()
        copy = f"COPY (SELECT * FROM {_source_sql([csv_path])}) TO {_q(tmp / 'floor.parquet')} "  # noqa: S608
        row = con.execute(copy + "(FORMAT parquet, COMPRESSION snappy)").fetchone()
        seconds = time.perf_counter() - start
        con.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "rows": int(row[0]) if row else 0}))


def polars_ingest_child(csv_path: Path, workdir: Path) -> None:
    """Polars' streaming CSV-to-Parquet (``scan_csv(...).sink_parquet(...)``), types inferred, one snappy file."""
    import polars as pl

    tmp = Path(tempfile.mkdtemp(prefix="ingest-polars-", dir=workdir))
    try:
        start = time.perf_counter()
        target = tmp / "polars.parquet"
        pl.scan_csv(csv_path, infer_schema_length=10_000).sink_parquet(target, compression="snappy")
        seconds = time.perf_counter() - start
        rows = pl.scan_parquet(target).select(pl.len()).collect().item()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "rows": int(rows)}))


def ingest_breakdown(csv_path: Path) -> dict[str, float]:
    """Where the ingest's time goes: the CSV read alone, then with the ingest's types and checks.

    Each query touches every column (``count`` of each) but writes nothing, so the gap to
    the ingest's own time is the Parquet write.
    """
    import duckdb

    from sro.oversight.ripa import RIPA_COLUMNS, Member, _ident, _source_sql, read_headers, typed_relation_sql

    every = ", ".join(f"count({_ident(c)})" for c in RIPA_COLUMNS)
    con = duckdb.connect()
    members = read_headers([Member(csv_path.name, csv_path)], str(csv_path))
    queries = {
        "read": f"SELECT {every} FROM {_source_sql([csv_path])}",  # noqa: S608 - constant columns
        "read, typed and checked": f"SELECT {every}, count(DOUBT) FROM ({typed_relation_sql(members)})",  # noqa: S608
    }
    out = {}
    for name, sql in queries.items():
        start = time.perf_counter()
        con.execute(sql).fetchall()
        out[name] = time.perf_counter() - start
    return out


def _mismatch(a: pd.Series, b: pd.Series, column: str) -> Any:
    """Boolean array: where the two columns disagree (a null matches only a null)."""
    a_null, b_null = a.isna().to_numpy(), b.isna().to_numpy()
    if column in LABELS:
        differ = a.astype(str).to_numpy() != b.astype(str).to_numpy()
    else:
        x, y = a.to_numpy("float64", na_value=np.nan), b.to_numpy("float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            gap = np.abs(x - y)
            differ = gap > 0 if column in INTEGERS else gap > RTOL * np.maximum(np.abs(x), np.abs(y))
    return (a_null != b_null) | (~a_null & ~b_null & differ)


def _key(row: pd.Series) -> str:
    return " ".join(f"{k}={row[k]}" for k in KEYS if pd.notna(row[k]))


def _show(value: Any) -> str:
    return "null" if pd.isna(value) else repr(value.item() if isinstance(value, np.generic) else value)


def compare(results: dict[str, pd.DataFrame]) -> list[str]:
    """Differences from the engine, one readable line each, on every published column (empty when identical).

    Rows are matched on the keys; denominators, counts, the suppressed flag and the reason
    must be equal, and every float column equal within ``RTOL`` relative, null only matching null.
    """
    engine = results["engine"]
    issues = []
    for name, frame in results.items():
        missing_cols = [c for c in COLUMNS if c not in frame.columns]
        if missing_cols:
            issues.append(f"{name}: missing columns {', '.join(missing_cols)}")
            continue
        dups = int(frame.duplicated(KEYS).sum())
        if dups:
            issues.append(f"{name}: {dups:,} duplicate row keys, e.g. {_key(frame[frame.duplicated(KEYS)].iloc[0])}")
    if issues:
        return issues
    for name, other in results.items():
        if name == "engine":
            continue
        merged = engine[COLUMNS].merge(other[COLUMNS], on=KEYS, how="outer", suffixes=("", "_o"), indicator=True)
        for side, where in (("left_only", "the engine"), ("right_only", name)):
            only = merged[merged["_merge"] == side]
            if len(only):
                issues.append(f"{name}: {len(only):,} rows only in {where}'s result, e.g. {_key(only.iloc[0])}")
        both = merged[merged["_merge"] == "both"]
        for col in COLUMNS[len(KEYS) :]:
            bad = _mismatch(both[col], both[col + "_o"], col)
            if bad.any():
                row = both[bad].iloc[0]
                issues.append(
                    f"{name}: {col} differs on {int(bad.sum()):,} rows, e.g. {_key(row)}: "
                    f"engine {_show(row[col])}, {name} {_show(row[col + '_o'])}"
                )
    return issues


def main(rows: int | None = None) -> dict[str, Any]:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    n = rows or int(os.environ.get("BENCH_ROWS", "25000000"))
    base = _bench_dir()
    data_dir = base / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    csv_path = data_dir / f"ripa-{n}.csv"
    if not csv_path.exists():
        console.print(f"generating {n:,} synthetic person-stops -> {csv_path}")
        t0 = time.perf_counter()
        _spawn(["_synth", str(n), str(csv_path)])
        console.print(f"  generated in {time.perf_counter() - t0:.1f} s")
    csv_2024 = data_dir / f"ripa-{n}-2024-layout.csv"
    if not csv_2024.exists():  # the same rows under the 2024 layout's names (NFA_, OFA_ ...)
        _spawn(["_synth", str(n), str(csv_2024), "2024"])
    pq_dir = data_dir / f"ripa-{n}.parquet.d"
    ingest = _spawn(["_ingest", str(csv_path), str(pq_dir)])
    floor = _spawn(["_floor", str(csv_path), str(data_dir)])
    polars_ingest = _spawn(["_polars_ingest", str(csv_path), str(data_dir)])
    pq_2024 = data_dir / f"ripa-{n}-2024.parquet.d"
    ingest_2024 = _spawn(["_ingest", str(csv_2024), str(pq_2024)])
    runs: dict[str, dict[str, Any]] = {}
    frames: dict[str, pd.DataFrame] = {}
    for approach in APPROACHES:
        out = data_dir / f"result-{approach}.parquet"
        runs[approach] = _spawn(["_child", approach, str(pq_dir), str(out)])
        runs[approach]["rows_per_s"] = n / runs[approach]["seconds"]
        frames[approach] = pd.read_parquet(out)
    # The same rows read from the 2024 layout must give the same report (the harmonised schema).
    out_2024 = data_dir / "result-engine-2024-layout.parquet"
    _spawn(["_child", "engine", str(pq_2024), str(out_2024)])
    frames["engine, 2024 layout"] = pd.read_parquet(out_2024)
    issues = compare(frames)
    results: dict[str, Any] = {
        "rows": n,
        "machine": {"cores": os.cpu_count(), "arch": platform.machine(), "python": platform.python_version()},
        "ingest": {**ingest, "rows_per_s": n / ingest["seconds"]},
        "ingest_floor": {**floor, "rows_per_s": n / floor["seconds"]},
        "ingest_polars": {**polars_ingest, "rows_per_s": n / polars_ingest["seconds"]},
        "ingest_2024_layout": {**ingest_2024, "rows_per_s": n / ingest_2024["seconds"]},
        "report": runs,
        "ratios": {
            "ingest_over_floor": ingest["seconds"] / floor["seconds"],
            "ingest_2024_over_floor": ingest_2024["seconds"] / floor["seconds"],
            "ingest_over_polars_ingest": ingest["seconds"] / polars_ingest["seconds"],
            "polars_ingest_over_floor": polars_ingest["seconds"] / floor["seconds"],
            "engine_over_polars": runs["engine"]["seconds"] / runs["polars"]["seconds"],
            "engine_over_pandas": runs["engine"]["seconds"] / runs["pandas"]["seconds"],
            "pandas_over_engine": runs["pandas"]["seconds"] / runs["engine"]["seconds"],
            "engine_over_sql": runs["engine"]["seconds"] / runs["sql"]["seconds"],
        },
        "identical": not issues,
        "differences": issues,
    }
    table = Table(title=f"K-12 report on {n:,} person-stops")
    for col in ("step", "seconds", "rows/s", "peak MB"):
        table.add_column(col, justify="right")
    ingests = (("ingest", ingest), ("ingest, 2024 layout", ingest_2024), ("ingest floor", floor),
               ("polars ingest", polars_ingest))  # fmt: skip
    for name, r in ingests:
        table.add_row(name, f"{r['seconds']:.2f}", f"{n / r['seconds']:,.0f}", f"{r['peak_mb']:,.0f}")
    for name, r in runs.items():
        table.add_row(name, f"{r['seconds']:.2f}", f"{r['rows_per_s']:,.0f}", f"{r['peak_mb']:,.0f}")
    console.print(table)
    ratios = results["ratios"]
    console.print(
        f"ingest / floor: {ratios['ingest_over_floor']:.2f}x (2024 layout: {ratios['ingest_2024_over_floor']:.2f}x)   "
        f"ingest / polars ingest: {ratios['ingest_over_polars_ingest']:.2f}x\n"
        f"engine / polars: {ratios['engine_over_polars']:.2f}x   "
        f"engine / pandas: {ratios['engine_over_pandas']:.2f}x "
        f"(pandas / engine: {ratios['pandas_over_engine']:.2f}x)   "
        f"engine / SQL: {ratios['engine_over_sql']:.2f}x"
    )
    console.print("results identical" if not issues else f"RESULTS DIFFER: {issues}")
    if rows is None:
        path = base / "results.json"
        # Other benchmarks keep their own keys in the same file (``web``): merge, don't overwrite.
        kept = json.loads(path.read_text()) if path.exists() else {}
        kept = {k: v for k, v in kept.items() if k not in results}
        path.write_text(json.dumps({**results, **kept}, indent=2) + "\n")
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    args = sys.argv[1:]
    if args and args[0] == "_child":
        child(args[1], Path(args[2]), Path(args[3]))
    elif args and args[0] == "_ingest":
        ingest_child(Path(args[1]), Path(args[2]))
    elif args and args[0] == "_polars_ingest":
        polars_ingest_child(Path(args[1]), Path(args[2]))
    elif args and args[0] == "_floor":
        floor_child(Path(args[1]), Path(args[2]))
    elif args and args[0] == "ingest-breakdown":
        for step, seconds in ingest_breakdown(Path(args[1])).items():
            print(f"{step}: {seconds:.2f} s")
    elif args and args[0] == "_synth":
        import django
        from django.conf import settings

        from sro.oversight import synth

        django.setup()
        directory = synth.load_directory(Path(settings.SRO_SCHOOLS_CSV))
        layout = args[3] if len(args) > 3 else "2018-2023"
        synth.write(directory, synth.SynthSpec(rows=int(args[1]), seed=2024), Path(args[2]), layout=layout)
        print(json.dumps({"ok": True}))
    else:
        main()
        sys.exit(0)
