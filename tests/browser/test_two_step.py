"""Two-step sign-in in a real browser: the set-up page draws its QR code under the
Content-Security-Policy, passes axe-core, and a code typed from the shown key turns it on."""

from __future__ import annotations

import json
import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def test_setting_up_two_step_sign_in_in_the_browser(tab: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    t = tab(bypass_csp=False)
    page = t.sign_in("principal.pshs")
    t.go("/accounts/two-step/")
    assert page.get_by_role("heading", name="Set up two-step sign-in").is_visible()
    assert page.locator("[data-qr] svg").is_visible()
    secret = page.locator("[data-secret]").inner_text().strip()
    t.shot("two-step-setup")
    assert not t.csp_violations(), t.errors

    checked = tab(bypass_csp=True)  # axe-core is injected as an inline script
    checked.sign_in("principal.pshs")
    checked.go("/accounts/two-step/")
    checked.page.add_script_tag(path=str(AXE))
    result = checked.page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']}})"
    )
    serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious)

    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    totp.time = time.time()
    page.fill("#id_code", f"{totp.token():06d}")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator("[data-recovery-codes] li").count() == 10
    t.shot("two-step-codes")
