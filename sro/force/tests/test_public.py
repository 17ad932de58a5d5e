"""The public counts: by campus, quarter and student group, withheld like every public figure."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.test import Client
from django.utils import timezone

from sro.force.figures import last_quarters, public_counts
from sro.force.models import ForceReport
from sro.force.tests.conftest import PSHS, at, file

CCHS = "Cathedral City High"


def test_quarters_are_whole_calendar_quarters_ending_with_todays() -> None:
    qs = last_quarters(dt.date(2026, 2, 10))
    assert [q.key for q in qs] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert (qs[-1].start, qs[-1].end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert qs[1].end == dt.date(2025, 9, 30)


def _rows(today: dt.date) -> dict[tuple[str, str], int | None]:
    quarters, rows = public_counts(today=today)
    key = quarters[-1].key
    return {(r.breakdown, r.label): r.count for r in rows if r.period == key}


def test_counts_under_eleven_are_withheld_and_so_is_the_one_a_total_would_give_away(demo: dict[str, Any]) -> None:
    ForceReport.objects.all().delete()
    day = dt.date(2026, 4, 6)
    u = demo["users"]
    for i in range(12):
        file(
            u["officer.pspd"], demo["schools"][PSHS], at(day + dt.timedelta(days=i % 5)), race="HI" if i < 11 else "BL"
        )
    rows = _rows(dt.date(2026, 6, 30))
    assert rows[("campus", PSHS)] == 12 and rows[("campus", "All")] == 12
    # Cathedral City's 0 is withheld (under 11), so Palm Springs stays (the total minus 0 is nothing new)
    # but with one withheld campus and the total published, the smallest other campus is withheld too.
    assert rows[("campus", CCHS)] is None
    assert rows[("race", "Hispanic/Latino of any race")] == 11
    assert rows[("race", "Black or African American")] is None  # 1: under the cell minimum
    assert rows[("sex", "Female")] == 12
    assert rows[("english_learner", "English learners")] == 12


def test_a_quarter_with_few_reports_publishes_no_count_at_all(demo: dict[str, Any]) -> None:
    rows = _rows(timezone.localdate())
    assert all(v is None or v == 0 or v >= 11 for v in rows.values())
    assert rows[("campus", PSHS)] is None


def test_the_public_page_and_csv_need_no_sign_in_and_name_no_student_or_officer(demo: dict[str, Any]) -> None:
    page = Client().get("/public/force/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Use of force and restraint on students" in html and "withheld" in html
    assert "officer.pspd" not in html and "Brooks" not in html
    assert 'href="/public/force/"' in Client().get("/public/").content.decode()
    r = Client().get("/public/force/use-of-force.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert rows and set(rows[0]) == {"quarter", "breakdown", "group", "force_reports", "withheld_reason"}
    assert all(
        row["force_reports"] == "" or int(row["force_reports"]) == 0 or int(row["force_reports"]) >= 11 for row in rows
    )


def test_without_the_public_sites_rule_every_count_is_withheld(demo: dict[str, Any]) -> None:
    from sro.force import figures

    saved = list(figures._SUPPRESSION)
    figures._SUPPRESSION.clear()
    try:
        _quarters, rows = public_counts()
        assert rows and all(r.count is None and r.reason == figures.WITHHELD_UNRULED for r in rows)
    finally:
        figures._SUPPRESSION[:] = saved
