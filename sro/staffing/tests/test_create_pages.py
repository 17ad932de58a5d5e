"""Officers, accounts, deactivation and required training from the pages and the API (issue 15, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sro.contracts.models import Contract
from sro.core.errors import TransitionRefused
from sro.core.models import AuditEvent
from sro.orgs.services import token_create
from sro.staffing.assignments import assignment_create, staffing_check
from sro.staffing.catalogues import course_keys, courses
from sro.staffing.models import ContractTraining, Officer, OfficerStatus, Panel, Scoresheet
from sro.staffing.services import nomination_withdraw
from sro.staffing.tests.conftest import CCPD, PSHS, PSPD, World, snapshot

SUMMARY = "There is a problem"


def _officer_form(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "agency": world.agencies[PSPD].pk,
        "first_name": "Ana",
        "last_name": "Ruiz",
        "badge_number": "55",
        "rank": "Officer",
        **extra,
    }


def _api(world: World, username: str) -> Client:
    _, raw = token_create(actor=None, user=world.users[username])
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _events(action: str, obj: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type=obj._meta.label, object_id=str(obj.pk)))


# ---------------------------------------------------------------- adding an officer


def test_the_supervisor_adds_an_officer_with_their_own_account(world: World) -> None:
    account = world.sro_user("ana.pspd", PSPD)
    lt = world.client("lt.pspd")
    roster = lt.get("/staffing/").content.decode()
    assert 'href="/staffing/officers/new/"' in roster
    page = lt.get("/staffing/officers/new/").content.decode()
    assert "Add an officer" in page and "ana.pspd" in page
    r = lt.post("/staffing/officers/new/", _officer_form(world, account=account.pk))
    officer = Officer.objects.get(badge_number="55")
    assert r.status_code == 302 and r["Location"] == f"/staffing/officers/{officer.pk}/"
    assert officer.user == account and officer.agency == world.agencies[PSPD]
    (event,) = _events("create", officer)
    assert event.actor_username == "lt.pspd" and event.changes["user"] == "ana.pspd"
    assert "Officer added" in lt.get(r["Location"]).content.decode()


def test_the_officers_ripa_id_is_kept_shown_and_unique_in_the_agency(world: World) -> None:
    lt = world.client("lt.pspd")
    r = lt.post("/staffing/officers/new/", _officer_form(world, ripa_officer_id=" PS0055 "))
    officer = Officer.objects.get(badge_number="55")
    assert officer.ripa_officer_id == "PS0055" and "PS0055" in lt.get(r["Location"]).content.decode()
    again = lt.post("/staffing/officers/new/", _officer_form(world, badge_number="56", ripa_officer_id="ps0055"))
    page = again.content.decode()
    assert SUMMARY in page and "RIPA officer id ps0055 is already used by an officer of" in page
    assert not Officer.objects.filter(badge_number="56").exists()


def test_adding_an_officer_with_a_mistake_shows_the_summary_and_saves_nothing(world: World) -> None:
    world.officer(badge="55")
    other_agency = world.sro_user("cc.sro", CCPD)
    lt = world.client("lt.pspd")
    before = snapshot()  # after signing in, which is audited
    for form, says in (
        (_officer_form(world, last_name="", badge_number="56"), "Enter the last name"),
        (_officer_form(world), "already used"),
        (_officer_form(world, badge_number="57", account=other_agency.pk), "Select a valid choice"),
    ):
        r = lt.post("/staffing/officers/new/", form)
        page = r.content.decode()
        assert r.status_code == 200 and SUMMARY in page and says in page, says
    assert snapshot() == before


def test_only_an_agency_supervisor_may_add_officers(world: World) -> None:
    clients = [world.client(u) for u in ("director", "principal.pshs", "officer.pspd")]  # signing in is audited
    before = snapshot()
    for c in clients:
        assert c.get("/staffing/officers/new/").status_code == 403
        assert c.post("/staffing/officers/new/", _officer_form(world)).status_code == 403
        assert "/staffing/officers/new/" not in c.get("/staffing/").content.decode()
    assert snapshot() == before


# ---------------------------------------------------------------- linking an account


def test_the_supervisor_links_the_officers_account(world: World) -> None:
    officer = world.officer()
    account = world.sro_user("pat.pspd", PSPD)
    lt = world.client("lt.pspd")
    assert "Link an account" in lt.get(f"/staffing/officers/{officer.pk}/").content.decode()
    empty = lt.post(f"/staffing/officers/{officer.pk}/account/", {})
    assert empty.status_code == 200 and SUMMARY in empty.content.decode()
    assert "Choose the officer" in empty.content.decode()
    r = lt.post(f"/staffing/officers/{officer.pk}/account/", {"account": account.pk})
    assert r.status_code == 302
    officer.refresh_from_db()
    assert officer.user == account
    (event,) = _events("link_user", officer)
    assert event.actor_username == "lt.pspd" and event.changes["user"] == [None, "pat.pspd"]


def test_another_agencys_account_cannot_be_linked_and_others_are_refused(world: World) -> None:
    officer = world.officer()
    world.nominate(officer)  # the district now sees the officer
    other = world.sro_user("cc.sro", CCPD)
    lt, director = world.client("lt.pspd"), world.client("director")
    before = snapshot()
    r = lt.post(f"/staffing/officers/{officer.pk}/account/", {"account": other.pk})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    assert director.get(f"/staffing/officers/{officer.pk}/account/").status_code == 403
    assert director.post(f"/staffing/officers/{officer.pk}/account/", {"account": other.pk}).status_code == 403
    officer.refresh_from_db()
    assert officer.user is None and snapshot() == before


# ---------------------------------------------------------------- deactivating


def test_deactivating_goes_through_a_confirmation_page_with_a_reason(world: World) -> None:
    officer = world.officer()
    lt = world.client("lt.pspd")
    page = lt.get(f"/staffing/officers/{officer.pk}/deactivate/").content.decode()
    assert "What will happen" in page and "Deactivate the officer" in page
    missing = lt.post(f"/staffing/officers/{officer.pk}/deactivate/", {"reason": ""})
    assert SUMMARY in missing.content.decode() and "Give the reason for deactivating" in missing.content.decode()
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.CANDIDATE
    r = lt.post(f"/staffing/officers/{officer.pk}/deactivate/", {"reason": "Left the agency"})
    assert r.status_code == 302
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.INACTIVE
    (event,) = _events("deactivate", officer)
    assert event.actor_username == "lt.pspd" and event.changes["reason"] == "Left the agency"
    assert "can no longer be nominated" in lt.get(r["Location"]).content.decode()


def test_an_officer_on_a_campus_is_not_deactivated_and_others_may_not(world: World) -> None:
    officer = world.ready_officer()
    assignment_create(
        actor=None, officer=officer, school=world.schools[PSHS], start_date=world.today, end_date=world.today
    )
    lt, director = world.client("lt.pspd"), world.client("director")
    before = snapshot()  # after signing in, which is audited
    r = lt.post(f"/staffing/officers/{officer.pk}/deactivate/", {"reason": "Leaving"})
    assert r.status_code == 200 and SUMMARY in r.content.decode() and "end it first" in r.content.decode()
    assert director.post(f"/staffing/officers/{officer.pk}/deactivate/", {"reason": "x"}).status_code == 403
    officer.refresh_from_db()
    assert officer.status != OfficerStatus.INACTIVE and snapshot() == before


# ---------------------------------------------------------------- required training


def test_the_district_sets_a_contracts_required_training(world: World) -> None:
    contract = world.contracts[PSHS]
    director = world.client("director")
    listing = director.get("/staffing/training/contracts/").content.decode()
    assert contract.title in listing and f'href="/staffing/training/contracts/{contract.pk}/"' in listing
    first, second = course_keys()[:2]
    r = director.post(f"/staffing/training/contracts/{contract.pk}/", {"courses": [first, second]})
    assert r.status_code == 302
    assert ContractTraining.objects.get(contract=contract).courses == [first, second]
    (event,) = AuditEvent.objects.filter(action="set_required_training")
    assert event.actor_username == "director" and event.changes["courses"][1] == [first, second]
    titles = [c.title for c in courses() if c.key in (first, second)]
    page = director.get(f"/staffing/training/contracts/{contract.pk}/").content.decode()
    assert all(t in page for t in titles) and "Required now" in page


def test_unknown_courses_and_other_roles_save_no_required_training(world: World) -> None:
    contract = world.contracts[PSHS]
    director = world.client("director")
    clients = [world.client(u) for u in ("lt.pspd", "superintendent", "principal.pshs")]
    before = snapshot()
    r = director.post(f"/staffing/training/contracts/{contract.pk}/", {"courses": ["no-such-course"]})
    assert r.status_code == 200 and SUMMARY in r.content.decode()
    for c in clients:
        assert c.get("/staffing/training/contracts/").status_code == 403
        assert c.post(f"/staffing/training/contracts/{contract.pk}/", {"courses": []}).status_code == 403
    assert not ContractTraining.objects.filter(contract=contract).exists() and snapshot() == before


# ---------------------------------------------------------------- nominations, panels, notices


def test_the_roster_leads_to_convening_a_panel(world: World) -> None:
    nomination = world.nominate(world.officer())
    page = world.client("director").get("/staffing/").content.decode()
    assert "Nominations waiting for a selection panel" in page
    assert f'href="/staffing/nominations/{nomination.pk}/panel/"' in page


def test_a_panel_whose_nomination_was_withdrawn_is_not_scored(world: World) -> None:
    nomination = world.nominate(world.officer())
    panel = world.panel(nomination)
    nomination_withdraw(actor=None, nomination=nomination, reason="Officer moved")
    with pytest.raises(TransitionRefused, match="withdrawn"):
        world.score(panel, "director")
    director = world.client("director")
    page = director.get(f"/staffing/panels/{panel.pk}/").content.decode()
    assert "no longer scores the candidate" in page and "Your scores" not in page
    assert Scoresheet.objects.filter(member__panel=panel).count() == 0
    panel.refresh_from_db()
    assert panel.status == Panel.Status.OPEN


def test_a_staffing_notice_says_the_reason_in_words(world: World) -> None:
    officer = world.ready_officer()
    assignment_create(
        actor=None, officer=officer, school=world.schools[PSHS], start_date=world.today, end_date=world.today
    )
    Contract.objects.filter(pk=world.contracts[PSHS].pk).update(status="suspended")
    staffing_check(today=world.today)
    page = world.client("director").get("/staffing/notices/").content.decode()
    assert "The contract is suspended." in page
    assert "contract_suspended" not in page and "Reason code" not in page


# ---------------------------------------------------------------- API


def test_the_api_deactivates_and_links_with_the_same_rules(world: World) -> None:
    officer = world.officer()
    world.sro_user("pat.pspd", PSPD)
    lt, director = _api(world, "lt.pspd"), _api(world, "director")
    world.nominate(officer)
    refused = director.post(
        f"/api/v1/officers/{officer.pk}/account", {"username": "pat.pspd"}, content_type="application/json"
    )
    assert refused.status_code == 403
    unknown = lt.post(
        f"/api/v1/officers/{officer.pk}/account", {"username": "director"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    r = lt.post(f"/api/v1/officers/{officer.pk}/account", {"username": "pat.pspd"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["username"] == "pat.pspd"
    no_reason = lt.post(f"/api/v1/officers/{officer.pk}/deactivate", {"reason": " "}, content_type="application/json")
    assert no_reason.status_code == 422
    r = lt.post(f"/api/v1/officers/{officer.pk}/deactivate", {"reason": "Retired"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "inactive"
    assert _events("deactivate", officer) and _events("link_user", officer)


def test_the_api_reads_and_sets_a_contracts_required_training(world: World) -> None:
    contract = world.contracts[PSHS]
    url = f"/api/v1/contracts/{contract.pk}/training"
    director = _api(world, "director")
    before = director.get(url).json()
    assert before["set_by_district"] is False and before["courses"] == list(course_keys())
    first = course_keys()[0]
    assert _api(world, "lt.pspd").put(url, {"courses": [first]}, content_type="application/json").status_code == 403
    bad = director.put(url, {"courses": ["nope"]}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "courses"
    r = director.put(url, {"courses": [first]}, content_type="application/json")
    assert r.status_code == 200 and r.json()["courses"] == [first] and r.json()["set_by_district"] is True
    assert _api(world, "lt.pspd").get(url).json()["courses"] == [first]
