"""The board report: for district roles and board members, as a page and a PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

ALLOWED = ["director", "superintendent", "boardmember", "analyst"]
REFUSED = ["principal.pshs", "lt.pspd", "officer.pspd"]


@pytest.mark.parametrize("username", ALLOWED + REFUSED)
def test_the_board_report_is_for_district_roles(signed_in: Any, username: str) -> None:
    r = signed_in(username).get("/reports/board/?from=2026-07-01&to=2026-11-30")
    if username in REFUSED:
        assert r.status_code == 404
        return
    html = r.content.decode()
    assert r.status_code == 200
    for heading in ("Contracts and costs", "Votes in this period", "Staffing and training compliance", "Figures",
                    "Boundary crossings and their reviews"):  # fmt: skip
        assert heading in html, heading
    assert "Cathedral City City Council" in html and "<svg" in html


def test_anonymous_visitors_sign_in_first(site: dict[str, Any]) -> None:
    r = Client().get("/reports/board/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_pdf_is_a_pdf_a_clerk_can_attach(signed_in: Any) -> None:
    r = signed_in("boardmember").get("/reports/board.pdf?from=2026-07-01&to=2026-11-30")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 10_000
    assert 'filename="board-report-3367173-20260701-20261130.pdf"' in r["Content-Disposition"]


def test_a_bad_date_falls_back_and_says_so(signed_in: Any) -> None:
    html = signed_in("director").get("/reports/board/?from=yesterday").content.decode()
    assert "A date was not understood" in html
