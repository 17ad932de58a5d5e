"""Demo staffing: one candidate per contract; joint panels approve the Palm Springs and Cathedral City ones.

Training is complete and confirmed for the Palm Springs officer; the Cathedral City officer
lacks one course. So once the school board approves (the demo leaves that vote scheduled), the
campus board shows Palm Springs High `no_officer_assigned` (ready to assign) and Cathedral City
High blocked only by `training_missing`. The Palm Springs officer's yearly role-limits refresher
lapses in about three weeks: an assignment for the rest of the school year is refused from the
day it lapses (end it the day before, or record the renewal first), and once assigned the board
warns "Training expires on ...". The SRO accounts are looked up or created here and in the
incidents demo alike, so the order of the two does not matter.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sro.contracts.models import Contract
from sro.orgs.actors import Actor, actor_for
from sro.orgs.demo import DEMO_PASSWORD
from sro.orgs.models import LawEnforcementAgency, User
from sro.orgs.roles import Role
from sro.orgs.services import membership_create, user_create
from sro.staffing.catalogues import courses, rubric
from sro.staffing.hiring import panel_create, panel_score
from sro.staffing.models import Officer
from sro.staffing.services import nomination_create, officer_create, training_record_create, training_record_review

# agency -> (username, first, last, badge, rank, panel supervisor or None)
CANDIDATES = {
    "Palm Springs Police Department": ("officer.pspd", "Taylor", "Brooks", "4117", "Officer", "lt.pspd"),
    "Cathedral City Police Department": ("officer.ccpd", "Jamie", "Flores", "2290", "Officer", "lt.ccpd"),
    "Desert Hot Springs Police Department": ("officer.dhspd", "Casey", "Nguyen", "1175", "Officer", None),
    "Riverside County Sheriff's Department": ("deputy.rcsd", "Robin", "Hale", "D-30452", "Deputy", None),
}
MISSING_AT_CATHEDRAL_CITY = "restorative_practices"
# Cathedral City's privacy refresher (12 months) was taken 350 days ago: "due", still valid.
DUE_AT_CATHEDRAL_CITY = "student_privacy"
# Palm Springs' role-limits refresher (12 months) was taken 345 days ago: it lapses in about three weeks.
DUE_AT_PALM_SPRINGS = "contract_role_limits"
DUE_DAYS_AGO = {DUE_AT_CATHEDRAL_CITY: 350, DUE_AT_PALM_SPRINGS: 345}
GOOD_SCORES = {"youth_experience": 4, "de_escalation": 5, "communication": 4}


def _sro_user(username: str, first: str, last: str, agency: LawEnforcementAgency) -> User:
    user = User.objects.filter(username=username).first() or user_create(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        title="School resource officer",
        email=f"{username}@example.org",
        check_password=False,
    )
    if not user.memberships.filter(role=Role.SRO).exists():
        membership_create(actor=None, user=user, role=Role.SRO, agency=agency)
    return user


def _train(
    officer: Officer, lieutenant: Actor, director: Actor, *, skip: str | None, due_soon: str | None, today: dt.date
) -> None:
    """Every course (but `skip`) entered by the agency and confirmed by the district."""
    for i, course in enumerate(courses()):
        if course.key == skip:
            continue
        record = training_record_create(
            actor=lieutenant,
            officer=officer,
            course=course.key,
            completed_on=today - dt.timedelta(days=DUE_DAYS_AGO[course.key] if course.key == due_soon else 40 + 9 * i),
            provider="NASRO" if course.key == "nasro_basic" else "Riverside County Office of Education",
            hours=course.hours,
            evidence=f"certificates/{officer.badge_number}-{course.key}.pdf",
            today=today,
        )
        training_record_review(actor=director, record=record, confirm=True)


def load() -> list[tuple[str, str, str, str]]:
    today = timezone.localdate()
    director = actor_for(User.objects.get(username="director"))
    for contract in Contract.objects.select_related("agency").order_by("pk"):
        username, first, last, badge, rank, lt_name = CANDIDATES[contract.agency.name]
        user = _sro_user(username, first, last, contract.agency)
        officer = Officer.objects.filter(agency=contract.agency, badge_number=badge).first() or officer_create(
            actor=None,
            agency=contract.agency,
            first_name=user.first_name or first,
            last_name=user.last_name or last,
            badge_number=badge,
            rank=rank,
            sworn_date=dt.date(today.year - 6, 3, 1),
            user=user,
            ripa_officer_id=f"R{badge}",  # to match the agency's RIPA records (docs/contacts.md)
        )
        lieutenant = actor_for(User.objects.get(username=lt_name)) if lt_name else None
        nomination = nomination_create(
            actor=lieutenant, officer=officer, contract=contract, note="Volunteered; six years on patrol."
        )
        if lieutenant is None:
            continue
        panel = panel_create(actor=director, nomination=nomination, members=[director.user, lieutenant.user])
        for panelist in (director, lieutenant):
            panel_score(
                actor=panelist,
                panel=panel,
                scores={key: GOOD_SCORES.get(key, 4) for key in rubric().keys},
                recommendation="recommend",
                reason="Strong youth work and a clear grasp that SROs take no part in school discipline.",
            )
        cathedral = contract.agency.name.startswith("Cathedral")
        _train(
            officer,
            lieutenant,
            director,
            skip=MISSING_AT_CATHEDRAL_CITY if cathedral else None,
            due_soon=DUE_AT_CATHEDRAL_CITY if cathedral else DUE_AT_PALM_SPRINGS,
            today=today,
        )
    return []
