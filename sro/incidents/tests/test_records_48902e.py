"""Ed. Code 48902(e): a pupil with exceptional needs; and both recipients 48902(c) names."""

from __future__ import annotations

from typing import Any

import pytest

from sro.core.errors import InvalidInput
from sro.incidents.models import NotificationTask
from sro.incidents.services import StudentData, incident_create, notification_mark_done, notification_records_sent
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for
from sro.orgs.models import LawEnforcementAgency

PSHS = "Palm Springs High"


def _incident(org: dict[str, Any], offences: list[str], *, idea: bool) -> NotificationTask:
    incident = incident_create(
        actor=actor_for(org["users"]["principal.pshs"]),
        school=org["schools"][PSHS],
        occurred_at=past(),
        location="Quad",
        description="Test",
        offences=offences,
        students=[StudentData("S1", "Ana Test", "offender", "HI", "F", idea=idea, grade=10)],
    )
    return NotificationTask.objects.get(incident=incident)


def test_a_pupil_with_exceptional_needs_adds_the_records_step_and_done_waits_for_it(
    org: dict[str, Any], client_as: Any
) -> None:
    task = _incident(org, ["48900(c)"], idea=True)
    assert task.records_required and task.records_pending
    principal = actor_for(org["users"]["principal.pshs"])
    agency = LawEnforcementAgency.objects.get(name="Palm Springs Police Department")
    assert "Records for 48902(e) pending" in client_as("principal.pshs").get("/incidents/tasks/").content.decode()
    with pytest.raises(InvalidInput, match=r"48902\(e\)"):
        notification_mark_done(actor=principal, task=task, agency=agency)
    notification_records_sent(actor=principal, task=task)
    done = notification_mark_done(actor=principal, task=task, agency=agency)
    assert done.done_at and done.records_sent_at and done.notified == ["local_law_enforcement"]


def test_without_the_flag_there_is_no_records_step(org: dict[str, Any]) -> None:
    assert not _incident(org, ["48900(c)"], idea=False).records_required


def test_a_firearm_needs_both_recipients_confirmed(org: dict[str, Any]) -> None:
    task = _incident(org, ["48915(c)(1)"], idea=False)
    assert task.notify == ["city_police_or_county_sheriff", "school_police_or_security"]
    principal = actor_for(org["users"]["principal.pshs"])
    agency = LawEnforcementAgency.objects.get(name="Palm Springs Police Department")
    with pytest.raises(InvalidInput, match="school police or school security"):
        notification_mark_done(actor=principal, task=task, agency=agency, recipients=["city_police_or_county_sheriff"])
    both = ["city_police_or_county_sheriff", "school_police_or_security"]
    assert notification_mark_done(actor=principal, task=task, agency=agency, recipients=both).notified == both


def test_the_route_api_names_whom_to_notify(client_as: Any, org: dict[str, Any]) -> None:
    body = client_as("principal.pshs").get("/api/v1/policy/route?offence=48915(c)(1)").json()
    assert body["notify"] == ["city_police_or_county_sheriff", "school_police_or_security"]
