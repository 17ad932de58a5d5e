"""Shared fixtures: database states built once per test session, and clients signed in as each role.

Every test that touches the database declares the state it starts from, by the fixture it asks
for:

| fixture                         | state    | what is in the database                                   |
|---------------------------------|----------|-----------------------------------------------------------|
| `db` (or `transactional_db`)    | `empty`  | the migrated schema, nothing else                         |
| `org`                           | `orgs`   | the demo's organisations and people                       |
| `world` (staffing tests)        | `world`  | the demo's organisations and contracts, two of them active |
| `demo`, `site`, `signed_in`, …  | `demo`   | the whole Palm Springs Unified scenario (`sro demo`)       |

A state is built at most once per worker and kept committed; each test then runs inside a
transaction that is rolled back, so it sees the state exactly as built whatever ran before it.
A test that commits (`transactional_db`, the browser tests) empties the database when it ends,
and the next test that needs a state builds it again. Tests are grouped by state after
pytest-randomly has shuffled them (the order inside each group stays random), so each worker
builds each state about once.

`pytest --database-only` keeps only the tests that touch the database (the second, PostgreSQL,
pass of CI): the oversight engine on DuckDB, the parsers and the policy files need no database
and are not run twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

EMPTY, ORGS, WORLD, DEMO = "empty", "orgs", "world", "demo"

# Which state a test needs, from the fixtures it uses (the first match wins).
STATE_OF_FIXTURE: list[tuple[str, str]] = [
    ("demo", DEMO),
    ("app", DEMO),  # the browser tests' live server
    ("world", WORLD),
    ("org", ORGS),
    ("transactional_db", EMPTY),
    ("db", EMPTY),
]
# The order in which the groups run on each worker; tests with no database come first.
GROUP_ORDER = {None: 0, EMPTY: 1, ORGS: 2, WORLD: 3, DEMO: 4}
COMMITTING_FIXTURES = ("transactional_db", "live_server")
DATABASE_MARKERS = ("postgres",)  # tests that reach the database without Django's connection


def _load_orgs() -> None:
    from sro.orgs import demo as orgs_demo

    orgs_demo.load()


def _load_world() -> None:
    """The organisations and contracts of the demo; Palm Springs High's and Cathedral City High's
    contracts active with a term around today, so staffing tests control the officer side."""
    from django.utils import timezone

    from sro.contracts import demo as contracts_demo
    from sro.contracts.models import Contract
    from sro.orgs.models import School

    _load_orgs()
    contracts_demo.load()
    today = timezone.localdate()
    schools = School.objects.filter(in_program=True, name__in=["Palm Springs High", "Cathedral City High"])
    Contract.objects.filter(campuses__in=schools).update(
        status="active", term_start=today - dt.timedelta(days=100), term_end=today + dt.timedelta(days=500)
    )


def _load_demo() -> None:
    from sro.core.demo import load_demo

    load_demo(reset=False)


BUILDERS: dict[str, Callable[[], None]] = {EMPTY: lambda: None, ORGS: _load_orgs, WORLD: _load_world, DEMO: _load_demo}


class DatabaseState:
    """What this worker's test database holds now (committed, outside any test's transaction)."""

    current: str = EMPTY  # pytest-django creates the test database migrated and empty

    @classmethod
    def ensure(cls, wanted: str) -> None:
        from django.db import connection, transaction

        if cls.current == wanted:
            return
        if connection.in_atomic_block:
            raise RuntimeError(
                "a database state must be built before the test's transaction opens: ask for the `db` "
                "fixture (or `demo`, `org`, `world`) instead of marking the test with @pytest.mark.django_db"
            )
        previous, cls.current = cls.current, "unknown"  # a failed build leaves no known state
        if previous != EMPTY:
            call_command("flush", interactive=False, verbosity=0)
        with transaction.atomic():
            BUILDERS[wanted]()
        cls.current = wanted


def wanted_state(fixturenames: list[str] | tuple[str, ...]) -> str | None:
    for fixture, state in STATE_OF_FIXTURE:
        if fixture in fixturenames:
            return state
    return None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that touch the database (the PostgreSQL pass of CI)",
    )


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle: the order inside each group stays random
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def state(item: pytest.Item) -> str | None:
        return wanted_state(getattr(item, "fixturenames", ()))

    if config.getoption("--database-only"):
        keep = [i for i in items if state(i) is not None or any(i.get_closest_marker(m) for m in DATABASE_MARKERS)]
        dropped = [i for i in items if i not in keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    items.sort(key=lambda i: GROUP_ORDER.get(state(i), 0))


@pytest.fixture(autouse=True)
def _database_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Build the state the test needs (once per worker) before its transaction opens."""
    wanted = wanted_state(request.fixturenames)
    if wanted is None:
        yield
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        DatabaseState.ensure(wanted)
    yield
    if any(f in request.fixturenames for f in COMMITTING_FIXTURES):
        DatabaseState.current = EMPTY  # pytest-django flushes every table after such a test


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
    from sro.orgs.demo import demo_sign_ins
    from sro.orgs.models import District, School, User

    return {
        "rows": demo_sign_ins(),
        "district": District.objects.get(cds_code="3367173"),
        "schools": {s.name: s for s in School.objects.filter(in_program=True)},
        "users": {u.username: u for u in User.objects.all()},
    }


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    """Only the organisations and people of the demo (the `orgs` state); `demo` has every capability's."""
    from sro.orgs.models import District, School, User

    return {
        "district": District.objects.get(cds_code="3367173"),
        "schools": {s.name: s for s in School.objects.filter(in_program=True)},
        "users": {u.username: u for u in User.objects.all()},
    }


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    """The Palm Springs Unified scenario, loaded through the same code as `sro demo`."""
    return _scenario()


@pytest.fixture
def site(demo: dict[str, Any]) -> dict[str, Any]:
    """The demo scenario (another name for `demo`, kept for the page tests)."""
    return demo


def _client_maker(demo: dict[str, Any]) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        c = Client()
        c.force_login(demo["users"][username])
        return c

    return make


@pytest.fixture
def signed_in(demo: dict[str, Any]) -> Callable[[str], Client]:
    """A client signed in as a demo user: `signed_in("director")`."""
    return _client_maker(demo)


@pytest.fixture
def client_for(demo: dict[str, Any]) -> Callable[[str], Client]:
    return _client_maker(demo)
