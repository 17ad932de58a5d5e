"""`sro import-ripa-agency`: an agency's own RIPA records become its SROs' contacts once, never twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sro.incidents.agency_import import ripa_agency_import
from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Contact, ContactSource
from sro.incidents.ripa import ripa_write
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for
from sro.orgs.models import LawEnforcementAgency
from sro.staffing.models import Officer

PSHS = "Palm Springs High"
PSPD = "Palm Springs Police Department"


@pytest.fixture
def setup(org: dict[str, Any]) -> dict[str, Any]:
    agency = LawEnforcementAgency.objects.get(name=PSPD)
    user = org["users"]["officer.pspd"]
    Officer.objects.create(
        agency=agency, user=user, first_name="Demo", last_name="Officer", badge_number="501", ripa_officer_id="PS0501"
    )
    data = ContactData(occurred_at=past(3, 9), duration_minutes=10, reason=2, race=[3], gender=1, age=16, results=[14])
    typed, _ = contact_record(actor=actor_for(user), school=org["schools"][PSHS], data=data)
    return {"agency": agency, "typed": typed, "org": org}


def _rows(contact: Contact) -> list[dict[str, str]]:
    out = io.StringIO()
    ripa_write([contact], out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _file(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "agency.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*rows[0].keys()], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _agency_file(tmp_path: Path, typed: Contact) -> Path:
    """The agency's records of the stop typed in sro, of a stop it was not typed for, of a stop off
    campus, of an officer who is not an SRO in sro, and of an adult stopped at the school."""
    (row,) = _rows(typed)
    row.update({"DOJ_RECORD_ID": "PSPD-24-0001", "OFFICER_ID": "ps0501"})
    other = dict(row, DOJ_RECORD_ID="PSPD-24-0002", TIME_OF_STOP="13:40", AGE="15", G_FULL="2")
    street = dict(row, DOJ_RECORD_ID="PSPD-24-0003", SCHOOL_CODE="", SCHOOL_NAME="")
    patrol = dict(row, DOJ_RECORD_ID="PSPD-24-0004", OFFICER_ID="PS9999")
    parent = dict(row, DOJ_RECORD_ID="PSPD-24-0005", STOP_STUDENT="0", AGE="41")
    return _file(tmp_path, [row, other, street, patrol, parent])


def test_an_agency_file_adds_the_new_stops_and_recognises_the_one_typed_in_sro(
    setup: dict[str, Any], tmp_path: Path
) -> None:
    path = _agency_file(tmp_path, setup["typed"])
    report = ripa_agency_import(actor=None, path=path, agency=setup["agency"])
    assert report.ok and report.applied, report.errors
    assert report.counts == {
        "new": 1,
        "matched": 1,
        "skipped: not at a K-12 school": 1,
        "skipped: not an SRO of the agency in sro": 1,
        "skipped: not a student": 1,
    }
    typed = Contact.objects.get(pk=setup["typed"].pk)
    assert (typed.source, typed.agency_stop_id, typed.agency_person_number) == ("sro", "PSPD-24-0001", 1)
    new = Contact.objects.get(agency_stop_id="PSPD-24-0002")
    assert new.source == ContactSource.AGENCY and new.codes_version == "2024" and new.results == [14]
    assert new.officer == setup["org"]["users"]["officer.pspd"] and new.age == 15
    # The same file again: everything is recognised, nothing is added.
    again = ripa_agency_import(actor=None, path=path, agency=setup["agency"])
    assert again.count("matched") == 2 and again.count("new") == 0 and Contact.objects.count() == 2


def test_a_dry_run_reports_the_same_counts_and_saves_nothing(setup: dict[str, Any], tmp_path: Path) -> None:
    report = ripa_agency_import(
        actor=None, path=_agency_file(tmp_path, setup["typed"]), agency=setup["agency"], dry_run=True
    )
    assert (report.count("new"), report.count("matched"), report.applied) == (1, 1, False)
    assert Contact.objects.count() == 1 and Contact.objects.get().agency_stop_id == ""


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"G_FULL": "x"}, "G_FULL", "'x' is not a whole number"),
        ({"REASON_FOR_STOP": "42"}, "REASON_FOR_STOP", "reason code 42 is not in the RIPA lists in force on"),
        ({"DATE_OF_STOP": "2023-11-02"}, "DATE_OF_STOP", "recorded in the 2018-2023 layout, not the 2024 layout"),
        ({"NFA_SEARCH_PERSON": "1"}, "BFS_ columns", "a search needs its basis"),
        ({"DOJ_RECORD_ID": "PSPD-24-0001"}, "DOJ_RECORD_ID", "is also on line 2"),
        ({"AGENCY_ORI": "CA0339999"}, "AGENCY_ORI", "is not the ORI of Palm Springs Police Department"),
    ],
)
def test_a_bad_line_is_refused_with_its_line_and_column_and_nothing_is_saved(
    setup: dict[str, Any], tmp_path: Path, change: dict[str, str], column: str, message: str
) -> None:
    setup["agency"].ori = "CA0331000"
    setup["agency"].save()
    (row,) = _rows(setup["typed"])
    row.update({"DOJ_RECORD_ID": "PSPD-24-0001", "OFFICER_ID": "PS0501", "AGENCY_ORI": "CA0331000"})
    bad = {**row, "DOJ_RECORD_ID": "PSPD-24-0009", "TIME_OF_STOP": "14:05", **change}
    report = ripa_agency_import(actor=None, path=_file(tmp_path, [row, bad]), agency=setup["agency"])
    assert [(e.line, e.field) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message and not report.applied
    assert Contact.objects.count() == 1 and Contact.objects.get().agency_stop_id == ""


def test_the_command_prints_the_counts_and_refuses_a_file_with_a_bad_line(
    setup: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _agency_file(tmp_path, setup["typed"])
    call_command("import_ripa_agency", str(path), "--agency", PSPD, "--dry-run")
    out = capsys.readouterr().out
    assert "new: 1" in out and "matched: 1" in out and "dry run: nothing was saved" in out
    (row,) = _rows(setup["typed"])
    path = _file(tmp_path, [dict(row, OFFICER_ID="PS0501", AGE="")])
    with pytest.raises(CommandError) as caught:
        call_command("import_ripa_agency", str(path), "--agency", PSPD)
    assert str(caught.value) == "line 2, column AGE: blank\n1 row(s) refused; nothing was saved"


def test_a_new_stop_is_linked_to_the_one_incident_of_its_campus_near_its_time(
    setup: dict[str, Any], tmp_path: Path, make_incident: Any
) -> None:
    incident = make_incident(["48900(h)"])
    (row,) = _rows(setup["typed"])
    at = timezone.localtime(incident.occurred_at) + dt.timedelta(minutes=10)
    row.update({"DOJ_RECORD_ID": "PSPD-24-0100", "OFFICER_ID": "PS0501", "DATE_OF_STOP": at.date().isoformat(),
                "TIME_OF_STOP": at.strftime("%H:%M"), "AGE": "14"})  # fmt: skip
    report = ripa_agency_import(actor=None, path=_file(tmp_path, [row]), agency=setup["agency"])
    assert report.ok, report.errors
    assert Contact.objects.get(agency_stop_id="PSPD-24-0100").incident_id == incident.pk


# --------------------------------------------------------------------------- the supervisor's page

IMPORT_PAGE = "/incidents/contacts/import/"
DEMO_ACCOUNTS = (
    "director", "superintendent", "boardmember", "principal.pshs", "principal.cchs", "lt.pspd", "lt.ccpd",
    "officer.pspd", "officer.ccpd", "officer.dhspd", "deputy.rcsd", "analyst",
)  # fmt: skip
SUPERVISORS = {"lt.pspd", "lt.ccpd"}


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_only_an_agency_supervisor_reaches_the_import_page(signed_in: Any, username: str) -> None:
    c = signed_in(username)
    page = c.get(IMPORT_PAGE)
    assert page.status_code == (200 if username in SUPERVISORS else 404)
    contacts = c.get("/incidents/contacts/").content.decode()
    assert (IMPORT_PAGE in contacts) == (username in SUPERVISORS)


def test_the_import_page_sends_anonymous_visitors_to_sign_in(demo: dict[str, Any]) -> None:
    from django.test import Client

    r = Client().get(IMPORT_PAGE)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_supervisor_checks_then_imports_and_sees_where_each_contact_came_from(
    signed_in: Any, demo: dict[str, Any], tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    agency = LawEnforcementAgency.objects.get(name=PSPD)
    user = demo["users"]["officer.pspd"]
    officer = Officer.objects.filter(user=user).first() or Officer.objects.create(
        agency=agency, user=user, first_name="Demo", last_name="Officer", badge_number="9501"
    )
    officer.ripa_officer_id = "PS0501"
    officer.save()
    typed = Contact.objects.filter(officer=user, codes_version="2024").order_by("-occurred_at").first()
    assert typed is not None
    (row,) = _rows(typed)
    row.update({"DOJ_RECORD_ID": "PSPD-26-7000", "OFFICER_ID": "PS0501", "TIME_OF_STOP": "07:01", "AGE": "17"})
    path = _file(tmp_path, [row])
    before = Contact.objects.count()
    lt = signed_in("lt.pspd")
    for check_only in (True, False):
        upload = SimpleUploadedFile("agency.csv", path.read_bytes(), content_type="text/csv")
        body = {"agency": agency.pk, "file": upload, **({"check_only": "on"} if check_only else {})}
        page = lt.post(IMPORT_PAGE, body).content.decode()
        assert "New contacts" in page and "Refused" not in page
        assert ("Checked: nothing was saved" in page) == check_only and ("Imported" in page) != check_only
    assert Contact.objects.count() == before + 1
    new = Contact.objects.get(agency_stop_id="PSPD-26-7000")
    assert new.source == "agency"
    listing = lt.get("/incidents/contacts/").content.decode()
    assert "from the agency's RIPA system" in listing and "stop PSPD-26-7000" in listing
    # Another agency's supervisor cannot import for this agency.
    upload = SimpleUploadedFile("agency.csv", path.read_bytes(), content_type="text/csv")
    refused = signed_in("lt.ccpd").post(IMPORT_PAGE, {"agency": agency.pk, "file": upload}).content.decode()
    assert "There is a problem" in refused and Contact.objects.count() == before + 1
