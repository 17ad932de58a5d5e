"""The four PSUSD contracts: two passed their councils and await the board; two still in negotiation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sro.contracts.models import Body, VersionState
from sro.contracts.services import (
    ClauseIn,
    body_create,
    contract_create,
    contract_transition,
    meeting_create,
    version_create,
    vote_record,
    vote_schedule,
)
from sro.orgs.models import District, LawEnforcementAgency, School

MODEL_CLAUSES = [
    ClauseIn(
        "1",
        "Purpose and role of the school resource officer",
        "The SRO's role is to keep the campus safe, to build positive relationships with students, and to "
        "mediate and help students avoid punishment such as jail or fines. The SRO remains an employee of "
        "the Agency under its chain of command; the principal directs school matters.",
        ["role_definition"],
    ),
    ClauseIn(
        "2",
        "SROs are not disciplinarians",
        "SROs are not disciplinarians and are not employed to 'police students.' Therefore, they are "
        "prohibited from involvement in enforcing school codes of conduct or engaging school discipline.",
        ["discipline_prohibition"],
    ),
    ClauseIn(
        "3",
        "Criminal matters and school discipline",
        "School administrators decide school discipline. The SRO acts only on criminal matters: those the "
        "principal must report to law enforcement under Education Code 48902, those an administrator "
        "refers and records why, and an imminent threat to safety, which is reviewed afterwards.",
        ["separation_protocol"],
    ),
    ClauseIn(
        "4",
        "Joint selection",
        "The District and the Agency select SROs together. A panel with members of both evaluates each "
        "candidate; either side may decline a candidate.",
        ["joint_selection"],
    ),
    ClauseIn(
        "5",
        "Training",
        "Before working with students, each SRO completes the 40-hour basic SRO course and training in "
        "adolescent development, de-escalation, students with disabilities, implicit bias and cultural "
        "competence, mental health, restorative practices and student privacy.",
        ["required_training"],
    ),
    ClauseIn(
        "6",
        "Questioning, searches and arrests of students",
        "Parents are notified of any questioning, search or arrest of their child. A youth 17 or younger "
        "consults with legal counsel before a custodial interrogation (Welfare and Institutions Code 625.6).",
        ["student_interviews_searches_arrests"],
    ),
    ClauseIn(
        "7",
        "Use of force",
        "The SRO uses de-escalation first and reports every use of force or restraint on a student to the "
        "principal and the District's Executive Security Director the same day.",
        ["use_of_force"],
    ),
    ClauseIn(
        "8",
        "Student records and privacy",
        "The SRO receives student information only as FERPA allows and never for the enforcement of school rules.",
        ["information_sharing"],
    ),
    ClauseIn(
        "9",
        "Data and public reporting",
        "The Agency records every SRO contact with a student in RIPA terms and shares it with the District "
        "each quarter; the District publishes figures by race, sex, disability and English-learner status.",
        ["data_public_reporting"],
    ),
    ClauseIn(
        "10",
        "Complaints",
        "Students and parents may complain to the District or the Agency; the Agency investigates and "
        "reports the outcome to the District.",
        ["complaints"],
    ),
    ClauseIn(
        "11",
        "Cost",
        "The District pays the Agency the annual amount in this agreement, in quarterly instalments.",
        ["cost"],
    ),
    ClauseIn(
        "12",
        "Term, renewal and termination",
        "This agreement runs for the term stated. Either party may suspend or terminate it on 30 days' "
        "notice, or at once for a breach of section 2.",
        ["term_renewal_termination"],
    ),
    ClauseIn(
        "13",
        "Evaluation",
        "The program and each SRO are evaluated every year with input from students, staff and parents.",
        ["evaluation"],
    ),
]

# Early drafts still under review: they lack the separation protocol and reporting terms.
DRAFT_CLAUSES = [c for c in MODEL_CLAUSES if c.number in {"1", "2", "4", "5", "11", "12"}]

SEATS = {"Palm Springs": 5, "Cathedral City": 5, "Desert Hot Springs": 5, "Rancho Mirage": 5}
# (campus, annual cost, stage)
PLAN = [
    ("Cathedral City High", "176000.00", "council_passed"),
    ("Palm Springs High", "182000.00", "council_passed"),
    ("Desert Hot Springs High", "180000.00", "negotiating"),
    ("Rancho Mirage High", "185000.00", "negotiating"),
]


def _last_weekday(today: dt.date, weekday: int) -> dt.date:
    """The most recent given weekday strictly before today (Monday=0)."""
    back = (today.weekday() - weekday) % 7 or 7
    return today - dt.timedelta(days=back)


def load() -> list[tuple[str, str, str, str]]:
    today = timezone.localdate()
    district = District.objects.get(cds_code="3367173")
    board = body_create(
        actor=None, name="PSUSD Board of Education", kind=Body.Kind.SCHOOL_BOARD, seats=5, district=district
    )
    wednesday = _last_weekday(today, 2)
    council_days = {"Cathedral City": wednesday, "Palm Springs": wednesday + dt.timedelta(days=1)}
    if council_days["Palm Springs"] >= today:
        council_days = {k: v - dt.timedelta(days=7) for k, v in council_days.items()}
    year = today.year if today.month >= 7 else today.year - 1
    term_start, term_end = dt.date(year, 8, 1), dt.date(year + 2, 6, 30)
    tallies = {"Cathedral City": (5, 0, 0, 0), "Palm Springs": (4, 1, 0, 0)}
    board_date = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
    board_meeting = meeting_create(
        actor=None, body=board, date=board_date, title="Regular meeting: school resource officer agreements"
    )
    for campus_name, cost, stage in PLAN:
        school = School.objects.select_related("city").get(name=campus_name, district=district)
        assert school.city is not None
        city = school.city
        agency = LawEnforcementAgency.objects.get(cities=city)
        council = body_create(
            actor=None, name=f"{city.name} City Council", kind=Body.Kind.CITY_COUNCIL, seats=SEATS[city.name], city=city
        )
        contract = contract_create(
            actor=None,
            district=district,
            agency=agency,
            city=city,
            title=f"SRO agreement: {agency.name} at {campus_name}",
            title_es=f"Acuerdo sobre oficiales de recursos escolares: {agency.name} en {campus_name}",
            campuses=[school],
            positions=1,
            term_start=term_start,
            term_end=term_end,
            annual_cost=cost,
            renewal_terms="Renews for one year at a time by vote of both the city council and the school board.",
            clauses=DRAFT_CLAUSES,
        )
        contract_transition(actor=None, contract=contract, action="open_negotiation")
        if stage == "negotiating":
            continue
        version_create(
            actor=None,
            contract=contract,
            clauses=MODEL_CLAUSES,
            note="Adds the separation protocol, student rights, reporting and evaluation",
        )
        contract_transition(actor=None, contract=contract, action="submit_to_council")
        day = council_days[city.name]
        meeting = meeting_create(actor=None, body=council, date=day, title="Regular meeting")
        version = contract.versions.get(state=VersionState.COUNCIL_REVIEW)
        vote = vote_schedule(actor=None, meeting=meeting, version=version)
        ayes, noes, abst, absent = tallies[city.name]
        vote_record(actor=None, vote=vote, ayes=ayes, noes=noes, abstentions=abst, absent=absent, today=today)
        contract.refresh_from_db()
        vote_schedule(actor=None, meeting=board_meeting, version=version)
    return []
