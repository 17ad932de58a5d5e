"""Joint hiring: officers, nominations, panels of both sides, scores, the decision rule."""

from __future__ import annotations

from typing import Any

import pytest

from sro.core.models import AuditEvent
from sro.staffing.catalogues import rubric
from sro.staffing.hiring import panel_outcome
from sro.staffing.models import Nomination, Officer, Panel
from sro.staffing.tests.conftest import CCPD, PSPD, World, snapshot

D, A = "district", "agency"
YES, NO, VETO = "recommend", "do_not_recommend", "veto"


@pytest.mark.parametrize(
    "sides,sheets,expected",
    [
        ([D, A], [], None),
        ([D, A], [(D, YES)], None),
        ([D, A], [(D, YES), (A, YES)], "approved"),
        ([D, A], [(D, YES), (A, NO)], "rejected"),
        ([D, A], [(D, NO), (A, YES)], "rejected"),
        ([D, A], [(D, VETO)], "rejected"),
        ([D, A, A], [(A, VETO)], "rejected"),
        ([D, D, A], [(D, YES), (D, NO), (A, YES)], "approved"),
        ([D, D, A], [(D, NO), (D, NO), (A, YES)], "rejected"),
        ([D, A, A], [(D, YES), (A, NO), (A, YES)], "approved"),
        ([D, A, A], [(D, YES), (A, YES), (A, VETO)], "rejected"),
        ([D, A, A], [(D, YES), (A, YES)], None),
    ],
)
def test_panel_outcome_needs_both_sides_and_honours_a_veto(
    sides: list[str], sheets: list[tuple[str, str]], expected: str | None
) -> None:
    decided = panel_outcome(sides, sheets)
    assert (decided[0] if decided else None) == expected


