"""A refused read or write of a student record leaves a trace in the audit trail (issue 14, item 8).

The caller's answer does not change: a record outside their scope and one that does not exist
still answer identically, byte for byte; only the audit trail tells them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Max
from django.test import Client

from sro.complaints.models import Complaint
from sro.core.audit import verify_chain
from sro.core.models import AuditEvent
from sro.incidents.models import Incident, NotificationTask, Review, Route

PSHS = "Palm Springs High"


def _refusals(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access_refused", **filters).order_by("seq"))


def _hidden_incident(demo: dict[str, Any]) -> Incident:
    incident = Incident.objects.filter(school=demo["schools"][PSHS], route=Route.SCHOOL_DISCIPLINE).first()
    assert incident is not None
    return incident


def _missing(model: Any) -> int:
    return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1000


def test_an_officer_refused_an_incident_page_and_api_is_recorded(
    demo: dict[str, Any], signed_in: Callable[[str], Client]
) -> None:
    incident = _hidden_incident(demo)
    officer = signed_in("officer.ccpd")
    missing = _missing(Incident)

    page, page_missing = officer.get(f"/incidents/{incident.pk}/"), officer.get(f"/incidents/{missing}/")
    api, api_missing = officer.get(f"/api/v1/incidents/{incident.pk}"), officer.get(f"/api/v1/incidents/{missing}")

    assert page.status_code == page_missing.status_code == 404
    assert page.content == page_missing.content
    assert api.status_code == api_missing.status_code == 404
    assert api.content == api_missing.content
    events = _refusals(object_type="incidents.Incident")
    assert [(e.actor_username, e.object_id, e.changes) for e in events] == [
        ("officer.ccpd", str(incident.pk), {"attempted": "read"}),
        ("officer.ccpd", str(incident.pk), {"attempted": "read"}),
    ]
    assert events[0].role == "sro"
    assert not _refusals(object_id=str(missing))  # a missing record is no refusal
    assert verify_chain().ok


def test_a_refused_write_is_recorded_as_a_write(demo: dict[str, Any], signed_in: Callable[[str], Client]) -> None:
    incident = _hidden_incident(demo)
    other_principal = signed_in("principal.cchs")
    r = other_principal.post(f"/incidents/{incident.pk}/refer/", {"reason": "trying"})
    assert r.status_code == 404
    [event] = _refusals()
    assert (event.actor_username, event.object_type, event.object_id, event.changes) == (
        "principal.cchs",
        "incidents.Incident",
        str(incident.pk),
        {"attempted": "write"},
    )
    incident.refresh_from_db()
    assert incident.route == Route.SCHOOL_DISCIPLINE


def test_refused_reviews_tasks_and_complaints_are_recorded(
    demo: dict[str, Any], signed_in: Callable[[str], Client]
) -> None:
    review = Review.objects.exclude(officer=demo["users"]["officer.ccpd"]).first()
    task = (
        NotificationTask.objects.filter(kind=NotificationTask.Kind.PARENT)
        .exclude(contact__officer=demo["users"]["officer.ccpd"])
        .first()
    )
    assert review is not None and task is not None
    officer = signed_in("officer.ccpd")
    assert officer.get(f"/api/v1/reviews/{review.pk}").status_code == 404
    assert officer.get(f"/incidents/reviews/{review.pk}/").status_code == 404
    assert officer.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert officer.post(f"/api/v1/tasks/{task.pk}/done", {}, content_type="application/json").status_code == 404
    complaint = Complaint.objects.first()
    assert complaint is not None
    analyst = signed_in("analyst")
    assert analyst.get(f"/api/v1/complaints/{complaint.pk}").status_code == 404
    got = {(e.actor_username, e.object_type, e.object_id, e.changes["attempted"]) for e in _refusals()}
    assert got == {
        ("officer.ccpd", "incidents.Review", str(review.pk), "read"),
        ("officer.ccpd", "incidents.NotificationTask", str(task.pk), "read"),
        ("officer.ccpd", "incidents.NotificationTask", str(task.pk), "write"),
        ("analyst", "complaints.Complaint", str(complaint.pk), "read"),
    }


def test_a_permitted_read_records_no_refusal(demo: dict[str, Any], signed_in: Callable[[str], Client]) -> None:
    incident = _hidden_incident(demo)
    assert signed_in("principal.pshs").get(f"/incidents/{incident.pk}/").status_code == 200
    assert not _refusals()


def test_a_refused_force_report_is_recorded(demo: dict[str, Any], signed_in: Callable[[str], Client]) -> None:
    from sro.force.models import ForceReport

    report = ForceReport.objects.exclude(agency__name__startswith="Cathedral City").first()
    assert report is not None
    other_supervisor = signed_in("lt.ccpd")
    missing = _missing(ForceReport)
    hidden, absent = (
        other_supervisor.get(f"/api/v1/force-reports/{report.pk}"),
        other_supervisor.get(f"/api/v1/force-reports/{missing}"),
    )
    assert hidden.status_code == absent.status_code == 404 and hidden.content == absent.content
    [event] = _refusals()
    assert (event.actor_username, event.object_type, event.object_id) == (
        "lt.ccpd",
        "force.ForceReport",
        str(report.pk),
    )
