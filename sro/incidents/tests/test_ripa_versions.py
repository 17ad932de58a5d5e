"""RIPA code lists by date: a contact is validated, read and exported with the lists in force on its
own date (2018-2023 or 2024). The round trip through the DOJ reader is in
sro/oversight/tests/test_ripa_round_trip.py (the reader sits in a higher layer)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sro.core.errors import InvalidInput
from sro.incidents.codes import code_versions, codes_for, codes_version
from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Contact
from sro.incidents.ripa import LAYOUT_COLUMNS, ripa_parse, ripa_write
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for

PSHS = "Palm Springs High"
OLD_DAY = dt.datetime(2023, 10, 12, 10, 30, tzinfo=dt.UTC)


def _record(org: dict[str, Any], **fields: Any) -> Contact:
    base: dict[str, Any] = {"duration_minutes": 10, "reason": 2, "race": [3], "gender": 1, "age": 16, "results": [12]}
    base.update(fields)
    return contact_record(
        actor=actor_for(org["users"]["officer.pspd"]), school=org["schools"][PSHS], data=ContactData(**base)
    )[0]


def test_the_versions_follow_each_other_without_a_gap() -> None:
    old, new = code_versions()
    assert (old.version, new.version) == ("2018", "2024")
    assert old.effective_to is not None and old.effective_to + dt.timedelta(days=1) == new.effective_from
    assert codes_for(dt.date(2023, 12, 31)) is old and codes_for(dt.date(2024, 1, 1)) is new
    assert codes_for(dt.date(2026, 12, 5)) is new and all(v.source for v in (old, new))


@pytest.mark.parametrize(
    ("table", "code", "before", "since"),
    [
        ("result", 2, "Warning (verbal or written)", None),  # split into verbal and written
        ("result", 14, None, "Verbal warning"),
        ("result", 15, None, "Written warning"),
        ("action", 10, "Electronic control device used", None),  # now pointed, drive-stun or darts
        ("action", 15, "Other physical or vehicle contact", None),
        ("action", 25, None, "Pat-down or frisk"),
        ("action", 27, None, "Firearm removed from holster (unholstered)"),
        ("consent_type", 3, None, "Implied by conduct"),
        ("gender", 1, "Male", "Cisgender man/boy"),
        ("gender", 5, "Gender nonconforming", "Nonbinary person"),
        ("race", 3, "Hispanic/Latino(a)", "Hispanic/Latine(x)"),
        ("reason", 9, None, "Probable cause to arrest or search"),
    ],
)
def test_each_list_version_has_its_own_values(table: str, code: int, before: str | None, since: str | None) -> None:
    for version, label in (("2018", before), ("2024", since)):
        entry = codes_version(version).table(table).get(code)
        assert (entry.label if entry else None) == label, version


def test_a_2026_contact_uses_the_2024_lists(org: dict[str, Any]) -> None:
    contact = _record(
        org,
        occurred_at=past(2),
        actions=[25, 18],
        search_basis=[1],
        consent_type=[3],
        perceived_lgb=True,
        results=[14, 12],
    )
    assert contact.codes_version == "2024" and contact.source == "sro"
    assert contact.consent_type == [3] and contact.actions == [18, 25]


@pytest.mark.parametrize(
    ("field", "over", "message"),
    [
        ("actions", {"actions": [10]}, "action code 10 is not in the RIPA lists in force on"),
        ("results", {"results": [2]}, "result code 2 is not in the RIPA lists in force on"),
        ("actions", {"actions": [15]}, "(2024 lists, from 2024-01-01)"),
        ("consent_type", {"actions": [18], "search_basis": [1]}, "say how consent to the search was given"),
        ("consent_type", {"consent_type": [1]}, "only when the basis for search is consent given"),
    ],
)
def test_an_old_code_is_refused_for_a_2026_contact_naming_the_field(
    org: dict[str, Any], field: str, over: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        _record(org, occurred_at=past(2), **over)
    assert [e.field for e in exc.value.errors] == [field]
    assert message in exc.value.errors[0].message
    assert not Contact.objects.exists()


def test_the_api_refuses_an_old_code_with_422_naming_the_field(client_as: Any, org: dict[str, Any]) -> None:
    body = {"school": org["schools"][PSHS].cds_code, "occurred_at": past(2).isoformat(), "duration_minutes": 15,
            "reason": 2, "race": [3], "gender": 1, "age": 16, "results": [2]}  # fmt: skip
    r = client_as("officer.pspd").post("/api/v1/contacts", body, content_type="application/json")
    assert r.status_code == 422 and "results" in r.content.decode() and "result code 2" in r.content.decode()
    body["results"] = [14]
    r = client_as("officer.pspd").post("/api/v1/contacts", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["codes_version"] == "2024" and r.json()["source"] == "sro"


def test_a_pre_2024_contact_keeps_its_lists_reads_and_exports_in_the_old_layout(org: dict[str, Any]) -> None:
    contact = _record(org, occurred_at=OLD_DAY, actions=[10, 18], search_basis=[2], results=[2], perceived_lgb=True)
    assert contact.codes_version == "2018"
    # A 2024 code on a 2023 date is refused, naming the field.
    with pytest.raises(InvalidInput) as exc:
        _record(org, occurred_at=OLD_DAY, results=[14])
    assert exc.value.errors[0].field == "results" and "(2018 lists, 2018-07-01 to 2023-12-31)" in str(exc.value)
    out = io.StringIO()
    ripa_write(Contact.objects.filter(pk=contact.pk), out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert list(row) == list(LAYOUT_COLUMNS["2018-2023"])
    assert row["ADS_ELECT_DEVICE"] == "1" and row["ROS_WARNING"] == "1" and row["LGBT"] == "1"
    assert "NFA_SEARCH_PERSON" not in row and row["G_MALE"] == "1" and row["ADS_SEARCH_PERSON"] == "1"
    ((_, back),) = ripa_parse([row])
    assert back == ContactData.of(contact)


def test_a_2026_contact_exports_in_the_2024_layout(org: dict[str, Any]) -> None:
    contact = _record(
        org, occurred_at=past(2), actions=[25, 28], search_basis=[2], results=[15], gender=5, disability=[7]
    )
    out = io.StringIO()
    ripa_write(Contact.objects.filter(pk=contact.pk), out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert list(row) == list(LAYOUT_COLUMNS["2024"]) and len(row) == 202
    assert (row["NFA_TERRY_FRISK"], row["OFA_ELECT_DEVICE_POINT"], row["OFA_NONE"]) == ("1", "1", "0")
    assert (row["ROS_WRITTEN_WARNING"], row["ROS_VERBAL_WARNING"]) == ("1", "0")
    assert (row["G_NONBINARY_PERSON"], row["SOR_LGB"], row["SOR_STRAIGHT"]) == ("1", "0", "1")
    assert row["PD_FULL"] == "6"  # hyperactivity is 6 in the public files (7 on the entry form)
    assert "ADS_SEARCH_PERSON" not in row


def test_the_export_command_refuses_a_period_spanning_the_change(org: dict[str, Any], tmp_path: Path) -> None:
    _record(org, occurred_at=OLD_DAY)
    _record(org, occurred_at=past(2))
    args = ["export", "ripa", "--agency", "Palm Springs Police Department", "--out", str(tmp_path / "x.csv")]
    with pytest.raises(CommandError, match="export each period to its own file"):
        call_command(*args, "--from", "2023-01-01", "--to", str(timezone.localdate()))
    call_command(*args, "--from", "2023-01-01", "--to", "2023-12-31")
    assert (tmp_path / "x.csv").read_text().startswith("DOJ_RECORD_ID,PERSON_NUMBER,AGENCY_ORI")
