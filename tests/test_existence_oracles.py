"""A refused request tells nothing about records the caller may not see (issue 14, item 7).

Each test compares, byte for byte, the answer about a record that exists but is out of the
caller's scope with the answer about one that does not exist at all.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from sro.incidents.models import Contact, Incident, Route
from sro.orgs.models import LawEnforcementAgency, User
from sro.staffing.models import Officer

PSHS = "Palm Springs High"


def _answer(response: Any) -> tuple[int, bytes]:
    return response.status_code, response.content


def _hidden_incident(demo: dict[str, Any]) -> Incident:
    """A discipline-only incident at the officer's own campus: police never see it."""
    incident = Incident.objects.filter(school=demo["schools"][PSHS], route=Route.SCHOOL_DISCIPLINE).first()
    assert incident is not None
    return incident


def _missing_incident_id() -> int:
    return (Incident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000


def _contact(demo: dict[str, Any], **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "school": demo["schools"][PSHS].cds_code,
        "occurred_at": (timezone.now() - dt.timedelta(days=2)).isoformat(),
        "duration_minutes": 15,
        "reason": 2,
        "race": [3],
        "gender": 1,
        "age": 16,
        "results": [12],
    }
    return body | over


@pytest.mark.parametrize(
    "invalid",
    [
        {"age": 0},  # a field the service checks
        {"reason": 42, "results": []},  # several
        {"emergency": True},  # a check beside the link's
    ],
    ids=["age", "codes", "emergency"],
)
def test_an_invalid_contact_answers_alike_for_a_hidden_and_a_missing_incident(
    client_for: Any, demo: dict[str, Any], invalid: dict[str, Any]
) -> None:
    officer = client_for("officer.pspd")
    hidden = _hidden_incident(demo)
    assert officer.get(f"/api/v1/incidents/{hidden.pk}").status_code == 404
    before = Contact.objects.count()
    seen = officer.post(
        "/api/v1/contacts", _contact(demo, incident_id=hidden.pk, **invalid), content_type="application/json"
    )
    missing = officer.post(
        "/api/v1/contacts",
        _contact(demo, incident_id=_missing_incident_id(), **invalid),
        content_type="application/json",
    )
    assert seen.status_code == 422, seen.content
    assert _answer(seen) == _answer(missing)
    assert Contact.objects.count() == before


def test_a_valid_contact_still_links_a_hidden_incident_and_refuses_a_missing_one(
    client_for: Any, demo: dict[str, Any]
) -> None:
    officer = client_for("officer.pspd")
    missing = officer.post(
        "/api/v1/contacts", _contact(demo, incident_id=_missing_incident_id()), content_type="application/json"
    )
    assert missing.status_code == 422 and [e["field"] for e in missing.json()["errors"]] == ["incident"]
    linked = officer.post(
        "/api/v1/contacts",
        _contact(demo, incident_id=_hidden_incident(demo).pk, actions=[5], results=[6]),
        content_type="application/json",
    )
    assert linked.status_code == 201, linked.content
    assert linked.json()["boundary_rules"] == ["police-action-on-school-discipline"]


def _token(username: str) -> Client:
    out = StringIO()
    call_command("token", "create", "--user", username, stdout=out, stderr=StringIO())
    return Client(headers={"Authorization": f"Bearer {out.getvalue().strip()}"})


def _officer(agency: LawEnforcementAgency, username: str, badge: str) -> dict[str, Any]:
    return {
        "agency_id": agency.pk,
        "first_name": "Sam",
        "last_name": "Reyes",
        "badge_number": badge,
        "username": username,
    }


@pytest.mark.parametrize("caller", ["principal.pshs", "officer.pspd", "lt.ccpd", "analyst"])
def test_officer_creation_by_anyone_without_the_right_tells_nothing_of_usernames(
    demo: dict[str, Any], caller: str
) -> None:
    pspd = LawEnforcementAgency.objects.get(memberships__user__username="lt.pspd")
    c = _token(caller)
    existing = c.post("/api/v1/officers", _officer(pspd, "director", "X-1"), content_type="application/json")
    missing = c.post("/api/v1/officers", _officer(pspd, "no-such-user-7f3a", "X-1"), content_type="application/json")
    assert existing.status_code == 403, existing.content
    assert _answer(existing) == _answer(missing)


@pytest.mark.parametrize("existing_username", ["director", "officer.ccpd", "lt.pspd"])
def test_the_agency_supervisor_learns_only_of_its_own_sro_accounts(
    demo: dict[str, Any], existing_username: str
) -> None:
    assert User.objects.filter(username=existing_username).exists()
    pspd = LawEnforcementAgency.objects.get(memberships__user__username="lt.pspd")
    c = _token("lt.pspd")
    existing = c.post("/api/v1/officers", _officer(pspd, existing_username, "X-2"), content_type="application/json")
    missing = c.post("/api/v1/officers", _officer(pspd, "no-such-user-7f3a", "X-2"), content_type="application/json")
    assert existing.status_code == 422, existing.content
    assert _answer(existing) == _answer(missing)
    assert not Officer.objects.filter(badge_number="X-2").exists()


def test_the_agency_supervisor_still_links_its_own_officer(demo: dict[str, Any]) -> None:
    pspd = LawEnforcementAgency.objects.get(memberships__user__username="lt.pspd")
    Officer.objects.filter(user__username="officer.pspd").update(user=None)
    r = _token("lt.pspd").post(
        "/api/v1/officers", _officer(pspd, "officer.pspd", "X-3"), content_type="application/json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["username"] == "officer.pspd"
