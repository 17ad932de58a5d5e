"""The signed-in home page shows each role its own work, through registered panels."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from sro.core.panels import Panel, panels_for, register, registered
from sro.orgs.actors import actor_for
from sro.web.dashboard import render_panels

PANELS = {
    # The director's reviews, overdue notifications and comments are groups of "Waiting for you" (test_queue.py).
    "director": ["Waiting for you", "Campus status board", "Coming votes and the board report"],
    "superintendent": ["Campus status board", "The program this school year", "Coming votes and the board report"],
    "boardmember": ["Campus status board", "The program this school year", "Coming votes and the board report"],
    # The use-of-force groups (force reports to file and to review, notices) and, for the supervisor,
    # the complaints assigned to the agency (sro/complaints/queue.py) give these a queue too.
    "principal.pshs": ["Waiting for you", "Incidents and notification tasks"],
    "lt.pspd": ["Waiting for you", "Open boundary reviews"],
    "officer.pspd": ["Waiting for you", "Your recent contacts"],
    "analyst": ["Campus status board", "The program this school year"],
}  # fmt: skip
OLD_DIRECTOR_PANELS = [
    "Open boundary reviews",
    "Overdue notifications of law enforcement",
    "Public comments to moderate",
]
MINE = {title for titles in PANELS.values() for title in titles} | set(OLD_DIRECTOR_PANELS)


@pytest.mark.parametrize("username", sorted(PANELS))
def test_each_role_sees_its_own_panels(signed_in: Any, username: str) -> None:
    html = signed_in(username).get("/").content.decode()
    shown = {t for t in MINE if f">{t}</h2>" in html}
    assert shown == set(PANELS[username])


def test_panels_read_through_scoped_selectors(signed_in: Any) -> None:
    lt = signed_in("lt.ccpd").get("/").content.decode()
    assert "Palm Springs High" not in lt.split("Open boundary reviews", 1)[1].split("</section>", 1)[0]
    board = signed_in("boardmember").get("/").content.decode()
    assert "/reports/board/" in board and "PSUSD Board of Education" in board


def test_other_apps_register_panels_and_a_broken_one_is_left_out(site: dict[str, Any]) -> None:
    def broken(actor: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    register(Panel("test.broken", "Broken", "web/panels/contacts.html", frozenset({"analyst"}), broken, 1))
    register(Panel("test.hidden", "Hidden", "web/panels/contacts.html", frozenset({"analyst"}), lambda a: None, 2))
    try:
        actor = actor_for(site["users"]["analyst"])
        assert [p.key for p in panels_for(actor)][:2] == ["test.broken", "test.hidden"]
        request = RequestFactory().get("/")
        request.user = site["users"]["analyst"]
        keys = [p.key for p in render_panels(request, actor)]
        assert "test.broken" not in keys and "test.hidden" not in keys and "contracts.campus_board" in keys
    finally:
        from sro.core import panels

        panels._PANELS.pop("test.broken")
        panels._PANELS.pop("test.hidden")
    assert all(not p.key.startswith("test.") for p in registered())
