"""The API answers only what its schema says, and the schema says everything it answers (issue 14, item 11).

Each rule here was found by the schema fuzzing in tests/test_api_fuzz.py and is pinned by a plain
test, so a regression is named precisely.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.community.models import AgendaItem, PublicComment
from sro.contracts.models import Meeting, Vote
from sro.core.models import AuditEvent

SCHEMA = "/api/v1/openapi.json"
PUBLIC_OPERATIONS = {
    ("get", "/api/v1/cities"),
    ("get", "/api/v1/contracts"),
    ("get", "/api/v1/contracts/{contract_id}"),
    ("get", "/api/v1/contracts/{contract_id}/versions"),
    ("get", "/api/v1/contracts/{contract_id}/votes"),
    ("get", "/api/v1/contracts/{contract_id}/rubric"),
    ("get", "/api/v1/bodies"),
    ("get", "/api/v1/meetings"),
    ("get", "/api/v1/schools/{cds_code}/deployment"),
    ("get", "/api/v1/agenda-items"),
    ("get", "/api/v1/agenda-items/{item_id}"),
    ("post", "/api/v1/agenda-items/{item_id}/comments"),
}


def _operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m, p): op for p, ops in schema["paths"].items() for m, op in ops.items()}


@pytest.fixture
def schema(site: dict[str, Any]) -> dict[str, Any]:
    r = Client().get(SCHEMA)
    assert r.status_code == 200
    document: dict[str, Any] = r.json()
    return document


def test_every_operation_documents_422_and_every_guarded_one_401(schema: dict[str, Any]) -> None:
    for (method, path), op in _operations(schema).items():
        assert "422" in op["responses"], (method, path)
        needs_credentials = bool(op.get("security")) and {} not in op["security"]
        assert ("401" in op["responses"]) == needs_credentials, (method, path)


def test_the_public_operations_are_marked_as_needing_no_credentials(schema: dict[str, Any]) -> None:
    optional = {key for key, op in _operations(schema).items() if {} in op.get("security", [{"x": []}])}
    assert optional == PUBLIC_OPERATIONS
    for key in PUBLIC_OPERATIONS:  # a token or the session still works, for the caller's own scope
        assert {"BearerToken": []} in _operations(schema)[key]["security"]
    assert "security" not in _operations(schema)[("get", "/api/v1/policy/route")]  # auth=None: nothing at all


def test_each_public_operation_answers_the_public_without_401(site: dict[str, Any]) -> None:
    item = AgendaItem.objects.first()
    assert item is not None
    cds = site["schools"]["Palm Springs High"].cds_code
    for path in ("/api/v1/cities", "/api/v1/contracts", "/api/v1/bodies", "/api/v1/meetings", "/api/v1/agenda-items"):
        assert Client().get(path).status_code == 200, path
    assert Client().get(f"/api/v1/agenda-items/{item.pk}").status_code == 200
    assert Client().get(f"/api/v1/schools/{cds}/deployment").status_code == 200
    assert Client().get("/api/v1/schools").status_code == 401  # and a guarded one still refuses


@pytest.mark.parametrize("on", ["0", "1", "20261205", "2026-12-5", "12/05/2026", "1700000000"])
def test_a_deployment_date_that_is_not_yyyy_mm_dd_is_a_422_not_1970(site: dict[str, Any], on: str) -> None:
    cds = site["schools"]["Palm Springs High"].cds_code
    r = Client().get(f"/api/v1/schools/{cds}/deployment", {"on": on})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "on", "message": "Value error, must be a date written YYYY-MM-DD"}]
    ok = Client().get(f"/api/v1/schools/{cds}/deployment", {"on": "2026-12-05"})
    assert ok.status_code == 200 and ok.json()["on"] == "2026-12-05"


def test_a_meeting_filter_date_of_zero_is_refused(site: dict[str, Any]) -> None:
    r = Client().get("/api/v1/meetings", {"from": "0"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "from"


def test_a_number_is_not_taken_for_a_date_in_a_request_body(client_for: Any) -> None:
    director = client_for("director")
    body = director.get("/api/v1/bodies?kind=school_board").json()["items"][0]
    before = Meeting.objects.count()
    r = director.post(
        "/api/v1/meetings", {"body_id": body["id"], "date": 0, "title": "Epoch"}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "date"
    assert Meeting.objects.count() == before


def test_an_incident_time_given_as_seconds_since_1970_is_refused(client_for: Any, site: dict[str, Any]) -> None:
    from sro.incidents.models import Incident

    before = Incident.objects.count()
    r = client_for("principal.pshs").post(
        "/api/v1/incidents",
        {"school": site["schools"]["Palm Springs High"].cds_code, "occurred_at": 0, "narrative": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert "occurred_at" in [e["field"] for e in r.json()["errors"]]
    assert Incident.objects.count() == before


def test_a_refused_tally_leaves_no_scheduled_vote_behind(client_for: Any) -> None:
    director = client_for("director")
    board = director.get("/api/v1/bodies?kind=school_board").json()["items"][0]
    today = timezone.localdate().isoformat()
    meeting = director.post(
        "/api/v1/meetings", {"body_id": board["id"], "date": today, "title": "Special"}, content_type="application/json"
    ).json()
    contract = next(c for c in director.get("/api/v1/contracts").json()["items"] if c["status"] == "board_review")
    votes, events = Vote.objects.count(), AuditEvent.objects.count()
    r = director.post(
        f"/api/v1/contracts/{contract['id']}/votes",
        {"meeting_id": meeting["id"], "ayes": 40, "noes": 1},  # more members than the board has seats
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ayes"
    assert Vote.objects.count() == votes
    assert not Vote.objects.filter(meeting_id=meeting["id"]).exists()
    assert AuditEvent.objects.count() == events  # no "schedule_vote" event either
    assert director.get(f"/api/v1/contracts/{contract['id']}").json()["status"] == "board_review"


def _open_item() -> AgendaItem:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    return item


def _comment(item: AgendaItem, address: str, **extra: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        f"/api/v1/agenda-items/{item.pk}/comments",
        {"body": "Please publish the data.", **extra},
        content_type="application/json",
    )


def test_the_robot_trap_answers_exactly_as_an_accepted_comment(site: dict[str, Any]) -> None:
    item = _open_item()
    before = PublicComment.objects.count()
    person = _comment(item, "10.1.1.1")
    robot = _comment(item, "10.1.1.2", website="http://spam.example")
    assert person.status_code == robot.status_code == 202
    assert person.json() == robot.json() == {"status": "pending"}
    assert person["Content-Type"] == robot["Content-Type"]
    assert PublicComment.objects.count() == before + 1  # only the person's is kept


def test_the_robot_trap_refuses_what_a_person_would_be_refused(site: dict[str, Any]) -> None:
    item = _open_item()
    person = _comment(item, "10.1.1.3", body="")
    robot = _comment(item, "10.1.1.4", body="", website="http://spam.example")
    assert person.status_code == robot.status_code == 422
    assert person.json() == robot.json()


@pytest.mark.parametrize(
    ("method", "path", "url", "username"),
    [
        ("get", "/api/v1/incidents", "/api/v1/incidents?school=0000000000000", "principal.pshs"),
        ("get", "/api/v1/agenda-items", "/api/v1/agenda-items?contract_id=999999", "director"),
    ],
)
def test_a_list_filtered_by_an_unknown_record_answers_a_documented_404(
    schema: dict[str, Any], client_for: Any, method: str, path: str, url: str, username: str
) -> None:
    r = client_for(username).get(url)
    assert r.status_code == 404
    assert "404" in _operations(schema)[(method, path)]["responses"]
