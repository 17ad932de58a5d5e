"""The contract-level gate: each reason appears when its condition holds, through the API and the board.

Officer-level reasons are turned off here (`campus_officer_reasons` answers nothing), so each test
sees the contract's own answer; with them, the demo shows no_officer_assigned and training_missing
(test_demo.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.models import Contract, Vote
from sro.staffing.gate import clause_for_campus, deployment_gate
from tests.gate_api import gate, gate_codes

PSHS, CCHS, DHSHS, RMHS = ("33671733335130", "33671733330578", "33671733330818", "33671730127316")


@pytest.fixture
def contract_level_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sro.staffing.gate.campus_officer_reasons", lambda school, contract, on, data=None: [])


@pytest.fixture
def director(client_for: Any) -> Client:
    c: Client = client_for("director")
    return c


@pytest.mark.parametrize(
    "status,today_offset,code",
    [
        ("draft", 0, "contract_in_negotiation"),
        ("negotiating", 0, "contract_in_negotiation"),
        ("council_review", 0, "awaiting_council_vote"),
        ("board_review", 0, "awaiting_board_approval"),
        ("approved", -400, "not_in_term"),
        ("active", 0, None),
        ("approved", 0, None),
        ("suspended", 0, "contract_suspended"),
        ("terminated", 0, "contract_terminated"),
        ("expired", 0, "contract_expired"),
        ("active", 2000, "contract_expired"),
    ],
)
def test_each_gate_reason_appears_when_its_condition_holds(
    demo: dict[str, Any], contract_level_only: None, status: str, today_offset: int, code: str | None
) -> None:
    contract = Contract.objects.get(campuses__cds_code=PSHS)
    Contract.objects.filter(pk=contract.pk).update(status=status)
    on = contract.term_start + dt.timedelta(days=30 + today_offset)
    answer = deployment_gate(school=demo["schools"]["Palm Springs High"], on=on)
    assert [r.code for r in answer.reasons] == ([code] if code else [])
    assert answer.may_deploy is (code is None)


def test_no_contract_reason(demo: dict[str, Any]) -> None:
    from sro.orgs.models import School

    school = School.objects.create(
        cds_code="33671736032387", name="Agua Caliente Elementary", district=demo["district"]
    )
    assert [r.code for r in deployment_gate(school=school, on=timezone.localdate()).reasons] == ["no_contract"]


def test_clause_for_campus_cites_the_governing_discipline_clause(demo: dict[str, Any]) -> None:
    # The boundary review's citation of this clause: sro/incidents/tests/test_contacts.py.
    school = demo["schools"]["Palm Springs High"]
    clause = clause_for_campus(school=school, on=timezone.localdate(), category="discipline_prohibition")
    assert clause is not None
    assert clause.number == "2"
    assert clause_for_campus(school=school, on=timezone.localdate(), category="no_such_element") is None


def test_board_approval_lets_two_campuses_deploy_and_not_the_others(
    demo: dict[str, Any], director: Client, contract_level_only: None
) -> None:
    # The board meets in the future: recording now is refused and nothing changes.
    first = Contract.objects.get(campuses__cds_code=PSHS)
    vote = Vote.objects.get(version__contract=first, meeting__body__kind="school_board")
    r = director.post(
        f"/api/v1/contracts/{first.pk}/votes",
        {"meeting_id": vote.meeting_id, "ayes": 5, "noes": 0},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "meeting"
    assert Vote.objects.get(pk=vote.pk).outcome == "scheduled"
    # The board met today: record both tallies.
    vote.meeting.date = timezone.localdate()
    vote.meeting.save()
    for cds in (PSHS, CCHS):
        contract = Contract.objects.get(campuses__cds_code=cds)
        vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
        r = director.post(
            f"/api/v1/contracts/{contract.pk}/votes",
            {"meeting_id": vote.meeting_id, "ayes": 4, "noes": 1},
            content_type="application/json",
        )
        assert r.status_code == 201, r.json()
        assert r.json()["outcome"] == "passed"
        assert director.get(f"/api/v1/contracts/{contract.pk}").json()["status"] == "active"
    assert gate(director, PSHS)["may_deploy"] is True
    assert gate(director, CCHS)["may_deploy"] is True
    # Desert Hot Springs High's agreement was adopted last year and nears renewal (sro/evaluation/demo.py)
    assert gate_codes(director, DHSHS) == []
    assert gate_codes(director, RMHS) == ["contract_in_negotiation"]
    board = director.get("/campuses/board/").content.decode()
    assert board.count("✓ Yes") == 3
    assert board.count("✗ No") == 1
