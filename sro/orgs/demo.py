"""The Palm Springs Unified scenario: district, four high schools, cities, agencies, one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from sro.orgs.models import City, District, LawEnforcementAgency, School, User
from sro.orgs.roles import Role
from sro.orgs.services import (
    agency_create,
    city_get_or_create,
    district_upsert,
    membership_create,
    user_create,
)

DEMO_PASSWORD = "palm-springs-demo"  # noqa: S105 - demo mode only; refused when DEBUG is off

# campus, CDS code, city, agency, demo enrolment (illustrative figures, not CDE counts)
CAMPUSES = [
    ("Palm Springs High", "33671733335130", "Palm Springs", "Palm Springs Police Department", 2000),
    (
        "Cathedral City High",
        "33671733330578",
        "Cathedral City",
        "Cathedral City Police Department",
        2100,
    ),
    (
        "Desert Hot Springs High",
        "33671733330818",
        "Desert Hot Springs",
        "Desert Hot Springs Police Department",
        1900,
    ),
    (
        "Rancho Mirage High",
        "33671730127316",
        "Rancho Mirage",
        "Riverside County Sheriff's Department",
        1500,
    ),
]

AGENCY_KINDS = {
    "Riverside County Sheriff's Department": LawEnforcementAgency.Kind.COUNTY_SHERIFF,
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first: str
    last: str
    title: str
    role: Role
    org: str  # school name, agency name, or "district"


DEMO_USERS = [
    DemoUser("director", "Dana", "Reyes", "Executive Security Director", Role.DISTRICT_ADMIN, "district"),
    DemoUser("superintendent", "Morgan", "Ellis", "Superintendent", Role.SUPERINTENDENT, "district"),
    DemoUser(
        "boardmember",
        "Alex",
        "Navarro",
        "Board of Education trustee",
        Role.BOARD_MEMBER,
        "district",
    ),
    DemoUser(
        "principal.pshs",
        "Jordan",
        "Kim",
        "Principal, Palm Springs High",
        Role.SITE_ADMIN,
        "Palm Springs High",
    ),
    DemoUser(
        "principal.cchs",
        "Rosa",
        "Medina",
        "Principal, Cathedral City High",
        Role.SITE_ADMIN,
        "Cathedral City High",
    ),
    DemoUser(
        "lt.pspd",
        "Sam",
        "Ortiz",
        "Lieutenant, Palm Springs Police Department",
        Role.AGENCY_SUPERVISOR,
        "Palm Springs Police Department",
    ),
    DemoUser(
        "lt.ccpd",
        "Chris",
        "Walker",
        "Lieutenant, Cathedral City Police Department",
        Role.AGENCY_SUPERVISOR,
        "Cathedral City Police Department",
    ),
    DemoUser(
        "officer.pspd",
        "Taylor",
        "Brooks",
        "School resource officer",
        Role.SRO,
        "Palm Springs Police Department",
    ),
    DemoUser("analyst", "Priya", "Shah", "Oversight analyst", Role.ANALYST, "district"),
]


def load() -> list[tuple[str, str, str, str]]:
    """Create the scenario. Returns (username, role, organisation, password) rows."""
    district = district_upsert(actor=None, cds_code="3367173", name="Palm Springs Unified", county="Riverside")
    schools: dict[str, School] = {}
    agencies: dict[str, LawEnforcementAgency] = {}
    for name, code, city_name, agency_name, enrolment in CAMPUSES:
        city: City = city_get_or_create(actor=None, name=city_name, county="Riverside")
        school, _ = School.objects.update_or_create(
            cds_code=code,
            defaults={
                "name": name,
                "district": district,
                "county": "Riverside",
                "city": city,
                "grade_low": 9,
                "grade_high": 12,
                "enrolment": enrolment,
                "in_program": True,
            },
        )
        schools[name] = school
        agency = LawEnforcementAgency.objects.filter(name=agency_name).first()
        if agency is None:
            agency = agency_create(
                actor=None,
                name=agency_name,
                kind=AGENCY_KINDS.get(agency_name, LawEnforcementAgency.Kind.CITY_POLICE),
                cities=[city],
            )
        else:
            agency.cities.add(city)
        agencies[agency_name] = agency
    rows = []
    for du in DEMO_USERS:
        user = User.objects.filter(username=du.username).first() or user_create(
            actor=None,
            username=du.username,
            password=DEMO_PASSWORD,
            first_name=du.first,
            last_name=du.last,
            title=du.title,
            email=f"{du.username}@example.org",
            check_password=False,
        )
        kwargs: dict[str, object] = {}
        if du.org == "district":
            kwargs["district"] = district
        elif du.org in schools:
            kwargs["school"] = schools[du.org]
        else:
            kwargs["agency"] = agencies[du.org]
        if not user.memberships.filter(role=du.role).exists():
            membership_create(actor=None, user=user, role=du.role, **kwargs)  # type: ignore[arg-type]
        rows.append((du.username, du.role.value, str(kwargs[next(iter(kwargs))]), DEMO_PASSWORD))
    return rows


def demo_sign_ins() -> list[tuple[str, str, str, str]]:
    """Every demo account (all share the demo password), in the order they were created."""
    rows = []
    for user in (
        User.objects.filter(is_active=True)
        .prefetch_related("memberships__district", "memberships__school", "memberships__agency")
        .order_by("pk")
    ):
        for m in user.memberships.all():
            rows.append((user.username, m.role, m.organisation_name, DEMO_PASSWORD))
    return rows


def demo_loaded() -> bool:
    """The scenario is in the database already (`sro demo --if-empty` then loads nothing)."""
    return District.objects.exists()
