"""A parent answers the yearly evaluation's survey in Spanish on a 375 px phone, through a single-use link."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def _link() -> str:
    from sro.evaluation.models import Survey
    from sro.evaluation.services import survey_links_issue
    from sro.orgs.actors import actor_for
    from sro.orgs.models import User

    survey = Survey.objects.select_related("evaluation__contract").get()  # the demo's survey
    school = survey.evaluation.contract.campuses.get()
    director = actor_for(User.objects.get(username="director"))
    [token] = survey_links_issue(actor=director, survey=survey, respondent="parent", school=school, count=1)
    return f"/public/survey/{token}/"


def test_a_parent_answers_the_survey_in_spanish_on_a_phone_once(tab: Any) -> None:
    from sro.evaluation.models import SurveyResponse

    path = _link()
    t = tab(locale="es-ES")
    t.page.set_viewport_size({"width": 375, "height": 812})
    page = t.go(path)
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    before = SurveyResponse.objects.count()
    page.click("form.survey-form button[type=submit]")  # nothing chosen: the errors, named
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary, [role=alert]").count() >= 1
    assert SurveyResponse.objects.count() == before
    page.check("#id_feels_safe_3")
    page.check("#id_trusts_sro_2")
    page.check("#id_knows_how_to_complain_4")
    page.fill("#id_comment", "El oficial saluda a los estudiantes cada mañana.")
    t.shot("survey-es-375")
    page.click("form.survey-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    answer = SurveyResponse.objects.latest("pk")
    assert SurveyResponse.objects.count() == before + 1
    assert (answer.respondent, answer.language, answer.feels_safe, answer.trusts_sro, answer.knows_how_to_complain) == (
        "parent", "es", 4, 3, 5,
    )  # fmt: skip
    page = t.go(path)  # the link is spent
    assert "form.survey-form" not in page.content() and page.locator("form.survey-form").count() == 0
    # the refused first try (422) and the spent link (410) are the only messages: no script or CSP error
    assert [e for e in t.errors if "Failed to load resource" not in e] == [], t.errors


def test_the_survey_has_no_serious_accessibility_violations(tab: Any) -> None:
    from tests.browser.test_public import _axe

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    path = _link()
    t = tab(locale="es-ES", bypass_csp=True)  # axe-core is injected as an inline script
    t.go(path)
    assert _axe(t) == []


def test_the_evaluation_report_page_has_no_serious_accessibility_violations(tab: Any) -> None:
    from sro.evaluation.models import Evaluation
    from tests.browser.test_public import _axe

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    ev = Evaluation.objects.get()  # the demo's
    t = tab(bypass_csp=True)
    t.sign_in("director")
    page = t.go(f"/evaluation/{ev.pk}/")
    assert page.locator("h1").inner_text().startswith("Yearly evaluation")
    t.shot("evaluation-report")
    assert _axe(t) == []
