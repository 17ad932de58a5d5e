"""The deployment gate as an API client sees it (`GET /api/v1/schools/{cds}/deployment`)."""

from __future__ import annotations

from typing import Any

from django.test import Client


def gate(c: Client, cds: str) -> dict[str, Any]:
    r = c.get(f"/api/v1/schools/{cds}/deployment")
    assert r.status_code == 200, r.content
    body: dict[str, Any] = r.json()
    return body


def gate_codes(c: Client, cds: str) -> list[str]:
    return [r["code"] for r in gate(c, cds)["reasons"]]
