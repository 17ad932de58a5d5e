"""The board report: for district roles and board members, as a page and a PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

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


def test_the_pdf_merges_a_row_withheld_throughout() -> None:
    from sro.public.tables import withheld_throughout

    under = {"count": "", "rate": "", "ci": "", "withheld": "withheld (under 11)"}
    shown = {"count": "12", "rate": "4.0", "ci": "2.1 to 7.0", "withheld": ""}
    assert withheld_throughout([under] * 6) == "every figure withheld (under 11)"
    assert withheld_throughout([under] * 5 + [shown]) == ""
    assert withheld_throughout([under]) == ""


@override_settings(SRO_FIGURES_CACHE_SECONDS=60)
def test_the_pdf_is_made_once_and_again_after_a_record_changes(signed_in: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    from sro.core.audit import audit_log
    from sro.incidents.models import Contact
    from sro.public import report_views

    cache.clear()
    made: list[str] = []
    real = report_views.render_pdf

    def spy(html: str, css: str, base_url: str) -> bytes:
        made.append(html)
        return real(html, css, base_url)

    monkeypatch.setattr(report_views, "render_pdf", spy)
    client = signed_in("boardmember")
    first = client.get("/reports/board.pdf")
    again = client.get("/reports/board.pdf")
    assert first.status_code == again.status_code == 200 and first.content.startswith(b"%PDF")
    assert again.content == first.content and len(made) == 1  # laid out once
    assert "every figure withheld (under 11)" in made[0] and "Scroll sideways" not in made[0]

    template = Contact.objects.order_by("-occurred_at").first()
    assert template is not None
    extra = [Contact.objects.get(pk=template.pk) for _ in range(40)]
    for c in extra:
        c.pk, c.agency_stop_id = None, ""
    Contact.objects.bulk_create(extra)
    audit_log(actor=None, action="contact_record", obj=extra[0])  # what every service does with its change
    changed = client.get("/reports/board.pdf")
    assert changed.status_code == 200 and changed.content.startswith(b"%PDF")
    assert len(made) == 2 and made[1] != made[0]  # the new contacts show in the figures: laid out again
    assert client.get("/reports/board.pdf").content == changed.content and len(made) == 2

    with override_settings(SRO_FIGURES_CACHE_SECONDS=0):  # caching off: made every time
        client.get("/reports/board.pdf")
    assert len(made) == 3
