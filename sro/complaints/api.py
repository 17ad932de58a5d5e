"""REST endpoints for complaints: the same reads and writes as the staff pages, scoped identically.

The complainant's identity is in the answer only for the investigators assigned
(`can_see_complainant`); everyone else gets `complainant: null`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from sro.complaints import services
from sro.complaints.models import Complaint
from sro.complaints.permissions import can_see_complainant
from sro.complaints.selectors import complaint_get, complaint_list, overdue_q
from sro.complaints.workflow import STAFF_ACTIONS
from sro.core.api import ErrorOut, IsoDate, MappedRows, Pagination
from sro.core.errors import InvalidInput, NotFound
from sro.orgs.actors import Actor
from sro.orgs.auth import AUTH, request_actor
from sro.orgs.models import District, LawEnforcementAgency, School, User
from sro.orgs.roles import Role

router = Router(tags=["complaints"], auth=AUTH)
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ComplainantOut(Schema):
    anonymous: bool
    name: str
    relation: str
    contact_method: str
    contact_address: str
    language: str


class AllegationOut(Schema):
    id: int
    category: str
    officer_id: int | None
    agency_id: int | None
    finding: str
    decided_on: dt.date | None


class EventOut(Schema):
    kind: str
    at: dt.datetime
    by: str | None
    from_complainant: bool
    note: str


class ComplaintOut(Schema):
    id: int
    case_number: str
    status: str
    about: str
    channel: str
    school: str | None
    received_at: dt.datetime
    occurred_on: dt.date | None
    acknowledge_by: dt.date
    assign_by: dt.date | None
    decide_by: dt.date | None
    tell_by: dt.date | None
    overdue: bool
    assigned_to: str
    agency_id: int | None
    complainant: ComplainantOut | None


class ComplaintDetailOut(ComplaintOut):
    narrative: str
    officer_description: str
    action_taken: str
    outcome_letter: str
    allegations: list[AllegationOut]
    events: list[EventOut]
    incidents: list[int]
    contacts: list[int]
    reviews: list[int]


class ComplaintIn(Schema):
    channel: str
    about: str
    school: str | None = None  # CDS code; empty for a program complaint
    occurred_on: IsoDate | None = None
    narrative: str
    relation: str
    anonymous: bool = False
    name: str = ""
    contact_method: str = "none"
    contact_address: str = ""
    language: str = "en"
    officer_description: str = ""
    category: str = ""


class ActionIn(Schema):
    note: str = ""
    assigned_to: str = ""
    agency_id: int | None = None
    category: str = ""
    officer_id: int | None = None
    allegation_id: int | None = None
    finding: str = ""
    action_taken: str = ""
    letter: str = ""
    kind: str = ""
    pk: int | None = None


def _out(c: Complaint, actor: Actor, *, today: dt.date) -> dict[str, Any]:
    identity = can_see_complainant(actor, c)
    return {
        "id": c.pk,
        "case_number": c.case_number,
        "status": c.status,
        "about": c.about,
        "channel": c.channel,
        "school": c.school.cds_code if c.school else None,
        "received_at": c.received_at,
        "occurred_on": c.occurred_on,
        "acknowledge_by": c.acknowledge_by,
        "assign_by": c.assign_by,
        "decide_by": c.decide_by,
        "tell_by": c.tell_by,
        "overdue": Complaint.objects.filter(pk=c.pk).filter(overdue_q(today)).exists(),
        "assigned_to": c.assigned_to,
        "agency_id": c.agency_id,
        "complainant": {
            "anonymous": c.anonymous,
            "name": c.complainant_name,
            "relation": c.complainant_relation,
            "contact_method": c.contact_method,
            "contact_address": c.contact_address,
            "language": c.language,
        }
        if identity
        else None,
    }


def _detail(c: Complaint, actor: Actor) -> dict[str, Any]:
    out = _out(c, actor, today=timezone.localdate())
    out.update(
        narrative=c.narrative,
        officer_description=c.officer_description,
        action_taken=c.action_taken,
        outcome_letter=c.outcome_letter,
        allegations=[
            {
                "id": a.pk,
                "category": a.category,
                "officer_id": a.officer_id,
                "agency_id": a.agency_id,
                "finding": a.finding,
                "decided_on": a.decided_on,
            }
            for a in c.allegations.all()
        ],
        events=[
            {
                "kind": e.kind,
                "at": e.at,
                "by": e.actor.username if e.actor else None,
                "from_complainant": e.from_complainant,
                "note": e.note,
            }
            for e in c.events.select_related("actor")
        ],
        incidents=list(c.incidents.values_list("pk", flat=True)),
        contacts=list(c.contacts.values_list("pk", flat=True)),
        reviews=list(c.reviews.values_list("pk", flat=True)),
    )
    return out


@router.get("/complaints", response=list[ComplaintOut], summary="Complaints visible to the caller")
@paginate(Pagination)
def complaints_index(request: HttpRequest, status: str = "", overdue: bool = False) -> MappedRows[Complaint]:
    actor = request_actor(request)
    today = timezone.localdate()
    rows = complaint_list(actor=actor, status=status, overdue_only=overdue, today=today)
    return MappedRows(rows, lambda c: _out(c, actor, today=today))


@router.get(
    "/complaints/{pk}", response={200: ComplaintDetailOut, 404: ErrorOut}, summary="One complaint with its history"
)
def complaints_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor = request_actor(request)
    return _detail(complaint_get(actor=actor, pk=pk), actor)


@router.post(
    "/complaints",
    response={201: ComplaintDetailOut, **ERRORS},
    summary="Enter a complaint received by phone, letter, e-mail or in person",
)
def complaints_create(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    if payload.channel == "online":
        raise InvalidInput.single(
            "channel", "the public form records online complaints; choose phone, letter, in_person or email"
        )
    school = None
    if payload.school:
        school = School.objects.filter(cds_code=payload.school).select_related("district").first()
        if school is None:
            raise InvalidInput.single("school", "no school has this CDS code")
    ids = actor.org_ids(Role.DISTRICT_ADMIN)
    district = school.district if school else District.objects.filter(pk__in=ids).first() or District.objects.first()
    if district is None:
        raise NotFound("District")
    data = services.Intake(
        district=district,
        about=payload.about,
        narrative=payload.narrative,
        relation=payload.relation,
        school=school,
        occurred_on=payload.occurred_on,
        anonymous=payload.anonymous,
        name=payload.name,
        contact_method=payload.contact_method,
        contact_address=payload.contact_address,
        language=payload.language,
        officer_description=payload.officer_description,
        category=payload.category,
    )
    filed = services.complaint_file(actor=actor, data=data, channel=payload.channel)
    assert filed is not None  # no honeypot for staff
    return Status(201, _detail(filed.complaint, actor))


@router.post(
    "/complaints/{pk}/actions/{action}",
    response={200: ComplaintDetailOut, **ERRORS},
    summary="Take a step on a complaint",
)
def complaints_act(request: HttpRequest, pk: int, action: str, payload: ActionIn) -> dict[str, Any]:
    actor = request_actor(request)
    c = complaint_get(actor=actor, pk=pk)
    if action not in STAFF_ACTIONS:
        raise InvalidInput.single("action", f"one of {', '.join(STAFF_ACTIONS)}")
    if action == "acknowledge":
        services.complaint_acknowledge(actor=actor, complaint=c, note=payload.note)
    elif action == "assign":
        agency = LawEnforcementAgency.objects.filter(pk=payload.agency_id).first() if payload.agency_id else None
        services.complaint_assign(
            actor=actor, complaint=c, assigned_to=payload.assigned_to, agency=agency, note=payload.note
        )
    elif action == "start_investigation":
        services.complaint_start_investigation(actor=actor, complaint=c)
    elif action == "add_allegation":
        officer = User.objects.filter(pk=payload.officer_id).first() if payload.officer_id else None
        services.allegation_add(actor=actor, complaint=c, category=payload.category, officer=officer)
    elif action == "decide_allegation":
        allegation = c.allegations.filter(pk=payload.allegation_id or 0).first()
        if allegation is None:
            raise InvalidInput.single("allegation_id", "not an allegation of this complaint")
        services.allegation_decide(
            actor=actor,
            allegation=allegation,
            finding=payload.finding,
            note=payload.note,
            action_taken=payload.action_taken,
        )
    elif action == "record_action":
        services.complaint_record_action(actor=actor, complaint=c, action_taken=payload.action_taken)
    elif action == "notify_outcome":
        services.complaint_notify_outcome(actor=actor, complaint=c, letter=payload.letter)
    elif action == "close":
        services.complaint_close(actor=actor, complaint=c, note=payload.note)
    elif action == "link":
        if payload.pk is None:
            raise InvalidInput.single("pk", "give the number of the record to link")
        services.complaint_link(actor=actor, complaint=c, kind=payload.kind, pk=int(payload.pk))
    return _detail(complaint_get(actor=actor, pk=pk), actor)
