"""An SRO files a force report in a real browser: from the contact that opened it, an error fixed,
the principal and the district notified."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_an_sro_files_a_force_report_from_the_contact_fixing_a_missing_detail(tab: Any) -> None:
    from sro.force.models import ForceNotice, ForceReport
    from sro.force.tests.conftest import HANDCUFFED, PSHS, contact
    from sro.orgs.models import School, User

    officer = User.objects.get(username="officer.pspd")
    made = contact(officer, School.objects.get(name=PSHS), timezone.now() - dt.timedelta(hours=1), [HANDCUFFED])
    t = tab()
    t.sign_in("officer.pspd")
    queue = t.go("/queue/")
    queue.get_by_role("link", name=f"Force report for contact {made.pk} at {PSHS}").click()
    page = t.page
    page.wait_for_url(f"**/force/contacts/{made.pk}/new/")
    assert page.is_checked("input[name=force_types][value=handcuffs]")  # from the contact's RIPA actions
    for name in ("race", "sex", "idea", "section_504", "english_learner", "body_camera"):
        assert page.input_value(f"#id_{name}") == "", name  # never a default
    page.select_option("#id_sex", "M")
    page.select_option("#id_idea", "no")
    page.select_option("#id_section_504", "no")
    page.select_option("#id_english_learner", "not_recorded")
    page.check("input[name=deescalation][value=verbal]")
    page.fill("#id_deescalation_narrative", "Talked with the student for five minutes in the office.")
    page.select_option("#id_medical_aid", "none")
    page.select_option("#id_body_camera", "on")
    page.fill("#id_narrative", "Browser test: the student was handcuffed after hitting a classmate.")
    t.shot("force-report-form")
    page.get_by_role("button", name="File the report").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_race")
    assert not ForceReport.objects.filter(contact=made).exists()
    summary.get_by_role("link").click()
    page.select_option("#id_race", "NR")
    page.get_by_role("button", name="File the report").click()
    page.wait_for_url("**/force/*/")
    report = ForceReport.objects.get(contact=made)
    assert (report.race, report.sex, report.force_types) == ("NR", "M", ["handcuffs"])
    expect(page.get_by_role("heading", name=f"Force report {report.pk}")).to_be_visible()
    assert {n.recipient.username for n in ForceNotice.objects.filter(report=report)} == {"principal.pshs", "director"}
    t.shot("force-report-filed")
    assert not t.errors, t.errors
