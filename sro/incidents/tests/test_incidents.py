"""Recording incidents, who may read them, notification tasks and referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sro.core.errors import Forbidden, InvalidInput
from sro.core.models import AuditEvent
from sro.incidents.models import Incident, IncidentStudent, NotificationTask
from sro.incidents.selectors import incident_get, incident_students
from sro.incidents.services import incident_create, incident_refer, notification_mark_done
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for

PSHS = "Palm Springs High"


def _payload(org: dict[str, Any], **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "school": org["schools"][PSHS].cds_code,
        "occurred_at": past().isoformat(),
        "location": "Gym",
        "description": "Two students fought.",
        "offences": ["48900(a)(1)"],
        "facts": ["weapon"],
        "students": [{"local_student_id": "1001", "name": "A B", "role": "offender", "race": "BL", "sex": "M"}],
    }
    body.update(over)
    return body


def test_principal_records_an_incident_and_gets_route_rules_and_deadline(client_as: Any, org: dict[str, Any]) -> None:
    r = client_as("principal.pshs").post("/api/v1/incidents", _payload(org), content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["route"] == "mandatory_notification" and body["deadline"] == "before_suspension"
    assert body["rules"][0]["id"] == "pc245-force-with-weapon" and body["rules"][0]["citation"]
    incident = Incident.objects.get(pk=body["id"])
    assert incident.notification.due_on == timezone.localtime(incident.occurred_at).date()
    assert AuditEvent.objects.filter(action="incident_create", object_id=str(incident.pk)).exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"offences": ["48900(zz)"]}, "offences"),
        ({"facts": ["weather"]}, "facts"),
        ({"occurred_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}, "occurred_at"),
        (
            {"students": [{"local_student_id": "1", "name": "x", "role": "bystander", "race": "HI", "sex": "F"}]},
            "students.0.role",
        ),
    ],
)
def test_bad_incidents_are_refused_naming_the_field_and_nothing_is_saved(
    client_as: Any, org: dict[str, Any], over: dict[str, Any], field: str
) -> None:
    c = client_as("principal.pshs")
    before = (Incident.objects.count(), IncidentStudent.objects.count(), AuditEvent.objects.count())
    r = c.post("/api/v1/incidents", _payload(org, **over), content_type="application/json")
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["errors"]}
    assert (Incident.objects.count(), IncidentStudent.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("username", ["officer.pspd", "lt.pspd", "principal.cchs", "analyst", "boardmember"])
def test_others_cannot_record_incidents_at_a_school(org: dict[str, Any], username: str) -> None:
    with pytest.raises((Forbidden,)):
        incident_create(
            actor=actor_for(org["users"][username]),
            school=org["schools"][PSHS],
            occurred_at=past(),
            location="x",
            description="x",
            offences=["48900(k)"],
        )


# username -> (sees the discipline-only incident, sees the mandatory one) at Palm Springs High
READERS = {
    "director": (True, True),
    "principal.pshs": (True, True),
    "principal.cchs": (False, False),
    "officer.pspd": (False, True),
    "lt.pspd": (False, True),
    "lt.ccpd": (False, False),
    "superintendent": (False, False),
    "boardmember": (False, False),
    "analyst": (False, False),
}


def test_police_never_read_discipline_only_incidents(client_for: Any, demo: dict[str, Any]) -> None:
    """Table-driven over the demo users, on demo incidents at Palm Springs High."""
    from sro.incidents.models import Route

    at_pshs = Incident.objects.filter(school=demo["schools"][PSHS])
    discipline = at_pshs.filter(route=Route.SCHOOL_DISCIPLINE).first()
    mandatory = at_pshs.filter(route=Route.MANDATORY_NOTIFICATION).first()
    assert discipline and mandatory
    for username, expected_pair in READERS.items():
        c = client_for(username)
        listed = {i["id"] for i in c.get("/api/v1/incidents", {"page_size": 500}).json().get("items", [])}
        for incident, expected in zip((discipline, mandatory), expected_pair, strict=True):
            api = c.get(f"/api/v1/incidents/{incident.pk}")
            page = c.get(f"/incidents/{incident.pk}/")
            want = 200 if expected else 404
            assert (api.status_code, page.status_code) == (want, want), (username, incident.route)
            assert (incident.pk in listed) == expected, (username, incident.route)
        if username in {"officer.pspd", "lt.pspd", "lt.ccpd"}:
            routes = set(Incident.objects.filter(pk__in=listed).values_list("route", flat=True))
            assert Route.SCHOOL_DISCIPLINE not in routes, username


def test_a_missing_incident_answers_like_a_hidden_one(client_as: Any, make_incident: Any) -> None:
    hidden = make_incident(["policy:dress_code"])
    c = client_as("officer.pspd")
    a, b = c.get(f"/api/v1/incidents/{hidden.pk}"), c.get("/api/v1/incidents/999999")
    assert a.status_code == b.status_code == 404 and a.json() == b.json()


def test_every_read_of_student_details_is_audited(org: dict[str, Any], make_incident: Any) -> None:
    incident = make_incident(["48900(k)"])
    actor = actor_for(org["users"]["director"])
    before = AuditEvent.objects.filter(action="read", object_id=str(incident.pk)).count()
    students = incident_students(actor=actor, incident=incident_get(actor=actor, pk=incident.pk))
    assert [s.name for s in students] == ["Ana Test"]
    assert AuditEvent.objects.filter(action="read", object_id=str(incident.pk)).count() == before + 1


def test_a_referral_opens_a_discretionary_incident_to_the_serving_agency(
    org: dict[str, Any], make_incident: Any
) -> None:
    incident = make_incident(["48900(e)"])
    officer = actor_for(org["users"]["officer.pspd"])
    with pytest.raises(Exception, match="not found"):
        incident_get(actor=officer, pk=incident.pk)
    with pytest.raises(InvalidInput):
        incident_refer(actor=actor_for(org["users"]["principal.pshs"]), incident=incident, reason=" ")
    incident_refer(actor=actor_for(org["users"]["principal.pshs"]), incident=incident, reason="Robbery with a victim")
    assert incident_get(actor=officer, pk=incident.pk).referral_made


def test_notification_task_is_flagged_overdue_and_marked_done(
    client_as: Any, org: dict[str, Any], make_incident: Any
) -> None:
    incident = make_incident(["48900(c)"])
    task = NotificationTask.objects.get(incident=incident)
    assert task.is_overdue(timezone.localdate())  # three days ago, one school day allowed at most
    c = client_as("principal.pshs")
    assert "Overdue" in c.get("/incidents/tasks/").content.decode()
    with pytest.raises(InvalidInput):
        notification_mark_done(actor=actor_for(org["users"]["principal.pshs"]), task=task, agency=None)
    agency = org["schools"][PSHS].city.agencies.get()
    r = c.post(f"/incidents/tasks/{task.pk}/done/", {"agency": agency.pk, "case_number": "26-1"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.done_at and task.done_by == org["users"]["principal.pshs"] and task.case_number == "26-1"
    assert AuditEvent.objects.filter(action="notification_done", object_id=str(task.pk)).exists()


def test_the_form_shows_the_route_live_and_saves(client_as: Any, org: dict[str, Any]) -> None:
    c = client_as("principal.pshs")
    page = c.get("/incidents/new/").content.decode()
    assert 'hx-post="/incidents/route/"' in page and "<script>" not in page
    frag = c.post("/incidents/route/", {"offences": ["48900(c)"], "facts": ["weapon"]}).content.decode()
    assert "mandatory_notification" in frag and "controlled-substance-48902c" in frag
    data = {
        "school": org["schools"][PSHS].pk,
        "occurred_at": past().strftime("%Y-%m-%dT%H:%M"),
        "location": "Hall",
        "description": "Phone out",
        "offences": ["policy:phone"],
        "students-TOTAL_FORMS": "3",
        "students-INITIAL_FORMS": "0",
        "students-0-local_student_id": "77",
        "students-0-name": "Bo",
        "students-0-role": "offender",
        "students-0-race": "WH",
        "students-0-sex": "M",
        "students-0-disability": "none",
        "students-0-english_learner": "no",
    }
    r = c.post("/incidents/new/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    incident = Incident.objects.latest("pk")
    assert incident.route == "school_discipline" and incident.students.count() == 1
