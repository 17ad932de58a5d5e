"""The public site: every page without signing in, in English and Spanish, with CSV downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sro.community.models import AgendaItem
from sro.contracts.models import Contract
from sro.contracts.services import contract_create
from sro.orgs.models import LawEnforcementAgency
from sro.public.downloads import DOWNLOADS


def public_paths() -> list[str]:
    contract = Contract.objects.exclude(status="draft").order_by("pk").first()
    item = AgendaItem.objects.order_by("pk").first()
    assert contract is not None and item is not None
    return [
        "/public/",
        "/public/campuses/33671733335130/",
        "/public/contracts/",
        f"/public/contracts/{contract.pk}/",
        "/public/figures/",
        "/public/figures/?quarter=2026-Q4&outcome=boundary_crossings",
        "/public/meetings/",
        f"/public/meetings/items/{item.pk}/",
        "/public/data/",
    ]


# English interface text that must not appear on a page served in Spanish.
ENGLISH = [
    "Skip to content",
    "Overview",
    "Contracts and costs",
    "Meetings and comments",
    "Downloads",
    "Officer allowed?",
    "withheld (under 11)",
    "Per 1,000 students",
    "Send comment",
    "Published comments",
    "Every condition is met",
    "The contract is still being negotiated.",
    "Awaiting school board approval",
    "How the figures are made",
    "Students enrolled",
    "(in progress)",
    "Q3 2026",
]


def test_every_public_page_opens_without_signing_in_and_keeps_to_the_csp(site: dict[str, Any]) -> None:
    c = Client()
    for path in public_paths():
        r = c.get(path)
        assert r.status_code == 200, path
        html = r.content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html, path
        assert "script-src 'self'" in r["Content-Security-Policy"]
        assert 'lang="en"' in html


def test_spanish_is_served_on_request_and_no_interface_text_stays_english(site: dict[str, Any]) -> None:
    c = Client(HTTP_ACCEPT_LANGUAGE="es")
    for path in public_paths():
        html = c.get(path).content.decode()
        assert '<html lang="es">' in html, path
        leftovers = [s for s in ENGLISH if s in html]
        assert not leftovers, (path, leftovers)
    home = c.get("/public/").content.decode()
    assert "¿Puede haber un oficial en el plantel hoy" in home and "El contrato todavía se está negociando." in home


def test_the_language_switch_posts_to_setlang_and_sticks(site: dict[str, Any]) -> None:
    c = Client()
    assert 'action="/i18n/setlang/"' in c.get("/public/").content.decode()
    r = c.post("/i18n/setlang/", {"language": "es", "next": "/public/figures/"})
    assert r.status_code == 302 and r["Location"] == "/public/figures/"
    assert "Cifras" in c.get("/public/figures/").content.decode()


def test_campuses_show_the_deployment_answer_in_plain_language(site: dict[str, Any]) -> None:
    html = Client().get("/public/").content.decode()
    assert "0 of 4 program campuses may have an officer today." in html
    assert "The city council approved; the school board has not yet given final approval." in html
    assert Client().get("/public/campuses/00000000000000/").status_code == 404


def test_a_contract_page_has_text_rubric_votes_and_its_agenda(site: dict[str, Any]) -> None:
    cc = Contract.objects.get(city__name="Cathedral City")
    html = Client().get(f"/public/contracts/{cc.pk}/").content.decode()
    assert "Proposed text (version 2), not in force" in html
    assert "prohibited from involvement in enforcing school codes of conduct" in html
    assert "13 of 13 elements covered" in html
    assert "5 aye, 0 no, 0 abstaining, 0 absent" in html and "Cathedral City City Council" in html
    assert "PSUSD Board of Education" in html and "vote scheduled" in html
    assert "Comment on this item" in html


def test_drafts_stay_off_the_public_site(site: dict[str, Any]) -> None:
    school = site["schools"]["Palm Springs High"]
    draft = contract_create(
        actor=None,
        district=site["district"],
        agency=LawEnforcementAgency.objects.get(name="Palm Springs Police Department"),
        city=school.city,
        title="A draft nobody has seen",
        campuses=[school],
        positions=1,
        term_start=dt.date(2027, 8, 1),
        term_end=dt.date(2028, 6, 30),
        annual_cost="1000",
    )
    c = Client()
    assert "A draft nobody has seen" not in c.get("/public/contracts/").content.decode()
    assert c.get(f"/public/contracts/{draft.pk}/").status_code == 404
    assert "A draft nobody has seen" not in c.get("/public/data/contracts.csv").content.decode()


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_every_table_downloads_as_csv(site: dict[str, Any], name: str) -> None:
    r = Client().get(f"/public/data/{name}.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert f'filename="sro-{name}.csv"' in r["Content-Disposition"]
    lines = r.content.decode().splitlines()
    assert "," in lines[0]
    assert len(lines) >= 2 or name == "spending"  # no contract is approved yet in the demo


def test_figures_csv_withholds_what_the_page_withholds(site: dict[str, Any]) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(Client().get("/public/data/figures.csv").content.decode())))
    assert rows and all((r["count"] == "") == (r["suppressed"] == "true") for r in rows)
    assert all(int(r["count"]) >= 11 for r in rows if r["count"])


def test_charts_are_declared_with_a_summary_and_a_table(site: dict[str, Any]) -> None:
    html = Client().get("/public/figures/").content.decode()
    assert html.count('class="vega"') == 3 and 'id="trend-spec" type="application/json"' in html
    assert "Data for the chart: Rates over time, all program campuses" in html
    assert "vendor/vega-embed.min.js" in html and "vendor/vega-interpreter.js" in html
    assert "cdn" not in html.lower()
