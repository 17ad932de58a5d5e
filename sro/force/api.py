"""REST endpoints: force reports (list, one, file, review) and the reports due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from sro.core.api import ErrorOut, IsoDateTime, MappedRows, Pagination
from sro.core.errors import NotFound
from sro.force.models import ForceReport
from sro.force.selectors import force_report_get, force_report_list, reports_due
from sro.force.services import ForceReportData, force_report_file, force_review_record
from sro.incidents.selectors import contact_get
from sro.orgs.auth import AUTH, request_actor
from sro.orgs.selectors import school_get

router = Router(tags=["force"], auth=AUTH)
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ForceReportOut(Schema):
    id: int
    officer: str
    agency: str
    school: str
    contact_id: int | None
    incident_id: int | None
    occurred_at: dt.datetime
    student_age: int
    grade: int | None
    race: str
    sex: str
    idea: str
    section_504: str
    english_learner: str
    force_types: list[str]
    student_injured: bool
    officer_injured: bool
    medical_aid: str
    deescalation: list[str]
    body_camera: str
    serious_bodily_injury: bool
    firearm_discharged: bool
    review_due_on: dt.date
    review_outcome: str


class ForceReportIn(Schema):
    contact_id: int | None = None
    school: str | None = None  # CDS code, when there is no contact
    occurred_at: IsoDateTime | None = None
    student_age: int
    grade: int | None = None
    race: str
    sex: str
    idea: str
    section_504: str
    english_learner: str
    force_types: list[str]
    medical_aid: str
    deescalation: list[str]
    deescalation_narrative: str
    body_camera: str
    narrative: str
    student_injured: bool = False
    student_injury: str = ""
    officer_injured: bool = False
    officer_injury: str = ""
    witnesses: str = ""
    serious_bodily_injury: bool = False
    firearm_discharged: bool = False
    incident_id: int | None = None


class ReviewIn(Schema):
    outcome: str
    note: str


class DueOut(Schema):
    contact_id: int
    school: str
    officer: str
    occurred_at: dt.datetime


def _out(r: ForceReport) -> dict[str, Any]:
    fields = {
        f: getattr(r, f)
        for f in ForceReportOut.model_fields
        if hasattr(r, f) and f not in ("officer", "agency", "school")
    }
    return {**fields, "officer": str(r.officer), "agency": r.agency.name, "school": r.school.cds_code}


@router.get("/force-reports", response=list[ForceReportOut], summary="Force reports visible to the caller")
@paginate(Pagination)
def force_reports_index(request: HttpRequest) -> MappedRows[ForceReport]:
    return MappedRows(force_report_list(actor=request_actor(request)), _out)


@router.get("/force-reports/due", response=list[DueOut], summary="Contacts with a force action and no report yet")
def force_reports_due(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"contact_id": c.pk, "school": c.school.cds_code, "officer": str(c.officer), "occurred_at": c.occurred_at}
        for c in reports_due(actor=request_actor(request))
    ]


@router.get("/force-reports/{pk}", response={200: ForceReportOut, 404: ErrorOut}, summary="One force report")
def force_reports_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(force_report_get(actor=request_actor(request), pk=pk))


@router.post("/force-reports", response={201: ForceReportOut, **ERRORS}, summary="File a force report (an SRO)")
def force_reports_create(request: HttpRequest, payload: ForceReportIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    contact = contact_get(actor=actor, pk=payload.contact_id) if payload.contact_id is not None else None
    school = None
    if contact is None and payload.school:
        try:
            school = school_get(actor=actor, cds_code=payload.school)
        except NotFound:
            school = None
    fields = payload.dict(exclude={"contact_id", "school"})
    report = force_report_file(actor=actor, data=ForceReportData(school=school, **fields), contact=contact)
    return Status(201, _out(report))


@router.post("/force-reports/{pk}/review", response={200: ForceReportOut, **ERRORS}, summary="The supervisor's review")
def force_reports_review(request: HttpRequest, pk: int, payload: ReviewIn) -> dict[str, Any]:
    actor = request_actor(request)
    report = force_report_get(actor=actor, pk=pk, audit=False)
    return _out(force_review_record(actor=actor, report=report, outcome=payload.outcome, note=payload.note))
