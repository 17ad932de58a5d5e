"""The load test's verdict: it fails on any error and on a page whose p95 is over 3x the health check's."""

from __future__ import annotations

from pathlib import Path

from sro.web.loadtest import read_stats, verdict


def _row(page: str, p95: float, failures: int = 0) -> dict[str, object]:
    return {"page": page, "requests": 100, "failures": failures, "p50_ms": p95 / 2, "p95_ms": p95}


def test_a_run_within_three_times_the_health_check_and_without_errors_passes() -> None:
    lines, problems = verdict([_row("health check", 20), _row("district home", 60)], 3)
    assert problems == []
    assert lines[1].startswith("health check")


def test_a_slow_page_or_a_failed_request_fails_the_run_naming_the_page() -> None:
    _lines, problems = verdict([_row("health check", 20), _row("public figures", 61), _row("API", 10, 2)], 3)
    assert problems == [
        "public figures: p95 61 ms is over 3x the health check's",
        "API: 2 failed requests",
    ]
    assert verdict([_row("district home", 60)], 3)[1] == ["the health check was not measured"]


def test_locusts_statistics_are_read_per_page_without_the_total(tmp_path: Path) -> None:
    stats = tmp_path / "locust_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,50%,95%\n"
        "GET,health check,40,0,11,20\n"
        "GET,district home,38,1,45,90\n"
        ",Aggregated,78,1,30,80\n"
    )
    assert read_stats(stats) == [
        {"page": "health check", "requests": 40, "failures": 0, "p50_ms": 11.0, "p95_ms": 20.0},
        {"page": "district home", "requests": 38, "failures": 1, "p50_ms": 45.0, "p95_ms": 90.0},
    ]
