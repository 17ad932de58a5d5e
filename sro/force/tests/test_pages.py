"""The force pages: the form refuses with the field named and saves nothing; the review and URSUS forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sro.force.models import ForceReport
from sro.force.tests.conftest import PSHS, at, file

FORM = {
    "occurred_at": "2026-10-05T09:30",
    "student_age": "15",
    "grade": "",
    "race": "",
    "sex": "F",
    "idea": "no",
    "section_504": "no",
    "english_learner": "yes",
    "force_types": ["control_hold"],
    "deescalation": ["verbal", "staff_help"],
    "deescalation_narrative": "Asked the counselor to talk with the student.",
    "medical_aid": "none",
    "body_camera": "off",
    "narrative": "Held the student's arm to stop a fight.",
}


def test_the_form_names_each_missing_field_saves_nothing_and_keeps_what_was_typed(
    signed_in: Any, demo: dict[str, Any]
) -> None:
    c = signed_in("officer.pspd")
    school = demo["schools"][PSHS]
    before = ForceReport.objects.count()
    page = c.post("/force/new/", {**FORM, "school": school.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html and 'href="#id_race"' in html
    assert "Held the student&#x27;s arm" in html or "Held the student's arm" in html
    assert ForceReport.objects.count() == before
    done = c.post("/force/new/", {**FORM, "school": school.pk, "race": "NR"})
    assert done.status_code == 302
    report = ForceReport.objects.latest("pk")
    assert (report.race, report.grade, report.force_types, report.body_camera) == ("NR", None, ["control_hold"], "off")


def test_the_review_form_names_the_missing_reason_and_then_records(signed_in: Any, demo: dict[str, Any]) -> None:
    report = file(demo["users"]["officer.pspd"], demo["schools"][PSHS], at(dt.date(2026, 10, 5)))
    lt = signed_in("lt.pspd")
    page = lt.get(f"/force/{report.pk}/")
    assert "Record the review" in page.content.decode()
    bad = lt.post(f"/force/{report.pk}/review/", {"outcome": "not_within_policy", "note": ""})
    assert bad.status_code == 200 and 'href="#id_note"' in bad.content.decode()
    ok = lt.post(f"/force/{report.pk}/review/", {"outcome": "referred", "note": "Sent to internal affairs."})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.review_outcome == "referred"
    assert "Record the review" not in lt.get(f"/force/{report.pk}/").content.decode()


def test_the_ursus_page_opens_for_a_serious_injury_and_refuses_a_bad_choice(
    signed_in: Any, demo: dict[str, Any]
) -> None:
    report = file(demo["users"]["officer.pspd"], demo["schools"][PSHS], at(dt.date(2026, 10, 5)),
                  serious_bodily_injury=True, student_injured=True, student_injury="Concussion.")  # fmt: skip
    c = signed_in("officer.pspd")
    assert "Enter the URSUS details" in c.get(f"/force/{report.pk}/").content.decode()
    page = c.get(f"/force/{report.pk}/ursus/")
    assert page.status_code == 200 and "custody_status" in page.content.decode()
    bad = c.post(f"/force/{report.pk}/ursus/", {"custody_status": "Jailed"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert signed_in("principal.pshs").get(f"/force/{report.pk}/ursus/").status_code == 404


def test_the_list_shows_the_reports_due_with_a_link_for_their_officer(signed_in: Any, demo: dict[str, Any]) -> None:
    from sro.force.selectors import reports_due
    from sro.orgs.actors import actor_for

    due = reports_due(actor=actor_for(demo["users"]["officer.pspd"]), today=timezone.localdate())
    html = signed_in("officer.pspd").get("/force/").content.decode()
    assert all(f"/force/contacts/{c.pk}/new/" in html for c in due)
    assert "/force/contacts/" not in signed_in("lt.pspd").get("/force/").content.decode()


def test_the_homes_of_those_who_see_reports_link_the_force_pages(signed_in: Any) -> None:
    for username in ("officer.pspd", "lt.pspd", "principal.pshs", "director"):
        assert 'href="/force/"' in signed_in(username).get("/").content.decode(), username
    for username in ("boardmember", "analyst"):
        assert 'href="/force/"' not in signed_in(username).get("/").content.decode(), username
