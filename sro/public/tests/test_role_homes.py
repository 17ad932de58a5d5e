"""The superintendent's, board member's and analyst's home: the program in aggregate, with the public
site's suppression, never a student's record; and the board report's staffing section for them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from sro.incidents.models import Contact, Incident, IncidentStudent, Review
from sro.public.report import default_range


def _in_school_year(model: type[Contact] | type[Incident], district: Any) -> int:
    start, end = default_range(timezone.localdate())
    tz = timezone.get_current_timezone()
    return model.objects.filter(
        school__district=district,
        school__in_program=True,
        occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        occurred_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ).count()


def _panel(html: str) -> str:
    return html.split('id="panel-publicprogram"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("username", ["superintendent", "boardmember", "analyst"])
def test_the_home_shows_the_program_in_aggregate(signed_in: Any, site: dict[str, Any], username: str) -> None:
    panel = _panel(signed_in(username).get("/").content.decode())
    assert "never a student's record" in panel
    contacts = _in_school_year(Contact, site["district"])
    incidents = _in_school_year(Incident, site["district"])
    assert contacts >= 11 and incidents >= 11  # the demo's totals are large enough to publish
    row = re.search(r"SRO contacts with students</th><td>(\d+)</td>", panel)
    assert row and int(row.group(1)) == contacts
    assert f"All incidents</th><td>{incidents}</td>" in panel
    assert "withheld (under 11)" in panel  # the small routes and outcomes are withheld, as on the public site
    open_reviews = Review.objects.filter(status__in=["open", "under_review"], school__district=site["district"])
    assert f"{open_reviews.count()} open or under review" in panel
    assert "/reports/explorer/" in panel and "/reports/board/" in panel


@pytest.mark.parametrize("username", ["superintendent", "boardmember"])
def test_the_home_never_shows_a_students_record(signed_in: Any, username: str) -> None:
    home = signed_in(username).get("/").content.decode()
    for student in IncidentStudent.objects.all():
        assert student.name not in home and f">{student.local_student_id}<" not in home
    assert not re.search(r'href="/incidents/\d+/"', home) and not re.search(r'href="/incidents/reviews/\d+/"', home)


def test_the_director_and_a_principal_have_no_aggregate_panel(signed_in: Any) -> None:
    for username in ("director", "principal.pshs", "officer.pspd"):
        assert 'id="panel-publicprogram"' not in signed_in(username).get("/").content.decode()


def test_a_board_member_reads_the_same_staffing_section_as_the_superintendent(signed_in: Any) -> None:
    def section(username: str) -> str:
        html: str = signed_in(username).get("/reports/board/").content.decode()
        return html.split("Staffing and training compliance", 1)[1].split("</table>", 1)[0]

    board = section("boardmember")
    assert "Palm Springs Police Department" in board and "No officer is nominated" not in board
    assert board == section("superintendent") == section("analyst")
