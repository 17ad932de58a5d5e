"""Demo incidents, SRO contacts and boundary reviews for fall 2026 at the four campuses.

Deterministic (seeded); only days before today are used, since nothing may be dated in
the future. Everything goes through the services, so the audit trail reads as real use.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sro.incidents.contacts import ContactData, RightsData, contact_record
from sro.incidents.models import Incident, NotificationTask, Review
from sro.incidents.reviews import review_act
from sro.incidents.schooldays import is_school_day
from sro.incidents.services import StudentData, incident_create, notification_mark_done, notification_records_sent
from sro.orgs.actors import Actor, actor_for
from sro.orgs.demo import DEMO_PASSWORD
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.orgs.roles import Role
from sro.orgs.services import membership_create, user_create

SEED = 20260812
FIRST_DAY, LAST_DAY = dt.date(2026, 8, 12), dt.date(2026, 12, 18)
PSHS, CCHS, DHSHS, RMHS = "Palm Springs High", "Cathedral City High", "Desert Hot Springs High", "Rancho Mirage High"
RECORDERS = {PSHS: "principal.pshs", CCHS: "principal.cchs", DHSHS: "director", RMHS: "director"}
# campus -> (officer username, first, last, agency)
OFFICERS = {
    PSHS: ("officer.pspd", "", "", "Palm Springs Police Department"),
    CCHS: ("officer.ccpd", "Jamie", "Flores", "Cathedral City Police Department"),
    DHSHS: ("officer.dhspd", "Casey", "Nguyen", "Desert Hot Springs Police Department"),
    RMHS: ("deputy.rcsd", "Robin", "Hale", "Riverside County Sheriff's Department"),
}
# (offences, facts, weight): a mix weighted toward everyday school discipline
MIX = [
    (["48900(k)"], [], 6),
    (["48900(h)"], [], 5),
    (["policy:phone"], [], 4),
    (["policy:dress_code"], [], 2),
    (["policy:tardiness"], [], 2),
    (["48900(r)"], [], 3),
    (["48900(g)"], [], 2),
    (["48900(a)(1)"], [], 3),
    (["48900(a)(2)"], ["injury"], 2),
    (["48900(c)"], [], 3),
    (["48900(b)"], ["weapon"], 1),
    (["48900.7"], [], 1),
]
LANGUAGES = ["English", "English", "Spanish", "Spanish", ""]
RACES, SEXES = ["HI", "HI", "HI", "WH", "BL", "AS", "TR", "AM", "HP"], ["M", "F", "M", "F", "X"]


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    t = dt.time(rng.randint(7, 14), rng.choice([0, 10, 20, 30, 40, 50]))
    return dt.datetime.combine(day, t, tzinfo=timezone.get_current_timezone())


def _students(rng: random.Random, n: int, school_no: int) -> list[StudentData]:
    out = []
    for k in range(n):
        sid = f"{school_no}{rng.randint(10000, 99999)}"
        role = "offender" if k == 0 else rng.choice(["victim", "witness"])
        out.append(
            StudentData(
                local_student_id=sid,
                name=f"Student {sid}",
                role=role,
                race=rng.choice(RACES),
                sex=rng.choice(SEXES[:2]) if rng.random() < 0.95 else "X",
                idea=rng.random() < 0.14,
                section_504=rng.random() < 0.05,
                english_learner=rng.random() < 0.2,
                grade=rng.randint(9, 12),
            )
        )
    return out


def _officer(campus: str) -> User:
    username, first, last, agency_name = OFFICERS[campus]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
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
        agency = LawEnforcementAgency.objects.get(name=agency_name)
        membership_create(actor=None, user=user, role=Role.SRO, agency=agency)
    return user


def _contact(
    officer: Actor, school: School, at: dt.datetime, rng: random.Random, incident: Incident | None = None, **kw: object
) -> Review | None:
    fields: dict[str, object] = {
        "occurred_at": at,
        "duration_minutes": rng.choice([10, 15, 20, 30, 45]),
        "reason": 2,
        "race": [rng.choice([1, 2, 3, 3, 3, 7])],
        "gender": rng.choice([1, 2]),
        "age": rng.randint(14, 18),
        "results": [12],
    }
    emergency = bool(kw.pop("emergency", False))
    fields.update(kw)
    # The student's name goes on the parent notification task a search, citation or arrest opens.
    # Drawn apart from `rng`, so the rest of the scenario stays as it was.
    own = random.Random(int(at.timestamp()))
    rights = RightsData(student_name=f"Demo Student {own.randint(100, 999)}", family_language=own.choice(LANGUAGES))
    contact, _ = contact_record(
        actor=officer,
        school=school,
        data=ContactData(**fields),  # type: ignore[arg-type]
        incident_id=incident.pk if incident else None,
        emergency=emergency,
        emergency_note="Student threatened a classmate with a knife in the quad." if emergency else "",
        rights=rights,
        # The demo's staffing leaves every campus waiting for the board's vote, so no officer was
        # cleared on any day of this synthetic history: the gate is not applied to it.
        check_deployment=False,
    )
    return Review.objects.filter(contact=contact).first()


def load() -> list[tuple[str, str, str, str]]:
    rng = random.Random(SEED)
    now = timezone.now()
    last = min(LAST_DAY, timezone.localdate() - dt.timedelta(days=1))
    days = [FIRST_DAY + dt.timedelta(days=i) for i in range((last - FIRST_DAY).days + 1)]
    days = [d for d in days if is_school_day(d)]
    if len(days) < 20:
        return []
    schools = {s.name: s for s in School.objects.filter(name__in=RECORDERS)}
    users = {u.username: u for u in User.objects.filter(username__in=[*RECORDERS.values(), "director", "lt.pspd"])}
    officers = {campus: actor_for(_officer(campus)) for campus in OFFICERS}
    director, lt = actor_for(users["director"]), actor_for(users["lt.pspd"])
    offences_mix = [m for m in MIX for _ in range(m[2])]
    crossings: list[Review] = []
    for no, (campus, recorder) in enumerate(RECORDERS.items(), start=1):
        school, staff, sro = schools[campus], actor_for(users[recorder]), officers[campus]
        for _ in range(9):
            offences, facts, _w = rng.choice(offences_mix)
            incident = incident_create(
                actor=staff,
                school=school,
                occurred_at=_at(rng.choice(days), rng),
                location=rng.choice(["Quad", "Gym", "Cafeteria", "Parking lot", "Room 204", "Hallway B"]),
                description="Demo incident (synthetic).",
                offences=offences,
                facts=facts,
                students=_students(rng, rng.randint(1, 3), no),
                now=now,
            )
            task = NotificationTask.objects.filter(incident=incident).first()
            if task and rng.random() < 0.75:
                done = min(incident.occurred_at + dt.timedelta(hours=rng.randint(1, 30)), now)
                if task.records_pending:  # Ed. Code 48902(e): records go with the report first
                    task = notification_records_sent(actor=staff, task=task, sent_at=done)
                notification_mark_done(
                    actor=staff,
                    task=task,
                    agency=LawEnforcementAgency.objects.filter(cities__schools=school).first(),
                    case_number=f"26-{rng.randint(1000, 9999)}",
                    done_at=done,
                )
            if incident.route != "school_discipline" and rng.random() < 0.6:
                _contact(sro, school, incident.occurred_at + dt.timedelta(minutes=15), rng, incident, reason=9)
        for _ in range(5):  # everyday contacts within the boundary
            _contact(sro, school, _at(rng.choice(days), rng), rng, results=rng.choice([[12], [13], [9, 12], [1]]))
        # Clear crossings: a search for a phone on a phone-rule incident, a reason-8 stop, a vape citation.
        phone = incident_create(
            actor=staff,
            school=school,
            occurred_at=_at(days[3 + no], rng),
            location="Library",
            description="Demo: phone out in class (synthetic).",
            offences=["policy:phone"],
            students=_students(rng, 1, no),
            now=now,
        )
        crossings.append(
            _contact(
                sro,
                school,
                phone.occurred_at + dt.timedelta(minutes=20),
                rng,
                phone,
                reason=8,
                actions=[20, 21],
                search_basis=[13],
                seizure_basis=[6],
                contraband=[10],
                results=[12],
            )
            or Review()
        )
        vape = incident_create(
            actor=staff,
            school=school,
            occurred_at=_at(days[8 + no], rng),
            location="Restroom",
            description="Demo: vaping (synthetic).",
            offences=["48900(h)"],
            students=_students(rng, 1, no),
            now=now,
        )
        crossings.append(
            _contact(
                sro,
                school,
                vape.occurred_at + dt.timedelta(minutes=30),
                rng,
                vape,
                reason=7,
                ed_code_section=1,
                ed_code_subdivision=9,
                actions=[18],
                search_basis=[1],
                consent_type=[1],  # 2024 lists: consent given verbally
                results=[3],
            )
            or Review()
        )
        threat = incident_create(
            actor=staff,
            school=school,
            occurred_at=_at(days[12 + no], rng),
            location="Quad",
            description="Demo: knife threat in the quad (synthetic).",
            offences=["48900(a)(1)", "48915(c)(2)"],
            facts=["weapon", "imminent_threat"],
            students=_students(rng, 2, no),
            now=now,
        )
        _contact(
            sro,
            school,
            threat.occurred_at + dt.timedelta(minutes=5),
            rng,
            threat,
            reason=9,
            actions=[5, 18, 21, 25],  # 25: pat-down (2024 lists)
            search_basis=[5],
            seizure_basis=[3],
            contraband=[4],
            results=[6, 9],
            emergency=True,
        )
    # The district reviews: officer.pspd's crossings are substantiated twice, one elsewhere unfounded.
    pspd = [r for r in crossings if r.pk and r.officer.username == "officer.pspd"]
    review_act(actor=lt, review=pspd[0], action="start_review", note="Officer interviewed.")
    for r in pspd[:2]:
        review_act(
            actor=director, review=r, action="substantiate", corrective_action="Retraining on the role of the SRO."
        )
    others = [r for r in crossings if r.pk and r.officer.username != "officer.pspd"]
    if others:
        review_act(
            actor=director, review=others[0], action="find_unfounded", note="Student consented; no school-rule basis."
        )
    return []
