"""Role scoping: each role sees exactly the officers it may; the rest answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt

import pytest

from sro.staffing.assignments import assignment_create
from sro.staffing.models import Officer
from sro.staffing.tests.conftest import CCHS, CCPD, PSHS, World


@pytest.fixture
def two(world: World) -> World:
    """A Palm Springs officer (the SRO account officer.pspd, assigned) and a Cathedral City candidate."""
    ps = world.officer(badge="4117", user=world.users["officer.pspd"], first_name="Taylor", last_name="Brooks")
    world.approve(ps)
    world.train(ps)
    assignment_create(
        actor=None,
        officer=ps,
        school=world.schools[PSHS],
        start_date=world.today,
        end_date=world.today + dt.timedelta(30),
    )
    cc_user = world.sro_user("officer.ccpd", CCPD)
    cc = world.officer(CCPD, "2290", user=cc_user, first_name="Jamie", last_name="Flores")
    world.nominate(cc, CCHS)
    world.officer(CCPD, "9999", first_name="Unnominated", last_name="Recruit")
    return world


# username -> officers (last names) seen
SEEN = {
    "lt.pspd": {"Brooks"},
    "lt.ccpd": {"Flores", "Recruit"},
    "officer.pspd": {"Brooks"},
    "officer.ccpd": {"Flores"},
    "director": {"Brooks", "Flores"},
    "superintendent": {"Brooks", "Flores"},
    "principal.pshs": {"Brooks"},
    "principal.cchs": set(),
    "boardmember": set(),
    "analyst": set(),
}


def test_each_role_lists_exactly_the_officers_it_may_see(two: World) -> None:
    seen = {
        username: {o["name"].split()[-1] for o in two.client(username).get("/api/v1/officers").json()["items"]}
        for username in SEEN
    }
    assert seen == SEEN


def test_a_lieutenant_of_another_agency_gets_404_for_our_officer(two: World) -> None:
    ps = Officer.objects.get(user__username="officer.pspd")
    lt = two.client("lt.ccpd")
    for path in (f"/api/v1/officers/{ps.pk}", f"/api/v1/officers/{ps.pk}/training", f"/staffing/officers/{ps.pk}/"):
        assert lt.get(path).status_code == 404, path
    missing = lt.get("/api/v1/officers/999999")
    assert missing.status_code == 404 and missing.json() == lt.get(f"/api/v1/officers/{ps.pk}").json()
    r = lt.post(
        f"/api/v1/officers/{ps.pk}/training",
        {"course": "nasro_basic", "completed_on": str(two.today), "provider": "x", "hours": "40", "evidence": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert lt.get("/api/v1/assignments").json()["items"] == []


def test_an_sro_sees_only_their_own_record_and_nothing_of_other_candidates(two: World) -> None:
    me = two.client("officer.ccpd")
    mine = Officer.objects.get(user__username="officer.ccpd")
    other = Officer.objects.get(user__username="officer.pspd")
    assert [o["id"] for o in me.get("/api/v1/officers").json()["items"]] == [mine.pk]
    assert me.get(f"/api/v1/officers/{mine.pk}/training").status_code == 200
    assert me.get(f"/api/v1/officers/{other.pk}").status_code == 404
    assert me.get(f"/staffing/officers/{other.pk}/").status_code == 404
    panel = other.nominations.get().panel
    assert me.get(f"/api/v1/panels/{panel.pk}").status_code == 404
    assert me.get(f"/staffing/panels/{panel.pk}/").status_code == 404
    page = me.get("/staffing/").content.decode()
    assert "Flores" in page and "Brooks" not in page
    matrix = me.get("/staffing/training/").content.decode()
    assert "Brooks" not in matrix


def test_an_sro_cannot_enter_or_confirm_training_or_assign(two: World) -> None:
    me = two.client("officer.pspd")
    mine = Officer.objects.get(user__username="officer.pspd")
    r = me.post(
        f"/api/v1/officers/{mine.pk}/training",
        {"course": "nasro_basic", "completed_on": str(two.today), "provider": "x", "hours": "40", "evidence": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
    r = me.post(
        "/api/v1/assignments",
        {
            "officer_id": mine.pk,
            "cds_code": two.schools[PSHS].cds_code,
            "start_date": str(two.today + dt.timedelta(40)),
            "end_date": str(two.today + dt.timedelta(50)),
        },
        content_type="application/json",
    )
    assert r.status_code == 403
