"""Responses that may carry student records are never stored by a browser or proxy (issue 14, item 4).

The rule (`sro.core.middleware.NoStoreMiddleware`): every response to a signed-in or
token-carrying request, and every API response except an anonymous read, says
`Cache-Control: no-store`.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from sro.incidents.models import Incident


def _no_store(response: Any) -> bool:
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and response.get("Pragma") == "no-cache"


def test_a_student_record_page_is_not_stored(client_for: Any) -> None:
    incident = Incident.objects.filter(students__isnull=False).order_by("pk").first()
    assert incident is not None
    r = client_for("director").get(f"/incidents/{incident.pk}/")
    assert r.status_code == 200 and incident.description in r.content.decode()
    assert _no_store(r), r.get("Cache-Control")


def test_a_student_record_read_through_the_api_is_not_stored(client_for: Any) -> None:
    incident = Incident.objects.filter(students__isnull=False).order_by("pk").first()
    assert incident is not None
    session = client_for("director").get(f"/api/v1/incidents/{incident.pk}")
    assert session.status_code == 200 and session.json()["students"]
    assert _no_store(session), session.get("Cache-Control")
    out = StringIO()
    call_command("token", "create", "--user", "director", stdout=out, stderr=StringIO())
    token = Client(headers={"Authorization": f"Bearer {out.getvalue().strip()}"}).get(
        f"/api/v1/incidents/{incident.pk}"
    )
    assert token.status_code == 200 and _no_store(token), token.get("Cache-Control")


@pytest.mark.parametrize("path", ["/", "/campuses/", "/public/", "/api/v1/contracts", "/api/v1/me"])
def test_every_answer_to_a_signed_in_reader_is_not_stored(client_for: Any, path: str) -> None:
    r = client_for("boardmember").get(path)
    assert r.status_code == 200
    assert _no_store(r), (path, r.get("Cache-Control"))


def test_api_refusals_and_anonymous_writes_are_not_stored(site: dict[str, Any]) -> None:
    assert _no_store(Client().get("/api/v1/incidents"))  # 401: not a public endpoint
    assert _no_store(Client().post("/api/v1/contracts", {}, content_type="application/json"))


@pytest.mark.parametrize("path", ["/public/", "/api/v1/contracts", "/api/v1/agenda-items"])
def test_anonymous_public_reads_keep_their_own_caching(site: dict[str, Any], path: str) -> None:
    r = Client().get(path)
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "")
