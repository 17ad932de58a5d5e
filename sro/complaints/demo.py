"""Demo complaints at different stages, filed and moved through the services (the audit trail
reads as real use): one just received (online, in Spanish), one assigned to the Palm Springs
Police Department's internal affairs and overdue, one closed with a not-sustained finding, and
one about the program, assigned to the district."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sro.complaints import services
from sro.complaints.models import About, Channel, ContactMethod, Language, Relation
from sro.orgs.actors import actor_for
from sro.orgs.models import District, LawEnforcementAgency, School, User

PSPD, CCPD = "Palm Springs Police Department", "Cathedral City Police Department"


def load() -> list[object]:
    now = timezone.now()
    district = District.objects.get(cds_code="3367173")
    schools = {s.name: s for s in School.objects.filter(district=district)}
    director = actor_for(User.objects.get(username="director"))
    lt_pspd = actor_for(User.objects.get(username="lt.pspd"))
    lt_ccpd = actor_for(User.objects.get(username="lt.ccpd"))
    officer_pspd = User.objects.get(username="officer.pspd")
    officer_ccpd = User.objects.get(username="officer.ccpd")

    def ago(days: int) -> dt.datetime:
        return now - dt.timedelta(days=days)

    # 1. Just received, online, from a parent writing in Spanish (Cathedral City High).
    services.complaint_file(
        actor=None,
        data=services.Intake(
            district=district,
            about=About.INCIDENT,
            school=schools["Cathedral City High"],
            occurred_on=(now - dt.timedelta(days=2)).date(),
            narrative="Demo: el agente llevó a mi hijo a la oficina por usar el teléfono en clase (sintético).",
            relation=Relation.PARENT,
            name="Demo Parent",
            contact_method=ContactMethod.EMAIL,
            contact_address="parent@example.org",
            language=Language.ES,
            officer_description="Agente de la escuela, por la mañana.",
        ),
        channel=Channel.ONLINE,
        address="192.0.2.10",
        now=ago(1),
    )

    # 2. Assigned to PSPD internal affairs, investigation overdue (received 200 days ago).
    overdue = services.complaint_file(
        actor=director,
        data=services.Intake(
            district=district,
            about=About.OFFICER,
            school=schools["Palm Springs High"],
            occurred_on=(now - dt.timedelta(days=202)).date(),
            narrative="Demo: a student says the officer searched her backpack without a reason (synthetic).",
            relation=Relation.STUDENT,
            anonymous=True,
            officer=officer_pspd,
            category="unlawful_search",
        ),
        channel=Channel.PHONE,
        now=ago(200),
    )
    assert overdue is not None
    c = services.complaint_acknowledge(actor=director, complaint=overdue.complaint, now=ago(199))
    pspd = LawEnforcementAgency.objects.get(name=PSPD)
    c = services.complaint_assign(actor=director, complaint=c, assigned_to="agency", agency=pspd, now=ago(197))
    services.complaint_start_investigation(actor=lt_pspd, complaint=c, now=ago(190))

    # 3. Closed: discourtesy, not sustained (Cathedral City High, CCPD).
    closed = services.complaint_file(
        actor=director,
        data=services.Intake(
            district=district,
            about=About.OFFICER,
            school=schools["Cathedral City High"],
            occurred_on=(now - dt.timedelta(days=95)).date(),
            narrative="Demo: a parent says the officer spoke rudely at the gate (synthetic).",
            relation=Relation.PARENT,
            name="Demo Complainant",
            contact_method=ContactMethod.PHONE,
            contact_address="760-555-0100",
            officer=officer_ccpd,
            category="discourtesy",
        ),
        channel=Channel.LETTER,
        now=ago(90),
    )
    assert closed is not None
    c = services.complaint_acknowledge(actor=director, complaint=closed.complaint, now=ago(89))
    ccpd = LawEnforcementAgency.objects.get(name=CCPD)
    c = services.complaint_assign(actor=director, complaint=c, assigned_to="agency", agency=ccpd, now=ago(88))
    c = services.complaint_start_investigation(actor=lt_ccpd, complaint=c, now=ago(85))
    services.allegation_decide(
        actor=lt_ccpd,
        allegation=c.allegations.get(),
        finding="not_sustained",
        note="Witnesses disagree; no recording.",
        now=ago(40),
    )
    c = services.complaint_record_action(actor=lt_ccpd, complaint=c, action_taken="No action.", now=ago(39))
    c = services.complaint_notify_outcome(
        actor=lt_ccpd,
        complaint=c,
        letter=(
            "We investigated your complaint. The evidence could not show whether it happened as described "
            "(not sustained)."
        ),
        now=ago(35),
    )
    services.complaint_close(actor=director, complaint=c, note="Complainant told; nothing further.", now=ago(34))

    # 4. About the program, assigned to the district.
    program = services.complaint_file(
        actor=director,
        data=services.Intake(
            district=district,
            about=About.PROGRAM,
            narrative="Demo: a staff member asks why officers attend routine discipline meetings (synthetic).",
            relation=Relation.STAFF,
            name="Demo Staff",
            contact_method=ContactMethod.EMAIL,
            contact_address="staff@example.org",
            category="program_matter",
        ),
        channel=Channel.IN_PERSON,
        now=ago(6),
    )
    assert program is not None
    c = services.complaint_acknowledge(actor=director, complaint=program.complaint, now=ago(5))
    services.complaint_assign(actor=director, complaint=c, assigned_to="district", now=ago(4))
    return []
