"""Shared fixtures: the demo scenario and clients signed in as each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    """The Palm Springs Unified scenario, loaded through the same code as `sro demo`."""
    from sro.core.demo import load_demo
    from sro.orgs.models import District, School, User

    rows = load_demo(reset=False)
    return {
        "rows": rows,
        "district": District.objects.get(cds_code="3367173"),
        "schools": {s.name: s for s in School.objects.filter(in_program=True)},
        "users": {u.username: u for u in User.objects.all()},
    }


@pytest.fixture
def client_for(demo: dict[str, Any]) -> Any:
    def make(username: str) -> Client:
        c = Client()
        c.force_login(demo["users"][username])
        return c

    return make
