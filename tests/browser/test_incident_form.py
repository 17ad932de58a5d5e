"""The incident form in a real browser: student rows added and removed, the error summary, axe-core.

Screenshots go to the session's screenshot folder (a temporary one unless `make screenshots`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import AXE, PASSWORD, VIEWPORT, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

PRINCIPAL = "principal.pshs"


def _fill_incident(page: Any) -> None:
    page.select_option("#id_school", label="Palm Springs High")
    an_hour_ago = timezone.localtime() - dt.timedelta(hours=1)  # never in the future, whatever the hour
    page.fill("#id_occurred_at", an_hour_ago.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "Library")
    page.fill("#id_description", "Browser test: a phone out in class, taken from a student.")
    page.check("input[name=offences][value='policy:phone']")


def _fill_student(page: Any, row: int, *, race: str | None = "HI") -> None:
    p = f"#id_students-{row}-"
    page.fill(p + "local_student_id", f"S70{row}")
    page.fill(p + "name", f"Test Student {row + 1}")
    page.select_option(p + "role", "offender")
    if race is not None:
        page.select_option(p + "race", race)
    page.select_option(p + "sex", "F")
    page.select_option(p + "disability", "none")
    page.select_option(p + "english_learner", "no")


def _focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.id"))


def test_a_principal_records_an_incident_with_rows_added_removed_and_an_error_fixed(tab: Any) -> None:
    from sro.incidents.models import Incident

    t = tab()
    t.sign_in(PRINCIPAL)
    page = t.go("/incidents/new/")
    rows = page.locator("[data-formset-row]")
    expect(rows).to_have_count(1)
    for name in ("role", "race", "sex", "disability", "english_learner"):  # nothing chosen for the principal
        assert page.input_value(f"#id_students-0-{name}") == "", name
    expect(page.get_by_role("button", name="Remove student 1")).to_be_hidden()  # never fewer than one row
    t.shot("incident-form-new")
    _fill_incident(page)
    _fill_student(page, 0, race=None)  # the mistake: no race

    page.get_by_role("button", name="Add another student").click()
    expect(rows).to_have_count(2)
    assert page.input_value("input[name=students-TOTAL_FORMS]") == "2"
    assert _focused(page) == "id_students-1-local_student_id"
    expect(page.get_by_role("group", name="Student 2")).to_be_visible()
    expect(page.locator("[data-formset-status]")).to_have_text("Student 2 added.")
    page.locator("#id_students-1-english_learner").scroll_into_view_if_needed()
    t.shot("incident-form-two-rows")

    page.get_by_role("button", name="Remove student 2").click()
    expect(rows).to_have_count(1)
    assert page.input_value("input[name=students-TOTAL_FORMS]") == "1"
    assert page.evaluate("() => document.activeElement.hasAttribute('data-formset-add')")  # focus on "Add"
    expect(page.locator("[data-formset-status]")).to_have_text("Student 2 removed.")

    before = Incident.objects.count()
    page.get_by_role("button", name="Save incident").click()
    page.wait_for_load_state("networkidle")
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert summary.bounding_box()["y"] < page.locator("h1").bounding_box()["y"] < VIEWPORT["height"]
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#id_students-0-race")
    assert Incident.objects.count() == before
    # Everything typed is still there.
    assert page.input_value("#id_location") == "Library"
    assert page.input_value("#id_students-0-name") == "Test Student 1"
    assert page.input_value("#id_students-0-sex") == "F"
    t.shot("incident-form-error-summary")

    link.click()
    assert _focused(page) == "id_students-0-race"
    expect(page.locator("label[for='id_students-0-race']")).to_be_in_viewport()
    t.shot("incident-form-error-field")
    page.select_option("#id_students-0-race", "NR")  # the school's records do not say
    page.get_by_role("button", name="Save incident").click()
    page.wait_for_url("**/incidents/*/")
    assert Incident.objects.count() == before + 1
    student = Incident.objects.latest("pk").students.get()
    assert (student.local_student_id, student.race, student.sex) == ("S700", "NR", "F")
    t.shot("incident-form-saved")
    assert not t.errors, t.errors  # no script error, no CSP violation


def test_two_students_are_saved_and_enter_in_a_field_saves(tab: Any) -> None:
    from sro.incidents.models import Incident

    t = tab()
    t.sign_in(PRINCIPAL)
    page = t.go("/incidents/new/")
    _fill_incident(page)
    _fill_student(page, 0)
    page.get_by_role("button", name="Add another student").click()
    page.get_by_role("button", name="Add another student").click()
    _fill_student(page, 1, race="BL")  # the third row stays empty: ignored
    page.press("#id_students-1-name", "Enter")  # Enter saves; it neither adds nor removes a row
    page.wait_for_url("**/incidents/*/")
    students = Incident.objects.latest("pk").students.order_by("local_student_id")
    assert [(s.local_student_id, s.race) for s in students] == [("S700", "HI"), ("S701", "BL")]
    assert not t.errors, t.errors


def test_rows_are_added_and_removed_with_javascript_off(browser: Any, app: str) -> None:
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(app + "/accounts/login/")
        page.fill("#id_username", PRINCIPAL)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(app + "/")
        page.goto(app + "/incidents/new/")
        _fill_incident(page)
        _fill_student(page, 0)
        page.get_by_role("button", name="Add another student").click()  # a round trip to the server
        page.wait_for_load_state()
        expect(page.locator("[data-formset-row]")).to_have_count(2)
        expect(page.get_by_role("alert")).to_have_count(0)  # adding a row reports nothing
        assert page.input_value("#id_students-0-name") == "Test Student 1"
        page.fill("#id_students-1-name", "Half a row")
        page.get_by_role("button", name="Remove student 1").click()
        page.wait_for_load_state()
        expect(page.locator("[data-formset-row]")).to_have_count(1)
        assert page.input_value("#id_students-0-name") == "Half a row"
        page.get_by_role("button", name="Save incident").click()
        page.wait_for_load_state()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Student 1, Local student id: Enter the student's local id")
        _fill_student(page, 0)
        page.get_by_role("button", name="Save incident").click()
        page.wait_for_url("**/incidents/*/")
    finally:
        context.close()


def test_the_incident_form_has_no_serious_accessibility_violations(tab: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    t = tab(bypass_csp=True)  # the test injects axe-core as an inline script
    t.sign_in(PRINCIPAL)
    page = t.go("/incidents/new/")
    found = {}
    page.get_by_role("button", name="Add another student").click()
    found["two rows"] = _axe(t)
    page.get_by_role("button", name="Save incident").click()  # nothing filled in: every error
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_be_visible()
    t.shot("incident-form-every-error")
    found["errors"] = _axe(t)
    assert not any(found.values()), json.dumps(found, indent=1)


def _axe(t: Any) -> list[dict[str, Any]]:
    t.page.add_script_tag(path=str(AXE))
    result = t.page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
