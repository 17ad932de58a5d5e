"""Data tables fit: nothing clipped at 1280 px; at 375 px a wide table scrolls in its region, with a visible cue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

WIDTHS = {"desktop": 1280, "phone": 375}

# For every table on the page: cells whose content overflows them (cut), tables wider than the
# page (the page scrolls sideways, or the table is cut), and wide tables whose region does not
# scroll, cannot take the keyboard focus, has no name, or shows no "Scroll sideways" hint.
MEASURE = """() => {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) problems.push(`the page scrolls sideways: ${page.scrollWidth}px`);
  const tables = [...document.querySelectorAll('main table')];
  const facts = [];
  for (const [i, table] of tables.entries()) {
    const name = `table ${i + 1} (${(table.querySelector('caption, th') || table).textContent.trim().slice(0, 40)})`;
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.scrollWidth > cell.clientWidth + 1) {
        const text = cell.textContent.trim().slice(0, 40);
        problems.push(`${name}: cell "${text}" is cut (${cell.scrollWidth} > ${cell.clientWidth})`);
      }
    }
    const region = table.closest('.table-scroll');
    const wide = table.getBoundingClientRect().width > (region || table.parentElement).clientWidth + 1;
    const hint = region && region.querySelector('.table-scroll-hint');
    const hintShown = !!hint && getComputedStyle(hint).visibility === 'visible'
      && hint.getBoundingClientRect().height > 0;
    facts.push({name, wide, hintShown});
    if (!region) {
      if (wide) problems.push(`${name}: wider than its container and not in a scrolling region`);
      continue;
    }
    if (region.getAttribute('role') !== 'region' || region.tabIndex !== 0 || !region.getAttribute('aria-label')) {
      problems.push(`${name}: its region lacks role, tabindex or aria-label`);
    }
    const offPage = region.getBoundingClientRect().right > window.innerWidth + 1;
    if (offPage) problems.push(`${name}: region runs off the page`);
    if (wide && !['auto', 'scroll'].includes(getComputedStyle(region).overflowX)) problems.push(`${name}: is cut`);
    if (wide && !hintShown) problems.push(`${name}: scrolls sideways but shows no hint`);
    if (!wide && hintShown) problems.push(`${name}: fits, yet says to scroll sideways`);
  }
  return {problems, facts};
}"""


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


def _pages() -> dict[str, tuple[str | None, str, str]]:
    """name: (who signs in, path, language)."""
    from sro.staffing.models import Panel

    panel = Panel.objects.order_by("pk").first()
    assert panel is not None
    return {
        "training-matrix": ("director", "/staffing/training/", "en-US"),
        "selection-panel": ("director", f"/staffing/panels/{panel.pk}/", "en-US"),
        "contract-list": ("director", "/contracts/", "en-US"),
        "public-contracts-es": (None, "/public/contracts/", "es-ES"),
        "public-figures": (None, "/public/figures/", "en-US"),
        "public-meetings-es": (None, "/public/meetings/", "es-ES"),
    }


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_tables_fit_or_scroll_with_a_cue(tab: Any, size: str) -> None:
    width = WIDTHS[size]
    found: dict[str, Any] = {}
    wide_somewhere = False
    for name, (username, path, locale) in _pages().items():
        t = tab(locale=locale, bypass_csp=True)  # the test injects axe-core as an inline script
        t.page.set_viewport_size({"width": width, "height": 900})
        if username:
            t.sign_in(username)
        t.go(path)
        if name == "public-contracts-es":
            t.page.wait_for_selector(".vega.rendered svg")
        measured = t.page.evaluate(MEASURE)
        assert measured["facts"], f"{name} has no table"
        wide_somewhere = wide_somewhere or any(f["wide"] for f in measured["facts"])
        t.page.screenshot(path=str(t.screenshots / f"tables-{name}-{width}.png"), full_page=True)
        violations = _axe(t)
        if measured["problems"] or violations:
            found[name] = {"problems": measured["problems"], "axe": violations}
        t.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
    # On a phone the training matrix and the panel's scores are wider than the screen: they scroll.
    assert wide_somewhere or size == "desktop"


def test_the_panelists_reasons_wrap_and_show_in_full_at_desktop_width(tab: Any) -> None:
    from sro.staffing.models import Panel, Scoresheet

    panel = Panel.objects.order_by("pk").first()
    assert panel is not None
    sheet = Scoresheet.objects.filter(member__panel=panel).first()
    assert sheet is not None
    t = tab()
    t.sign_in("director")
    page = t.go(f"/staffing/panels/{panel.pk}/")
    cell = page.locator("main table td", has_text=sheet.reason).first
    box = cell.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    assert cell.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
    region = page.locator(".table-scroll").first
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth + 1"), "the scores table scrolls at 1280 px"
    assert not page.locator(".table-scroll-hint").first.is_visible()
    t.shot("tables-selection-panel-reasons")
