"""The public site in a real browser: Spanish, charts under the CSP, comments, and accessibility (axe-core)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import AXE, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def public_paths() -> dict[str, str]:
    from sro.community.models import AgendaItem
    from sro.contracts.models import Contract

    contract = Contract.objects.get(city__name="Palm Springs")
    item = AgendaItem.objects.filter(comments__status="published").order_by("pk").first()
    assert item is not None
    return {
        "home": "/public/",
        "campus": "/public/campuses/33671733335130/",
        "contracts": "/public/contracts/",
        "contract": f"/public/contracts/{contract.pk}/",
        "figures": "/public/figures/",
        "meetings": "/public/meetings/",
        "agenda-item": f"/public/meetings/items/{item.pk}/",
        "downloads": "/public/data/",
    }


def test_the_public_site_opens_in_spanish_and_switches_to_english(tab: Any) -> None:
    t = tab(locale="es-ES")
    page = t.go("/public/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Oficiales de recursos escolares, a la vista").is_visible()
    assert "El contrato todavía se está negociando." in page.content()
    t.shot("public-home-es")
    page = t.go("/public/figures/")
    page.wait_for_selector(".vega.rendered svg")
    assert "Por cada 1.000 estudiantes" in page.content()
    t.shot("public-figures-es")
    page.click("button[value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Figures", exact=True).is_visible()
    assert not t.csp_violations(), t.errors


def test_charts_render_with_vega_embed_under_the_csp_and_print(tab: Any) -> None:
    t = tab()
    page = t.go("/public/figures/")
    page.wait_for_selector("#trend-title ~ .vega.rendered svg")
    assert page.locator(".vega.rendered svg").count() == 3
    assert not t.errors, t.errors  # no CSP violation, no script error
    t.shot("public-figures")
    page = t.go("/public/contracts/")
    page.wait_for_selector(".vega.rendered svg")
    t.shot("public-contracts")
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden() and page.locator(".chart svg").first.is_visible()
    assert not t.errors, t.errors


def test_a_resident_comments_and_the_director_publishes_it(tab: Any) -> None:
    from sro.community.models import AgendaItem

    item = AgendaItem.objects.filter(comments_open=True, version__contract__status="board_review").first()
    assert item is not None
    resident = tab(locale="es-ES")
    page = resident.go(f"/public/meetings/items/{item.pk}/")
    page.fill("#id_body", "Queremos ver las cifras cada trimestre, por favor.")
    page.fill("#id_name", "Lucía P.")
    page.fill("#id_neighbourhood", "Palm Springs centro")
    page.select_option("#id_language", "es")
    page.locator("#comment").scroll_into_view_if_needed()
    resident.shot("public-comment-form")
    page.click("button:has-text('Enviar comentario')")
    page.wait_for_load_state("networkidle")
    assert "Gracias. Su comentario aparecerá aquí" in page.content()
    assert "Queremos ver las cifras" not in page.locator("#comments-h ~ *").first.inner_text()
    director = tab()
    director.sign_in("director")
    page = director.go("/community/moderation/")
    card = page.locator("article.comment-card", has_text="Queremos ver las cifras")
    director.shot("moderation-queue")
    card.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_load_state("networkidle")
    page = resident.go(f"/public/contracts/{item.version.contract_id}/")
    assert "Queremos ver las cifras cada trimestre" in page.content() and "Lucía P." in page.content()
    assert not resident.csp_violations() and not director.csp_violations()


def _axe(t: Any) -> list[dict[str, Any]]:
    t.page.add_script_tag(path=str(AXE))
    result = t.page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_public_pages_have_no_serious_accessibility_violations(tab: Any, locale: str) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    t = tab(locale=locale, bypass_csp=True)  # the test injects axe-core as an inline script
    found = {}
    for name, path in public_paths().items():
        t.go(path)
        if name in ("figures", "contracts"):
            t.page.wait_for_selector(".vega.rendered svg")
        if locale == "en-US" and name in ("home", "contract", "agenda-item"):
            t.shot(f"public-{name}")
        violations = _axe(t)
        if violations:
            found[name] = violations
    assert not found, json.dumps(found, indent=1)
