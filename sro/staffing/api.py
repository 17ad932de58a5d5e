"""REST endpoints for officers, nominations, panels, training, assignments and the deployment gate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from sro.contracts.models import Contract
from sro.contracts.selectors import contract_get
from sro.core.api import ErrorItem, ErrorOut, IsoDate, Pagination
from sro.core.errors import InvalidInput, NotFound
from sro.orgs.auth import AUTH, AUTH_OR_PUBLIC, request_actor
from sro.orgs.models import LawEnforcementAgency, User
from sro.orgs.selectors import school_get
from sro.staffing.assignments import assignment_cancel, assignment_create
from sro.staffing.gate import deployment_gate
from sro.staffing.hiring import panel_create, panel_score
from sro.staffing.models import Assignment, ContractTraining, Nomination, Officer, Panel, TrainingRecord
from sro.staffing.selectors import (
    assignment_get,
    assignment_list,
    nomination_get,
    officer_get,
    officer_list,
    panel_get,
    training_record_get,
    training_records,
)
from sro.staffing.services import (
    contract_training_set,
    nomination_create,
    officer_create,
    officer_deactivate,
    officer_link_user,
    training_record_create,
    training_record_review,
)
from sro.staffing.training import officer_training, required_courses

router = Router(tags=["staffing"], auth=AUTH)
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ReasonOut(Schema):
    code: str
    message: str


class DeploymentOut(Schema):
    school: str
    cds_code: str
    on: dt.date
    may_deploy: bool
    contract_id: int | None
    reasons: list[ReasonOut]


class GateReasonOut(ReasonOut):
    field: str  # the assignment field to change
    day: dt.date  # the first day of the range the reason applies


class GateRefusedOut(Schema):
    detail: str
    errors: list[ErrorItem] = []
    first_failing_day: dt.date | None = None
    reasons: list[GateReasonOut] = []


class OfficerIn(Schema):
    agency_id: int
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    badge_number: str = Field(min_length=1, max_length=20)
    rank: str = ""
    sworn_date: IsoDate | None = None
    username: str | None = Field(None, description="The officer's own account (SRO role at the agency)")


class OfficerOut(Schema):
    id: int
    agency: str
    name: str
    badge_number: str
    rank: str
    sworn_date: dt.date | None
    status: str
    username: str | None

    @staticmethod
    def resolve_agency(obj: Officer) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_username(obj: Officer) -> str | None:
        return obj.user.username if obj.user else None


class DeactivateIn(Schema):
    reason: str = Field(description="Why the officer leaves the program (required; kept in the audit trail)")


class LinkAccountIn(Schema):
    username: str = Field(description="The officer's own account: it must hold the SRO role at the officer's agency")


class RequiredTrainingIn(Schema):
    courses: list[str] = Field(description="Course keys from the catalogue; an empty list requires no course")


class RequiredTrainingOut(Schema):
    contract_id: int
    courses: list[str]
    titles: list[str]
    set_by_district: bool = Field(description="False: never set, so every course in the catalogue is required")


class NominationIn(Schema):
    contract_id: int
    note: str = ""


class NominationOut(Schema):
    id: int
    officer_id: int
    contract_id: int
    status: str
    panel_id: int | None

    @staticmethod
    def resolve_panel_id(obj: Nomination) -> int | None:
        panel = Panel.objects.filter(nomination=obj).first()
        return panel.pk if panel else None


class PanelIn(Schema):
    members: list[str] = Field(
        description="Usernames: district roles of the contract's district and its agency's supervisors"
    )


class ScoresheetOut(Schema):
    username: str
    side: str
    scores: dict[str, int]
    recommendation: str
    reason: str


class PanelOut(Schema):
    id: int
    nomination_id: int
    status: str
    outcome: str
    outcome_reason: str
    members: list[dict[str, str]]
    scoresheets: list[ScoresheetOut]


class ScoreIn(Schema):
    scores: dict[str, Any] = Field(description="{criterion key: whole number on the rubric's scale}")
    recommendation: str = Field(description="recommend, do_not_recommend or veto")
    reason: str


class TrainingIn(Schema):
    course: str
    completed_on: IsoDate
    provider: str
    hours: Decimal
    evidence: str = Field(description="Certificate file reference or URL")


class TrainingRecordOut(Schema):
    id: int
    course: str
    completed_on: dt.date
    provider: str
    hours: Decimal
    evidence: str
    status: str


class CourseStateOut(Schema):
    course: str
    title: str
    status: str
    valid_until: dt.date | None
    record_id: int | None


class TrainingOut(Schema):
    officer_id: int
    on: dt.date
    courses: list[CourseStateOut]
    records: list[TrainingRecordOut]


class ReviewIn(Schema):
    confirm: bool = True
    note: str = ""


class AssignmentIn(Schema):
    officer_id: int
    cds_code: str
    start_date: IsoDate
    end_date: IsoDate


class CancelIn(Schema):
    reason: str = Field(description="Why it is called off (required)")


class AssignmentOut(Schema):
    id: int
    officer_id: int
    officer: str
    cds_code: str
    school: str
    contract_id: int
    start_date: dt.date
    end_date: dt.date
    end_reason: str
    cancelled_on: dt.date | None = Field(description="Set when it was called off before its first day")

    @staticmethod
    def resolve_officer(obj: Assignment) -> str:
        return str(obj.officer)

    @staticmethod
    def resolve_cds_code(obj: Assignment) -> str:
        return obj.school.cds_code

    @staticmethod
    def resolve_school(obj: Assignment) -> str:
        return obj.school.name


def _panel_out(panel: Panel) -> PanelOut:
    members = list(panel.members.select_related("user", "scoresheet"))
    return PanelOut(
        id=panel.pk,
        nomination_id=panel.nomination_id,
        status=panel.status,
        outcome=panel.outcome,
        outcome_reason=panel.outcome_reason,
        members=[{"username": m.user.username, "side": m.side} for m in members],
        scoresheets=[
            ScoresheetOut(
                username=m.user.username,
                side=m.side,
                scores=m.scoresheet.scores,
                recommendation=m.scoresheet.recommendation,
                reason=m.scoresheet.reason,
            )
            for m in members
            if hasattr(m, "scoresheet")
        ],
    )


@router.get("/officers", response=list[OfficerOut], summary="Officers visible to the caller")
@paginate(Pagination)
def list_officers(request: HttpRequest) -> Any:
    return officer_list(actor=request_actor(request))


@router.post("/officers", response={201: OfficerOut, **ERRORS}, summary="Add a candidate officer (agency supervisor)")
def create_officer(request: HttpRequest, payload: OfficerIn) -> Status[Officer]:
    agency = LawEnforcementAgency.objects.filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidInput.single("agency_id", f"no agency with id {payload.agency_id}")
    officer = officer_create(
        actor=request_actor(request),
        agency=agency,
        first_name=payload.first_name,
        last_name=payload.last_name,
        badge_number=payload.badge_number,
        rank=payload.rank,
        sworn_date=payload.sworn_date,
        username=payload.username,
    )
    return Status(201, officer)


@router.get("/officers/{officer_id}", response={200: OfficerOut, 404: ErrorOut})
def get_officer(request: HttpRequest, officer_id: int) -> Officer:
    return officer_get(actor=request_actor(request), pk=officer_id)


@router.post(
    "/officers/{officer_id}/deactivate",
    response={200: OfficerOut, **ERRORS},
    summary="Mark an officer inactive (agency supervisor; refused while an assignment runs)",
)
def deactivate_officer(request: HttpRequest, officer_id: int, payload: DeactivateIn) -> Officer:
    actor = request_actor(request)
    return officer_deactivate(actor=actor, officer=officer_get(actor=actor, pk=officer_id), reason=payload.reason)


@router.post(
    "/officers/{officer_id}/account",
    response={200: OfficerOut, **ERRORS},
    summary="Link the officer's own SRO account (agency supervisor)",
)
def link_officer_account(request: HttpRequest, officer_id: int, payload: LinkAccountIn) -> Officer:
    actor = request_actor(request)
    return officer_link_user(actor=actor, officer=officer_get(actor=actor, pk=officer_id), username=payload.username)


def _required_training_out(contract: Contract) -> RequiredTrainingOut:
    required = required_courses(contract)
    return RequiredTrainingOut(
        contract_id=contract.pk,
        courses=[c.key for c in required],
        titles=[c.title for c in required],
        set_by_district=ContractTraining.objects.filter(contract=contract).exists(),
    )


@router.get(
    "/contracts/{contract_id}/training",
    response={200: RequiredTrainingOut, 404: ErrorOut},
    summary="The courses a contract requires of its officers",
)
def get_required_training(request: HttpRequest, contract_id: int) -> RequiredTrainingOut:
    return _required_training_out(contract_get(actor=request_actor(request), pk=contract_id))


@router.put(
    "/contracts/{contract_id}/training",
    response={200: RequiredTrainingOut, **ERRORS},
    summary="Set the courses a contract requires (district administrator)",
)
def set_required_training(request: HttpRequest, contract_id: int, payload: RequiredTrainingIn) -> RequiredTrainingOut:
    actor = request_actor(request)
    contract = contract_get(actor=actor, pk=contract_id)
    contract_training_set(actor=actor, contract=contract, courses=payload.courses)
    return _required_training_out(contract)


@router.post("/officers/{officer_id}/nominations", response={201: NominationOut, **ERRORS})
def nominate(request: HttpRequest, officer_id: int, payload: NominationIn) -> Status[Nomination]:
    actor = request_actor(request)
    officer = officer_get(actor=actor, pk=officer_id)
    try:
        contract = contract_get(actor=actor, pk=payload.contract_id)
    except NotFound:
        raise InvalidInput.single("contract_id", f"no contract with id {payload.contract_id}") from None
    return Status(201, nomination_create(actor=actor, officer=officer, contract=contract, note=payload.note))


@router.post("/nominations/{nomination_id}/panel", response={201: PanelOut, **ERRORS})
def convene_panel(request: HttpRequest, nomination_id: int, payload: PanelIn) -> Status[PanelOut]:
    actor = request_actor(request)
    nomination = nomination_get(actor=actor, pk=nomination_id)
    users = {u.username: u for u in User.objects.filter(username__in=payload.members)}
    unknown = [f"members[{i}]" for i, name in enumerate(payload.members) if name not in users]
    if unknown:
        raise InvalidInput.many([(f, "no such account") for f in unknown])
    panel = panel_create(actor=actor, nomination=nomination, members=[users[n] for n in payload.members])
    return Status(201, _panel_out(panel))


@router.get("/panels/{panel_id}", response={200: PanelOut, 404: ErrorOut})
def get_panel(request: HttpRequest, panel_id: int) -> PanelOut:
    return _panel_out(panel_get(actor=request_actor(request), pk=panel_id))


@router.post("/panels/{panel_id}/scores", response={201: PanelOut, **ERRORS}, summary="A panelist's scoresheet")
def score(request: HttpRequest, panel_id: int, payload: ScoreIn) -> Status[PanelOut]:
    actor = request_actor(request)
    panel = panel_get(actor=actor, pk=panel_id)
    panel_score(
        actor=actor, panel=panel, scores=payload.scores, recommendation=payload.recommendation, reason=payload.reason
    )
    return Status(201, _panel_out(panel_get(actor=actor, pk=panel_id)))


def _training_out(officer: Officer, records: list[TrainingRecord], on: dt.date) -> TrainingOut:
    return TrainingOut(
        officer_id=officer.pk,
        on=on,
        courses=[
            CourseStateOut(
                course=s.course.key,
                title=s.course.title,
                status=s.status,
                valid_until=s.valid_until,
                record_id=s.record.pk if s.record else None,
            )
            for s in officer_training(officer, on)
        ],
        records=[TrainingRecordOut.from_orm(r) for r in records],
    )


@router.get("/officers/{officer_id}/training", response={200: TrainingOut, 404: ErrorOut})
def get_training(request: HttpRequest, officer_id: int, on: IsoDate | None = None) -> TrainingOut:
    """Status of every course on `on` (default today), and every completion entered."""
    actor = request_actor(request)
    officer = officer_get(actor=actor, pk=officer_id)
    return _training_out(officer, list(training_records(actor=actor, officer=officer)), on or timezone.localdate())


@router.post("/officers/{officer_id}/training", response={201: TrainingRecordOut, **ERRORS})
def add_training(request: HttpRequest, officer_id: int, payload: TrainingIn) -> Status[TrainingRecord]:
    """The agency enters a completion; it counts once the district confirms it."""
    actor = request_actor(request)
    officer = officer_get(actor=actor, pk=officer_id)
    record = training_record_create(
        actor=actor,
        officer=officer,
        course=payload.course,
        completed_on=payload.completed_on,
        provider=payload.provider,
        hours=payload.hours,
        evidence=payload.evidence,
    )
    return Status(201, record)


@router.post("/training/{record_id}/review", response={200: TrainingRecordOut, **ERRORS})
def review_training(request: HttpRequest, record_id: int, payload: ReviewIn) -> TrainingRecord:
    """The district confirms a completion (`confirm: true`) or declines it with a note."""
    actor = request_actor(request)
    record = training_record_get(actor=actor, pk=record_id)
    return training_record_review(actor=actor, record=record, confirm=payload.confirm, note=payload.note)


@router.get("/assignments", response=list[AssignmentOut])
@paginate(Pagination)
def list_assignments(request: HttpRequest, include_cancelled: bool = False) -> Any:
    """Assignments you may see; ``include_cancelled=true`` adds those called off before their first day."""
    return assignment_list(actor=request_actor(request), include_cancelled=include_cancelled)


@router.post(
    "/assignments",
    response={201: AssignmentOut, 409: GateRefusedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assign an officer to a campus (409 with every reason when the gate refuses)",
)
def create_assignment(request: HttpRequest, payload: AssignmentIn) -> Status[Assignment]:
    actor = request_actor(request)
    officer = officer_get(actor=actor, pk=payload.officer_id)
    school = school_get(actor=actor, cds_code=payload.cds_code)
    assignment = assignment_create(
        actor=actor, officer=officer, school=school, start_date=payload.start_date, end_date=payload.end_date
    )
    return Status(201, assignment)


@router.post(
    "/assignments/{assignment_id}/cancel",
    response={200: AssignmentOut, **ERRORS},
    summary="Call off an assignment before its first day (the record stays, marked cancelled)",
)
def cancel_assignment(request: HttpRequest, assignment_id: int, payload: CancelIn) -> Assignment:
    actor = request_actor(request)
    return assignment_cancel(
        actor=actor, assignment=assignment_get(actor=actor, pk=assignment_id), reason=payload.reason
    )


# The deployment gate for one campus. Tagged and named as when it was in the contracts API, so the
# published schema is unchanged.
@router.get(
    "/schools/{cds_code}/deployment",
    response={200: DeploymentOut, 404: ErrorOut, 422: ErrorOut},
    auth=AUTH_OR_PUBLIC,
    tags=["contracts"],
    operation_id="sro_contracts_api_school_deployment",
)
def school_deployment(request: HttpRequest, cds_code: str, on: IsoDate | None = None) -> DeploymentOut:
    school = school_get(actor=request_actor(request), cds_code=cds_code)
    ans = deployment_gate(school=school, on=on or timezone.localdate())
    return DeploymentOut(
        school=school.name,
        cds_code=school.cds_code,
        on=ans.on,
        may_deploy=ans.may_deploy,
        contract_id=ans.contract.pk if ans.contract else None,
        reasons=[ReasonOut(code=r.code, message=r.message) for r in ans.reasons],
    )
