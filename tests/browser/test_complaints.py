"""A parent files a complaint in Spanish on a 375 px phone, then follows it with the private link."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_a_parent_files_in_spanish_on_a_phone_and_adds_information_through_the_status_link(tab: Any) -> None:
    from sro.complaints.models import Complaint, ComplaintEvent

    t = tab(locale="es-ES")
    t.page.set_viewport_size({"width": 375, "height": 812})
    page = t.go("/public/complaints/new")
    assert page.locator("html").get_attribute("lang") == "es"
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    t.shot("complaint-form-es-375")
    # The form speaks Spanish: the questions, and the message for one left unanswered.
    assert page.get_by_text("¿De qué trata su queja?").is_visible()
    assert page.get_by_text("¿Qué ocurrió?").is_visible()
    page.click("form.complaint-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Elija de qué trata su queja" in (page.locator(".error-summary").text_content() or "")
    t.errors.clear()  # the browser logs that deliberate 422; nothing after it may fail
    page.check("#id_about_0")
    page.select_option("#id_school", label="Palm Springs High")
    page.fill("#id_narrative", "El agente sacó a mi hija de clase por el uniforme.")
    page.check("#id_relation_1")
    page.fill("#id_name", "Madre de prueba")
    page.check("#id_contact_method_1")
    page.fill("#id_contact_address", "madre@example.org")
    page.select_option("#id_language", "es")
    page.click("form.complaint-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    complaint = Complaint.objects.get(complainant_name="Madre de prueba")
    assert complaint.case_number in page.content() and complaint.language == "es"
    link = page.locator("a[href*='/public/complaints/status/']").get_attribute("href")
    assert link
    page = t.go("/" + link.split("/", 3)[3])  # the path of the absolute link
    assert complaint.case_number in page.content()
    page.fill("#id_text", "Una compañera lo vio también.")
    page.click("section button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="information_added").exists()
    assert page.locator(".history li").count() == 2
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
        ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, wide
    t.shot("complaint-status-es-375")
    assert not t.errors, t.errors


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_the_complaint_pages_have_no_serious_accessibility_violations(tab: Any, locale: str) -> None:
    from tests.browser.test_public import _axe

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    t = tab(locale=locale, bypass_csp=True)  # axe-core is injected as an inline script
    found = {}
    t.go("/public/complaints/new")
    found["form"] = _axe(t)
    t.page.click("form.complaint-form button[type=submit]")  # empty: the error summary
    t.page.wait_for_load_state("networkidle")
    assert t.page.locator(".error-summary").is_visible()
    found["form-errors"] = _axe(t)
    t.go("/public/complaints/figures/")
    found["figures"] = _axe(t)
    assert not any(found.values()), json.dumps(found, indent=1)
