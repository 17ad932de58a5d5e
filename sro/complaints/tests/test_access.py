"""Every demo role against every complaints page and API operation: nobody sees more than they may."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sro.complaints import services
from sro.complaints.models import Complaint
from sro.orgs.actors import actor_for

ROLES = [
    "director", "superintendent", "boardmember", "analyst", "principal.pshs", "principal.cchs",
    "lt.pspd", "lt.ccpd", "officer.pspd", "officer.ccpd", "officer.dhspd", "deputy.rcsd",
]  # fmt: skip
# who sees which demo complaint (by the narrative's first words), and whose complainant
SEES = {"director": {"just", "overdue", "closed", "program"}, "lt.pspd": {"overdue"}, "lt.ccpd": {"closed"}}
IDENTITY = {"director": {"just", "program"}, "lt.pspd": {"overdue"}, "lt.ccpd": {"closed"}}
STAFF = {"director", "lt.pspd", "lt.ccpd"}


def _cases(demo: dict[str, Any]) -> dict[str, Complaint]:
    by = {c.narrative: c for c in Complaint.objects.all()}

    def find(fragment: str) -> Complaint:
        return next(c for n, c in by.items() if fragment in n)

    return {
        "just": find("el agente"),
        "overdue": find("backpack"),
        "closed": find("spoke rudely"),
        "program": find("discipline meetings"),
    }


def test_the_demo_has_a_complaint_at_each_stage(demo: dict[str, Any]) -> None:
    cases = _cases(demo)
    assert {k: c.status for k, c in cases.items()} == {
        "just": "received", "overdue": "investigating", "closed": "closed", "program": "assigned",
    }  # fmt: skip
    assert cases["overdue"].agency is not None and cases["overdue"].agency.name == "Palm Springs Police Department"
    assert cases["program"].school is None and cases["program"].assigned_to == "district"
    assert cases["closed"].allegations.get().finding == "not_sustained"


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_exactly_its_complaints_on_the_pages(
    client_for: Any, demo: dict[str, Any], username: str
) -> None:
    c = client_for(username)
    cases = _cases(demo)
    listing = c.get("/complaints/")
    seen = SEES.get(username, set())
    if username not in STAFF:
        assert listing.status_code == 404
        assert c.get("/complaints/new/").status_code == 404
    else:
        page = listing.content.decode()
        assert {k for k, x in cases.items() if x.case_number in page} == seen
        assert c.get("/complaints/new/").status_code == (200 if username == "director" else 404)
    for key, case in cases.items():
        detail = c.get(f"/complaints/{case.pk}/")
        assert detail.status_code == (200 if key in seen else 404), key
        if key in seen:
            body = detail.content.decode()
            named = case.complainant_name and case.complainant_name in body
            assert bool(named) == (key in IDENTITY.get(username, set()) and bool(case.complainant_name)), key
        close = c.get(f"/complaints/{case.pk}/close/")
        assert close.status_code == (200 if key in seen else 404)


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_exactly_its_complaints_in_the_api(client_for: Any, demo: dict[str, Any], username: str) -> None:
    c = client_for(username)
    cases = _cases(demo)
    seen = SEES.get(username, set())
    items = c.get("/api/v1/complaints").json()["items"]
    assert {k for k, x in cases.items() if x.pk in {i["id"] for i in items}} == seen
    for key, case in cases.items():
        r = c.get(f"/api/v1/complaints/{case.pk}")
        assert r.status_code == (200 if key in seen else 404)
        if key in seen:
            assert (r.json()["complainant"] is not None) == (key in IDENTITY.get(username, set()))
        act = c.post(
            f"/api/v1/complaints/{case.pk}/actions/acknowledge", json.dumps({}), content_type="application/json"
        )
        if key not in seen:
            assert act.status_code == 404
        elif key == "just" and username == "director":
            assert act.status_code == 200 and act.json()["status"] == "acknowledged"
        else:
            assert act.status_code in {403, 409}
    created = c.post(
        "/api/v1/complaints",
        json.dumps({"channel": "phone", "about": "program", "narrative": "By phone.", "relation": "other"}),
        content_type="application/json",
    )
    assert created.status_code == (201 if username == "director" else 403)


def test_a_refused_step_in_the_api_names_the_allowed_actions(client_for: Any, demo: dict[str, Any]) -> None:
    case = _cases(demo)["just"]
    r = client_for("director").post(
        f"/api/v1/complaints/{case.pk}/actions/close", "{}", content_type="application/json"
    )
    assert r.status_code == 409
    assert r.json()["allowed_actions"] == ["acknowledge", "add_allegation", "link", "add_information"]


def test_bad_api_input_answers_422_naming_the_field(client_for: Any, demo: dict[str, Any]) -> None:
    r = client_for("director").post(
        "/api/v1/complaints",
        json.dumps({"channel": "phone", "about": "officer", "narrative": "x", "relation": "alien"}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"relation", "school"}


def test_a_supervisor_never_sees_a_complaint_naming_themselves(demo: dict[str, Any]) -> None:
    case = _cases(demo)["overdue"]
    lt = demo["users"]["lt.pspd"]
    from sro.complaints.selectors import complaint_list

    assert case in complaint_list(actor=actor_for(lt))
    from sro.complaints.models import Allegation

    Allegation.objects.create(complaint=case, officer=lt, category="discourtesy")
    assert case not in complaint_list(actor=actor_for(lt))


def test_the_director_takes_a_complaint_from_intake_to_closed_on_the_pages(
    client_for: Any, demo: dict[str, Any]
) -> None:
    director = client_for("director")
    school = demo["schools"]["Rancho Mirage High"]
    r = director.post(
        "/complaints/new/",
        {"channel": "phone", "about": "officer", "school": school.pk, "narrative": "Rude at the gate.",
         "relation": "parent", "contact_method": "none", "language": "en", "category": "discourtesy"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Complaint.objects.latest("pk")
    base = f"/complaints/{case.pk}"
    assert director.post(f"{base}/acknowledge/", {"note": ""}).status_code == 302
    assert director.post(f"{base}/assign/", {"assigned_to": "district", "note": ""}).status_code == 302
    assert director.post(f"{base}/start_investigation/", {"note": ""}).status_code == 302
    allegation = case.allegations.get()
    assert (
        director.post(f"{base}/decide_allegation/", {"allegation": allegation.pk, "finding": "unfounded"}).status_code
        == 302
    )
    assert director.post(f"{base}/record_action/", {"action_taken": "None."}).status_code == 302
    assert director.post(f"{base}/notify_outcome/", {"letter": "Unfounded."}).status_code == 302
    confirm = director.get(f"{base}/close/")
    assert "This cannot be undone." in confirm.content.decode()
    assert director.post(f"{base}/close/", {"note": ""}).status_code == 422  # a reason is required
    assert director.post(f"{base}/close/", {"note": "Told."}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    refused = director.post(f"{base}/acknowledge/", {"note": ""}, follow=True).content.decode()
    assert "Allowed actions" in refused


def test_the_queues_list_overdue_and_unassigned_for_the_director_and_the_agency_for_its_supervisor(
    client_for: Any, demo: dict[str, Any]
) -> None:
    cases = _cases(demo)
    director = client_for("director").get("/queue/").content.decode()
    assert cases["overdue"].case_number in director and cases["just"].case_number in director
    lt = client_for("lt.pspd").get("/queue/").content.decode()
    assert cases["overdue"].case_number in lt and cases["closed"].case_number not in lt
    # The officer has a queue (force reports to file), but never the complaints about them.
    officer = client_for("officer.pspd").get("/queue/").content.decode()
    assert cases["overdue"].case_number not in officer


def test_the_services_refuse_an_sro_filing_by_phone(demo: dict[str, Any]) -> None:
    from sro.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.complaint_file(
            actor=actor_for(demo["users"]["officer.pspd"]),
            data=services.Intake(district=demo["district"], about="program", narrative="x", relation="other"),
            channel="phone",
        )


def test_the_list_flags_overdue_complaints_and_filters_them(client_for: Any, demo: dict[str, Any]) -> None:
    cases = _cases(demo)
    director = client_for("director")
    page = director.get("/complaints/?overdue=1").content.decode()
    assert cases["overdue"].case_number in page and "overdue" in page
    assert cases["program"].case_number not in page
    unassigned = director.get("/complaints/?unassigned=1").content.decode()
    assert cases["just"].case_number in unassigned and cases["overdue"].case_number not in unassigned


def test_the_director_links_an_incident_of_the_district_and_not_a_missing_one(
    client_for: Any, demo: dict[str, Any]
) -> None:
    from sro.incidents.models import Incident

    case = _cases(demo)["overdue"]
    incident = Incident.objects.filter(school__name="Palm Springs High").first()
    assert incident is not None
    director = client_for("director")
    director.post(f"/complaints/{case.pk}/link/", {"kind": "incident", "pk": incident.pk})
    assert list(case.incidents.all()) == [incident]
    page = director.post(f"/complaints/{case.pk}/link/", {"kind": "review", "pk": 999999}, follow=True)
    assert "Review not found." in page.content.decode()
    lt = client_for("lt.pspd")
    assert (
        lt.post(f"/complaints/{case.pk}/link/", {"kind": "incident", "pk": incident.pk}, follow=True).status_code == 200
    )
    assert case.events.filter(kind="link").count() == 1  # the supervisor may not link: refused


@pytest.mark.parametrize("username", ROLES)
def test_every_role_reaches_the_public_complaint_pages(client_for: Any, demo: dict[str, Any], username: str) -> None:
    c = client_for(username)
    for path in ("/public/complaints/new", "/public/complaints/figures/", "/public/complaints/figures/complaints.csv"):
        assert c.get(path).status_code == 200, path


def test_a_nul_byte_in_the_api_is_refused_naming_the_field(client_for: Any, demo: dict[str, Any]) -> None:
    before = Complaint.objects.count()
    r = client_for("director").post(
        "/api/v1/complaints",
        json.dumps({"channel": "phone", "about": "program", "narrative": "a\u0000b", "relation": "other"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("narrative")
    assert Complaint.objects.count() == before


@pytest.mark.parametrize("username", ROLES)
def test_the_home_page_shows_the_complaints_panel_to_the_district_and_agency_supervisors(
    client_for: Any, demo: dict[str, Any], username: str
) -> None:
    home = client_for(username).get("/").content.decode()
    assert ('href="/complaints/"' in home) == (username in STAFF)
