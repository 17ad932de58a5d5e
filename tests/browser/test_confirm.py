"""A step with consequences in a real browser: the director opens a contract, clicks Terminate,
reads the warning, submits without a reason, sees the error, and cancels back unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

# Screenshots of this test go to the temporary folder only, never to docs/screenshots.
SHOTS = Path(tempfile.gettempdir()) / "sro-confirm-screenshots"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0


def test_terminating_a_contract_asks_for_a_reason_and_can_be_cancelled(tab: Any) -> None:
    from sro.contracts.models import Contract
    from sro.core.models import AuditEvent

    contract = Contract.objects.get(city__name="Palm Springs")
    status, events = contract.status, AuditEvent.objects.count()
    t = tab()
    t.sign_in("director")
    page = t.go(f"/contracts/{contract.pk}/")
    terminate = page.get_by_role("link", name="Terminate the contract")
    expect(terminate).to_be_visible()
    expect(page.get_by_role("button", name="Terminate the contract")).to_have_count(0)  # no one-click button
    _shot(page, "1-contract")

    terminate.click()
    page.wait_for_url(f"**/contracts/{contract.pk}/actions/terminate/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terminate the agreement with Palm Springs Police Department?"
    )
    expect(page.locator(".warning")).to_contain_text("can no longer be deployed at its campuses")
    expect(page.locator(".warning")).to_contain_text("This cannot be undone")
    button = page.get_by_role("button", name="Terminate the agreement")
    expect(button).to_have_class("button-danger")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(164, 14, 38)"  # --bad
    _shot(page, "2-warning")

    button.click()  # no reason given
    page.wait_for_load_state("networkidle")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Give the reason for terminating the agreement.")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    _shot(page, "3-error")
    summary.get_by_role("link").click()
    expect(page.locator("#id_reason")).to_be_focused()  # the summary's link leads to the field

    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(contract.title)
    _shot(page, "4-back")
    contract.refresh_from_db()
    assert contract.status == status
    # Signing in is audited; nothing else was.
    assert not AuditEvent.objects.filter(seq__gt=events).exclude(action__in=["login", "sign_in"]).exists()
    assert not t.csp_violations(), t.errors
