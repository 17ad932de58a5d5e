"""The phone-first contact form in a real browser at phone size: the common contact timed, the
discipline warning before saving, the personal-data check with Redact, the form without
JavaScript, and offline: two contacts queued with no connection, each found once on the server.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, PASSWORD, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

OFFICER = "officer.pspd"
FORM = "/incidents/contacts/new/"
PHONE = {"width": 375, "height": 812}
MAX_TAPS = 12  # the common school contact, from the page opening to "saved"


def _phone_tab(tab: Any, **kwargs: Any) -> Any:
    t = tab(**kwargs)
    t.page.set_viewport_size(PHONE)
    t.sign_in(OFFICER)
    return t


def _tile(page: Any, name: str, value: int) -> Any:
    return page.locator(f"label.tile:has(input[name='{name}'][value='{value}'])")


class Taps:
    """Counts what the officer does: each tap, and each field typed in."""

    def __init__(self, page: Any) -> None:
        self.page, self.taps, self.fields = page, 0, set[str]()

    def tap(self, locator: Any, field: str) -> None:
        locator.click()
        self.taps += 1
        self.fields.add(field)

    def choose(self, name: str, value: int) -> None:
        """Tap a tile; first "N more" when it is not among the officer's frequent ones."""
        tile = _tile(self.page, name, value)
        if not tile.is_visible():
            self.tap(self.page.locator(f"[data-field='{name}'] details.more-options > summary"), name)
        self.tap(tile, name)

    def type(self, selector: str, text: str) -> None:
        self.page.locator(selector).click()
        self.taps += 1
        self.page.keyboard.type(text)
        self.fields.add(selector)


def _common_contact(page: Any, taps: Taps, *, age: str = "15") -> None:
    """One student, on campus, a reason, a result: what most school contacts are."""
    taps.choose("race", 3)
    taps.choose("gender", 1)
    taps.type("#id_age", age)
    taps.type("#id_duration_minutes", "10")
    taps.choose("reason", 2)
    taps.choose("actions", 24)  # none
    taps.choose("results", 13)


def test_the_common_contact_at_phone_size_takes_few_taps_and_big_targets(tab: Any) -> None:
    from sro.incidents.models import Contact

    t = _phone_tab(tab)
    page = t.go(FORM)
    assert page.input_value("#id_school") != "", "the officer's campus is chosen"
    assert page.input_value("#id_occurred_at") != "", "the date and time are today and now"
    for tile in page.locator("label.tile:visible").all()[:20]:
        assert tile.bounding_box()["height"] >= 44, tile.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    before = Contact.objects.count()
    start = time.monotonic()
    taps = Taps(page)
    _common_contact(page, taps)
    taps.tap(page.get_by_role("button", name="Save contact"), "save")
    page.wait_for_url("**/incidents/contacts/")
    elapsed = time.monotonic() - start
    print(f"\ncommon contact at 375x812: {len(taps.fields) - 1} fields touched, {taps.taps} taps, {elapsed:.1f} s")
    assert Contact.objects.count() == before + 1
    saved = Contact.objects.latest("pk")
    assert (saved.reason, saved.race, saved.gender, saved.age, saved.results) == (2, [3], 1, 15, [13])
    assert taps.taps <= MAX_TAPS
    t.shot("contact-form-phone-saved")
    assert not t.errors, t.errors


def test_the_discipline_warning_shows_before_saving_and_the_next_student_keeps_the_reason(tab: Any) -> None:
    from sro.incidents.models import Contact

    t = _phone_tab(tab)
    page = t.go(FORM)
    warning = page.locator("[data-discipline-warning]")
    expect(warning).to_be_hidden()
    Taps(page).choose("reason", 8)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("school-policy violation")
    expect(warning).to_contain_text("11 CCR")
    t.shot("contact-form-phone-discipline-warning")
    Taps(page).choose("reason", 2)
    expect(warning).to_be_hidden()
    Taps(page).choose("reason", 7)
    expect(page.locator("#id_ed_code_section")).to_be_visible()  # shown only for reason 7
    Taps(page).choose("reason", 8)
    expect(page.locator("#id_ed_code_section")).to_be_hidden()
    _common_contact(page, Taps(page))
    Taps(page).choose("reason", 8)
    page.get_by_role("button", name="Save, then the next student").click()
    page.wait_for_url("**/contacts/new/?same=*")
    expect(page.locator("input[name=reason][value='8']")).to_be_checked()
    expect(page.locator("input[name=results][value='13']")).to_be_checked()
    expect(page.locator("input[name=race]:checked")).to_have_count(0)  # never copied
    expect(page.locator("input[name=gender]:checked")).to_have_count(0)
    assert page.input_value("#id_age") == ""
    expect(warning).to_be_visible()  # the copied reason still crosses: said before saving
    assert Contact.objects.latest("pk").boundary_crossing
    assert not t.errors, t.errors


