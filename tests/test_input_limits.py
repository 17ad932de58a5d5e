"""Input limits (issue 14, item 10): oversized text, too many students, impossible dates and a tally
without a quorum are refused with a 422 naming the field, on the API and the pages, and nothing is saved.

The numbers are in `sro/core/limits.py`; docs/api.md ("Limits") lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.models import Body, Contract, Meeting, Vote
from sro.core.errors import InvalidInput
from sro.core.limits import EARLIEST_DATE, STUDENTS_PER_INCIDENT, TEXT_MAX_CHARS, refuse_oversized_on_save
from sro.core.models import AuditEvent
from sro.incidents.models import Incident, IncidentStudent

PSHS = "Palm Springs High"


def _when(days: int = 3) -> str:
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone()).isoformat()


def _student(n: int) -> dict[str, str]:
    return {"local_student_id": str(1000 + n), "name": f"Student {n}", "role": "witness", "race": "HI", "sex": "F"}


def _incident(demo: dict[str, Any], **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "school": demo["schools"][PSHS].cds_code,
        "occurred_at": _when(),
        "location": "Gym",
        "description": "Two students argued.",
        "offences": ["48900(a)(1)"],
        "facts": [],
        "students": [_student(0)],
    }
    body.update(over)
    return body


def _counts() -> tuple[int, int, int]:
    return Incident.objects.count(), IncidentStudent.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"description": "x" * (TEXT_MAX_CHARS + 1)}, "description"),
        ({"description": "x" * 2_000_000}, "description"),
        ({"location": "y" * 201}, "location"),
        ({"students": [_student(n) for n in range(STUDENTS_PER_INCIDENT + 1)]}, "students"),
        ({"students": [_student(n) for n in range(5_000)]}, "students"),
        ({"occurred_at": "1900-03-01T10:00:00-08:00"}, "occurred_at"),
        ({"students": [{**_student(0), "name": "z" * 201}]}, "students.0.name"),
    ],
)
def test_the_api_refuses_oversized_or_impossible_incidents(
    demo: dict[str, Any], signed_in: Any, over: dict[str, Any], field: str
) -> None:
    principal = signed_in("principal.pshs")
    before = _counts()
    r = principal.post("/api/v1/incidents", _incident(demo, **over), content_type="application/json")
    assert r.status_code == 422, r.content[:300]
    assert any(e["field"] == field or e["field"].startswith(f"{field}.") for e in r.json()["errors"]), r.json()
    assert _counts() == before


def test_an_incident_at_the_limits_is_accepted(demo: dict[str, Any], signed_in: Any) -> None:
    body = _incident(
        demo,
        description="x" * TEXT_MAX_CHARS,
        students=[_student(n) for n in range(STUDENTS_PER_INCIDENT)],
        occurred_at=dt.datetime.combine(EARLIEST_DATE, dt.time(10), tzinfo=timezone.get_current_timezone()).isoformat(),
    )
    r = signed_in("principal.pshs").post("/api/v1/incidents", body, content_type="application/json")
    assert r.status_code == 201, r.content[:300]
    assert Incident.objects.get(pk=r.json()["id"]).students.count() == STUDENTS_PER_INCIDENT


def test_the_page_refuses_a_year_1900_incident_and_too_many_students(demo: dict[str, Any], signed_in: Any) -> None:
    from sro.incidents.tests.test_incident_form import ANA, page_of, post_data

    principal = signed_in("principal.pshs")
    before = _counts()
    r = principal.post("/incidents/new/", post_data(demo, ANA, occurred_at="1900-03-01T10:00"))
    page = page_of(r)
    assert page.summary is not None and any("before 2000-01-01" in text for _href, text in page.summary_links)
    rows = [{**ANA, "local_student_id": f"S{n}"} for n in range(STUDENTS_PER_INCIDENT + 1)]
    r = principal.post("/incidents/new/", post_data(demo, *rows))
    assert f"at most {STUDENTS_PER_INCIDENT} students" in r.content.decode()
    assert _counts() == before


def test_any_text_field_over_its_limit_is_refused_at_the_table(demo: dict[str, Any]) -> None:
    incident = Incident.objects.first()
    assert incident is not None
    incident.referral_reason = "r" * (TEXT_MAX_CHARS + 1)
    with pytest.raises(InvalidInput) as e:
        incident.save()
    assert e.value.errors[0].field == "referral_reason" and "at most 10,000 characters" in e.value.errors[0].message
    with pytest.raises(InvalidInput) as e:
        refuse_oversized_on_save(Incident, Incident(location="l" * 201))
    assert e.value.errors[0].field == "location"


@pytest.fixture
def director(signed_in: Any) -> Client:
    client: Client = signed_in("director")
    return client


def _board_vote() -> tuple[Contract, Vote]:
    contract = Contract.objects.get(campuses__name=PSHS)
    vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
    vote.meeting.date = timezone.localdate()
    vote.meeting.save()
    return contract, vote


@pytest.mark.parametrize("tally", [{"ayes": 0, "noes": 0}, {"ayes": 2, "noes": 0, "absent": 3}])
def test_a_tally_without_a_quorum_is_refused(demo: dict[str, Any], director: Client, tally: dict[str, int]) -> None:
    contract, vote = _board_vote()
    body = vote.meeting.body
    assert body.seats == 5
    r = director.post(
        f"/api/v1/contracts/{contract.pk}/votes",
        {"meeting_id": vote.meeting_id, **tally},
        content_type="application/json",
    )
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "ayes" and "no quorum" in error["message"] and "at least 3" in error["message"]
    vote.refresh_from_db()
    assert vote.outcome == Vote.Outcome.SCHEDULED and vote.ayes is None


def test_a_tally_with_a_bare_quorum_is_recorded(demo: dict[str, Any], director: Client) -> None:
    contract, vote = _board_vote()
    r = director.post(
        f"/api/v1/contracts/{contract.pk}/votes",
        {"meeting_id": vote.meeting_id, "ayes": 3, "noes": 0, "absent": 2},
        content_type="application/json",
    )
    assert r.status_code in (200, 201), r.content
    vote.refresh_from_db()
    assert vote.outcome == Vote.Outcome.PASSED


@pytest.mark.parametrize("when", ["1900-01-06", (dt.date.today() + dt.timedelta(days=3 * 366)).isoformat()])
def test_a_meeting_outside_the_window_is_refused(demo: dict[str, Any], director: Client, when: str) -> None:
    body = Body.objects.get(kind="school_board")
    before = Meeting.objects.count()
    r = director.post("/api/v1/meetings", {"body_id": body.pk, "date": when}, content_type="application/json")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["date"]
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("seats", [0, 52, 5000])
def test_a_body_with_an_impossible_number_of_seats_is_refused(demo: dict[str, Any], seats: int) -> None:
    from sro.contracts.services import body_update

    body = Body.objects.get(kind="school_board")
    with pytest.raises(InvalidInput) as e:
        body_update(actor=None, body=body, name=body.name, seats=seats, voting_rule=body.voting_rule)
    assert e.value.errors[0].field == "seats"
    body.refresh_from_db()
    assert body.seats == 5
