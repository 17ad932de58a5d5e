"""Signed-in work in a real browser: each role's dashboard, htmx routing, votes and the campus board."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

DASHBOARDS = {
    "director": ["Campus status board", "Open boundary reviews", "Public comments to moderate"],
    "superintendent": ["Campus status board", "Coming votes and the board report"],
    "boardmember": ["Coming votes and the board report"],
    "principal.pshs": ["Incidents and notification tasks"],
    "lt.pspd": ["Open boundary reviews"],
    "officer.pspd": ["Your recent contacts"],
    "analyst": ["Campus status board"],
}


def test_each_role_signs_in_and_sees_its_dashboard(tab: Any) -> None:
    for username, panels in DASHBOARDS.items():
        t = tab()
        page = t.sign_in(username)
        for title in panels:
            assert page.get_by_role("heading", name=title, exact=True).is_visible(), (username, title)
        t.shot(f"dashboard-{username}")
        assert not t.csp_violations(), t.errors
        t.close()


def test_recording_an_incident_shows_its_route_live(tab: Any) -> None:
    t = tab()
    t.sign_in("principal.pshs")
    page = t.go("/incidents/new/")
    preview = page.locator("#route-preview")
    assert "Choose offences" in preview.inner_text()
    # The route shows as soon as an offence is ticked, before the other required fields are filled.
    page.check("input[name=offences][value='48900(c)']")
    expect(preview).to_contain_text("mandatory_notification")  # swapped in by htmx, no page load
    page.select_option("#id_school", label="Palm Springs High")
    an_hour_ago = timezone.localtime() - dt.timedelta(hours=1)  # never in the future, whatever the hour
    page.fill("#id_occurred_at", an_hour_ago.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "Library")
    page.fill("#id_description", "Browser test: a student with a controlled substance.")
    assert "Notify law enforcement" in preview.inner_text()
    preview.scroll_into_view_if_needed()
    t.shot("incident-route-preview")
    page.uncheck("input[name=offences][value='48900(c)']")
    page.check("input[name=offences][value='48900(k)']")
    expect(preview).to_contain_text("school_discipline")
    page.fill("#id_description", "Browser test: defiance in class.")
    page.fill("#id_students-0-local_student_id", "4411")
    page.fill("#id_students-0-name", "Student A")
    for field, value in (("role", "offender"), ("race", "NR"), ("sex", "NR"), ("disability", "none"),
                         ("english_learner", "no")):  # fmt: skip
        page.select_option(f"#id_students-0-{field}", value)
    page.click("button:has-text('Save incident')")
    page.wait_for_url(re.compile(r".*/incidents/[0-9]+/$"))
    assert "School discipline" in page.content()
    assert not t.csp_violations(), t.errors


def test_recording_the_board_vote_changes_the_campus_board(tab: Any) -> None:
    from sro.contracts.models import Contract, Vote

    contract = Contract.objects.get(city__name="Palm Springs")
    vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
    meeting = vote.meeting
    meeting.date = timezone.localdate()  # the board meets today
    meeting.save()
    t = tab()
    t.sign_in("director")
    page = t.go("/campuses/board/")
    row = page.locator("tr[data-cds='33671733335130']")
    expect(row.locator("[data-reason='awaiting_board_approval']")).to_have_count(1)
    expect(row).to_contain_text("✗ No")
    page = t.go(f"/contracts/{contract.pk}/vote/")
    page.select_option("#id_meeting", str(meeting.pk))
    page.fill("#id_ayes", "4")
    page.fill("#id_noes", "1")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/contracts/{contract.pk}/")
    assert "Vote recorded" in page.content()
    page = t.go("/campuses/board/")
    row = page.locator("tr[data-cds='33671733335130']")
    # The contract is now in force; what still keeps the officer away is staffing: nobody is assigned yet.
    expect(row.locator("[data-reason='awaiting_board_approval']")).to_have_count(0)
    expect(row).to_contain_text("Active")
    expect(row.locator("[data-reason='no_officer_assigned']")).to_have_count(1)
    other = page.locator("tr[data-cds='33671733330578']")
    expect(other.locator("[data-reason='awaiting_board_approval']")).to_have_count(1)
    t.shot("campus-board-after-vote")
    page = t.go("/public/")
    expect(page.locator("tr[data-cds='33671733335130']")).to_contain_text("No officer is assigned to this campus")
    page = t.go("/reports/board/")
    expect(page.locator("#r-votes ~ table").first).to_contain_text("Palm Springs")
    t.shot("board-report")
    assert not t.csp_violations(), t.errors
