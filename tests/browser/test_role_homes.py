"""Each role's home page in a real browser, with axe-core: the director's queue, the program in
aggregate for the superintendent, the board member and the analyst, and the analyst's explorer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

HOMES = {
    "director": "Waiting for you",
    "superintendent": "The program this school year",
    "boardmember": "The program this school year",
    "analyst": "The program this school year",
    "principal.pshs": "Incidents and notification tasks",
    "lt.pspd": "Open boundary reviews",
    "officer.pspd": "Your recent contacts",
}
PAGES = {  # role: [(path, screenshot name)]
    "director": [("/queue/", "director-queue")],
    "analyst": [
        ("/reports/explorer/", "analyst-explorer"),
        ("/reports/explorer/?dimension=sex&outcome=arrests", "analyst-explorer-sex-arrests"),
    ],
}


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


def test_each_roles_home_and_pages_load_without_serious_accessibility_violations(tab: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    found: dict[str, Any] = {}
    for username, heading in HOMES.items():
        t = tab(bypass_csp=True)  # axe-core is injected as an inline script
        page = t.sign_in(username)
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), (username, heading)
        t.shot(f"home-{username}")
        found[f"{username} /"] = _axe(t)
        for path, name in PAGES.get(username, []):
            t.go(path)
            assert t.page.locator("h1").first.is_visible(), path
            t.shot(name)
            found[f"{username} {path}"] = _axe(t)
        t.close()
    assert not any(found.values()), json.dumps({k: v for k, v in found.items() if v}, indent=1)


def test_the_director_goes_from_the_queue_to_a_review(tab: Any) -> None:
    t = tab()
    page = t.sign_in("director")
    page.get_by_role("link", name="Everything waiting for you").click()
    page.wait_for_url("**/queue/")
    page.locator("#queue-incidents-reviews ~ ul a, section[aria-labelledby=queue-incidents-reviews] ul a").first.click()
    page.wait_for_url("**/incidents/reviews/*/")
    assert not t.csp_violations(), t.errors
