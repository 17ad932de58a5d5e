"""Every demo role against every force page and API operation: each sees exactly what it may,
and a record it may not see answers exactly like one that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.force.models import EarlyInterventionFlag, ForceNotice, ForceReport, JointReview
from sro.force.tests.conftest import HANDCUFFED, PSHS, contact
from sro.staffing.models import Officer

ROLES = [
    "director",
    "superintendent",
    "boardmember",
    "analyst",
    "principal.pshs",
    "principal.cchs",
    "lt.pspd",
    "lt.ccpd",
    "officer.pspd",
    "officer.ccpd",
    "officer.dhspd",
    "deputy.rcsd",
]
SEES_REPORT = {"director", "principal.pshs", "lt.pspd", "officer.pspd"}
SEES_RECORD = {"director", "lt.pspd", "officer.pspd"}
SROS = {"officer.pspd", "officer.ccpd", "officer.dhspd", "deputy.rcsd"}
SUPERVISORS = {"lt.pspd", "lt.ccpd"}
HAS_LIST = SEES_REPORT | SROS | SUPERVISORS | {"principal.cchs"}


def _report() -> ForceReport:
    return ForceReport.objects.get(officer__username="officer.pspd")


def _officer() -> Officer:
    return Officer.objects.get(user__username="officer.pspd")


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_the_force_pages_it_may_and_not_found_otherwise(signed_in: Any, username: str) -> None:
    c = signed_in(username)
    report, officer = _report(), _officer()
    listing = c.get("/force/")
    assert listing.status_code == (200 if username in HAS_LIST else 404)
    if listing.status_code == 200:
        assert (f'href="/force/{report.pk}/"' in listing.content.decode()) is (username in SEES_REPORT)
    detail = c.get(f"/force/{report.pk}/")
    assert detail.status_code == (200 if username in SEES_REPORT else 404)
    if detail.status_code == 200:
        assert detail["Cache-Control"] == "no-store"
    assert c.get(f"/force/{report.pk}/").status_code == c.get("/force/999999/").status_code or username in SEES_REPORT
    assert c.get("/force/new/").status_code == (200 if username in SROS else 404)
    assert c.get(f"/force/{report.pk}/ursus/").status_code == 404  # the demo's report is not URSUS-reportable
    assert c.get("/force/ursus.csv").status_code == (200 if username in SUPERVISORS else 404)
    record = c.get(f"/force/officers/{officer.pk}/")
    assert record.status_code == (200 if username in SEES_RECORD else 404)
    assert c.get("/force/officers/999999/").status_code == 404
    notices = c.get("/force/notices/").content.decode()
    assert (f"report {report.pk}" in notices) is (username in {"director", "principal.pshs"})


@pytest.mark.parametrize("username", ROLES)
def test_only_the_agencys_supervisor_records_the_review(signed_in: Any, username: str) -> None:
    report = _report()
    r = signed_in(username).post(f"/force/{report.pk}/review/", {"outcome": "within_policy", "note": "Reviewed video."})
    report.refresh_from_db()
    assert report.reviewed is (username == "lt.pspd")
    if username not in SEES_REPORT:
        assert r.status_code == 404


@pytest.mark.parametrize("username", ROLES)
def test_a_notice_is_marked_read_by_its_recipient_only(signed_in: Any, username: str) -> None:
    notice = ForceNotice.objects.get(report=_report(), recipient__username="principal.pshs")
    r = signed_in(username).post(f"/force/notices/{notice.pk}/read/")
    notice.refresh_from_db()
    assert (notice.read_at is not None) is (username == "principal.pshs")
    assert r.status_code == (302 if username == "principal.pshs" else 404)


@pytest.mark.parametrize("username", ROLES)
def test_flags_are_closed_and_joint_reviews_signed_only_by_their_sides(signed_in: Any, username: str) -> None:
    officer = _officer()
    flag = EarlyInterventionFlag.objects.create(
        officer=officer, rule="force_twice_180", raised_on=timezone.localdate(), count=2, reason="test"
    )
    review = JointReview.objects.create(
        officer=officer,
        category="use_of_force",
        clause_category="use_of_force",
        source="force_report",
        source_id=_report().pk,
        required_on=timezone.localdate(),
        reason="test",
    )
    c = signed_in(username)
    r = c.post(f"/force/flags/{flag.pk}/close/", {"note": "Done."})
    flag.refresh_from_db()
    assert (flag.closed_at is not None) is (username == "director")
    if username not in {"director", "lt.pspd"}:
        assert r.status_code == 404
    c.post(f"/force/joint-reviews/{review.pk}/sign/", {"decision": "may_serve", "note": "Fine."})
    review.refresh_from_db()
    assert (review.district_signed_at is not None) is (username == "director")
    assert review.agency_signed_at is None


@pytest.mark.parametrize("username", ROLES)
def test_the_api_answers_each_role_as_the_pages_do(signed_in: Any, demo: dict[str, Any], username: str) -> None:
    c = signed_in(username)
    report = _report()
    ids = [r["id"] for r in c.get("/api/v1/force-reports").json()["items"]]
    assert (report.pk in ids) is (username in SEES_REPORT)
    one = c.get(f"/api/v1/force-reports/{report.pk}")
    missing = c.get("/api/v1/force-reports/999999")
    assert one.status_code == (200 if username in SEES_REPORT else 404)
    if username not in SEES_REPORT:
        assert one.json() == missing.json()
    assert c.get("/api/v1/force-reports/due").status_code == 200
    review = c.post(
        f"/api/v1/force-reports/{report.pk}/review",
        {"outcome": "training", "note": "Refresher."},
        content_type="application/json",
    )
    assert review.status_code == (200 if username == "lt.pspd" else 403 if username in SEES_REPORT else 404)


def _body(**over: Any) -> dict[str, Any]:
    body = {
        "student_age": 15,
        "race": "NR",
        "sex": "NR",
        "idea": "not_recorded",
        "section_504": "not_recorded",
        "english_learner": "not_recorded",
        "force_types": ["handcuffs"],
        "medical_aid": "none",
        "deescalation": ["verbal"],
        "deescalation_narrative": "Talked.",
        "body_camera": "on",
        "narrative": "Handcuffed.",
    }
    body.update(over)
    return body


@pytest.mark.parametrize("username", ROLES)
def test_only_the_contacts_officer_files_through_the_api(signed_in: Any, demo: dict[str, Any], username: str) -> None:
    when = timezone.now() - dt.timedelta(hours=2)
    made = contact(demo["users"]["officer.pspd"], demo["schools"][PSHS], when, [HANDCUFFED])
    r = signed_in(username).post("/api/v1/force-reports", _body(contact_id=made.pk), content_type="application/json")
    if username == "officer.pspd":
        assert r.status_code == 201, r.content
        assert r.json()["contact_id"] == made.pk
    else:
        assert r.status_code in (403, 404), (username, r.status_code)
        assert not ForceReport.objects.filter(contact=made).exists()


def test_bad_api_input_answers_422_naming_the_field(signed_in: Any, demo: dict[str, Any]) -> None:
    made = contact(
        demo["users"]["officer.pspd"], demo["schools"][PSHS], timezone.now() - dt.timedelta(hours=1), [HANDCUFFED]
    )
    r = signed_in("officer.pspd").post(
        "/api/v1/force-reports", _body(contact_id=made.pk, race=""), content_type="application/json"
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"race"}


@pytest.mark.parametrize("path", ["/force/", "/force/new/", "/force/notices/", "/force/ursus.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(site: dict[str, Any], path: str) -> None:
    r = Client().get(path)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
