"""Filing a force report: from a RIPA contact with a force action, same-day notices, the review's
deadline in school days, the supervisor's review, and everything refused with the field named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.core.errors import Conflict, Forbidden, InvalidInput, TransitionRefused
from sro.core.models import AuditEvent
from sro.force.models import ForceNotice, ForceReport
from sro.force.queue import notices, reports_overdue, reports_to_file, reviews
from sro.force.selectors import reports_due
from sro.force.services import force_notice_read, force_report_file, force_review_record
from sro.force.tests.conftest import HANDCUFFED, PHOTOGRAPHED, PSHS, at, contact, data, file
from sro.orgs.actors import actor_for

FRIDAY = dt.date(2026, 10, 2)


def test_a_force_contact_is_due_the_same_day_for_officer_and_supervisor_and_after_it_for_the_director(
    demo: dict[str, Any],
) -> None:
    u = demo["users"]
    c = contact(u["officer.pspd"], demo["schools"][PSHS], at(FRIDAY), [HANDCUFFED])
    plain = contact(u["officer.pspd"], demo["schools"][PSHS], at(FRIDAY, 11), [PHOTOGRAPHED])
    officer, lt, director = (actor_for(u[n]) for n in ("officer.pspd", "lt.pspd", "director"))
    assert c in reports_due(actor=officer, today=FRIDAY) and plain not in reports_due(actor=officer, today=FRIDAY)
    assert c in reports_due(actor=lt, today=FRIDAY)
    assert c not in reports_due(actor=director, today=FRIDAY, overdue_only=True)
    assert c in reports_due(actor=director, today=FRIDAY + dt.timedelta(days=1), overdue_only=True)
    assert c not in reports_due(actor=actor_for(u["officer.ccpd"]), today=FRIDAY)
    assert any(f"contact {c.pk} " in i.text for i in reports_to_file(officer))
    assert any(f"contact {c.pk} " in i.text for i in reports_overdue(director))  # the demo's clock is today
    force_report_file(actor=officer, data=data(None, None), contact=c, now=at(FRIDAY, 12))
    assert c not in reports_due(actor=officer, today=FRIDAY)
    assert not any(f"contact {c.pk} " in i.text for i in reports_overdue(director))


def test_filing_notifies_the_principal_and_the_security_director_the_same_day_citing_the_contract(
    demo: dict[str, Any],
) -> None:
    u = demo["users"]
    c = contact(u["officer.pspd"], demo["schools"][PSHS], at(FRIDAY), [HANDCUFFED])
    report = force_report_file(actor=actor_for(u["officer.pspd"]), data=data(None, None), contact=c, now=at(FRIDAY, 12))
    sent = {n.recipient.username: n for n in ForceNotice.objects.filter(report=report)}
    assert set(sent) == {"principal.pshs", "director"}
    assert "same day" in sent["director"].body and "de-escalation" in sent["director"].body
    assert report.school == c.school and report.contact == c and report.force_types == ["handcuffs"]
    principal = actor_for(u["principal.pshs"])
    assert any(i.text.endswith(f"report {report.pk}") for i in notices(principal))
    force_notice_read(actor=principal, notice=sent["principal.pshs"])
    assert not any(i.text.endswith(f"report {report.pk}") for i in notices(principal))
    assert AuditEvent.objects.filter(action="force_report_file", object_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (dt.date(2026, 10, 2), dt.date(2026, 10, 7)),  # Friday: Mon, Tue, Wed
        (dt.date(2026, 10, 5), dt.date(2026, 10, 8)),  # Monday: Thursday
        (dt.date(2026, 10, 3), dt.date(2026, 10, 7)),  # Saturday: Mon, Tue, Wed
    ],
)
def test_the_supervisors_review_is_due_three_school_days_later(
    demo: dict[str, Any], day: dt.date, due: dt.date
) -> None:
    report = file(demo["users"]["officer.pspd"], demo["schools"][PSHS], at(day))
    assert report.review_due_on == due
    assert report.review_overdue(due) is False and report.review_overdue(due + dt.timedelta(days=1)) is True


def test_the_review_is_the_supervisors_once_and_takes_it_off_the_queue(demo: dict[str, Any]) -> None:
    u = demo["users"]
    report = file(u["officer.pspd"], demo["schools"][PSHS], at(FRIDAY))
    lt = actor_for(u["lt.pspd"])
    assert any(f"report {report.pk} " in i.text for i in reviews(lt))
    with pytest.raises(Forbidden):
        force_review_record(actor=actor_for(u["director"]), report=report, outcome="within_policy", note="ok")
    with pytest.raises(InvalidInput) as exc:
        force_review_record(actor=lt, report=report, outcome="within_policy", note=" ")
    assert exc.value.errors[0].field == "note"
    force_review_record(actor=lt, report=report, outcome="training", note="Refresher on handcuffing minors.")
    assert not any(f"report {report.pk} " in i.text for i in reviews(lt))
    with pytest.raises(TransitionRefused):
        force_review_record(actor=lt, report=report, outcome="within_policy", note="again")


@pytest.mark.parametrize(
    ("over", "fields"),
    [
        ({"race": ""}, {"race"}),
        ({"sex": ""}, {"sex"}),
        ({"idea": ""}, {"idea"}),
        ({"english_learner": "maybe"}, {"english_learner"}),
        ({"force_types": []}, {"force_types"}),
        ({"force_types": ["suplex"]}, {"force_types"}),
        ({"deescalation": []}, {"deescalation"}),
        ({"medical_aid": "aspirin"}, {"medical_aid"}),
        ({"student_injured": True, "student_injury": ""}, {"student_injury"}),
        ({"officer_injured": True}, {"officer_injury"}),
        ({"student_age": 2}, {"student_age"}),
        ({"firearm_discharged": True}, {"force_types"}),
        ({"narrative": ""}, {"narrative"}),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    demo: dict[str, Any], over: dict[str, Any], fields: set[str]
) -> None:
    before = ForceReport.objects.count()
    with pytest.raises(InvalidInput) as exc:
        file(demo["users"]["officer.pspd"], demo["schools"][PSHS], at(FRIDAY), **over)
    assert {e.field for e in exc.value.errors} & fields, exc.value.errors
    assert ForceReport.objects.count() == before


def test_only_the_contacts_officer_files_and_only_once_and_only_for_force(demo: dict[str, Any]) -> None:
    u = demo["users"]
    c = contact(u["officer.pspd"], demo["schools"][PSHS], at(FRIDAY), [HANDCUFFED])
    with pytest.raises(Forbidden):
        force_report_file(actor=actor_for(u["lt.pspd"]), data=data(None, None), contact=c)
    force_report_file(actor=actor_for(u["officer.pspd"]), data=data(None, None), contact=c, now=at(FRIDAY, 12))
    with pytest.raises(Conflict):
        force_report_file(actor=actor_for(u["officer.pspd"]), data=data(None, None), contact=c, now=at(FRIDAY, 12))
    plain = contact(u["officer.pspd"], demo["schools"][PSHS], at(FRIDAY, 11), [PHOTOGRAPHED])
    with pytest.raises(InvalidInput):
        force_report_file(actor=actor_for(u["officer.pspd"]), data=data(None, None), contact=plain)


def test_the_demo_has_one_force_report_with_handcuffs_no_injury_and_the_review_open(demo: dict[str, Any]) -> None:
    (report,) = ForceReport.objects.filter(officer__username="officer.pspd")
    assert report.force_types == ["handcuffs"] and not report.student_injured and not report.reviewed
    assert report.contact is not None
