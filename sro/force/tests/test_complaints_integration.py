"""With the complaints app: an allegation decided sustained reaches the officer's record, the
early-intervention rules and, in a category the contract names, the deployment gate; the record
never shows who complained."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from sro.complaints import services as complaints
from sro.complaints.models import Allegation
from sro.contracts.models import Contract
from sro.force.complaints import allegation_events
from sro.force.models import EarlyInterventionFlag, JointReview
from sro.orgs.actors import actor_for
from sro.staffing.gate import officer_reasons
from sro.staffing.models import Officer


def test_a_sustained_unlawful_search_flags_the_officer_and_waits_for_a_joint_review(demo: dict[str, Any]) -> None:
    officer = Officer.objects.get(user__username="officer.pspd")
    (allegation,) = Allegation.objects.filter(officer=officer.user, finding="")
    assert [e.category for e in allegation_events(officer)] == ["unlawful_search"]
    complaints.allegation_decide(
        actor=actor_for(demo["users"]["lt.pspd"]), allegation=allegation, finding="sustained", note="Video shows it."
    )
    (event,) = allegation_events(officer)
    assert event.sustained and event.decided_on == timezone.localdate()
    out = StringIO()
    call_command("force", "check", stdout=out)
    assert "sustained_any" in out.getvalue()
    assert EarlyInterventionFlag.objects.filter(officer=officer, rule="sustained_any", closed_at__isnull=True).exists()
    review = JointReview.objects.get(source="allegation", source_id=allegation.pk)
    assert review.clause_category == "student_interviews_searches_arrests"
    contract = Contract.objects.filter(agency=officer.agency).first()
    assert contract is not None
    assert "joint_review_required" in {r.code for r in officer_reasons(officer, contract, timezone.localdate())}


def test_the_record_shows_the_complaint_and_its_finding_but_never_who_complained(signed_in: Any) -> None:
    officer = Officer.objects.get(user__username="officer.ccpd")
    (event,) = allegation_events(officer)
    for username in ("director", "lt.ccpd", "officer.ccpd"):
        html = signed_in(username).get(f"/force/officers/{officer.pk}/").content.decode()
        assert event.complaint_label in html and "Not sustained" in html, username
        assert "Demo Complainant" not in html and "760-555-0100" not in html, username
    assert signed_in("lt.pspd").get(f"/force/officers/{officer.pk}/").status_code == 404
