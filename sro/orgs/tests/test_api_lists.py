"""The API lists the districts and cities whose ids a new contract or body names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

ClientFor = Callable[[str], Client]


@pytest.mark.parametrize(
    ("username", "districts"),
    [
        ("director", ["Palm Springs Unified"]),
        ("boardmember", ["Palm Springs Unified"]),
        ("principal.pshs", ["Palm Springs Unified"]),
        ("officer.pspd", []),
        ("lt.ccpd", []),
    ],
)
def test_districts_are_those_the_caller_holds_a_role_in(
    client_for: ClientFor, demo: dict[str, Any], username: str, districts: list[str]
) -> None:
    r = client_for(username).get("/api/v1/districts")
    assert r.status_code == 200
    assert [d["name"] for d in r.json()] == districts
    if districts:
        assert r.json()[0] == {
            "id": demo["district"].pk,
            "cds_code": "3367173",
            "name": "Palm Springs Unified",
            "county": demo["district"].county,
        }


def test_districts_need_a_sign_in(demo: dict[str, Any]) -> None:
    assert Client().get("/api/v1/districts").status_code == 401


def test_cities_are_public_with_the_agencies_serving_them(demo: dict[str, Any]) -> None:
    r = Client().get("/api/v1/cities")
    assert r.status_code == 200
    cities = {c["name"]: c for c in r.json()}
    assert {"Palm Springs", "Cathedral City", "Desert Hot Springs", "Rancho Mirage"} <= set(cities)
    assert "Palm Springs Police Department" in cities["Palm Springs"]["agencies"]
    assert cities["Palm Springs"]["county"] == "Riverside"
    assert isinstance(cities["Palm Springs"]["id"], int)
