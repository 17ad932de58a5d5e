"""'Records sent' on a parent's notification (a task after a contact, with no incident) went back to
an incident that does not exist: a server error. It answers with the tasks list instead."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from sro.incidents.models import NotificationTask


def test_records_sent_on_a_parents_notification_is_not_a_server_error(
    demo: dict[str, object], signed_in: Callable[[str], Client]
) -> None:
    task = NotificationTask.objects.filter(kind=NotificationTask.Kind.PARENT, school__name="Palm Springs High").first()
    assert task is not None and task.incident_id is None
    for username in ("director", "principal.pshs"):
        r = signed_in(username).post(f"/incidents/tasks/{task.pk}/records/")
        assert r.status_code == 302, username
        assert r["Location"] == "/incidents/tasks/"
