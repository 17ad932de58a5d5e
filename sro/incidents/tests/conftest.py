from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.incidents.models import Incident
from sro.incidents.services import StudentData, incident_create
from sro.orgs.actors import actor_for


def past(days: int = 3, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def client_as(org: dict[str, Any]) -> Any:
    def make(username: str) -> Client:
        c = Client()
        c.force_login(org["users"][username])
        return c

    return make


@pytest.fixture
def make_incident(org: dict[str, Any]) -> Any:
    demo = org

    def make(offences: list[str], facts: tuple[str, ...] = (), school: str = "Palm Springs High") -> Incident:
        principal = "principal.pshs" if school == "Palm Springs High" else "principal.cchs"
        return incident_create(
            actor=actor_for(demo["users"][principal]),
            school=demo["schools"][school],
            occurred_at=past(),
            location="Quad",
            description="Test incident",
            offences=offences,
            facts=facts,
            students=[StudentData("S100", "Ana Test", "offender", "HI", "F", grade=10)],
        )

    return make
