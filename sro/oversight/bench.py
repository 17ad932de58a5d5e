"""``make bench``: the K-12 report three ways on a large synthetic statewide file.

Generates (and caches under bench/data/) ``BENCH_ROWS`` person-stops (default
25,000,000), ingests them to Parquet, then runs the full K-12 report (statewide,
by agency, by school, by month; every dimension and outcome) with the engine, with
plain pandas and with one hand-written DuckDB query, each in its own process so
peak memory is measured per approach. Checks the three agree; writes bench/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

BY = [(), ("agency",), ("school",), ("month",)]
KEYS = ["breakdown", "agency", "school", "month", "dimension", "group", "outcome"]


def _bench_dir() -> Path:
    return Path(os.environ.get("BENCH_DIR", Path(__file__).resolve().parents[2] / "bench"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_engine(data: Path, out: Path) -> int:
    from sro.oversight.k12 import KEY_COLUMNS
    from sro.oversight.metrics import Settings
    from sro.oversight.reports import k12_file_report

    report, _ = k12_file_report(data, by=BY, settings=Settings(per=100))
    cols = ["breakdown", *KEY_COLUMNS, "dimension", "group", "outcome", "count", "denominator", "rate", "suppressed"]
    report.select(cols).to_pandas().to_parquet(out)
    return int(report.num_rows)


def run_sql(data: Path, out: Path) -> int:
    import duckdb

    from sro.oversight.bench_sql import k12_sql

    con = duckdb.connect()
    df = con.execute(k12_sql(data)).fetch_df()
    df.to_parquet(out)
    return len(df)


def run_pandas(data: Path, out: Path) -> int:
    from sro.oversight.bench_pandas import k12_pandas

    df = k12_pandas(data)
    df.to_parquet(out)
    return len(df)


def child(approach: str, data: Path, out: Path) -> None:
    start = time.perf_counter()
    rows = {"engine": run_engine, "sql": run_sql, "pandas": run_pandas}[approach](data, out)
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


def compare(results: dict[str, pd.DataFrame]) -> list[str]:
    """Differences between the approaches on every published number (empty when identical)."""
    engine = results["engine"]
    issues = []
    for name in ("pandas", "sql"):
        other = results[name]
        merged = engine.merge(other, on=KEYS, how="outer", suffixes=("", "_o"), indicator=True)
        missing = merged[merged["_merge"] != "both"]
        if len(missing):
            issues.append(f"{name}: {len(missing)} rows present in only one result")
        both = merged[merged["_merge"] == "both"]
        if (both["denominator"] != both["denominator_o"]).any():
            issues.append(f"{name}: denominators differ")
        shown = both[~both["suppressed"].astype(bool)]
        if (shown["count"].astype("int64") != shown["count_o"].astype("int64")).any():
            issues.append(f"{name}: counts differ")
        if ((shown["rate"] - shown["rate_o"]).abs() > 1e-9).any():
            issues.append(f"{name}: rates differ")
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
    pq_dir = data_dir / f"ripa-{n}.parquet.d"
    ingest = _spawn(["_ingest", str(csv_path), str(pq_dir)])
    runs: dict[str, dict[str, Any]] = {}
    frames: dict[str, pd.DataFrame] = {}
    for approach in ("sql", "engine", "pandas"):
        out = data_dir / f"result-{approach}.parquet"
        runs[approach] = _spawn(["_child", approach, str(pq_dir), str(out)])
        runs[approach]["rows_per_s"] = n / runs[approach]["seconds"]
        frames[approach] = pd.read_parquet(out)
    issues = compare(frames)
    results: dict[str, Any] = {
        "rows": n,
        "machine": {"cores": os.cpu_count(), "arch": platform.machine(), "python": platform.python_version()},
        "ingest": {**ingest, "rows_per_s": n / ingest["seconds"]},
        "report": runs,
        "ratios": {
            "pandas_over_engine": runs["pandas"]["seconds"] / runs["engine"]["seconds"],
            "engine_over_sql": runs["engine"]["seconds"] / runs["sql"]["seconds"],
        },
        "identical": not issues,
        "differences": issues,
    }
    table = Table(title=f"K-12 report on {n:,} person-stops")
    for col in ("step", "seconds", "rows/s", "peak MB"):
        table.add_column(col, justify="right")
    table.add_row("ingest", f"{ingest['seconds']:.2f}", f"{n / ingest['seconds']:,.0f}", f"{ingest['peak_mb']:,.0f}")
    for name, r in runs.items():
        table.add_row(name, f"{r['seconds']:.2f}", f"{r['rows_per_s']:,.0f}", f"{r['peak_mb']:,.0f}")
    console.print(table)
    ratios = results["ratios"]
    console.print(
        f"pandas / engine: {ratios['pandas_over_engine']:.1f}x   engine / SQL: {ratios['engine_over_sql']:.2f}x"
    )
    console.print("results identical" if not issues else f"RESULTS DIFFER: {issues}")
    if rows is None:
        (base / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    args = sys.argv[1:]
    if args and args[0] == "_child":
        child(args[1], Path(args[2]), Path(args[3]))
    elif args and args[0] == "_ingest":
        ingest_child(Path(args[1]), Path(args[2]))
    elif args and args[0] == "_synth":
        import django
        from django.conf import settings

        from sro.oversight import synth

        django.setup()
        directory = synth.load_directory(Path(settings.SRO_SCHOOLS_CSV))
        synth.write(directory, synth.SynthSpec(rows=int(args[1]), seed=2024), Path(args[2]))
        print(json.dumps({"ok": True}))
    else:
        main()
        sys.exit(0)
