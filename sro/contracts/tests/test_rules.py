"""Refused transitions and bad input: 4xx with the field and reason; nothing changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.catalogue import CatalogueError, catalogue, parse_catalogue
from sro.contracts.models import Body, Contract, ContractVersion, Meeting, Vote
from sro.contracts.selectors import district_spend_by_year, version_diff
from sro.contracts.services import ClauseIn, contract_transition, vote_outcome
from sro.contracts.workflow import TRANSITIONS, actions_from
from sro.core.models import AuditEvent

PSHS = "33671733335130"


def _snapshot() -> tuple[Any, ...]:
    return (
        tuple(Contract.objects.order_by("pk").values_list("status", "annual_cost", "in_force")),
        ContractVersion.objects.count(),
        tuple(Vote.objects.order_by("pk").values_list("outcome", "ayes")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def director(client_for: Any) -> Client:
    c: Client = client_for("director")
    return c


@pytest.fixture
def new_contract_payload(demo: dict[str, Any]) -> dict[str, Any]:
    school = demo["schools"]["Palm Springs High"]
    agency = school.city.agencies.get()
    return {
        "district_id": demo["district"].pk,
        "agency_id": agency.pk,
        "city_id": school.city_id,
        "title": "Second agreement",
        "campuses": [PSHS],
        "positions": 1,
        "term_start": "2026-08-01",
        "term_end": "2027-06-30",
        "annual_cost": "100000",
    }


@pytest.mark.parametrize(
    "change,field",
    [
        ({"annual_cost": "-5"}, "annual_cost"),
        ({"annual_cost": "lots"}, "annual_cost"),
        ({"annual_cost": "NaN"}, "annual_cost"),
        ({"term_end": "2026-07-01"}, "term_end"),
        ({"district_share_percent": "120"}, "district_share_percent"),
        ({"campuses": ["99999999999999"]}, "campuses"),
        ({"clauses": [{"number": "1", "title": "x", "text": "y", "categories": ["snacks"]}]}, "clauses[0].categories"),
    ],
)
def test_bad_contract_input_names_the_field_and_saves_nothing(
    director: Client, new_contract_payload: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    before = _snapshot()
    r = director.post("/api/v1/contracts", {**new_contract_payload, **change}, content_type="application/json")
    assert r.status_code == 422, r.json()
    assert field in [e["field"] for e in r.json()["errors"]]
    assert _snapshot() == before


def test_a_valid_contract_is_created_in_draft(director: Client, new_contract_payload: dict[str, Any]) -> None:
    r = director.post("/api/v1/contracts", new_contract_payload, content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert (body["status"], body["costs"]["per_student"]) == ("draft", "50.00")


@pytest.mark.parametrize("action", ["board_approve", "council_approve", "activate", "submit_to_council", "dance"])
def test_refused_transition_answers_409_with_status_and_allowed_actions(
    demo: dict[str, Any], director: Client, action: str
) -> None:
    contract = Contract.objects.get(campuses__cds_code=PSHS)  # board_review
    before = _snapshot()
    r = director.post(f"/api/v1/contracts/{contract.pk}/actions/{action}")
    assert r.status_code == 409
    body = r.json()
    assert body["current_status"] == "board_review"
    assert body["allowed_actions"] == ["terminate"]
    assert _snapshot() == before


def test_only_district_admins_change_status(demo: dict[str, Any], client_for: Any) -> None:
    contract = Contract.objects.get(campuses__cds_code=PSHS)
    clients = {u: client_for(u) for u in ("lt.pspd", "principal.pshs", "boardmember", "analyst")}
    before = _snapshot()
    for user, c in clients.items():
        r = c.post(f"/api/v1/contracts/{contract.pk}/actions/terminate")
        assert r.status_code == 403, user
    assert _snapshot() == before


def _board_vote(contract: Contract, when: dt.date) -> Vote:
    vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
    vote.meeting.date = when
    vote.meeting.save()
    return vote


@pytest.mark.parametrize(
    "tally,field",
    [({"ayes": 4, "noes": 3}, "ayes"), ({"ayes": -1, "noes": 0}, "ayes"), ({"ayes": 3}, "noes")],
)
def test_bad_tallies_are_refused(demo: dict[str, Any], director: Client, tally: dict[str, int], field: str) -> None:
    contract = Contract.objects.get(campuses__cds_code=PSHS)
    vote = _board_vote(contract, timezone.localdate())
    before = _snapshot()
    r = director.post(
        f"/api/v1/contracts/{contract.pk}/votes",
        {"meeting_id": vote.meeting_id, **tally},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]
    assert _snapshot() == before


def test_vote_on_a_version_not_under_review_is_refused(demo: dict[str, Any], director: Client) -> None:
    contract = Contract.objects.get(campuses__cds_code=PSHS)
    vote = _board_vote(contract, timezone.localdate())
    before = _snapshot()
    r = director.post(
        f"/api/v1/contracts/{contract.pk}/votes",
        {"meeting_id": vote.meeting_id, "version": 1, "ayes": 5, "noes": 0},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "version"
    assert _snapshot() == before


def test_a_second_approved_contract_for_a_campus_is_refused(
    demo: dict[str, Any], director: Client, new_contract_payload: dict[str, Any]
) -> None:
    first = Contract.objects.get(campuses__cds_code=PSHS)
    from sro.contracts.services import vote_record

    vote_record(actor=None, vote=_board_vote(first, timezone.localdate()), ayes=5, noes=0)
    # a rival contract for the same campus reaches the board...
    from sro.contracts.demo import MODEL_CLAUSES
    from sro.contracts.services import contract_create, vote_schedule

    rival = contract_create(
        actor=None,
        district=first.district,
        agency=first.agency,
        city=first.city,
        title="Rival",
        campuses=list(first.campuses.all()),
        positions=1,
        term_start=first.term_start,
        term_end=first.term_end,
        annual_cost="1",
        clauses=MODEL_CLAUSES,
    )
    for action in ("open_negotiation", "submit_to_council"):
        contract_transition(actor=None, contract=rival, action=action)
    council = Body.objects.get(city=first.city)
    v = vote_schedule(
        actor=None,
        meeting=Meeting.objects.create(body=council, date=timezone.localdate()),
        version=rival.versions.get(),
    )
    vote_record(actor=None, vote=v, ayes=5, noes=0)
    board = Body.objects.get(kind="school_board")
    bv = vote_schedule(
        actor=None, meeting=Meeting.objects.create(body=board, date=timezone.localdate()), version=rival.versions.get()
    )
    before = _snapshot()
    r = director.post(
        f"/api/v1/contracts/{rival.pk}/votes",
        {"meeting_id": bv.meeting_id, "ayes": 5, "noes": 0},
        content_type="application/json",
    )
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "campuses"
    assert _snapshot() == before


@pytest.mark.parametrize(
    "rule,seats,ayes,noes,abst,outcome",
    [
        ("majority_of_seats", 5, 3, 2, 0, "passed"),
        ("majority_of_seats", 5, 2, 1, 2, "failed"),
        ("majority_of_seats", 7, 3, 0, 0, "failed"),
        ("majority_of_votes", 7, 3, 2, 0, "passed"),
        ("majority_of_votes", 5, 2, 2, 0, "failed"),
    ],
)
def test_vote_outcome_is_computed_from_tally_and_rule(
    rule: str, seats: int, ayes: int, noes: int, abst: int, outcome: str
) -> None:
    assert vote_outcome(Body(seats=seats, voting_rule=rule), ayes, noes, abst) == outcome


def test_workflow_table_names_every_status() -> None:
    sources = set().union(*(t.sources for t in TRANSITIONS.values()))
    assert {"draft", "negotiating", "council_review", "board_review", "approved", "active", "suspended"} <= sources
    assert actions_from("terminated") == []
    assert actions_from("expired") == []


def test_catalogue_requires_the_discipline_prohibition_and_separation_protocol() -> None:
    required = {e.key for e in catalogue() if e.required}
    assert {"discipline_prohibition", "separation_protocol"} <= required
    with pytest.raises(CatalogueError, match=r'\[\[element\]\] #1 key "citation": missing citation'):
        parse_catalogue('[[element]]\nkey="a"\ntitle="b"\nguidance="c"\n')


def test_clause_diff_marks_added_changed_and_removed(demo: dict[str, Any]) -> None:
    contract = Contract.objects.get(campuses__cds_code=PSHS)
    v1, v2 = contract.versions.order_by("number")
    statuses = {d.number: d.status for d in version_diff(v1, v2)}
    assert statuses["2"] == "unchanged"
    assert statuses["3"] == "added"
    back = {d.number: d.status for d in version_diff(v2, v1)}
    assert back["3"] == "removed"
    ClauseIn("1", "t", "x", ["cost"])


def test_costs_per_year_are_prorated_into_fiscal_years(demo: dict[str, Any]) -> None:
    Contract.objects.filter(campuses__cds_code=PSHS).update(
        status="active",
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2026, 12, 31),
        annual_cost=Decimal("365000"),
        district_share_percent=Decimal("50"),
    )
    # Palm Springs High's alone (the demo's Desert Hot Springs High agreement is approved too)
    spend = district_spend_by_year(Contract.objects.filter(campuses__cds_code=PSHS))
    assert spend == {"2025-26": Decimal("90500.00"), "2026-27": Decimal("92000.00")}


def test_a_vote_already_scheduled_is_not_an_open_door_to_other_roles(demo: dict[str, Any]) -> None:
    """Only the district administrator schedules or records votes, also when the vote exists and
    the request would change nothing (it answered 200 to every signed-in role)."""
    vote = Vote.objects.select_related("version").filter(ayes__isnull=True).order_by("pk").first()
    assert vote is not None
    body = {"meeting_id": vote.meeting_id, "version": vote.version.number}
    url = f"/api/v1/contracts/{vote.version.contract_id}/votes"
    for username in ("superintendent", "boardmember", "principal.pshs", "lt.pspd", "officer.pspd", "analyst"):
        c = Client()
        c.force_login(demo["users"][username])
        assert c.post(url, body, content_type="application/json").status_code == 403, username
    director = Client()
    director.force_login(demo["users"]["director"])
    assert director.post(url, body, content_type="application/json").status_code == 200
