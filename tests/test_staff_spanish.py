"""The staff pages in Spanish: a district director who chose Spanish reads Spanish, not English literals.

The director signs in with the language cookie set to Spanish (what the language switch stores) and opens
the home page, an officer, a contract, the campus status board and the people page. Each page must show
Spanish words from the catalogue, and must no longer show the English text those words replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from sro.contracts.models import Contract
from sro.staffing.models import Officer


@pytest.fixture
def director_es(demo: dict[str, Any], client_for: Callable[[str], Client]) -> Client:
    client = client_for("director")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def _page(client: Client, path: str) -> str:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    return response.content.decode()


# (path, Spanish that must appear, English that must not)
def _pages() -> list[tuple[str, list[str], list[str]]]:
    officer = Officer.objects.order_by("pk").first()
    contract = Contract.objects.order_by("pk").first()
    assert officer is not None and contract is not None
    return [
        (
            "/",
            [
                "Sus funciones",
                "Lo que usted puede hacer",
                "Planteles",
                "Contactos de los SRO",
                "Comentarios del público",
            ],
            ["Your roles", "What you can do", "SRO contacts", "Public comments", "Program campuses and their status."],
        ),
        (
            f"/staffing/officers/{officer.pk}/",
            ["<dt>Placa</dt>", "Nominaciones", "Capacitación al", "Vigente hasta", "Cursos completados registrados"],
            ["<dt>Badge</dt>", "<h2>Nominations</h2>", "Training on ", "Valid until", "District review"],
        ),
        (
            f"/contracts/{contract.pk}/",
            ["Costo durante la vigencia", "Por plantel / por estudiante", "Renovación"],
            ["Cost over the term", "Per campus / per student", "<dt>Renewal</dt>"],
        ),
        (
            "/campuses/board/",
            ["Tablero del estado de los planteles", "Puede haber oficial", "El contrato todavía se está negociando."],
            # the gate's reasons too (the demo has a campus without an approved contract)
            ["Campus status board", "May deploy", "The contract is still being negotiated.", "No officer is assigned"],
        ),
        (
            "/people/",
            ["Personas de", "Agregar una persona", "Funciones aquí"],
            ["People of ", "Add a person", "Roles here"],
        ),
        # the routing policy's facts and the role's own description
        ("/incidents/new/", ["Hubo un arma", "Amenaza inminente a la seguridad"], ["A weapon was involved"]),
        ("/", ["Administrador del distrito", "Dirige el programa del distrito"], ["Runs the program for the district"]),
        (
            "/incidents/tasks/",
            ["dentro de un día escolar desde el incidente"],
            ["within one school day of the incident", "Majority of all seats"],
        ),
    ]


def test_the_director_reads_the_staff_pages_in_spanish(director_es: Client) -> None:
    for path, spanish, english in _pages():
        html = _page(director_es, path)
        assert 'lang="es"' in html, path
        for text in spanish:
            assert text in html, f"{path}: {text!r} missing"
        for text in english:
            assert text not in html, f"{path}: {text!r} still in English"


def test_the_roster_is_in_spanish(director_es: Client) -> None:
    """The officers' roster: its heading and its links to the training matrix."""
    html = _page(director_es, "/staffing/")
    assert "Matriz de capacitación" in html and "Training matrix" not in html
    assert "Oficiales" in html and "<h1>Officers</h1>" not in html
