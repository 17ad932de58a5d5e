"""`make bench-web`: every main page at the demo's size and at ten times it, one client at a time.

For each size it builds a fresh database (a temporary SQLite file, or the database named by
`BENCH_DATABASE_URL_1X` / `BENCH_DATABASE_URL_10X`, which is erased) with `sro demo --scale N`.
Then, in `--runs` turns alternating between the sizes, a fresh process opens each page of
`sro.web.pages.PAGES` as its demo account through Django's test client (no network), once to
warm up (nothing cached yet in that process: "first", the median of the turns' first requests,
shown beside) and once timed; each page's time is the median of its turns. It writes the
times, the queries and the 10x/1x ratios under "web" in bench/results.json, and prints the table
docs/performance.md shows. Targets: at 10x every page under 300 ms except the PDF (under 3 s), and
no list page slower than at 1x by more than the noise (ratio under 1.5).

    python -m sro.web.bench [--scales 1 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results.json"
PAGE_MS, PDF_MS, LIST_RATIO = 300.0, 3000.0, 1.5


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",  # DEBUG off, demo allowed
        "SRO_LOG_LEVEL": "ERROR",
        "SRO_FIGURES_CACHE_SECONDS": "86400",  # the production default: figures cached until a record changes
        "PYTHONPATH": str(ROOT),
    }


def _manage(env: dict[str, str], *args: str) -> None:
    cmd = [sys.executable, str(ROOT / "manage.py"), *args]
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own manage.py


def measure_here(runs: int) -> list[dict[str, Any]]:
    """Measure every page against the database this process is configured for (Django set up)."""
    import django

    django.setup()
    from sro.incidents.models import Contact
    from sro.orgs.models import School
    from sro.web.pages import PAGES, client_for, measure

    clients: dict[str, Any] = {}
    out = []
    for page in PAGES:
        client = clients.setdefault(page.user, client_for(page.user))
        m = measure(page, client, runs=runs)
        out.append(
            {
                "page": page.name,
                "path": page.path,
                "user": page.user or "public",
                "status": m.status,
                "queries": m.queries,
                "first_ms": round(m.first_ms, 1),
                "median_ms": round(m.median_ms, 1),
                "is_list": page.is_list,
                "is_pdf": page.is_pdf,
            }
        )
    out.append({"campuses": School.objects.filter(in_program=True).count(), "contacts": Contact.objects.count()})
    return out


def build(scale: int, directory: str) -> dict[str, str]:
    """A database holding the demo at `scale` times; the environment that points at it."""
    given = os.environ.get(f"BENCH_DATABASE_URL_{scale}X", "")
    env = _env(given or f"sqlite:///{directory}/bench-{scale}x.sqlite3")
    if given:
        _manage(env, "flush", "--noinput")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "demo", *(["--scale", str(scale)] if scale > 1 else []))
    return env


def measure_in(env: dict[str, str], runs: int) -> list[dict[str, Any]]:
    done = subprocess.run(  # noqa: S603 - this module, in a fresh process
        [sys.executable, "-m", "sro.web.bench", "--measure-here", "--runs", str(runs)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def build_and_measure(scales: list[int], rounds: int) -> tuple[list[dict[str, int]], list[list[dict[str, Any]]]]:
    """Build every size first, then measure them in turns (1x, 10x, 1x, 10x, ...), so that whatever
    else the machine is doing weighs on both sizes alike; each page's time is the median of its turns."""
    with tempfile.TemporaryDirectory(prefix="sro-bench-web-") as tmp:
        envs = []
        for scale in scales:
            print(f"Building the demo at {scale}x...", flush=True)
            envs.append(build(scale, tmp))
        turns: list[list[list[dict[str, Any]]]] = [[] for _ in scales]
        for r in range(rounds):
            print(f"Measuring every page, turn {r + 1} of {rounds}...", flush=True)
            for i, env in enumerate(envs):
                turns[i].append(measure_in(env, 1))
    sizes = [t[0][-1] for t in turns]
    measured = []
    for size_turns in turns:
        pages = []
        for j, row in enumerate(size_turns[0][:-1]):
            times = [t[j]["median_ms"] for t in size_turns]
            firsts = [t[j]["first_ms"] for t in size_turns]
            pages.append(
                {
                    **row,
                    "median_ms": round(statistics.median(times), 1),
                    "turns_ms": times,
                    "first_ms": round(statistics.median(firsts), 1),
                }
            )
        measured.append(pages)
    return sizes, measured


def table(results: dict[str, Any]) -> str:
    small, big = results["scales"]
    lines = [
        f"| page | who | queries {small}x | queries {big}x | ms {small}x | ms {big}x | ratio | target "
        f"| first ms {small}x | first ms {big}x |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for row in results["pages"]:
        lines.append(
            f"| {row['page']} | {row['user']} | {row['queries'][0]} | {row['queries'][1]} | {row['ms'][0]:.0f} | "
            f"{row['ms'][1]:.0f} | {row['ratio']:.2f} | {'met' if row['met'] else 'NOT MET'} | "
            f"{row['first_ms'][0]:.0f} | {row['first_ms'][1]:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", type=int, nargs=2, default=[1, 10])
    parser.add_argument("--runs", type=int, default=5, help="turns: each size measured this many times, alternately")
    parser.add_argument("--measure-here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_here:
        print(json.dumps(measure_here(args.runs)))
        return 0
    sizes, measured = build_and_measure(args.scales, args.runs)
    pages = []
    for small, big in zip(*measured, strict=True):
        ratio = big["median_ms"] / max(small["median_ms"], 0.1)
        limit = PDF_MS if small["is_pdf"] else PAGE_MS
        met = big["status"] == 200 and big["median_ms"] <= limit and (not small["is_list"] or ratio <= LIST_RATIO)
        pages.append(
            {
                "page": small["page"],
                "path": small["path"],
                "user": small["user"],
                "queries": [small["queries"], big["queries"]],
                "ms": [small["median_ms"], big["median_ms"]],
                "first_ms": [small["first_ms"], big["first_ms"]],
                "ratio": round(ratio, 2),
                "is_list": small["is_list"],
                "limit_ms": limit,
                "met": met,
            }
        )
    results = {
        "machine": {
            "cores": os.cpu_count(),
            "arch": platform.machine(),
            "python": platform.python_version(),
            "database": "given" if os.environ.get("BENCH_DATABASE_URL_1X") else "sqlite",
            "load_average": list(os.getloadavg()),
        },
        "scales": args.scales,
        "sizes": sizes,
        "runs": args.runs,
        "pages": pages,
    }
    stored: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    stored["web"] = results
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")
    print(table(results))
    print(f'Sizes: {sizes}. Written to bench/results.json ("web").')
    return 0 if all(p["met"] for p in pages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
