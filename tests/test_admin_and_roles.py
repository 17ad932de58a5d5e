"""Granting roles stays inside each administrator's organisation, and the Django admin gives a data
steward the reference data, with the audit trail's records read-only (issue 14, item 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sro.contracts.models import Body
from sro.core.models import AuditEvent
from sro.incidents.models import Incident
from sro.orgs.models import LawEnforcementAgency, Membership, School, User


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


def _person(role: str) -> dict[str, str]:
    return {
        "first_name": "Dana",
        "last_name": "Lopez",
        "username": "dlopez",
        "email": "dlopez@example.org",
        "title": "x",
        "role": role,
    }


def test_administrators_invite_grant_and_end_roles_in_their_own_organisation_only(org: dict[str, Any]) -> None:
    district = org["district"]
    pspd = LawEnforcementAgency.objects.get(memberships__user__username="lt.pspd")
    director, lt = _client(org["users"]["director"]), _client(org["users"]["lt.pspd"])
    officer_role = org["users"]["officer.pspd"].memberships.get()
    principal_role = org["users"]["principal.pshs"].memberships.get()
    before = _counts()
    # The district's administrator reaches no agency's people, and the supervisor no district's.
    assert director.get(f"/people/agency/{pspd.pk}/").status_code == 403
    assert director.post(f"/people/agency/{pspd.pk}/add/", _person("sro")).status_code == 403
    assert (
        director.post(
            f"/people/agency/{pspd.pk}/grant/", {"person": org["users"]["officer.pspd"].pk, "role": "agency_supervisor"}
        ).status_code
        == 403
    )
    assert director.get(f"/people/roles/{officer_role.pk}/end/").status_code == 404
    assert lt.post(f"/people/district/{district.pk}/add/", _person("analyst")).status_code == 403
    assert (
        lt.post(
            f"/people/district/{district.pk}/grant/", {"person": org["users"]["superintendent"].pk, "role": "analyst"}
        ).status_code
        == 403
    )
    assert lt.post(f"/people/roles/{principal_role.pk}/end/", {"reason": "x"}).status_code == 404
    assert _counts() == before
    # Each in their own organisation: invited, granted and ended, each step audited.
    r = lt.post(f"/people/agency/{pspd.pk}/add/", _person("sro"))
    assert r.status_code == 302
    dana = User.objects.get(username="dlopez")
    assert list(dana.memberships.values_list("role", "agency_id")) == [("sro", pspd.pk)]
    r = lt.post(f"/people/agency/{pspd.pk}/grant/", {"person": dana.pk, "role": "agency_supervisor"})
    assert r.status_code == 302
    sup = dana.memberships.get(role="agency_supervisor")
    assert lt.post(f"/people/roles/{sup.pk}/end/", {"reason": "acting only"}).status_code == 302
    actions = list(AuditEvent.objects.filter(actor_username="lt.pspd").values_list("action", flat=True))
    assert {"create", "grant_role", "end_role"} <= set(actions)


@pytest.fixture
def steward(demo: dict[str, Any]) -> Client:
    admin = User.objects.create_superuser("steward", "steward@example.org", "a-long-steward-password")
    return _client(admin)


PAGES = [
    "orgs/district",
    "orgs/city",
    "orgs/school",
    "orgs/lawenforcementagency",
    "orgs/user",
    "orgs/membership",
    "orgs/apitoken",
    "contracts/body",
    "contracts/meeting",
    "contracts/contract",
    "contracts/vote",
    "staffing/officer",
    "incidents/incident",
    "incidents/contact",
    "core/auditevent",
    "otp_totp/totpdevice",
    "otp_static/staticdevice",
]


@pytest.mark.parametrize("page", PAGES)
def test_the_admin_pages_load_for_a_superuser(steward: Client, page: str) -> None:
    r = steward.get(f"/admin/{page}/")
    assert r.status_code == 200, page


def test_the_audit_trail_incidents_and_contacts_cannot_be_changed_in_the_admin(steward: Client) -> None:
    event = AuditEvent.objects.order_by("seq").first()
    incident = Incident.objects.first()
    assert event is not None and incident is not None
    before = AuditEvent.objects.filter(pk=event.pk).values().get()
    page = steward.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    assert steward.post(f"/admin/core/auditevent/{event.pk}/change/", {"action": "forged"}).status_code == 403
    assert steward.get("/admin/core/auditevent/add/").status_code == 403
    assert steward.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).values().get() == before
    for model in ("incidents/incident", "incidents/contact"):
        assert steward.get(f"/admin/{model}/add/").status_code == 403
    assert steward.post(f"/admin/incidents/incident/{incident.pk}/delete/", {"post": "yes"}).status_code == 403
    # Opening an incident in the admin is a read of a student record.
    assert steward.get(f"/admin/incidents/incident/{incident.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action="read", actor_username="steward", object_id=str(incident.pk)).exists()


def test_a_steward_corrects_a_school_and_a_body_with_an_audit_event(steward: Client) -> None:
    school = School.objects.filter(in_program=True).first()
    assert school is not None
    page = steward.get(f"/admin/orgs/school/{school.pk}/change/")
    assert page.status_code == 200
    form = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    form.update({"name": school.name + " (renamed)"})
    form = {k: ("on" if v is True else v) for k, v in form.items() if v is not False}
    r = steward.post(f"/admin/orgs/school/{school.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    school.refresh_from_db()
    assert school.name.endswith("(renamed)")
    event = AuditEvent.objects.get(action="admin_change", object_id=str(school.pk))
    assert event.actor_username == "steward" and "name" in event.changes
    body = Body.objects.first()
    assert body is not None
    steward.post(f"/admin/contracts/body/{body.pk}/delete/", {"post": "yes"})
    # A body with meetings is protected: the admin says so and nothing is deleted.
    assert Body.objects.filter(pk=body.pk).exists()


def test_the_administrator_removes_a_lost_authenticator_with_an_audit_event(
    steward: Client, demo: dict[str, Any]
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sro.orgs.twostep import pending_device

    principal = demo["users"]["principal.pshs"]
    device = pending_device(principal)
    device.confirmed = True
    device.save()
    page = steward.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page  # the key is never shown
    assert steward.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (403, 404)
    r = steward.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="admin_delete", object_type="otp_totp.TOTPDevice")
    assert event.actor_username == "steward" and event.object_id == str(device.pk)
