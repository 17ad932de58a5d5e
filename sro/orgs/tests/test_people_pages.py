"""People and roles from the pages: the district's and the agency's administrators (issue 15, item 3)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from sro.core.errors import Forbidden, InvalidInput
from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for
from sro.orgs.models import LawEnforcementAgency, Membership, User
from sro.orgs.services import membership_end

SUMMARY = "There is a problem"


def _client(org: dict[str, Any], username: str) -> Client:
    c = Client()
    c.force_login(org["users"][username])
    return c


def _pspd() -> LawEnforcementAgency:
    return LawEnforcementAgency.objects.get(memberships__user__username="lt.pspd")


def _person(**extra: Any) -> dict[str, Any]:
    return {
        "first_name": "Dana",
        "last_name": "Lopez",
        "username": "dlopez",
        "email": "dlopez@example.org",
        "title": "Trustee",
        "role": "board_member",
        **extra,
    }


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


def test_the_district_administrator_adds_a_person_who_then_sets_their_password(org: dict[str, Any]) -> None:
    director = _client(org, "director")
    district = org["district"]
    r = director.get("/people/")
    assert r.status_code == 302 and r["Location"] == f"/people/district/{district.pk}/"
    listing = director.get(r["Location"]).content.decode()
    assert "principal.pshs" in listing and "lt.pspd" not in listing
    r = director.post(f"/people/district/{district.pk}/add/", _person())
    assert r.status_code == 302
    user = User.objects.get(username="dlopez")
    assert not user.has_usable_password() and user.memberships.get().role == "board_member"
    actions = set(AuditEvent.objects.filter(actor_username="director").values_list("action", flat=True))
    assert {"create", "grant_role", "password_link_send"} <= actions
    (message,) = mail.outbox
    assert message.to == ["dlopez@example.org"] and "dlopez" in message.body
    assert "sent to dlopez@example.org" in director.get(r["Location"]).content.decode()
    link = re.search(r"https?://\S+", str(message.body))
    assert link is not None
    person = Client()
    form_page = person.get(link.group(0), follow=True)
    assert "Set your password" in form_page.content.decode()
    done = person.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "A-long-harbour-walk-42", "new_password2": "A-long-harbour-walk-42"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    signed_in = Client().post("/accounts/login/", {"username": "dlopez", "password": "A-long-harbour-walk-42"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    again = Client().get(link.group(0), follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_site_administrator_needs_a_school_of_the_district(org: dict[str, Any]) -> None:
    director = _client(org, "director")
    district = org["district"]
    school = org["schools"]["Palm Springs High"]
    before = _counts()
    missing = director.post(f"/people/district/{district.pk}/add/", _person(role="site_admin"))
    assert SUMMARY in missing.content.decode() and "needs a school" in missing.content.decode()
    assert _counts() == before
    r = director.post(f"/people/district/{district.pk}/add/", _person(role="site_admin", school=school.pk))
    assert r.status_code == 302
    assert Membership.objects.get(user__username="dlopez").school == school


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"first_name": ""}, "Enter the first name"),
        ({"email": ""}, "Enter the e-mail address"),
        ({"username": "lt.pspd"}, "already exists"),
        ({"role": "sro"}, "Select a valid choice"),
        ({"role": "site_admin", "school": 999999}, "Select a valid choice"),
    ],
)
def test_a_mistake_shows_the_summary_and_saves_nothing(org: dict[str, Any], change: dict[str, Any], says: str) -> None:
    director = _client(org, "director")
    before = _counts()
    r = director.post(f"/people/district/{org['district'].pk}/add/", _person(**change))
    page = r.content.decode()
    assert r.status_code == 200 and SUMMARY in page and says in page
    assert _counts() == before and not mail.outbox


def test_the_agency_supervisor_adds_an_sro_to_their_agency_only(org: dict[str, Any]) -> None:
    lt = _client(org, "lt.pspd")
    agency = _pspd()
    assert lt.get("/people/")["Location"] == f"/people/agency/{agency.pk}/"
    assert "officer.pspd" in lt.get(f"/people/agency/{agency.pk}/").content.decode()
    before = _counts()
    district_role = lt.post(f"/people/agency/{agency.pk}/add/", _person(role="board_member"))
    assert SUMMARY in district_role.content.decode() and _counts() == before
    assert lt.post(f"/people/district/{org['district'].pk}/add/", _person()).status_code == 403
    r = lt.post(f"/people/agency/{agency.pk}/add/", _person(role="sro", username="jsmith.pspd"))
    assert r.status_code == 302
    assert Membership.objects.get(user__username="jsmith.pspd").agency == agency


@pytest.mark.parametrize("username", ["principal.pshs", "officer.pspd", "superintendent", "analyst", "lt.ccpd"])
def test_others_may_not_manage_the_districts_or_the_agencys_people(org: dict[str, Any], username: str) -> None:
    c = _client(org, username)
    before = _counts()
    if username != "lt.ccpd":  # the other agency's supervisor has a People page of their own
        assert c.get("/people/").status_code == 403
    for url in (f"/people/district/{org['district'].pk}/", f"/people/agency/{_pspd().pk}/"):
        assert c.get(url).status_code == 403
        assert c.post(url + "add/", _person(role="sro")).status_code == 403
    assert _counts() == before


def test_ending_a_role_is_confirmed_with_a_reason_and_closes_an_account_left_without_roles(
    org: dict[str, Any],
) -> None:
    director = _client(org, "director")
    principal = org["users"]["principal.cchs"]
    membership = principal.memberships.get()
    url = f"/people/roles/{membership.pk}/end/"
    page = director.get(url).content.decode()
    assert "What will happen" in page and "account is closed" in page
    missing = director.post(url, {"reason": ""})
    assert SUMMARY in missing.content.decode() and Membership.objects.filter(pk=membership.pk).exists()
    r = director.post(url, {"reason": "Retired in June"})
    assert r.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    principal.refresh_from_db()
    assert not principal.is_active
    event = AuditEvent.objects.get(action="end_role")
    assert event.actor_username == "director" and event.changes["reason"] == "Retired in June"
    assert event.changes["account_closed"] is True
    assert "account is closed" in director.get(r["Location"]).content.decode()


def test_roles_are_ended_only_by_the_organisations_administrator(org: dict[str, Any]) -> None:
    own = org["users"]["director"].memberships.get()
    sro_role = org["users"]["officer.pspd"].memberships.get()
    superintendent, director, lt_ccpd = (_client(org, u) for u in ("superintendent", "director", "lt.ccpd"))
    before = _counts()  # after signing in, which is audited
    own_role = director.post(f"/people/roles/{own.pk}/end/", {"reason": "x"})
    assert SUMMARY in own_role.content.decode() and "your own role" in own_role.content.decode()
    mine = org["users"]["superintendent"].memberships.get()
    assert superintendent.post(f"/people/roles/{mine.pk}/end/", {"reason": "x"}).status_code == 403
    assert lt_ccpd.get(f"/people/roles/{sro_role.pk}/end/").status_code == 404
    assert _counts() == before
    with pytest.raises(Forbidden):
        membership_end(actor=actor_for(org["users"]["lt.ccpd"]), membership=sro_role, reason="x")
    with pytest.raises(InvalidInput):
        membership_end(actor=actor_for(org["users"]["lt.pspd"]), membership=sro_role, reason=" ")


def test_a_new_set_password_link_is_sent_on_request(org: dict[str, Any]) -> None:
    principal = org["users"]["principal.pshs"]
    lt = _client(org, "lt.pspd")
    assert lt.post(f"/people/accounts/{principal.pk}/password-link/").status_code == 404
    assert not mail.outbox
    r = _client(org, "director").post(
        f"/people/accounts/{principal.pk}/password-link/", {"next": "https://elsewhere.example/"}
    )
    assert r.status_code == 302 and r["Location"] == "/people/"  # never sent off the site
    (message,) = mail.outbox
    assert message.to == [principal.email]
    assert AuditEvent.objects.filter(action="password_link_send", object_id=str(principal.pk)).exists()
