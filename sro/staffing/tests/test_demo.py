"""The demo scenario end to end: after the board approves, one campus is ready and one lacks a course."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from sro.contracts.models import Contract, Vote
from sro.staffing.gate import deployment_gate, in_words
from sro.staffing.models import Officer, Panel
from sro.staffing.training import add_months

PSHS, CCHS = "33671733335130", "33671733330578"


def _approve_by_the_board(director: Client) -> None:
    board_votes = Vote.objects.filter(meeting__body__kind="school_board", outcome="scheduled").select_related("meeting")
    for vote in board_votes:
        vote.meeting.date = timezone.localdate()
        vote.meeting.save()
        contract = vote.version.contract
        r = director.post(
            f"/api/v1/contracts/{contract.pk}/votes",
            {"meeting_id": vote.meeting_id, "ayes": 4, "noes": 1},
            content_type="application/json",
        )
        assert r.status_code == 201, r.json()


def test_after_the_board_approves_palm_springs_is_ready_and_cathedral_city_lacks_one_course(
    demo: dict[str, Any], client_for: Any
) -> None:
    assert Panel.objects.filter(outcome="approved").count() == 2
    assert (
        Officer.objects.filter(
            user__username__in=["officer.pspd", "officer.ccpd", "officer.dhspd", "deputy.rcsd"]
        ).count()
        == 4
    )
    director = client_for("director")
    _approve_by_the_board(director)
    codes = {
        cds: [r["code"] for r in director.get(f"/api/v1/schools/{cds}/deployment").json()["reasons"]]
        for cds in (PSHS, CCHS)
    }
    assert codes == {PSHS: ["no_officer_assigned"], CCHS: ["training_missing"]}
    (missing,) = deployment_gate(school=demo["schools"]["Cathedral City High"], on=timezone.localdate()).reasons
    assert "Restorative practices" in missing.message
    board = director.get("/campuses/board/").content.decode()
    assert "no_officer_assigned" in board and "ready to assign" in board and "training_missing" in board
    # The Palm Springs officer can now be assigned through the gate, but not past the day the role-limits
    # refresher (taken 345 days ago) lapses, about three weeks from now.
    officer = Officer.objects.get(user__username="officer.pspd")
    today = timezone.localdate()
    lapses = add_months(today - dt.timedelta(days=345), 12)
    lt = client_for("lt.pspd")

    def assign(end: dt.date) -> Any:
        return lt.post(
            "/api/v1/assignments",
            {"officer_id": officer.pk, "cds_code": PSHS, "start_date": str(today), "end_date": str(end)},
            content_type="application/json",
        )

    r = assign(today.replace(year=today.year + 1))
    assert r.status_code == 409
    assert r.json()["first_failing_day"] == str(lapses)
    first, *later = r.json()["reasons"]  # later: the other yearly refreshers, lapsing next summer
    assert (first["code"], first["field"], first["day"]) == ("training_expired", "end_date", str(lapses))
    assert "The contract's role limits" in first["message"]
    assert later and all(x["day"] > first["day"] for x in later)
    r = assign(lapses - dt.timedelta(days=1))
    assert r.status_code == 201, r.json()
    assert director.get(f"/api/v1/schools/{PSHS}/deployment").json()["may_deploy"] is True
    assert Contract.objects.get(campuses__cds_code=PSHS).status == "active"
    # The board warns ahead.
    assert (
        f"Training expires on {in_words(lapses - dt.timedelta(days=1))}"
        in director.get("/campuses/board/").content.decode()
    )


def test_every_staffing_page_renders_for_the_roles_that_use_it(demo: dict[str, Any], client_for: Any) -> None:
    ps = Officer.objects.get(user__username="officer.pspd")
    cc = Officer.objects.get(user__username="officer.ccpd")
    panel = Panel.objects.filter(nomination__officer=ps).get()
    dhs_nomination = Officer.objects.get(user__username="officer.dhspd").nominations.get()
    pages = {
        "director": [
            "/staffing/",
            f"/staffing/officers/{cc.pk}/",
            f"/staffing/panels/{panel.pk}/",
            "/staffing/training/",
            "/staffing/assignments/",
            "/staffing/assignments/new/",
            "/staffing/notices/",
            f"/staffing/nominations/{dhs_nomination.pk}/panel/",
        ],
        "lt.pspd": [
            "/staffing/",
            f"/staffing/officers/{ps.pk}/",
            f"/staffing/panels/{panel.pk}/",
            "/staffing/training/",
            "/staffing/assignments/new/",
        ],
        "officer.pspd": ["/staffing/", f"/staffing/officers/{ps.pk}/", "/staffing/assignments/"],
        "principal.pshs": ["/staffing/", "/staffing/assignments/"],
    }
    for username, paths in pages.items():
        c = client_for(username)
        for path in paths:
            r = c.get(path)
            assert r.status_code == 200, (username, path)
            assert "<script>" not in r.content.decode() and "style=" not in r.content.decode(), (username, path)
    matrix = client_for("director").get("/staffing/training/").content.decode()
    assert "Missing" in matrix and "Due" in matrix and "Complete" in matrix
    # The live gate fragment answers for the form as it stands.
    today = timezone.localdate()
    fragment = (
        client_for("lt.pspd")
        .post(
            "/staffing/assignments/check/",
            {
                "officer": ps.pk,
                "school": demo["schools"]["Palm Springs High"].pk,
                "start_date": str(today),
                "end_date": str(today),
            },
        )
        .content.decode()
    )
    assert "awaiting_board_approval" in fragment
