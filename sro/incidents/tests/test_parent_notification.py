"""A minor questioned, searched, cited, arrested or released to an officer: the parent notification task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.core.errors import Forbidden, InvalidInput
from sro.incidents.contacts import ContactData, RightsData, contact_record
from sro.incidents.models import NotificationTask
from sro.incidents.services import parent_notification_attempt, parent_notification_mark_done
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for

PSHS = "Palm Springs High"
FRIDAY = dt.date(2026, 9, 4)


def _contact(org: dict[str, Any], *, at: dt.datetime | None = None, age: int = 16, **over: Any) -> Any:
    rights = RightsData(
        student_name="Ana Test",
        family_language="Spanish",
        questioned=over.pop("questioned", False),
        released_to_officer=over.pop("released_to_officer", False),
    )
    fields: dict[str, Any] = {"occurred_at": at or past(2), "duration_minutes": 10, "reason": 9, "race": [3],
                              "gender": 2, "age": age, "results": [12]}  # fmt: skip
    fields.update(over)
    officer = actor_for(org["users"]["officer.pspd"])
    contact, _ = contact_record(actor=officer, school=org["schools"][PSHS], data=ContactData(**fields), rights=rights)
    return contact


@pytest.mark.parametrize(
    ("over", "trigger", "deadline"),
    [
        ({"questioned": True}, "questioning", "within_one_school_day"),
        ({"actions": [18], "search_basis": [5]}, "search", "within_one_school_day"),
        ({"results": [3]}, "citation", "within_one_school_day"),
        ({"results": [6]}, "arrest", "immediately"),
        ({"released_to_officer": True}, "release", "immediately"),
    ],
)
def test_each_police_action_on_a_minor_opens_a_parent_task(
    org: dict[str, Any], over: dict[str, Any], trigger: str, deadline: str
) -> None:
    contact = _contact(org, **over)
    task = NotificationTask.objects.get(contact=contact)
    assert task.kind == "parent" and task.triggers == [trigger] and task.deadline_kind == deadline
    assert (task.student_name, task.family_language, task.responsible) == ("Ana Test", "Spanish", "school")
    assert "does not say who notifies the parent" in task.responsible_basis
    assert ("48906" in task.citation) is (trigger == "release")


def test_a_talk_or_an_adult_opens_no_parent_task(org: dict[str, Any]) -> None:
    assert not NotificationTask.objects.filter(contact=_contact(org, results=[13])).exists()
    assert not NotificationTask.objects.filter(contact=_contact(org, age=18, results=[6])).exists()


def test_the_deadline_moves_with_the_clock_and_overdue_is_the_one_rule(org: dict[str, Any]) -> None:
    at = dt.datetime.combine(FRIDAY, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    search = NotificationTask.objects.get(contact=_contact(org, at=at, actions=[18], search_basis=[5]))
    assert search.due_on == dt.date(2026, 9, 7)  # the next school day: Monday
    assert not search.is_overdue(FRIDAY) and not search.is_overdue(dt.date(2026, 9, 7))
    assert search.is_overdue(dt.date(2026, 9, 8))
    arrest = NotificationTask.objects.get(contact=_contact(org, at=at, results=[6]))
    assert arrest.due_on == FRIDAY and arrest.is_overdue(dt.date(2026, 9, 5))
    overdue = NotificationTask.objects.filter(NotificationTask.overdue_q(dt.date(2026, 9, 8)), kind="parent")
    assert set(overdue) == {search, arrest}


def test_attempts_are_rows_and_done_needs_the_parent_reached(org: dict[str, Any]) -> None:
    task = NotificationTask.objects.get(contact=_contact(org, actions=[18], search_basis=[5]))
    principal = actor_for(org["users"]["principal.pshs"])
    with pytest.raises(InvalidInput, match="record the attempt that reached the parent"):
        parent_notification_mark_done(actor=principal, task=task)
    with pytest.raises(InvalidInput, match="say what happened"):
        parent_notification_attempt(actor=principal, task=task, method="phone", reached=False)
    parent_notification_attempt(actor=principal, task=task, method="phone", reached=False, note="No answer")
    parent_notification_attempt(actor=principal, task=task, method="in_person", reached=True, family_language="Tagalog")
    with pytest.raises(Forbidden):
        parent_notification_mark_done(actor=actor_for(org["users"]["principal.cchs"]), task=task)
    done = parent_notification_mark_done(actor=principal, task=task)
    assert done.done_at and done.method == "in_person" and done.family_language == "Tagalog"
    rows = list(done.attempts.values_list("method", "reached", "note", "by__username"))
    assert rows == [("phone", False, "No answer", "principal.pshs"), ("in_person", True, "", "principal.pshs")]
    assert not done.is_overdue(dt.date(2030, 1, 1))


def test_the_principal_and_the_officer_see_the_task_and_other_police_do_not(
    client_as: Any, org: dict[str, Any]
) -> None:
    task = NotificationTask.objects.get(contact=_contact(org, results=[3]))
    for username in ("principal.pshs", "officer.pspd", "director"):
        page = client_as(username).get("/incidents/tasks/").content.decode()
        assert "Notify the parent of Ana Test" in page and "cited" in page, username
    assert "Ana Test" not in client_as("lt.ccpd").get("/incidents/tasks/").content.decode()
    api = client_as("principal.pshs").get(f"/api/v1/tasks/{task.pk}").json()
    assert api["kind"] == "parent" and api["triggers"] == ["citation"] and api["attempts"] == []
    r = client_as("principal.pshs").post(
        f"/api/v1/tasks/{task.pk}/attempts", {"method": "phone", "reached": True}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["attempts"][0]["reached"] is True
    assert client_as("lt.ccpd").get(f"/api/v1/tasks/{task.pk}").status_code == 404
