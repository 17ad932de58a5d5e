"""What the force app adds to staffing's pages: the link to the whole record on the officer page,
and the candidate's history on the selection panel's page."""

from __future__ import annotations

from typing import Any

import pytest

from sro.staffing.models import Officer, Panel


@pytest.mark.parametrize(
    ("username", "linked"), [("director", True), ("lt.pspd", True), ("officer.pspd", True), ("principal.pshs", False)]
)
def test_the_officer_page_links_the_whole_record_for_those_who_may_open_it(
    signed_in: Any, username: str, linked: bool
) -> None:
    officer = Officer.objects.get(user__username="officer.pspd")
    page = signed_in(username).get(f"/staffing/officers/{officer.pk}/")
    if page.status_code == 404:
        assert not linked
        return
    assert (f'href="/force/officers/{officer.pk}/"' in page.content.decode()) is linked


def test_the_panel_sees_the_candidates_history_when_scoring(signed_in: Any) -> None:
    panel = Panel.objects.filter(nomination__officer__user__username="officer.pspd").first()
    assert panel is not None
    html = signed_in("director").get(f"/staffing/panels/{panel.pk}/").content.decode()
    assert "The candidate&#x27;s history" in html or "The candidate's history" in html
    assert "Uses of force reported" in html and "Boundary reviews" in html and "Complaints" in html
    assert f'href="/force/officers/{panel.nomination.officer_id}/"' in html