def test_joint_hiring_over_the_api_approves_and_audits_scores_and_reasons(world: World) -> None:
    lt, director = world.client("lt.pspd"), world.client("director")
    r = lt.post(
        "/api/v1/officers",
        {
            "agency_id": world.agencies[PSPD].pk,
            "first_name": "Taylor",
            "last_name": "Brooks",
            "badge_number": "4117",
            "rank": "Officer",
            "sworn_date": "2019-03-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    officer_id = r.json()["id"]
    assert r.json()["status"] == "candidate"
    contract = world.contracts["Palm Springs High"]
    r = lt.post(
        f"/api/v1/officers/{officer_id}/nominations", {"contract_id": contract.pk}, content_type="application/json"
    )
    assert r.status_code == 201, r.json()
    r = director.post(
        f"/api/v1/nominations/{r.json()['id']}/panel",
        {"members": ["director", "lt.pspd"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    panel_id = r.json()["id"]
    scores = dict.fromkeys(rubric().keys, 4)
    for client in (director, lt):
        r = client.post(
            f"/api/v1/panels/{panel_id}/scores",
            {"scores": scores, "recommendation": "recommend", "reason": "Calm, clear, knows the role."},
            content_type="application/json",
        )
        assert r.status_code == 201, r.json()
    assert r.json()["status"] == "decided" and r.json()["outcome"] == "approved"
    assert Officer.objects.get(pk=officer_id).status == "approved"
    scored = AuditEvent.objects.filter(action="panel_score")
    assert scored.count() == 2
    assert all(e.changes["reason"] == "Calm, clear, knows the role." and e.changes["scores"] == scores for e in scored)
    decision = AuditEvent.objects.get(action="panel_decide")
    assert decision.changes["outcome"] == "approved"
    assert decision.changes["tally"]["district"]["recommend"] == 1


def test_a_panel_of_one_side_only_is_refused(world: World) -> None:
    nomination = world.nominate(world.officer())
    client = world.client("director")
    before = snapshot()
    r = client.post(
        f"/api/v1/nominations/{nomination.pk}/panel",
        {"members": ["director", "superintendent"]},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["members"]
    assert "agency member" in r.json()["errors"][0]["message"]
    assert snapshot() == before


def test_a_panelist_from_the_wrong_agency_is_refused(world: World) -> None:
    nomination = world.nominate(world.officer())
    client = world.client("director")
    before = snapshot()
    r = client.post(
        f"/api/v1/nominations/{nomination.pk}/panel",
        {"members": ["director", "lt.ccpd"]},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["members[1]"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "scores,recommendation,reason,fields",
    [
        ({"de_escalation": 6}, "recommend", "ok", ["scores.de_escalation"]),
        ({"de_escalation": 0}, "recommend", "ok", ["scores.de_escalation"]),
        ({"de_escalation": "5"}, "recommend", "ok", ["scores.de_escalation"]),
        ({"de_escalation": 4.5}, "recommend", "ok", ["scores.de_escalation"]),
        ({"charisma": 5}, "recommend", "ok", ["scores.charisma"]),
        ({"drop": "communication"}, "recommend", "ok", ["scores.communication"]),
        ({}, "maybe", "ok", ["recommendation"]),
        ({}, "recommend", "  ", ["reason"]),
    ],
)
def test_bad_scores_name_the_field_and_save_nothing(
    world: World, scores: dict[str, Any], recommendation: str, reason: str, fields: list[str]
) -> None:
    panel = world.panel(world.nominate(world.officer()))
    payload = dict.fromkeys(rubric().keys, 3)
    payload.pop(scores.pop("drop", ""), None)
    payload.update(scores)
    client = world.client("director")
    before = snapshot()
    r = client.post(
        f"/api/v1/panels/{panel.pk}/scores",
        {"scores": payload, "recommendation": recommendation, "reason": reason},
        content_type="application/json",
    )
    assert r.status_code == 422, r.json()
    assert [e["field"] for e in r.json()["errors"]] == fields
    assert snapshot() == before


def test_scoring_twice_or_after_the_decision_is_refused(world: World) -> None:
    panel = world.panel(world.nominate(world.officer()))
    world.score(panel, "director")
    client = world.client("director")
    body = {"scores": dict.fromkeys(rubric().keys, 3), "recommendation": "veto", "reason": "changed my mind"}
    r = client.post(f"/api/v1/panels/{panel.pk}/scores", body, content_type="application/json")
    assert r.status_code == 409
    world.score(panel, "lt.pspd")
    r = world.client("lt.pspd").post(f"/api/v1/panels/{panel.pk}/scores", body, content_type="application/json")
    assert r.status_code == 409
    panel.refresh_from_db()
    assert panel.outcome == Panel.Outcome.APPROVED


def test_only_members_score_and_outsiders_do_not_see_the_panel(world: World) -> None:
    panel = world.panel(world.nominate(world.officer()))
    body = {"scores": dict.fromkeys(rubric().keys, 3), "recommendation": "recommend", "reason": "x"}
    assert (
        world.client("superintendent")
        .post(f"/api/v1/panels/{panel.pk}/scores", body, content_type="application/json")
        .status_code
        == 404
    )
    assert world.client("lt.ccpd").get(f"/api/v1/panels/{panel.pk}").status_code == 404
    assert world.client("officer.pspd").get(f"/api/v1/panels/{panel.pk}").status_code == 404


def test_duplicate_badge_in_an_agency_is_refused_but_another_agency_may_reuse_it(world: World) -> None:
    world.officer(PSPD, "777")
    client = world.client("lt.pspd")
    before = snapshot()
    r = client.post(
        "/api/v1/officers",
        {"agency_id": world.agencies[PSPD].pk, "first_name": "A", "last_name": "B", "badge_number": "777"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["badge_number"]
    assert snapshot() == before
    assert world.officer(CCPD, "777").agency.name == CCPD


def test_a_supervisor_adds_officers_only_to_their_own_agency(world: World) -> None:
    client = world.client("lt.pspd")
    before = snapshot()
    r = client.post(
        "/api/v1/officers",
        {"agency_id": world.agencies[CCPD].pk, "first_name": "A", "last_name": "B", "badge_number": "1"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert snapshot() == before


def test_nominating_for_another_agencys_contract_or_twice_is_refused(world: World) -> None:
    officer = world.officer()
    world.nominate(officer)
    client = world.client("lt.pspd")
    before = snapshot()
    again = client.post(
        f"/api/v1/officers/{officer.pk}/nominations",
        {"contract_id": world.contracts["Palm Springs High"].pk},
        content_type="application/json",
    )
    assert again.status_code == 409
    other = client.post(
        f"/api/v1/officers/{officer.pk}/nominations",
        {"contract_id": world.contracts["Cathedral City High"].pk},
        content_type="application/json",
    )
    assert other.status_code == 403
    assert snapshot() == before
    assert Nomination.objects.count() == 1


def test_linking_an_account_requires_the_sro_role_at_that_agency(world: World) -> None:
    from sro.core.errors import InvalidInput
    from sro.staffing.services import officer_link_user

    officer = world.officer()
    with pytest.raises(InvalidInput) as exc:
        officer_link_user(actor=None, officer=officer, user=world.users["lt.pspd"])
    assert exc.value.errors[0].field == "user"
    linked = officer_link_user(actor=None, officer=officer, user=world.users["officer.pspd"])
    assert linked.user == world.users["officer.pspd"]
