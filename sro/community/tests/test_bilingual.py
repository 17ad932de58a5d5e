"""Agenda items in English and Spanish: the Spanish text where there is one, else the English one, labelled."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from sro.community.models import AgendaItem
from sro.contracts.models import Body, Contract, Meeting
from sro.contracts.services import meeting_create


def _spanish_label() -> str:
    with translation.override("es"):
        return gettext("(in English)")


def _board_item() -> AgendaItem:
    item = AgendaItem.objects.filter(meeting__body__kind="school_board", version__contract__city__name="Cathedral City")
    found = item.select_related("meeting").first()
    assert found is not None
    return found


def _new_board_meeting() -> Meeting:
    board = Body.objects.get(kind="school_board")
    return meeting_create(actor=None, body=board, date=timezone.localdate() + dt.timedelta(days=30))


def test_every_demo_item_has_its_title_and_summary_in_spanish(site: dict[str, Any]) -> None:
    items = list(AgendaItem.objects.all())
    assert items
    for item in items:
        assert item.title_es and item.summary_es, item
        assert item.title_es != item.title and item.summary_es != item.summary


def test_a_spanish_reader_reads_the_item_in_spanish_and_an_english_reader_in_english(site: dict[str, Any]) -> None:
    item = _board_item()
    es = Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/public/meetings/items/{item.pk}/").content.decode()
    assert f"<h1>{item.title_es}</h1>" in es
    assert item.summary_es in es and item.summary not in es
    assert f"<title>{item.title_es} ·" in es
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/public/meetings/items/{item.pk}/").content.decode()
    assert f"<h1>{item.title}</h1>" in en
    assert item.summary in en and item.summary_es not in en
    for path in ("/public/meetings/", "/public/", f"/public/contracts/{item.version.contract_id}/"):
        page = Client(HTTP_ACCEPT_LANGUAGE="es").get(path).content.decode()
        assert item.title_es in page and item.title not in page, path


def test_without_spanish_a_spanish_reader_sees_the_english_text_marked_and_labelled(site: dict[str, Any]) -> None:
    item = _board_item()
    AgendaItem.objects.filter(pk=item.pk).update(title_es="", summary_es="")
    es = Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/public/meetings/items/{item.pk}/").content.decode()
    label = _spanish_label()
    assert f'<h1><span lang="en">{item.title}</span> <span class="lang-fallback">{label}</span></h1>' in es
    assert f'<span lang="en">{item.summary}</span>' in es
    listing = Client(HTTP_ACCEPT_LANGUAGE="es").get("/public/meetings/").content.decode()
    assert f'<span lang="en">{item.title}</span> <span class="lang-fallback">{label}</span>' in listing
    # An English reader sees the English text as it is, with no label.
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/public/meetings/items/{item.pk}/").content.decode()
    assert f"<h1>{item.title}</h1>" in en and "lang-fallback" not in en


def test_the_director_adds_an_item_in_both_languages(signed_in: Any, site: dict[str, Any]) -> None:
    director = signed_in("director")
    form = director.get("/community/agenda/new/").content.decode()
    assert 'name="title_es"' in form and 'name="summary_es"' in form
    meeting = _new_board_meeting()
    version = Contract.objects.get(city__name="Cathedral City").versions.order_by("-number").first()
    assert version is not None
    r = director.post(
        "/community/agenda/new/",
        {
            "meeting": meeting.pk,
            "version": version.pk,
            "number": "5.1",
            "title": "Public hearing on the SRO agreement",
            "summary": "Residents may speak for three minutes each.",
            "title_es": "Audiencia pública sobre el acuerdo de SRO",
            "summary_es": "Cada residente puede hablar durante tres minutos.",
            "comments_open": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    item = AgendaItem.objects.get(meeting=meeting, version=version)
    assert item.title_es == "Audiencia pública sobre el acuerdo de SRO"
    assert item.summary_es == "Cada residente puede hablar durante tres minutos."
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get(r["Location"]).content.decode()
    assert "<h1>Audiencia pública sobre el acuerdo de SRO</h1>" in page


def test_the_agenda_item_form_names_each_missing_field_in_the_error_summary(
    signed_in: Any, site: dict[str, Any]
) -> None:
    r = signed_in("director").post("/community/agenda/new/", {"title_es": "Sin título en inglés"})
    html = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in html
    summary = html[html.index("error-summary-list") : html.index("</ul>", html.index("error-summary-list"))]
    for field, label in (("meeting", "Meeting"), ("number", "Item number"), ("title", "Title")):
        assert re.search(rf'href="#id_{field}">{label}: ', summary), field
    assert 'value="Sin título en inglés"' in html
    assert not AgendaItem.objects.filter(title_es="Sin título en inglés").exists()


def test_the_api_takes_and_returns_both_languages(signed_in: Any, site: dict[str, Any]) -> None:
    director = signed_in("director")
    meeting = _new_board_meeting()
    contract = Contract.objects.get(city__name="Palm Springs")
    version = contract.versions.order_by("-number").first()
    assert version is not None
    r = director.post(
        "/api/v1/agenda-items",
        {
            "meeting_id": meeting.pk,
            "contract_id": contract.pk,
            "version": version.number,
            "number": "6.2",
            "title": "Final approval",
            "summary": "The board votes.",
            "title_es": "Aprobación final",
            "summary_es": "La junta vota.",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["title_es"], body["summary_es"]) == ("Aprobación final", "La junta vota.")
    listed = {i["id"]: i for i in Client().get("/api/v1/agenda-items").json()}
    assert listed[body["id"]]["title_es"] == "Aprobación final"
    assert all(i["title_es"] for i in listed.values() if i["id"] != body["id"])  # the demo's, in Spanish too
