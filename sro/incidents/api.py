"""REST endpoints for incidents, notification tasks, SRO contacts, reviews and the public routing lookup."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sro.core.api import ErrorOut, IsoDateTime, MappedRows, Pagination
from sro.core.limits import NAME_MAX_CHARS, STUDENTS_PER_INCIDENT, TEXT_MAX_CHARS
from sro.incidents.contacts import ContactData, RightsData, contact_record
from sro.incidents.models import Contact, Incident, NotificationTask, Review
from sro.incidents.policy import policy, route_for
from sro.incidents.reviews import review_act
from sro.incidents.selectors import (
    contact_by_client_id,
    contact_list,
    incident_get,
    incident_list,
    incident_students,
    review_get,
    review_list,
    task_get,
    task_list,
)
from sro.incidents.services import (
    StudentData,
    incident_create,
    notification_mark_done,
    notification_records_sent,
    parent_notification_attempt,
    parent_notification_mark_done,
)
from sro.incidents.workflow import allowed_actions
from sro.orgs.auth import AUTH, request_actor
from sro.orgs.models import LawEnforcementAgency
from sro.orgs.selectors import school_get

router = Router(tags=["incidents"], auth=AUTH)
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RuleOut(Schema):
    id: str
    route: str
    deadline: str | None
    citation: str
    reason: str


class RouteOut(Schema):
    policy_version: str
    route: str
    deadline: str | None
    notify: list[str]  # recipients (policy RECIPIENTS keys): 48902(c) names two for a firearm or explosive
    rules: list[RuleOut]


class StudentIn(Schema):
    local_student_id: str
    name: str
    role: str
    race: str
    sex: str
    idea: bool = False
    section_504: bool = False
    english_learner: bool = False
    grade: int | None = None


class IncidentIn(Schema):
    school: str  # CDS code
    occurred_at: IsoDateTime
    location: str = Field(max_length=NAME_MAX_CHARS)
    description: str = Field(max_length=TEXT_MAX_CHARS)
    offences: list[str]
    facts: list[str] = []
    students: list[StudentIn] = Field(default=[], max_length=STUDENTS_PER_INCIDENT)


class IncidentOut(Schema):
    id: int
    school: str
    occurred_at: dt.datetime
    location: str
    offences: list[str]
    facts: list[str]
    route: str
    rules: list[RuleOut]
    deadline: str | None
    due_on: dt.date | None
    referral_made: bool


class IncidentDetailOut(IncidentOut):
    description: str
    students: list[StudentIn]


def _rules(incident: Incident) -> list[RuleOut]:
    by_id = {r.id: r for r in policy().rules}
    return [RuleOut(**by_id[i].as_dict()) for i in incident.rule_ids if i in by_id]


def _incident_out(incident: Incident) -> dict[str, Any]:
    task = getattr(incident, "notification", None)
    return {
        "id": incident.pk,
        "school": incident.school.cds_code,
        "occurred_at": incident.occurred_at,
        "location": incident.location,
        "offences": incident.offences,
        "facts": incident.facts,
        "route": incident.route,
        "rules": _rules(incident),
        "deadline": incident.deadline_kind or None,
        "due_on": task.due_on if task else None,
        "referral_made": incident.referral_made,
    }


@router.post("/incidents", response={201: IncidentOut, **ERRORS}, summary="Record an incident; the route is computed")
def incidents_create(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    school = school_get(actor=actor, cds_code=payload.school)
    incident = incident_create(
        actor=actor,
        school=school,
        occurred_at=payload.occurred_at,
        location=payload.location,
        description=payload.description,
        offences=payload.offences,
        facts=payload.facts,
        students=[StudentData(**s.dict()) for s in payload.students],
    )
    return Status(201, _incident_out(incident))


@router.get("/incidents", response={200: list[IncidentOut], 404: ErrorOut}, summary="Incidents visible to the caller")
@paginate(Pagination)
def incidents_index(request: HttpRequest, school: str | None = None) -> MappedRows[Incident]:
    actor = request_actor(request)
    school_id = school_get(actor=actor, cds_code=school).pk if school else None
    return MappedRows(incident_list(actor=actor, school_id=school_id), _incident_out)


@router.get("/incidents/{pk}", response={200: IncidentDetailOut, 404: ErrorOut}, summary="One incident with students")
def incidents_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor = request_actor(request)
    incident = incident_get(actor=actor, pk=pk)
    students = incident_students(actor=actor, incident=incident)
    out = _incident_out(incident)
    out["description"] = incident.description
    out["students"] = [StudentIn.from_orm(s) for s in students]
    return out


class ContactIn(Schema):
    school: str  # CDS code
    occurred_at: IsoDateTime
    duration_minutes: int
    reason: int
    ed_code_section: int | None = None
    ed_code_subdivision: int | None = None
    race: list[int]
    gender: int
    age: int
    disability: list[int] = []
    limited_english: bool = False
    actions: list[int] = []
    search_basis: list[int] = []
    seizure_basis: list[int] = []
    contraband: list[int] = []
    results: list[int]
    consent_type: list[int] = []  # 2024 lists: 1 verbal, 2 written, 3 implied (when the search basis is consent)
    perceived_lgb: bool = False
    incident_id: int | None = None
    emergency: bool = False
    emergency_note: str = ""
    questioned: bool = False
    released_to_officer: bool = False
    custodial_interrogation: bool = False
    counsel: str = ""  # W&I Code 625.6: in_person, phone, video, exception (625.6(c)), none
    counsel_note: str = ""
    student_name: str = ""  # required when the parent must be notified; kept on the task only
    family_language: str = ""
    # The id the officer's device gave the contact: sent again, the same contact is returned (200).
    client_id: uuid.UUID | None = None


RIGHTS_FIELDS = tuple(RightsData.__dataclass_fields__)


class ContactOut(Schema):
    id: int
    school: str
    occurred_at: dt.datetime
    codes_version: str
    source: str
    agency_stop_id: str
    reason: int
    actions: list[int]
    results: list[int]
    incident_id: int | None
    emergency: bool
    boundary_crossing: bool
    boundary_rules: list[str]
    review_id: int | None
    questioned: bool
    released_to_officer: bool
    custodial_interrogation: bool
    counsel: str
    gate_reasons: list[dict[str, str]]
    parent_notification_id: int | None


def _contact_out(c: Contact) -> dict[str, Any]:
    """The contact as the API gives it; a contact from `_with_links` carries its review and task ids."""
    if hasattr(c, "review_pk"):
        review, task = c.review_pk, getattr(c, "task_pk", None)
    else:
        review = Review.objects.filter(contact=c).values_list("pk", flat=True).first()
        task = NotificationTask.objects.filter(contact=c).values_list("pk", flat=True).first()
    return {
        "id": c.pk,
        "school": c.school.cds_code,
        "occurred_at": c.occurred_at,
        "codes_version": c.codes_version,
        "source": c.source,
        "agency_stop_id": c.agency_stop_id,
        "reason": c.reason,
        "actions": c.actions,
        "results": c.results,
        "incident_id": c.incident_id,
        "emergency": c.emergency,
        "boundary_crossing": c.boundary_crossing,
        "boundary_rules": c.boundary_rule_ids,
        "review_id": review,
        "questioned": c.questioned,
        "released_to_officer": c.released_to_officer,
        "custodial_interrogation": c.custodial_interrogation,
        "counsel": c.counsel,
        "gate_reasons": c.gate_reasons,
        "parent_notification_id": task,
    }


@router.post(
    "/contacts",
    response={200: ContactOut, 201: ContactOut, **ERRORS},
    summary="Record an SRO contact (never refused for crossing); a repeat of the same client_id returns it (200)",
)
def contacts_create(request: HttpRequest, payload: ContactIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    if payload.client_id is not None:
        existing = contact_by_client_id(actor=actor, client_id=payload.client_id)
        if existing is not None:
            return Status(200, _contact_out(existing))
    school = school_get(actor=actor, cds_code=payload.school)
    fields = payload.dict()
    client_id = fields.pop("client_id")
    extra = {k: fields.pop(k) for k in ("school", "incident_id", "emergency", "emergency_note")}
    rights = RightsData(**{k: fields.pop(k) for k in RIGHTS_FIELDS})
    contact, _ = contact_record(
        actor=actor,
        school=school,
        data=ContactData(**fields),
        incident_id=extra["incident_id"],
        emergency=extra["emergency"],
        emergency_note=extra["emergency_note"],
        rights=rights,
        client_id=client_id,
    )
    return Status(201, _contact_out(contact))


@router.get("/contacts", response=list[ContactOut], summary="SRO contacts visible to the caller")
@paginate(Pagination)
def contacts_index(request: HttpRequest) -> MappedRows[Contact]:
    contacts = contact_list(actor=request_actor(request)).annotate(
        review_pk=Subquery(Review.objects.filter(contact=OuterRef("pk")).values("pk")[:1]),
        task_pk=Subquery(NotificationTask.objects.filter(contact=OuterRef("pk")).values("pk")[:1]),
    )
    return MappedRows(contacts, _contact_out)


class ReviewOut(Schema):
    id: int
    status: str
    contact_id: int
    officer: str
    agency: str
    school: str
    findings: list[dict[str, str]]
    contract_citation: str
    corrective_action: str
    outcome_note: str
    officer_substantiated: int
    allowed_actions: list[str]


class ReviewActIn(Schema):
    action: str
    corrective_action: str = ""
    note: str = ""


def _review_out(r: Review) -> dict[str, Any]:
    return {
        "id": r.pk,
        "status": r.status,
        "contact_id": r.contact_id,
        "officer": r.officer.username,
        "agency": r.agency.name,
        "school": r.school.name,
        "findings": r.findings,
        "contract_citation": r.contract_citation,
        "corrective_action": r.corrective_action,
        "outcome_note": r.outcome_note,
        "officer_substantiated": getattr(r, "officer_substantiated", 0),
        "allowed_actions": allowed_actions(r.status),
    }


@router.get("/reviews", response=list[ReviewOut], summary="Boundary reviews, with each officer's substantiated count")
@paginate(Pagination)
def reviews_index(request: HttpRequest, open_only: bool = False) -> MappedRows[Review]:
    return MappedRows(review_list(actor=request_actor(request), open_only=open_only), _review_out)


@router.get("/reviews/{pk}", response={200: ReviewOut, 404: ErrorOut})
def reviews_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _review_out(review_get(actor=request_actor(request), pk=pk))


@router.post("/reviews/{pk}/actions", response={200: ReviewOut, **ERRORS}, summary="Take a review step")
def reviews_act(request: HttpRequest, pk: int, payload: ReviewActIn) -> dict[str, Any]:
    actor = request_actor(request)
    review = review_get(actor=actor, pk=pk)
    review_act(
        actor=actor,
        review=review,
        action=payload.action,
        corrective_action=payload.corrective_action,
        note=payload.note,
    )
    return _review_out(review_get(actor=actor, pk=pk))


class AttemptOut(Schema):
    id: int
    attempted_at: dt.datetime
    method: str
    by: str | None
    reached: bool
    note: str


class TaskOut(Schema):
    id: int
    kind: str  # law_enforcement or parent
    school: str
    incident_id: int | None
    contact_id: int | None
    deadline: str
    due_on: dt.date
    overdue: bool
    done_at: dt.datetime | None
    notify: list[str]
    notified: list[str]
    records_required: bool  # Ed. Code 48902(e)
    records_sent_at: dt.datetime | None
    student_name: str
    triggers: list[str]
    citation: str
    responsible: str
    responsible_basis: str
    family_language: str
    method: str
    attempts: list[AttemptOut]


class AttemptIn(Schema):
    method: str
    reached: bool
    note: str = ""
    family_language: str = ""
    attempted_at: IsoDateTime | None = None


class TaskDoneIn(Schema):
    agency: str | None = None  # law enforcement tasks: the agency notified, by name
    case_number: str = ""
    recipients: list[str] | None = None
    done_at: IsoDateTime | None = None


def _task_out(t: NotificationTask) -> dict[str, Any]:
    return {
        "id": t.pk,
        "kind": t.kind,
        "school": t.school.cds_code,
        "incident_id": t.incident_id,
        "contact_id": t.contact_id,
        "deadline": t.deadline_kind,
        "due_on": t.due_on,
        "overdue": t.overdue,
        "done_at": t.done_at,
        "notify": t.notify,
        "notified": t.notified,
        "records_required": t.records_required,
        "records_sent_at": t.records_sent_at,
        "student_name": t.student_name,
        "triggers": t.triggers,
        "citation": t.citation,
        "responsible": t.responsible,
        "responsible_basis": t.responsible_basis,
        "family_language": t.family_language,
        "method": t.method,
        "attempts": [
            {
                "id": a.pk,
                "attempted_at": a.attempted_at,
                "method": a.method,
                "by": a.by.username if a.by else None,
                "reached": a.reached,
                "note": a.note,
            }
            for a in t.attempts.all()
        ],
    }


@router.get("/tasks", response=list[TaskOut], summary="Notification tasks (law enforcement and parents)")
@paginate(Pagination)
def tasks_index(request: HttpRequest, open_only: bool = False) -> MappedRows[NotificationTask]:
    return MappedRows(task_list(actor=request_actor(request), open_only=open_only), _task_out)


@router.get("/tasks/{pk}", response={200: TaskOut, 404: ErrorOut})
def tasks_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _task_out(task_get(actor=request_actor(request), pk=pk))


@router.post("/tasks/{pk}/attempts", response={201: TaskOut, **ERRORS}, summary="Record an attempt to reach a parent")
def tasks_attempt(request: HttpRequest, pk: int, payload: AttemptIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    parent_notification_attempt(actor=actor, task=task_get(actor=actor, pk=pk), **payload.dict())
    return Status(201, _task_out(task_get(actor=actor, pk=pk)))


@router.post("/tasks/{pk}/records", response={200: TaskOut, **ERRORS}, summary="48902(e) records sent")
def tasks_records(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor = request_actor(request)
    notification_records_sent(actor=actor, task=task_get(actor=actor, pk=pk))
    return _task_out(task_get(actor=actor, pk=pk))


@router.post("/tasks/{pk}/done", response={200: TaskOut, **ERRORS}, summary="Mark a notification done")
def tasks_done(request: HttpRequest, pk: int, payload: TaskDoneIn) -> dict[str, Any]:
    actor = request_actor(request)
    task = task_get(actor=actor, pk=pk)
    if task.kind == NotificationTask.Kind.PARENT:
        parent_notification_mark_done(actor=actor, task=task, done_at=payload.done_at)
    else:
        agency = LawEnforcementAgency.objects.filter(name=payload.agency).first() if payload.agency else None
        notification_mark_done(
            actor=actor,
            task=task,
            agency=agency,
            case_number=payload.case_number,
            recipients=payload.recipients,
            done_at=payload.done_at,
        )
    return _task_out(task_get(actor=actor, pk=pk))


@router.get(
    "/policy/route",
    auth=None,
    response={200: RouteOut, 422: ErrorOut},
    summary="The route for offences and facts (public)",
)
def policy_route(
    request: HttpRequest,
    offence: Query[list[str]] = [],  # noqa: B006 - ninja copies defaults
    fact: Query[list[str]] = [],  # noqa: B006
) -> dict[str, Any]:
    decision = route_for(offences=offence, facts=fact)
    return {"policy_version": policy().version, **decision.as_dict()}
