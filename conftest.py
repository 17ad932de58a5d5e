"""Shared fixtures: the demo scenario and clients signed in as each role.

`demo` loads the scenario for one test. `site` shares one load across a test module
(`shared_demo`; each test still runs in its own rolled-back transaction, and the database is
emptied after the module so other modules start clean).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language.

    A request with ``Accept-Language: es`` activates Spanish in the test's thread, and Django
    leaves it active after the response; without this, a later test that reads a translated
    label would see Spanish, depending on the (random) test order.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def _scenario() -> dict[str, Any]:
    from sro.orgs.models import District, School, User

    return {
        "district": District.objects.get(cds_code="3367173"),
        "schools": {s.name: s for s in School.objects.filter(in_program=True)},
        "users": {u.username: u for u in User.objects.all()},
    }


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    """The Palm Springs Unified scenario, loaded through the same code as `sro demo`."""
    from sro.core.demo import load_demo

    rows = load_demo(reset=False)
    return {"rows": rows, **_scenario()}


@pytest.fixture(scope="module")
def shared_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from sro.core.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(reset=False)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def site(shared_demo: None, db: Any) -> dict[str, Any]:
    return _scenario()


@pytest.fixture
def signed_in(site: dict[str, Any]) -> Any:
    def make(username: str) -> Client:
        c = Client()
        c.force_login(site["users"][username])
        return c

    return make


@pytest.fixture
def client_for(demo: dict[str, Any]) -> Any:
    def make(username: str) -> Client:
        c = Client()
        c.force_login(demo["users"][username])
        return c

    return make
