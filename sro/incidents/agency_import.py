"""`sro import-ripa-agency`: an agency's own RIPA stop records (the DOJ layout) brought in as its
SROs' contacts, so that no officer types a stop twice.

Each row is one person stopped, in the DOJ's column layout of its era (2018-2023 or 2024; the
columns of `sro export ripa`), plus `OFFICER_ID`, the officer's RIPA unique identifier in the
agency's system (not in the DOJ's public files). A row is:

* **skipped** when it is not an SRO contact sro keeps: not a student (`STOP_STUDENT` 0), no K-12
  school (`SCHOOL_CODE` blank), a
  school that is not a program campus, or an officer id that is not an SRO of the agency in sro;
* **matched** when the contact is already in sro: the same agency stop id and person number
  (an earlier import), or else a contact recorded in sro by the same officer at the same campus
  in the same minute with the same perceived age, gender and race (sro then keeps the agency's
  stop id on it, so the next import matches by id);
* **new** otherwise: recorded as a contact from the agency's system (`source = "agency"`), with
  the same checks as a contact typed in sro (codes in force on the date, the boundary, the
  students' rights rules, the program checks: reviews open as they would);
* **refused**, with its line and column, when a cell cannot be read or the contact is not valid.

A refused row means nothing is saved (the import is all or nothing); `--dry-run` saves nothing
and reports the same counts. A new contact is linked to an incident when exactly one incident
of the campus falls in the window from two hours before the stop to thirty minutes after it
(RIPA records name no student, so the campus and the time are all there is to match on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sro.core.audit import audit_log
from sro.core.errors import DomainError, Forbidden, InvalidInput
from sro.core.importing import CsvFormatError, ImportReport, RowError, read_csv_rows
from sro.incidents.contacts import ContactData, contact_codes, contact_record
from sro.incidents.models import Contact, Incident
from sro.incidents.permissions import can_import_agency_records
from sro.incidents.ripa import RowProblem, row_data
from sro.orgs.actors import Actor
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.orgs.roles import Role

OFFICER_COLUMN = "OFFICER_ID"
REQUIRED = (
    "DOJ_RECORD_ID",
    "PERSON_NUMBER",
    "DATE_OF_STOP",
    "TIME_OF_STOP",
    "STOP_DURATION",
    "SCHOOL_CODE",
    "AGE",
    "REASON_FOR_STOP",
    "G_FULL",
    "RAE_FULL",
    OFFICER_COLUMN,
)
#: The window in which a stop is linked to an incident of its campus.
BEFORE, AFTER = dt.timedelta(hours=2), dt.timedelta(minutes=30)
#: A contact's field -> the column (or columns) of the DOJ layout a message names.
COLUMN_OF = {
    "occurred_at": "DATE_OF_STOP",
    "duration_minutes": "STOP_DURATION",
    "reason": "REASON_FOR_STOP",
    "ed_code_section": "RFS_EC_DISCIPLINE_CODE",
    "ed_code_subdivision": "RFS_EC_DISCIPLINE",
    "gender": "G_FULL",
    "age": "AGE",
    "race": "RAE_ columns",
    "disability": "PD_ columns",
    "actions": "ADS_ / NFA_ / OFA_ columns",
    "search_basis": "BFS_ columns",
    "seizure_basis": "BPS_ columns",
    "contraband": "CED_ columns",
    "results": "ROS_ columns",
    "consent_type": "CTP_ columns",
    "school": "SCHOOL_CODE",
}


@dataclass
class _Row:
    line: int
    stop_id: str
    person: int
    officer: User
    school: School
    data: ContactData


def _officers(agency: LawEnforcementAgency) -> dict[str, User]:
    """The agency's SROs in sro by their RIPA officer id."""
    from sro.staffing.models import Officer

    out: dict[str, User] = {}
    sros = set(agency.memberships.filter(role=Role.SRO).values_list("user_id", flat=True))
    for o in (
        Officer.objects.filter(agency=agency, user__isnull=False).exclude(ripa_officer_id="").select_related("user")
    ):
        if o.user is not None and o.user.pk in sros:
            out[o.ripa_officer_id.strip().upper()] = o.user
    return out


