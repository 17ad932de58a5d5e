"""Helpers for the evaluation tests: a contract with a chosen term, contacts with chosen RIPA codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sro.contracts.models import Contract
from sro.incidents.models import Contact
from sro.orgs.models import LawEnforcementAgency, School

PSHS = "Palm Springs High"
CCHS = "Cathedral City High"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def contract_for(org: dict[str, Any], *, start: dt.date, end: dt.date, status: str = "active") -> Contract:
    school = org["schools"][PSHS]
    agency = LawEnforcementAgency.objects.get(cities=school.city)
    contract = Contract.objects.create(
        district=org["district"],
        agency=agency,
        city=school.city,
        title="Test agreement",
        status=status,
        term_start=start,
        term_end=end,
        annual_cost=Decimal("150000.00"),
    )
    contract.campuses.set([school])
    return contract


def contact(
    org: dict[str, Any],
    school: str,
    day: dt.date,
    *,
    version: str,
    results: list[int],
    actions: list[int] | None = None,
    crossing: bool = False,
) -> Contact:
    officer = org["users"]["officer.pspd"]
    s: School = org["schools"][school]
    return Contact.objects.create(
        officer=officer,
        agency=LawEnforcementAgency.objects.get(cities=org["schools"][PSHS].city),
        school=s,
        occurred_at=at(day),
        duration_minutes=10,
        reason=2,
        race=[3],
        gender=1,
        age=16,
        results=results,
        actions=actions or [],
        codes_version=version,
        boundary_crossing=crossing,
    )


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """The `world` database state (built by the root conftest): the demo's organisations and contracts,
    Palm Springs High's and Cathedral City High's active with a term around today."""
    from sro.orgs.models import District, User

    return {
        "district": District.objects.get(cds_code="3367173"),
        "schools": {s.name: s for s in School.objects.filter(in_program=True)},
        "users": {u.username: u for u in User.objects.all()},
    }
