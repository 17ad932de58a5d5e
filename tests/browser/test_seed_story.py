"""The program's story, walked through the pages in a browser by the people who do each step.

The board meets today (the director adds the meeting), the agreement goes on its agenda and passes;
the police lieutenant adds a new officer and nominates her; the director convenes the joint panel
and both sides score; the lieutenant enters each required course and the district confirms it; the
lieutenant assigns her; the campus board and the public site then say the officer may serve.
Nothing is set up behind the pages' backs except the demo itself.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

PSHS = "33671733335130"  # Palm Springs High's CDS code


def _choose(page: Any, selector: str, text: str) -> None:
    """Choose the option of a select whose text contains `text`, as a person reading the list would."""
    value = page.eval_on_selector(
        selector, "(s, t) => ([...s.options].find(o => o.text.includes(t)) || {value: null}).value", text
    )
    assert value is not None, f"no option with {text!r} in {selector}"
    page.select_option(selector, value)


def _score_every_criterion(page: Any, score: str) -> None:
    for name in page.eval_on_selector_all("[name^=score_]", "els => [...new Set(els.map(e => e.name))]"):
        field = page.locator(f"[name={name}]")
        if field.first.evaluate("e => e.tagName") == "SELECT":
            field.select_option(score)
        else:
            page.check(f"[name={name}][value='{score}']")


def test_from_the_board_vote_to_an_officer_on_campus_through_the_pages(tab: Any) -> None:
    from sro.contracts.models import Body, Contract
    from sro.staffing.models import Officer, TrainingRecord

    today = timezone.localdate()
    contract = Contract.objects.get(campuses__cds_code=PSHS)
    board = Body.objects.get(kind="school_board")

    # The director: the board meets today; the agreement goes on its agenda and passes 4-1.
    director = tab()
    director.sign_in("director")
    page = director.go(f"/contracts/bodies/{board.pk}/meetings/new/")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_title", "Special meeting: SRO agreement")
    page.click("button:has-text('Add the meeting')")
    expect(page.locator("body")).to_contain_text("Special meeting: SRO agreement")
    page = director.go(f"/contracts/{contract.pk}/")
    page.click("a[href$='/schedule/']")
    _choose(page, "#id_meeting", today.isoformat())
    page.click("button:has-text('Put on the agenda')")
    page.wait_for_url(f"**/contracts/{contract.pk}/")
    page = director.go(f"/contracts/{contract.pk}/vote/")
    _choose(page, "#id_meeting", today.isoformat())
    page.fill("#id_ayes", "4")
    page.fill("#id_noes", "1")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/contracts/{contract.pk}/")
    expect(page.locator("body")).to_contain_text("Vote recorded")
    page = director.go("/campuses/board/")
    expect(page.locator(f"tr[data-cds='{PSHS}'] [data-reason='no_officer_assigned']")).to_have_count(1)

    # The lieutenant: a new officer, nominated for the agreement.
    lt = tab()
    lt.sign_in("lt.pspd")
    page = lt.go("/staffing/officers/new/")
    page.fill("#id_first_name", "Ana")
    page.fill("#id_last_name", "Ruiz")
    page.fill("#id_badge_number", "5501")
    page.fill("#id_rank", "Officer")
    page.click("button:has-text('Add the officer')")
    page.wait_for_url(re.compile(r".*/staffing/officers/[0-9]+/$"))
    officer = Officer.objects.get(badge_number="5501")
    page.select_option("#id_contract", str(contract.pk))
    page.click("button:has-text('Nominate')")
    expect(page.locator("body")).to_contain_text("Nominated")
    nomination = officer.nominations.get()

    # The director convenes the joint panel from the roster; both sides score.
    page = director.go("/staffing/")
    page.click(f"a[href='/staffing/nominations/{nomination.pk}/panel/']")
    for member in ("Executive Security Director", "Lieutenant, Palm Springs Police Department"):
        page.get_by_label(member, exact=False).check()
    page.click("button[type=submit] >> text=/convene/i")
    page.wait_for_url(re.compile(r".*/staffing/panels/[0-9]+/$"))
    panel_url = page.url
    for t in (director, lt):
        page = t.go(panel_url.removeprefix(t.base))
        _score_every_criterion(page, "4")
        page.check("[name=recommendation][value=recommend]")
        page.fill("[name=reason]", "Years coaching youth sports; calm under pressure.")
        page.click("button:has-text('Submit scores')")
        page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("Approved by both sides")

    # The lieutenant enters each required course; the district confirms each from its queue.
    page = lt.go(f"/staffing/officers/{officer.pk}/")
    courses = page.eval_on_selector_all("#id_course option[value]:not([value=''])", "os => os.map(o => o.value)")
    assert len(courses) >= 5
    for course in courses:
        page.select_option("#id_course", course)
        page.fill("#id_completed_on", (today - dt.timedelta(days=20)).isoformat())
        page.fill("#id_provider", "Riverside County Office of Education")
        page.fill("#id_hours", "8")
        page.fill("#id_evidence", f"{course}-certificate.pdf")
        page.click("button:has-text('Enter completion')")
        page.wait_for_load_state("networkidle")
    assert TrainingRecord.objects.filter(officer=officer).count() == len(courses)
    page = director.go("/queue/")
    expect(page.locator("body")).to_contain_text(f"for {officer.name}")
    page.locator("a", has_text=f"for {officer.name}").first.click()
    page.wait_for_url(f"**/staffing/officers/{officer.pk}/")
    confirm = page.locator("button[name=decision][value=confirm]")
    expect(confirm).to_have_count(len(courses))
    for _ in courses:
        confirm.first.click()
        page.wait_for_load_state("networkidle")
    expect(confirm).to_have_count(0)
    assert TrainingRecord.objects.filter(officer=officer, status="confirmed").count() == len(courses)

    # The lieutenant assigns her; the page checks the gate for every day before saving.
    page = lt.go("/staffing/assignments/new/")
    page.select_option("#id_officer", str(officer.pk))
    page.select_option("#id_school", label="Palm Springs High")
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", (today + dt.timedelta(days=60)).isoformat())
    expect(page.locator("body")).to_contain_text("The gate passes")
    page.click("button:has-text('Assign')")
    page.wait_for_load_state("networkidle")

    # The campus board and the public site: an officer may serve at Palm Springs High today.
    page = director.go("/campuses/board/")
    row = page.locator(f"tr[data-cds='{PSHS}']")
    expect(row).to_contain_text("Yes")
    expect(row.locator("[data-reason]")).to_have_count(0)
    director.shot("story-campus-board")
    public = tab()
    page = public.go("/public/")
    expect(page.locator(f"tr[data-cds='{PSHS}']")).to_contain_text("Yes")
    public.shot("story-public-overview")
    for t in (director, lt, public):
        assert not t.csp_violations(), t.errors
