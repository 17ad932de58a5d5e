"""Students' rights in a real browser: an SRO records a search of a 16-year-old; the principal notifies the parent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


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


def _choose(page: Any, name: str, value: int) -> None:
    """Tap the contact form's tile, opening its "N more" first when it is not among the frequent ones."""
    tile = page.locator(f"label.tile:has(input[name='{name}'][value='{value}'])")
    if not tile.is_visible():
        page.locator(f"[data-field='{name}'] details.more-options > summary").click()
    tile.click()


def test_a_search_of_a_minor_reaches_the_principal_who_notifies_the_parent(tab: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    officer = tab(bypass_csp=True)
    officer.sign_in("officer.pspd")
    page = officer.go("/incidents/contacts/new/")
    page.select_option("#id_school", label="Palm Springs High")
    page.fill("#id_occurred_at", (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_duration_minutes", "15")
    _choose(page, "reason", 9)
    _choose(page, "race", 3)
    _choose(page, "gender", 2)
    page.fill("#id_age", "16")
    _choose(page, "actions", 18)
    _choose(page, "search_basis", 5)
    _choose(page, "results", 12)
    # a search of a minor: the student's-rights section, with the name the parent task needs, opens itself
    assert page.locator("[data-rights-section]").evaluate("d => d.open")
    page.fill("#id_student_name", "Browser Student")
    page.fill("#id_family_language", "Spanish")
    assert not _axe(officer), _axe(officer)
    officer.shot("student-rights-contact-form")
    page.get_by_role("button", name="Save contact").click()
    message = page.locator("body").inner_text()
    assert "The student's parent must be notified" in message
    officer.close()

    principal = tab(bypass_csp=True)
    principal.sign_in("principal.pshs")
    page = principal.go("/incidents/tasks/")
    task = page.locator("section.card", has_text="Notify the parent of Browser Student")
    assert "searched" in task.inner_text() and "Spanish" in task.inner_text()
    assert not _axe(principal), _axe(principal)
    task.get_by_label("How").select_option("phone")
    task.get_by_label("The parent or guardian was reached").check()
    task.get_by_role("button", name="Record attempt").click()
    task = page.locator("section.card", has_text="Notify the parent of Browser Student")
    assert "Attempt recorded: the parent was reached" in page.locator("body").inner_text()
    task.get_by_role("button", name="Mark notified").click()
    task = page.locator("section.card", has_text="Notify the parent of Browser Student")
    assert "Done" in task.inner_text() and "Telephone" in task.inner_text()
    principal.shot("student-rights-parent-notified")
    assert not principal.csp_violations(), principal.errors
    principal.close()
