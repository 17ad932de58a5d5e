"""Amounts and numbers read the US way in English and in Spanish: "$176,000.00", "1,234.5"."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from sro.contracts.models import Contract
from sro.public.formatting import money, number

LANGUAGES = ["en", "es"]
# A number written the continental way: "176 000", "176.000" or "176000,00" (space, no-break space or point
# between thousands; a comma before two decimals).
CONTINENTAL = re.compile(r"\d[\u00a0\u202f .]\d{3}\b|\d,\d{2}\b(?!\d)")


def _page(path: str, lang: str, client: Client | None = None) -> str:
    c = client or Client()
    r = c.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200, path
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html, path
    return html


def _amounts(html: str) -> list[str]:
    return re.findall(r"\$[\d.,\u00a0\u202f ]*\d", html)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_contract_page_shows_its_costs_with_us_separators(site: dict[str, Any], lang: str) -> None:
    contract = Contract.objects.get(city__name="Cathedral City")
    assert contract.annual_cost == Decimal("176000.00")
    html = _page(f"/public/contracts/{contract.pk}/", lang)
    assert "$176,000.00" in html
    assert "176 000" not in html and "176\u00a0000" not in html and "176.000" not in html
    for amount in _amounts(html):
        assert not CONTINENTAL.search(amount), amount


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_contracts_and_costs_page_shows_every_amount_with_us_separators(site: dict[str, Any], lang: str) -> None:
    html = _page("/public/contracts/", lang)
    for cost in ("$176,000", "$182,000", "$180,000", "$185,000"):
        assert cost in html, cost
    amounts = _amounts(html)
    assert len(amounts) >= 8
    for amount in amounts:
        assert not CONTINENTAL.search(amount), amount
    # Per-student costs keep two decimals after a point: "$87.43", never "$87,43".
    per_student = [a for a in amounts if re.fullmatch(r"\$\d{1,3}\.\d{2}", a)]
    assert per_student, amounts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_staff_contract_list_shows_costs_with_us_separators(client_for: Any, lang: str) -> None:
    html = _page("/contracts/", lang, client_for("director"))
    assert "$176,000.00" in html and "$182,000.00" in html
    for amount in _amounts(html):
        assert not CONTINENTAL.search(amount), amount


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_public_site_formats_numbers_the_us_way_in_both_languages(lang: str) -> None:
    with translation.override(lang):
        assert number(1234.5) == "1,234.5"
        assert number(1234567, 0) == "1,234,567"
        assert money(Decimal("176000.00"), 2) == "$176,000.00"


def test_spanish_dates_keep_their_spanish_form() -> None:
    import datetime as dt

    from django.utils import formats

    with translation.override("es"):
        assert formats.date_format(dt.date(2026, 12, 5)) == "5 de diciembre de 2026"
        assert formats.date_format(dt.date(2026, 12, 5), "SHORT_DATE_FORMAT") == "05/12/2026"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (1.26, 1, "1.3"),  # rounded, not cut off ("1.2")
        (0.999, 1, "1.0"),
        (2.675, 2, "2.68"),  # as written, not as the binary float's 2.67499…
        (-1.25, 1, "-1.3"),
        (Decimal("1234.5"), 0, "1,235"),
        (176000, 2, "176,000.00"),
    ],
)
def test_numbers_are_rounded_half_away_from_zero_in_both_languages(
    lang: str, value: float | Decimal, places: int, shown: str
) -> None:
    with translation.override(lang):
        assert number(value, places) == shown
