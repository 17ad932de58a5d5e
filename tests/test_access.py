"""Each role sees exactly what it may: a table over roles x pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

PSHS, CCHS, DHSHS, RMHS = (
    "Palm Springs High",
    "Cathedral City High",
    "Desert Hot Springs High",
    "Rancho Mirage High",
)
ALL4 = {PSHS, CCHS, DHSHS, RMHS}

# role user -> campuses on their campus list
CAMPUSES_SEEN = {
    "director": ALL4,
    "superintendent": ALL4,
    "boardmember": ALL4,
    "analyst": ALL4,
    "principal.pshs": {PSHS},
    "principal.cchs": {CCHS},
    "lt.pspd": {PSHS},
    "lt.ccpd": {CCHS},
    "officer.pspd": {PSHS},
}


@pytest.mark.parametrize("username", sorted(CAMPUSES_SEEN))
def test_each_role_sees_its_home_and_exactly_its_campuses(client_for: Any, username: str) -> None:
    c = client_for(username)
    home = c.get("/")
    assert home.status_code == 200
    assert "Your roles" in home.content.decode()
    page = c.get("/campuses/").content.decode()
    shown = {name for name in ALL4 if name in page}
    assert shown == CAMPUSES_SEEN[username]
    api = c.get("/api/v1/schools").json()
    assert {s["name"] for s in api["items"]} == CAMPUSES_SEEN[username]


@pytest.mark.parametrize("path", ["/", "/campuses/"])
def test_anonymous_visitors_are_sent_to_sign_in(db: None, path: str) -> None:
    r = Client().get(path)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_api_without_credentials_answers_401_in_the_error_shape(db: None) -> None:
    r = Client().get("/api/v1/schools")
    assert r.status_code == 401
    assert set(r.json()) == {"detail", "errors"}


@pytest.mark.parametrize("username", sorted(CAMPUSES_SEEN))
def test_django_admin_is_for_data_stewards_only(client_for: Any, username: str) -> None:
    r = client_for(username).get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_forbidden_school_answers_exactly_like_a_missing_one(client_for: Any, demo: dict[str, Any]) -> None:
    c = client_for("principal.pshs")
    hidden = c.get(f"/api/v1/schools/{demo['schools'][CCHS].cds_code}")
    missing = c.get("/api/v1/schools/01100170000001")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "School not found.", "errors": []}
    mine = c.get(f"/api/v1/schools/{demo['schools'][PSHS].cds_code}")
    assert mine.status_code == 200 and mine.json()["enrolment"] == 2000


def test_openapi_schema_and_docs_are_served(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/schools" in schema.json()["paths"]
    assert Client().get("/api/v1/docs").status_code == 200
