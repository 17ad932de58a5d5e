"""Another role for someone already in the organisation, from the People page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sro.core.models import AuditEvent
from sro.orgs.models import LawEnforcementAgency, Membership, School, User

SUMMARY = "There is a problem"


def _client(org: dict[str, Any], username: str) -> Client:
    c = Client()
    c.force_login(org["users"][username])
    return c


def _counts() -> tuple[int, int]:
    return Membership.objects.count(), AuditEvent.objects.count()


def test_the_director_gives_a_principal_a_second_school(org: dict[str, Any]) -> None:
    director, district = _client(org, "director"), org["district"]
    people = director.get(f"/people/district/{district.pk}/").content.decode()
    assert f'href="/people/district/{district.pk}/grant/"' in people
    page = director.get(f"/people/district/{district.pk}/grant/").content.decode()
    assert "principal.pshs" in page and "officer.pspd" not in page  # only people of the district are offered
    principal = org["users"]["principal.pshs"]
    second = School.objects.get(name="Cathedral City High")
    r = director.post(
        f"/people/district/{district.pk}/grant/",
        {"person": principal.pk, "role": "site_admin", "school": second.pk},
    )
    assert r.status_code == 302 and r["Location"] == f"/people/district/{district.pk}/"
    assert set(principal.memberships.values_list("school__name", flat=True)) == {"Palm Springs High", second.name}
    event = AuditEvent.objects.filter(action="grant_role").latest("pk")
    assert event.changes["user"] == "principal.pshs" and event.actor_username == "director"
    shown = director.get(r["Location"]).content.decode()
    assert "now also holds the role Site administrator (principal), Cathedral City High" in shown


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({}, "Choose the person"),
        ({"role": "analyst"}, "Choose the person"),
        ({"person": "superintendent", "role": "superintendent"}, "already holds this role there"),
        ({"person": "officer.pspd", "role": "analyst"}, "Select a valid choice"),  # not of the district
        ({"person": "superintendent", "role": "sro"}, "Select a valid choice"),  # not a district role
    ],
)
def test_a_mistake_names_the_field_and_saves_nothing(org: dict[str, Any], data: dict[str, str], says: str) -> None:
    director, district = _client(org, "director"), org["district"]
    posted = dict(data)
    if "person" in posted:
        posted["person"] = str(org["users"][posted["person"]].pk)
    before = _counts()
    r = director.post(f"/people/district/{district.pk}/grant/", posted)
    html = r.content.decode()
    assert r.status_code == 200 and SUMMARY in html and says in html
    assert _counts() == before


def test_the_agency_supervisor_makes_an_officer_a_supervisor_too_and_no_one_else(org: dict[str, Any]) -> None:
    lt = _client(org, "lt.pspd")
    agency = LawEnforcementAgency.objects.get(memberships__user__username="lt.pspd")
    other = LawEnforcementAgency.objects.get(memberships__user__username="lt.ccpd")
    officer = org["users"]["officer.pspd"]
    r = lt.post(f"/people/agency/{agency.pk}/grant/", {"person": officer.pk, "role": "agency_supervisor"})
    assert r.status_code == 302
    assert Membership.objects.filter(user=officer, role="agency_supervisor", agency=agency).exists()
    before = _counts()
    ccpd_officer = org["users"]["lt.ccpd"]
    assert lt.post(f"/people/agency/{agency.pk}/grant/", {"person": ccpd_officer.pk, "role": "sro"}).status_code == 200
    assert lt.get(f"/people/agency/{other.pk}/grant/").status_code == 403
    assert lt.post(f"/people/agency/{other.pk}/grant/", {"person": ccpd_officer.pk, "role": "sro"}).status_code == 403
    assert _counts() == before


@pytest.mark.parametrize("username", ["principal.pshs", "officer.pspd", "superintendent", "analyst", "boardmember"])
def test_other_roles_may_not_grant(org: dict[str, Any], username: str) -> None:
    c, district = _client(org, username), org["district"]
    before = _counts()
    target = User.objects.get(username="superintendent")
    assert c.get(f"/people/district/{district.pk}/grant/").status_code == 403
    assert c.post(f"/people/district/{district.pk}/grant/", {"person": target.pk, "role": "analyst"}).status_code == 403
    assert _counts() == before
