"""The disparity explorer: the figures follow the filters as counted by hand on the demo, small cells
are withheld, the CSV is the table, and only district roles may open it."""

from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import re
from typing import Any

import pytest
from django.utils import timezone

from sro.incidents.models import Contact
from sro.orgs.models import School
from sro.public.figures import school_year_of
from sro.public.models import GroupEnrolment

PSHS = "33671733335130"
ROW = re.compile(r'<tr class="([^"]*)" data-group="([^"]+)"[^>]*>\s*<th scope="row">(.*?)</th>(.*?)</tr>', re.S)


def _table(html: str) -> list[list[str]]:
    """The explorer's table as text: [group code, group, enrolled, count, rate, ci, rr, rr ci, note]."""
    rows = []
    for _cls, code, name, rest in ROW.findall(html):
        cells = [htmllib.unescape(c) for c in re.findall(r"<td>(.*?)</td>", rest, re.S)]
        rows.append([code, htmllib.unescape(name), *cells])
    return rows


def _by_sex_by_hand(campus: str | None) -> dict[str, int]:
    """Contacts this school year by the officer's perceived gender (RIPA 1 male, 2 female, 5 nonbinary)."""
    today = timezone.localdate()
    start = dt.date(int(school_year_of(today)[:4]), 7, 1)
    tz = timezone.get_current_timezone()
    contacts = Contact.objects.filter(
        school__in_program=True, occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    )
    if campus:
        contacts = contacts.filter(school__cds_code=campus)
    sex = {1: "M", 2: "F", 3: "M", 4: "F", 5: "X"}
    counts = {"M": 0, "F": 0, "X": 0}
    for c in contacts:
        counts[sex[c.gender]] += 1
    return counts


def _enrolled(group: str, campus: str | None) -> int:
    schools = School.objects.filter(in_program=True)
    if campus:
        schools = schools.filter(cds_code=campus)
    year = school_year_of(timezone.localdate())
    return sum(
        GroupEnrolment.objects.filter(school__in=schools, school_year=year, dimension="sex", group=group).values_list(
            "enrolled", flat=True
        )
    )


def test_the_figures_follow_the_filters_as_counted_by_hand(signed_in: Any) -> None:
    analyst = signed_in("analyst")
    rows = {r[0]: r for r in _table(analyst.get("/reports/explorer/?dimension=sex&outcome=contacts").content.decode())}
    hand = _by_sex_by_hand(None)
    published = [g for g in ("F", "M", "X") if rows[g][3]]
    assert published, rows  # the demo has enough contacts of at least one group to publish
    for g in ("F", "M", "X"):
        enrolled = _enrolled(g, None)
        if g in published:
            assert rows[g][3] == str(hand[g])
            assert rows[g][4] == f"{round(hand[g] / enrolled * 1000, 1):.1f}"
            assert rows[g][5] and rows[g][6]  # an interval, and a ratio against all other students
        else:  # withheld for its own size, or to protect another withheld group
            assert (hand[g] < 11 or enrolled < 30) or rows[g][-1] == "withheld (protects another cell)", rows[g]
    assert rows["All"][3] == str(sum(hand.values()))
    # Another outcome, another campus: other figures.
    arrests = _table(analyst.get("/reports/explorer/?dimension=sex&outcome=arrests").content.decode())
    assert [r[3] for r in arrests] != [rows[r[0]][3] for r in arrests]
    one = {r[0]: r for r in _table(analyst.get(f"/reports/explorer/?dimension=sex&campus={PSHS}").content.decode())}
    assert one["All"][2] == f"{School.objects.get(cds_code=PSHS).enrolment:,}"


def test_small_cells_are_withheld_and_marked(signed_in: Any) -> None:
    html = signed_in("analyst").get(f"/reports/explorer/?dimension=sex&campus={PSHS}").content.decode()
    hand = _by_sex_by_hand(PSHS)
    rows = {r[0]: r for r in _table(html)}
    for group, n in hand.items():
        if group in rows and 0 < n < 11:
            assert rows[group][3] == "" and rows[group][-1] == "withheld (under 11)", rows[group]
    assert re.search(r'class="withheld[^"]*" data-group="\w+" data-withheld="cell"', html)
    assert "Withheld:" in html  # the chart's summary names the withheld groups


def test_the_csv_is_the_table(signed_in: Any) -> None:
    analyst = signed_in("analyst")
    query = "dimension=race&outcome=contacts"
    table = _table(analyst.get(f"/reports/explorer/?{query}").content.decode())
    r = analyst.get(f"/reports/explorer.csv?{query}")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [row["group_code"] for row in rows] == [t[0] for t in table]
    for row, t in zip(rows, table, strict=True):
        assert row["group"] == t[1]
        assert row["count"] == t[3].replace(",", "")
        assert row["rate_per_1000"] == t[4]
        assert row["note"] == t[-1]
        assert (row["risk_ratio"] or "") == t[6]
        if row["withheld_reason"]:
            assert row["count"] == row["rate_per_1000"] == row["rate_lo"] == ""


def test_dates_instead_of_a_school_year_and_a_wrong_range_is_explained(signed_in: Any) -> None:
    analyst = signed_in("analyst")
    today = timezone.localdate()
    ok = analyst.get(f"/reports/explorer/?start={today - dt.timedelta(days=30)}&end={today}").content.decode()
    assert "There is a problem" not in ok and 'data-group="All"' in ok
    bad = analyst.get(f"/reports/explorer/?start={today}&end={today - dt.timedelta(days=3)}").content.decode()
    assert "There is a problem" in bad and "The last day is before the first day." in bad
    assert analyst.get(f"/reports/explorer.csv?start={today}").status_code == 400


@pytest.mark.parametrize("username", ["principal.pshs", "officer.pspd", "lt.pspd"])
def test_school_and_police_roles_are_refused(signed_in: Any, username: str) -> None:
    client = signed_in(username)
    assert client.get("/reports/explorer/").status_code == 404
    assert client.get("/reports/explorer.csv").status_code == 404


@pytest.mark.parametrize("username", ["analyst", "director", "superintendent", "boardmember"])
def test_district_roles_may_open_it(signed_in: Any, username: str) -> None:
    assert signed_in(username).get("/reports/explorer/").status_code == 200
