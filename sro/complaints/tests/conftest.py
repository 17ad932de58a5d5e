from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.complaints import services
from sro.complaints.models import About, Channel, ContactMethod, Relation
from sro.orgs.actors import Actor, actor_for

# Wednesday 2026-11-04, 10:00 in the district's time zone.
T0 = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-8)))


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


@pytest.fixture
def people(org: dict[str, Any]) -> dict[str, Actor]:
    return {name: actor_for(org["users"][name]) for name in org["users"]}


@pytest.fixture
def intake(org: dict[str, Any]) -> Any:
    def make(**kw: Any) -> services.Intake:
        data: dict[str, Any] = {
            "district": org["district"],
            "about": About.OFFICER,
            "school": org["schools"]["Palm Springs High"],
            "narrative": "The officer searched a backpack.",
            "relation": Relation.PARENT,
            "name": "A Parent",
            "contact_method": ContactMethod.EMAIL,
            "contact_address": "parent@example.org",
        }
        data.update(kw)
        return services.Intake(**data)

    return make


@pytest.fixture
def filed(intake: Any, org: dict[str, Any]) -> Any:
    def make(now: dt.datetime = T0, **kw: Any) -> services.Filed:
        kw.setdefault("officer", org["users"]["officer.pspd"])
        kw.setdefault("category", "unlawful_search")
        result = services.complaint_file(
            actor=None, data=intake(**kw), channel=Channel.ONLINE, address="203.0.113.9", now=now
        )
        assert result is not None
        return result

    return make
