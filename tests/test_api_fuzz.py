"""Schemathesis against the API's own OpenAPI schema, in-process over WSGI (loopback, no network).

For each role (the public, a district administrator's token, an SRO's token) every operation of
`/api/v1/openapi.json` is called with generated input, valid and invalid, on a fixed and
deterministic example budget. A response must never be a server error, its status must be one the
schema documents for that operation, and its content type and body must match the schema for that
status.

Schemathesis's own `@schema.parametrize()` runs every operation as subtests of one test, which the
installed pytest no longer supports; the operations are listed here from the schema instead and each
(role, operation) pair is one test, with Hypothesis driving schemathesis's strategy for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_URL = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = {"anonymous": None, "district_admin": "director", "sro": "officer.pspd"}
EXAMPLES = 4  # per role, operation and mode (valid input, invalid input)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cpu-heavy")]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request (as it should in production);
    inside a test that connection holds the test's transaction, so keep it open, as Django's own test
    client does. Without this, PostgreSQL runs fail on the second request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the schema the API generates."""
    from config.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops]


@cache
def _schema() -> Any:
    """The schema as the running app serves it (no database is read to build it)."""
    config = schemathesis.Config.from_dict({"generation": {"deterministic": True, "allow-x00": True}})
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application(), config=config)


def _headers(demo: dict[str, Any], role: str) -> dict[str, str]:
    from sro.orgs.services import token_create

    username = ROLES[role]
    if username is None:
        return {}
    _, raw = token_create(actor=None, user=demo["users"][username], name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize(("method", "path"), _operations(), ids=[f"{m} {p}" for m, p in _operations()])
def test_every_answer_is_one_the_schema_documents(demo: dict[str, Any], role: str, method: str, path: str) -> None:
    operation = _schema()[path][method]
    headers = _headers(demo, role)
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @seed(20261205)
    @settings(
        max_examples=2 * EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def call(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
