"""The API documentation (/api/v1/docs) in a real browser: Swagger UI from the project's own files,
under the site's Content-Security-Policy, trying an endpoint with the browser's session."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_the_api_docs_list_the_operations_under_the_csp_and_try_one(tab: Any) -> None:
    t = tab()
    t.sign_in("director")
    requested: list[str] = []
    t.page.on("request", lambda r: requested.append(r.url))
    page = t.go("/api/v1/docs")
    me = page.locator('.opblock-summary:has(.opblock-summary-path[data-path="/api/v1/me"])')
    expect(me).to_be_visible()  # Swagger UI has loaded the schema and listed the operations
    expect(page.get_by_text("Who the token or session belongs to, and their roles")).to_be_visible()
    assert page.locator(".opblock").count() > 20
    assert page.locator(".opblock-tag", has_text="contracts").count() == 1
    t.shot("api-docs")
    # Try it out: GET /api/v1/me with the session cookie answers who is signed in.
    me.click()
    block = page.locator(".opblock", has=me)
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    expect(block.locator(".live-responses-table tr.response .response-col_status").first).to_have_text("200")
    answer = block.locator(".live-responses-table tr.response .response-col_description")
    expect(answer).to_contain_text('"director"')
    answer.scroll_into_view_if_needed()
    t.shot("api-docs-try-it-out")
    assert all(u.startswith(t.base) for u in requested), [u for u in requested if not u.startswith(t.base)]
    assert not t.csp_violations(), t.errors
    assert not t.errors, t.errors


def test_an_unsafe_request_from_the_docs_carries_the_csrf_token(tab: Any) -> None:
    """POST from "Try it out" passes the session's CSRF check: the answer is the endpoint's own
    validation error (422), not the 403 a request without the X-CSRFToken header gets."""
    t = tab()
    t.sign_in("director")
    page = t.go("/api/v1/docs")
    block = page.locator('.opblock-post:has(.opblock-summary-path[data-path="/api/v1/contracts"])')
    expect(block).to_be_visible()
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.locator("textarea.body-param__text").fill("{}")
    block.get_by_role("button", name="Execute").click()
    status = block.locator(".live-responses-table tr.response .response-col_status").first
    expect(status).not_to_have_text("")
    assert status.inner_text().strip() == "422", block.locator(".live-responses-table").inner_text()
    assert not t.csp_violations(), t.errors