def test_personal_data_in_the_notes_is_flagged_and_redacted_in_the_page(tab: Any) -> None:
    t = _phone_tab(tab)
    page = t.go(FORM)
    page.locator("summary:has-text('Notes and the student')").click()
    note = page.locator("#id_emergency_note")
    note.fill("The student named Jayden Cole said to call 760-555-0134.")
    box = page.locator("[data-personal-data]")
    expect(box).to_be_visible()
    expect(box).to_contain_text("a name (“Jayden Cole”)")
    expect(box).to_contain_text("a phone number (“760-555-0134”)")
    page.get_by_role("button", name="Redact").click()
    assert note.input_value() == "The student named [REDACTED] said to call [REDACTED]."
    expect(box).to_be_hidden()
    assert not t.errors, t.errors


def test_the_form_saves_with_javascript_off(browser: Any, app: str) -> None:
    from sro.incidents.models import Contact

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(app + "/accounts/login/")
        page.fill("#id_username", OFFICER)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(app + "/")
        page.goto(app + FORM)
        before = Contact.objects.count()
        _common_contact(page, Taps(page), age="")  # the mistake: no age
        page.get_by_role("button", name="Save contact").click()
        page.wait_for_load_state()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("There is a problem")
        expect(summary.get_by_role("link")).to_have_attribute("href", "#id_age")
        page.fill("#id_age", "14")
        page.get_by_role("button", name="Save contact").click()
        page.wait_for_url("**/incidents/contacts/")
        assert Contact.objects.count() == before + 1
    finally:
        context.close()


def test_offline_two_contacts_are_queued_encrypted_and_each_sent_once(tab: Any) -> None:
    from sro.incidents.models import Contact

    t = _phone_tab(tab)
    page = t.go(FORM)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.reload()  # the page now comes through the service worker, which keeps it
    page.wait_for_load_state("networkidle")
    before = Contact.objects.count()

    t.context.set_offline(True)
    page.reload()  # no connection: the form opens from what the service worker kept
    expect(page.get_by_role("heading", name="Record a contact")).to_be_visible()
    ids = []
    for age in ("15", "16"):
        ids.append(page.input_value("input[name=client_id]"))
        _common_contact(page, Taps(page), age=age)
        page.get_by_role("button", name="Save contact").click()
        expect(page.locator("[data-queue-status]")).to_contain_text("queued on this device")
    expect(page.get_by_role("heading", name="Queued on this device: 2")).to_be_visible()
    expect(page.locator("[data-queued]")).to_have_count(2)
    assert len(set(ids)) == 2, "each contact has its own id"
    # What the device keeps is ciphertext: no field of the contact in the clear.
    stored = page.evaluate(
        """() => new Promise((resolve) => {
          const req = indexedDB.open("sro-offline");
          req.onsuccess = () => {
            const all = req.result.transaction("contacts").objectStore("contacts").getAll();
            all.onsuccess = () => resolve(all.result.map((i) => ({
              id: i.id, bytes: new TextDecoder("latin1").decode(i.data), iv: i.iv.length})));
          };
        })"""
    )
    assert sorted(i["id"] for i in stored) == sorted(ids)
    assert all(i["iv"] == 12 and "occurred_at" not in i["bytes"] and OFFICER not in i["bytes"] for i in stored)
    assert Contact.objects.count() == before
    t.shot("contact-form-phone-queued")

    t.context.set_offline(False)  # the connection returns: the page sends what it kept
    expect(page.locator("[data-queue-status]")).to_contain_text("Sent:", timeout=15_000)
    expect(page.locator("[data-queued]")).to_have_count(0)
    page.reload()  # the page sends on load too: nothing is left, nothing is sent again
    page.wait_for_load_state("networkidle")
    for client_id, perceived_age in zip(ids, (15, 16), strict=True):
        saved = Contact.objects.filter(client_id=client_id)
        assert saved.count() == 1 and saved.get().age == perceived_age
    assert Contact.objects.count() == before + 2
    assert not t.csp_violations(), t.errors


def test_a_queued_contact_the_server_refuses_is_kept_with_its_reason(tab: Any) -> None:
    from sro.incidents.models import Contact

    t = _phone_tab(tab)
    page = t.go(FORM)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    before = Contact.objects.count()
    t.context.set_offline(True)
    _common_contact(page, Taps(page))
    page.locator("summary:has-text('Notes and the student')").click()
    page.fill("#id_incident_id", "999999")  # no such incident at the campus: the server says so
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator("[data-queued]")).to_have_count(1)
    t.context.set_offline(False)
    kept = page.locator("[data-queued] .queue-error")
    expect(kept).to_contain_text("no incident 999999", timeout=15_000)
    expect(page.get_by_role("heading", name="Queued on this device: 1")).to_be_visible()
    assert Contact.objects.count() == before
    page.get_by_role("button", name="Put back in the form").click()
    expect(page.locator("[data-queued]")).to_have_count(0)
    assert page.input_value("#id_incident_id") == "999999"
    page.fill("#id_incident_id", "")
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_url("**/incidents/contacts/")
    assert Contact.objects.count() == before + 1


def test_the_phone_form_passes_axe(tab: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    t = _phone_tab(tab, bypass_csp=True)  # the test injects axe-core as an inline script
    page = t.go(FORM)
    Taps(page).choose("reason", 8)
    t.page.add_script_tag(path=str(AXE))
    result = t.page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']}})"
    )
    serious = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
