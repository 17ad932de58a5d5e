"""The force app's part of the demo: one force report (handcuffs, no injury), its supervisor's review
open, filed from the Palm Springs officer's contact that recorded handcuffing."""

from __future__ import annotations

from sro.force.models import ForceReport, Recorded
from sro.force.selectors import contact_uses_force
from sro.force.services import ForceReportData, force_report_file
from sro.incidents.models import Contact
from sro.orgs.actors import actor_for
from sro.orgs.models import User


def load() -> None:
    officer = User.objects.filter(username="officer.pspd").first()
    if officer is None or ForceReport.objects.filter(officer=officer).exists():
        return
    contact = next(
        (c for c in Contact.objects.filter(officer=officer).order_by("-occurred_at") if contact_uses_force(c)), None
    )
    if contact is None:
        return
    force_report_file(
        actor=actor_for(officer),
        contact=contact,
        data=ForceReportData(
            school=contact.school,
            occurred_at=contact.occurred_at,
            student_age=contact.age,
            grade=None,
            race="NR",
            sex="NR",
            idea=Recorded.NOT_RECORDED,
            section_504=Recorded.NOT_RECORDED,
            english_learner=Recorded.NOT_RECORDED,
            force_types=["handcuffs"],
            medical_aid="none",
            deescalation=["verbal", "time_distance"],
            deescalation_narrative=(
                "Spoke calmly and asked the student to put the knife down; kept a table between us until the "
                "assistant principal arrived. Handcuffed once the knife was on the ground. (Demo, synthetic.)"
            ),
            body_camera="on",
            narrative="Demo: the student threatened a classmate with a knife in the quad; handcuffed, no injury.",
            witnesses="Assistant principal; campus supervisor.",
        ),
        now=contact.occurred_at,
    )
