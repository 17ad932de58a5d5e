"""Every form a district keeps its records with, sent empty in a real browser by the role that owns
it: the GOV.UK error summary comes first, takes the focus, says what to do rather than Django's
"This field is required", and each of its links leads to the field it names; the title starts
with "Error:"; nothing is saved; axe-core finds no serious or critical violation on the page with
its errors showing.

The incident form, the confirmation pages and the public complaint form have their own, longer
walks (test_incident_form.py, test_confirm.py, test_complaints.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, needs_chromium
from tests.browser.test_role_homes import _axe

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def _open_contract_pk() -> int:
    """A contract whose text may change (in negotiation, or in force and so amendable)."""
    from sro.contracts.models import Contract
    from sro.contracts.workflow import AMENDABLE, NEGOTIABLE

    return int(Contract.objects.filter(status__in=NEGOTIABLE | AMENDABLE).order_by("pk").first().pk)  # type: ignore[union-attr]


def _council_pk() -> int:
    from sro.contracts.models import Body

    return int(Body.objects.get(kind=Body.Kind.CITY_COUNCIL, city__name="Palm Springs").pk)


def _officer_pk() -> int:
    from sro.staffing.models import Officer

    return int(Officer.objects.filter(agency__name="Palm Springs Police Department").order_by("pk").first().pk)  # type: ignore[union-attr]


def _district_pk() -> int:
    from sro.orgs.models import District

    return int(District.objects.get().pk)


def _agency_pk() -> int:
    from sro.orgs.models import LawEnforcementAgency

    return int(LawEnforcementAgency.objects.get(name="Palm Springs Police Department").pk)


@dataclass(frozen=True)
class Form:
    name: str
    username: str
    path: Callable[[], str]
    form: str = "main form.stack"  # the form to send, when a page has several
    model: str = ""  # app_label.Model whose row count must not change
    clear: tuple[str, ...] = ()  # fields the page fills in for you (today's date), emptied first


FORMS = [
    Form("contract", "director", lambda: "/contracts/new/", model="contracts.Contract"),
    Form("contract version", "director", lambda: f"/contracts/{_open_contract_pk()}/versions/new/"),
    Form("body", "director", lambda: "/contracts/bodies/new/", model="contracts.Body"),
    Form(
        "meeting",
        "director",
        lambda: f"/contracts/bodies/{_council_pk()}/meetings/new/",
        model="contracts.Meeting",
        clear=("#id_date",),
    ),
    Form("agenda item", "director", lambda: "/community/agenda/new/", model="community.AgendaItem"),
    Form("person", "director", lambda: f"/people/district/{_district_pk()}/add/"),
    Form("role grant", "director", lambda: f"/people/district/{_district_pk()}/grant/"),
    Form("assignment", "director", lambda: "/staffing/assignments/new/", model="staffing.Assignment"),
    Form("officer", "lt.pspd", lambda: "/staffing/officers/new/", model="staffing.Officer"),
    Form("agency person", "lt.pspd", lambda: f"/people/agency/{_agency_pk()}/add/"),
    Form(
        "nomination",
        "lt.pspd",
        lambda: f"/staffing/officers/{_officer_pk()}/",
        form="form[action$='/nominate/']",
        model="staffing.Nomination",
    ),
    Form(
        "training completion",
        "lt.pspd",
        lambda: f"/staffing/officers/{_officer_pk()}/",
        form="form[action$='/training/']",
        model="staffing.TrainingRecord",
    ),
    Form("force report", "officer.pspd", lambda: "/force/new/", model="force.ForceReport"),
    Form("complaint taken by staff", "director", lambda: "/complaints/new/", model="complaints.Complaint"),
]


def _count(model: str) -> int:
    from django.apps import apps

    if not model:
        return 0
    return int(apps.get_model(model).objects.count())


def test_every_form_sent_empty_shows_the_error_summary_linked_to_its_fields(tab: Any) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    problems: dict[str, Any] = {}
    checked = 0
    for f in FORMS:
        t = tab(bypass_csp=True)  # axe-core is injected as an inline script
        t.sign_in(f.username)
        page = t.go(f.path())
        before = _count(f.model)
        form = page.locator(f.form).first
        if not form.is_visible():
            problems[f.name] = f"no form at {page.url}: {page.locator('h1').first.text_content()}"
            t.close()
            continue
        for selector in f.clear:
            form.locator(selector).fill("")
        form.locator("button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        summary = page.locator(".error-summary")
        if not summary.is_visible():
            problems[f.name] = "no error summary after sending the form empty"
            t.close()
            continue
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_be_focused()
        generic = [m for m in ("This field is required", "Enter a valid") if m in (summary.text_content() or "")]
        if generic:  # GOV.UK: each message says what to do ("Choose the contract ..."), not Django's default
            problems[f"{f.name} (messages)"] = summary.text_content()
        assert page.title().startswith("Error:"), (f.name, page.title())
        links = summary.locator("a")
        assert links.count() >= 1, f.name
        for i in range(links.count()):
            target = links.nth(i).get_attribute("href") or ""
            assert target.startswith("#"), (f.name, target)
            field = page.locator(target)
            assert field.count() == 1, f"{f.name}: the summary links to {target}, which is not on the page"
            links.nth(i).click()
            expect(field).to_be_focused()
            summary.focus()
        assert _count(f.model) == before, f"{f.name}: something was saved"
        violations = _axe(t)
        if violations:
            problems[f.name] = violations
        t.shot(f"form-error-{f.name.replace(' ', '-')}")
        checked += 1
        t.close()
    print(f"{checked} of {len(FORMS)} forms checked empty: summary first, linked, nothing saved")
    assert not problems, json.dumps(problems, indent=1)