def _same_minute(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = at.replace(second=0, microsecond=0)
    return start, start + dt.timedelta(minutes=1)


def existing_contact(*, agency: LawEnforcementAgency, row: _Row) -> Contact | None:
    """The contact already in sro that this agency record is (see the module doc), or None."""
    by_id = Contact.objects.filter(agency=agency, agency_stop_id=row.stop_id, agency_person_number=row.person).first()
    if by_id is not None:
        return by_id
    lo, hi = _same_minute(row.data.occurred_at)
    for c in Contact.objects.filter(
        agency=agency,
        officer=row.officer,
        school=row.school,
        occurred_at__gte=lo,
        occurred_at__lt=hi,
        age=row.data.age,
        gender=row.data.gender,
        agency_stop_id="",
    ):
        if sorted(c.race) == sorted(row.data.race):
            return c
    return None


def _incident_near(school: School, at: dt.datetime) -> int | None:
    ids = list(
        Incident.objects.filter(school=school, occurred_at__gte=at - BEFORE, occurred_at__lte=at + AFTER).values_list(
            "pk", flat=True
        )[:2]
    )
    return ids[0] if len(ids) == 1 else None


def _read(path: Path, agency: LawEnforcementAgency, report: ImportReport) -> list[_Row]:
    officers = _officers(agency)
    schools = {s.cds_code: s for s in School.objects.filter(in_program=True)}
    seen: dict[tuple[str, int], int] = {}
    rows: list[_Row] = []
    for line, raw in read_csv_rows(path, REQUIRED):
        report.rows_read += 1
        try:
            stop_id = raw["DOJ_RECORD_ID"].strip()
            if not stop_id:
                raise RowProblem("DOJ_RECORD_ID", "blank")
            person = int(raw["PERSON_NUMBER"]) if raw["PERSON_NUMBER"].isdigit() else 0
            if person < 1:
                raise RowProblem("PERSON_NUMBER", f"'{raw['PERSON_NUMBER']}' is not a person number (1, 2, ...)")
            if (stop_id, person) in seen:
                raise RowProblem(
                    "DOJ_RECORD_ID", f"stop {stop_id} person {person} is also on line {seen[stop_id, person]}"
                )
            seen[stop_id, person] = line
            ori = (raw.get("AGENCY_ORI") or "").strip().upper()
            if ori and agency.ori and ori != agency.ori.upper():
                raise RowProblem("AGENCY_ORI", f"'{ori}' is not the ORI of {agency.name} ({agency.ori})")
            if (raw.get("STOP_STUDENT") or "").strip() == "0":
                report.add("skipped: not a student")
                continue
            code = raw["SCHOOL_CODE"].strip()
            if not code:
                report.add("skipped: not at a K-12 school")
                continue
            school = schools.get(code.zfill(14))
            if school is None:
                report.add("skipped: not a program campus")
                continue
            officer = officers.get(raw[OFFICER_COLUMN].strip().upper())
            if officer is None:
                report.add("skipped: not an SRO of the agency in sro")
                continue
            data = row_data(raw)
            layout_2024 = "NFA_SEARCH_PERSON" in raw
            if (contact_codes(data).layout == "2024") != layout_2024:
                raise RowProblem(
                    "DATE_OF_STOP",
                    f"a stop of {data.day.isoformat()} is recorded in the "
                    f"{contact_codes(data).layout} layout, not the {'2024' if layout_2024 else '2018-2023'} "
                    "layout of this file",
                )
        except RowProblem as exc:
            report.errors.append(RowError(line, exc.column, exc.message))
            continue
        rows.append(_Row(line, stop_id, person, officer, school, data))
    return rows


class _DryRun(Exception):
    """Raised to roll the transaction back after a dry run or a refused row."""


def ripa_agency_import(
    *, actor: Actor | None, path: Path, agency: LawEnforcementAgency, dry_run: bool = False, source: str = ""
) -> ImportReport:
    """Import the agency's RIPA records (see the module doc); all or nothing. `actor` None: the
    command line (an operator of the server); else the agency's supervisor only."""
    if actor is not None and not can_import_agency_records(actor, agency.pk):
        raise Forbidden("Only the agency's supervisor imports its RIPA records.")
    report = ImportReport(dry_run=dry_run)
    try:
        rows = _read(path, agency, report)
    except CsvFormatError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    try:
        with transaction.atomic():
            for row in rows:
                _apply(row, agency, report)
            if dry_run or report.errors:
                raise _DryRun
            audit_log(
                actor=actor.user if actor is not None else None,
                action="ripa_agency_import",
                obj=agency,
                changes={"file": source or path.name, "rows_read": report.rows_read, **report.counts},
                username="" if actor is not None else "import-ripa-agency",
            )
    except _DryRun:
        pass
    else:
        report.applied = True
    return report


def _apply(row: _Row, agency: LawEnforcementAgency, report: ImportReport) -> None:
    found = existing_contact(agency=agency, row=row)
    if found is not None:
        if not found.agency_stop_id:  # entered in sro: keep the agency's id for the next import
            found.agency_stop_id, found.agency_person_number = row.stop_id, row.person
            found.save(update_fields=["agency_stop_id", "agency_person_number", "updated_at"])
            audit_log(
                actor=None,
                action="contact_agency_record_linked",
                obj=found,
                changes={"agency_stop_id": row.stop_id, "agency_person_number": row.person, "line": row.line},
                username=f"import-ripa-agency {agency.name}",
            )
        report.add("matched")
        return
    try:
        with transaction.atomic():
            contact_record(
                actor=None,
                officer=row.officer,
                school=row.school,
                data=row.data,
                incident_id=_incident_near(row.school, row.data.occurred_at),
                agency_record=(row.stop_id, row.person),
            )
    except InvalidInput as exc:
        for e in exc.errors:
            report.errors.append(RowError(row.line, COLUMN_OF.get(e.field, e.field), e.message))
        return
    except DomainError as exc:
        report.errors.append(RowError(row.line, "", exc.detail))
        return
    report.add("new")
