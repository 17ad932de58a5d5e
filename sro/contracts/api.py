"""REST endpoints for contracts, versions, votes and the rubric."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, TypeVar, get_type_hints

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sro.contracts.models import Body, Contract, Meeting, Vote
from sro.contracts.selectors import (
    allowed_actions,
    body_get,
    body_list,
    contract_costs,
    contract_get,
    contract_list,
    meeting_list,
    rubric_for,
)
from sro.contracts.services import (
    ClauseIn,
    body_create,
    contract_create,
    contract_transition,
    meeting_create,
    version_create,
    vote_submit,
)
from sro.core.api import ErrorOut, IsoDate, Pagination
from sro.core.errors import InvalidInput, NotFound
from sro.core.limits import BODY_MAX_SEATS
from sro.orgs.auth import AUTH, AUTH_OR_PUBLIC, request_actor
from sro.orgs.models import City, District, LawEnforcementAgency
from sro.orgs.selectors import district_get, school_list

router = Router(tags=["contracts"], auth=AUTH)
F = TypeVar("F", bound=Callable[..., Any])


def _typed(view: F) -> F:
    """Resolve a view's annotations where they are written: `@paginate` wraps the view in a function of
    another module, where django-ninja would otherwise look the names up (with postponed annotations)."""
    view.__annotations__ = get_type_hints(view, include_extras=True)
    return view


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ClauseSchema(Schema):
    number: str
    title: str
    text: str
    categories: list[str]


class VersionOut(Schema):
    number: int
    state: str
    is_amendment: bool
    note: str
    clauses: list[ClauseSchema]


class CostOut(Schema):
    annual: Decimal
    district_annual: Decimal
    city_annual: Decimal
    term: Decimal
    per_campus: Decimal | None
    per_student: Decimal | None


class ContractOut(Schema):
    id: int
    title: str
    title_es: str = Field(description="Spanish title; empty when none was given (the site then shows the English one).")
    status: str
    district: str
    agency: str
    city: str
    campuses: list[str]
    positions: int
    term_start: dt.date
    term_end: dt.date
    annual_cost: Decimal
    district_share_percent: Decimal | None
    costs: CostOut
    version_in_force: int | None
    allowed_actions: list[str]


def _out(c: Contract) -> ContractOut:
    costs = contract_costs(c)
    return ContractOut(
        id=c.pk,
        title=c.title,
        title_es=c.title_es,
        status=c.status,
        district=c.district.name,
        agency=c.agency.name,
        city=c.city.name,
        campuses=[s.cds_code for s in c.campuses.all()],
        positions=c.positions,
        term_start=c.term_start,
        term_end=c.term_end,
        annual_cost=c.annual_cost,
        district_share_percent=c.district_share_percent,
        costs=CostOut(
            annual=costs.annual,
            district_annual=costs.district_annual,
            city_annual=costs.city_annual,
            term=costs.term,
            per_campus=costs.per_campus,
            per_student=costs.per_student,
        ),
        version_in_force=c.in_force.number if c.in_force else None,
        allowed_actions=allowed_actions(c),
    )


class ContractIn(Schema):
    district_id: int
    agency_id: int
    city_id: int
    title: str = Field(min_length=1, max_length=250)
    title_es: str = Field("", max_length=250, description="Optional Spanish title.")
    campuses: list[str] = Field(description="CDS codes of the campuses covered")
    positions: int = Field(1, ge=1)
    term_start: IsoDate
    term_end: IsoDate
    annual_cost: str = Field(description="USD, e.g. 182000.00")
    district_share_percent: str | None = None
    renewal_terms: str = ""
    clauses: list[ClauseSchema] = []


class VersionIn(Schema):
    note: str = ""
    clauses: list[ClauseSchema]


class VoteIn(Schema):
    meeting_id: int
    version: int | None = Field(None, description="Version number; default: the one under review")
    ayes: int | None = Field(None, description="Leave the tally empty to schedule the vote")
    noes: int | None = None
    abstentions: int = 0
    absent: int = 0
    member_votes: list[dict[str, str]] = []
    minutes_url: str = ""


class VoteOut(Schema):
    id: int
    body: str
    date: dt.date
    version: int
    ayes: int | None
    noes: int | None
    abstentions: int | None
    absent: int | None
    outcome: str
    member_votes: list[dict[str, str]]
    minutes_url: str


def _vote_out(v: Vote) -> VoteOut:
    return VoteOut(
        id=v.pk,
        body=v.meeting.body.name,
        date=v.meeting.date,
        version=v.version.number,
        ayes=v.ayes,
        noes=v.noes,
        abstentions=v.abstentions,
        absent=v.absent,
        outcome=v.outcome,
        member_votes=v.member_votes,
        minutes_url=v.minutes_url or v.meeting.minutes_url,
    )


class RubricLineOut(Schema):
    key: str
    title: str
    required: bool
    covered: bool
    clauses: list[str]
    guidance: str
    citation: str


class RubricOut(Schema):
    version: int
    score: str
    blocking: list[str]
    elements: list[RubricLineOut]


@router.get("/contracts", response=list[ContractOut], auth=AUTH_OR_PUBLIC)
@paginate(Pagination)
def list_contracts(request: HttpRequest) -> list[ContractOut]:
    return [_out(c) for c in contract_list(actor=request_actor(request))]


@router.post("/contracts", response={201: ContractOut, **ERRORS})
def create_contract(request: HttpRequest, payload: ContractIn) -> Status[ContractOut]:
    actor = request_actor(request)
    district = district_get(actor=actor, pk=payload.district_id)
    agency = LawEnforcementAgency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidInput.single("agency_id", f"no agency with id {payload.agency_id}")
    city = City.objects.filter(pk=payload.city_id).first()
    if city is None:
        raise InvalidInput.single("city_id", f"no city with id {payload.city_id}")
    visible = {
        s.cds_code: s for s in school_list(actor=actor, program_only=False).filter(cds_code__in=payload.campuses)
    }
    unknown = [c for c in payload.campuses if c not in visible]
    if unknown:
        raise InvalidInput.single("campuses", f"unknown campus CDS code(s): {', '.join(unknown)}")
    contract = contract_create(
        actor=actor,
        district=district,
        agency=agency,
        city=city,
        title=payload.title,
        title_es=payload.title_es,
        campuses=list(visible.values()),
        positions=payload.positions,
        term_start=payload.term_start,
        term_end=payload.term_end,
        annual_cost=payload.annual_cost,
        district_share_percent=payload.district_share_percent,
        renewal_terms=payload.renewal_terms,
        clauses=[ClauseIn(**c.dict()) for c in payload.clauses],
    )
    return Status(201, _out(contract))


@router.get("/contracts/{contract_id}", response={200: ContractOut, 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
def get_contract(request: HttpRequest, contract_id: int) -> ContractOut:
    return _out(contract_get(actor=request_actor(request), pk=contract_id))


@router.get("/contracts/{contract_id}/versions", response={200: list[VersionOut], 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
def list_versions(request: HttpRequest, contract_id: int) -> list[VersionOut]:
    c = contract_get(actor=request_actor(request), pk=contract_id)
    return [
        VersionOut(
            number=v.number,
            state=v.state,
            is_amendment=v.is_amendment,
            note=v.note,
            clauses=[
                ClauseSchema(number=x.number, title=x.title, text=x.text, categories=x.categories)
                for x in v.clauses.all()
            ],
        )
        for v in c.versions.order_by("number")
    ]


@router.post("/contracts/{contract_id}/versions", response={201: VersionOut, **ERRORS})
def create_version(request: HttpRequest, contract_id: int, payload: VersionIn) -> Status[VersionOut]:
    actor = request_actor(request)
    c = contract_get(actor=actor, pk=contract_id)
    v = version_create(
        actor=actor, contract=c, note=payload.note, clauses=[ClauseIn(**x.dict()) for x in payload.clauses]
    )
    return Status(
        201,
        VersionOut(
            number=v.number,
            state=v.state,
            is_amendment=v.is_amendment,
            note=v.note,
            clauses=[
                ClauseSchema(number=x.number, title=x.title, text=x.text, categories=x.categories)
                for x in v.clauses.all()
            ],
        ),
    )


@router.post("/contracts/{contract_id}/actions/{action}", response={200: ContractOut, **ERRORS})
def contract_action(request: HttpRequest, contract_id: int, action: str, reason: str = "") -> ContractOut:
    """Perform a lifecycle action (`reason` is recorded in the audit trail)."""
    actor = request_actor(request)
    c = contract_get(actor=actor, pk=contract_id)
    c = contract_transition(actor=actor, contract=c, action=action, reason=reason)
    return _out(contract_get(actor=actor, pk=c.pk))


@router.get("/contracts/{contract_id}/votes", response={200: list[VoteOut], 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
def list_votes(request: HttpRequest, contract_id: int) -> list[VoteOut]:
    c = contract_get(actor=request_actor(request), pk=contract_id)
    votes = Vote.objects.filter(version__contract=c).select_related("meeting__body", "version")
    return [_vote_out(v) for v in votes.order_by("meeting__date", "pk")]


@router.post("/contracts/{contract_id}/votes", response={200: VoteOut, 201: VoteOut, **ERRORS})
def post_vote(request: HttpRequest, contract_id: int, payload: VoteIn) -> Status[VoteOut]:
    """Schedule a vote (no tally), or record its tally (scheduling it first if needed)."""
    actor = request_actor(request)
    c = contract_get(actor=actor, pk=contract_id)
    meeting = Meeting.objects.select_related("body").filter(pk=payload.meeting_id).first()
    if meeting is None:
        raise InvalidInput.single("meeting_id", f"no meeting with id {payload.meeting_id}")
    vote, scheduled = vote_submit(
        actor=actor,
        contract=c,
        meeting=meeting,
        version_number=payload.version,
        ayes=payload.ayes,
        noes=payload.noes,
        abstentions=payload.abstentions,
        absent=payload.absent,
        member_votes=payload.member_votes,
        minutes_url=payload.minutes_url,
    )
    recorded = payload.ayes is not None  # vote_submit refuses half a tally
    return Status(201 if scheduled or recorded else 200, _vote_out(vote))


@router.get("/contracts/{contract_id}/rubric", response={200: RubricOut, 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
def get_rubric(request: HttpRequest, contract_id: int, version: int | None = None) -> RubricOut:
    c = contract_get(actor=request_actor(request), pk=contract_id)
    qs = c.versions.order_by("-number")
    v = qs.filter(number=version).first() if version else qs.first()
    if v is None:
        raise NotFound("Version")
    r = rubric_for(v)
    return RubricOut(
        version=v.number,
        score=r.score,
        blocking=[b.element.key for b in r.blocking],
        elements=[
            RubricLineOut(
                key=x.element.key,
                title=x.element.title,
                required=x.element.required,
                covered=x.covered,
                clauses=x.clauses,
                guidance=x.element.guidance,
                citation=x.element.citation,
            )
            for x in r.lines
        ],
    )


# ---------------------------------------------------------------- bodies and meetings


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    seats: int
    voting_rule: str
    city_id: int | None
    district_id: int | None


class BodyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["city_council", "school_board"]
    seats: int = Field(ge=1, le=BODY_MAX_SEATS)
    voting_rule: Literal["majority_of_seats", "majority_of_votes"] = "majority_of_seats"
    city_id: int | None = Field(None, description="For a city council: its city (see GET /cities)")
    district_id: int | None = Field(None, description="For a school board: its district (see GET /districts)")


class MeetingOut(Schema):
    id: int
    body_id: int
    body: str
    date: dt.date
    title: str
    minutes_url: str


class MeetingIn(Schema):
    body_id: int
    date: IsoDate
    title: str = Field("", max_length=200)
    minutes_url: str = ""


def _body_out(b: Body) -> BodyOut:
    return BodyOut(
        id=b.pk,
        name=b.name,
        kind=b.kind,
        seats=b.seats,
        voting_rule=b.voting_rule,
        city_id=b.city_id,
        district_id=b.district_id,
    )


def _meeting_out(m: Meeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk, body_id=m.body_id, body=m.body.name, date=m.date, title=m.title, minutes_url=m.minutes_url
    )


@router.get("/bodies", response=list[BodyOut], auth=AUTH_OR_PUBLIC)
@paginate(Pagination)
@_typed
def list_bodies(request: HttpRequest, kind: Literal["city_council", "school_board"] | None = None) -> list[BodyOut]:
    """City councils and school boards (public records: reading needs no sign-in)."""
    return [_body_out(b) for b in body_list(actor=request_actor(request), kind=kind)]


@router.post("/bodies", response={201: BodyOut, **ERRORS})
def create_body(request: HttpRequest, payload: BodyIn) -> Status[BodyOut]:
    """A city council (with `city_id`) or a school board (with `district_id`); district administrators only."""
    actor = request_actor(request)
    city = district = None
    if payload.kind == "city_council" and payload.city_id is not None:
        city = City.objects.filter(pk=payload.city_id).first()
        if city is None:
            raise InvalidInput.single("city_id", f"no city with id {payload.city_id}")
    if payload.kind == "school_board" and payload.district_id is not None:
        district = District.objects.filter(pk=payload.district_id).first()
        if district is None:
            raise InvalidInput.single("district_id", f"no district with id {payload.district_id}")
    body = body_create(
        actor=actor,
        name=payload.name,
        kind=payload.kind,
        seats=payload.seats,
        city=city,
        district=district,
        voting_rule=payload.voting_rule,
    )
    return Status(201, _body_out(body))


class MeetingFilter(Schema):
    body_id: int | None = Field(None, description="Only this body's meetings (see GET /bodies)")
    date_from: IsoDate | None = Field(None, alias="from", description="First date (YYYY-MM-DD)")
    date_to: IsoDate | None = Field(None, alias="to", description="Last date (YYYY-MM-DD)")


@router.get("/meetings", response={200: list[MeetingOut], 404: ErrorOut}, auth=AUTH_OR_PUBLIC)
@paginate(Pagination)
@_typed
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> list[MeetingOut]:
    """Meetings of councils and school boards (public records), by date; `body_id`, `from` and `to` narrow them."""
    actor = request_actor(request)
    body = body_get(actor=actor, pk=filters.body_id) if filters.body_id is not None else None
    meetings = meeting_list(actor=actor, body=body, date_from=filters.date_from, date_to=filters.date_to)
    return [_meeting_out(m) for m in meetings]


@router.post("/meetings", response={201: MeetingOut, **ERRORS})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[MeetingOut]:
    """A meeting of a body, on any date (today's, to record a vote held today); district administrators only."""
    actor = request_actor(request)
    body = body_list(actor=actor).filter(pk=payload.body_id).first()
    if body is None:
        raise InvalidInput.single("body_id", f"no body with id {payload.body_id}")
    meeting = meeting_create(
        actor=actor, body=body, date=payload.date, title=payload.title, minutes_url=payload.minutes_url
    )
    return Status(201, _meeting_out(meeting))
