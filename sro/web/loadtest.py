"""`make loadtest`: many users at once on a production-like server, each page's p50 and p95 beside the
health check's in the same run.

It builds the demo in a temporary SQLite database (or the one `BENCH_DATABASE_URL` names, which is
erased), signs in each demo account the pages need, starts gunicorn on the loopback interface
(127.0.0.1, a free port, `--workers` processes), and runs Locust headless (bench/locustfile.py) for
`--users` users during `--seconds`. Then it prints each page's requests, failures, p50 and p95, and
fails (exit status 1) on any failed request or any page whose p95 is more than `--max-ratio` times
the health check's p95. The server is stopped whatever happens.

    python -m sro.web.loadtest [--users 50] [--seconds 60] [--workers 4] [--max-ratio 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sro.web.bench import ROOT, _env, _manage

HEALTH = "health check"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sessions_here() -> dict[str, str]:
    """Sign in every demo account a page needs (a session each), in this process (Django set up)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from sro.orgs.models import User
    from sro.web.pages import PAGES

    out: dict[str, str] = {}
    for username in sorted({p.user for p in PAGES if p.user}):
        client = Client()
        client.force_login(User.objects.get(username=username))
        out[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it served anything")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - our own loopback server
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def read_stats(path: Path) -> list[dict[str, Any]]:
    """Locust's per-page statistics (its *_stats.csv), without the aggregated line."""
    with path.open(newline="") as f:
        return [
            {
                "page": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
            }
            for row in csv.DictReader(f)
            if row["Name"] != "Aggregated"
        ]


def verdict(stats: list[dict[str, Any]], max_ratio: float) -> tuple[list[str], list[str]]:
    """The table's lines and the problems (empty: the run passes)."""
    health = next((s for s in stats if s["page"] == HEALTH), None)
    problems: list[str] = []
    if health is None or not health["requests"]:
        return [], ["the health check was not measured"]
    limit = max_ratio * health["p95_ms"]
    lines = [f"{'page':30} {'requests':>8} {'failures':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95/health':>10}"]
    for s in sorted(stats, key=lambda s: s["page"] != HEALTH):
        ratio = s["p95_ms"] / max(health["p95_ms"], 1)
        lines.append(
            f"{s['page']:30} {s['requests']:8} {s['failures']:8} {s['p50_ms']:8.0f} {s['p95_ms']:8.0f} {ratio:10.1f}"
        )
        if s["failures"]:
            problems.append(f"{s['page']}: {s['failures']} failed requests")
        if s["p95_ms"] > limit:
            problems.append(f"{s['page']}: p95 {s['p95_ms']:.0f} ms is over {max_ratio:g}x the health check's")
    return lines, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument("--sessions-here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sessions_here:
        print(json.dumps(sessions_here()))
        return 0
    given = os.environ.get("BENCH_DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="sro-loadtest-") as tmp:
        env = _env(given or f"sqlite:///{tmp}/load.sqlite3")
        print("Loading the demo...", flush=True)
        if given:
            _manage(env, "flush", "--noinput")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "demo")
        me = [sys.executable, "-m", "sro.web.loadtest", "--sessions-here"]
        done = subprocess.run(me, env=env, check=True, capture_output=True, text=True)  # noqa: S603 - this module
        sessions = done.stdout.strip().splitlines()[-1]
        port = _free_port()
        server_cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(server_cmd, env=env, cwd=ROOT)  # noqa: S603 - fixed arguments
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
            print(f"Locust: {args.users} users for {args.seconds} s on gunicorn ({args.workers} workers)", flush=True)
            prefix = Path(tmp) / "locust"
            locust = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ]
            subprocess.run(locust, env={**env, "SRO_LOADTEST_SESSIONS": sessions}, check=False, cwd=ROOT)  # noqa: S603
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        stats = read_stats(Path(f"{prefix}_stats.csv"))
    lines, problems = verdict(stats, args.max_ratio)
    print("\n".join(lines))
    for p in problems:
        print("FAIL:", p)
    print("PASS" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
