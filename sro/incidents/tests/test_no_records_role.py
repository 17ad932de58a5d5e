"""Oversight roles that read counts only are told so, instead of seeing an empty list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

COUNTS_ONLY = ["superintendent", "boardmember", "analyst"]


@pytest.mark.parametrize("username", COUNTS_ONLY)
@pytest.mark.parametrize("path", ["/incidents/", "/incidents/reviews/"])
def test_a_counts_only_role_is_told_why_the_list_is_not_shown_and_where_the_counts_are(
    signed_in: Callable[[str], Client], username: str, path: str
) -> None:
    html = signed_in(username).get(path).content.decode()
    assert "Your role does not show individual" in html
    assert 'href="/reports/board/"' in html
    assert "No incidents to show." not in html and "No reviews." not in html
    assert "<table" not in html


@pytest.mark.parametrize(("username", "path"), [("director", "/incidents/reviews/"), ("principal.pshs", "/incidents/")])
def test_a_role_that_reads_records_sees_the_list(signed_in: Callable[[str], Client], username: str, path: str) -> None:
    html = signed_in(username).get(path).content.decode()
    assert "Your role does not show individual" not in html
    assert "<table" in html
