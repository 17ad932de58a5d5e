"""A NUL character in any text input is refused naming the field, never a 500 (issue 14, item 3).

PostgreSQL refuses NUL in text and SQLite stores it; the product refuses it on both, before it
reaches either. The API cases are read from the OpenAPI schema, so a new endpoint is covered as
soon as it is published.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from config.api import api
from sro.community.models import AgendaItem, PublicComment
from sro.core.errors import InvalidInput
from sro.orgs.models import LawEnforcementAgency
from sro.staffing.services import officer_create

NUL = "\x00"
SCHEMA = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=DjangoJSONEncoder))
WRITES = ("post", "put", "patch", "delete")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`, `allOf` of one schema and `anyOf` with null (an optional value)."""
    while True:
        if "$ref" in schema:
            schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        elif "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        else:
            return schema


def _example(schema: dict[str, Any]) -> Any:
    """A plausible value of the schema's type (the test needs a well-formed body, not a valid one)."""
    s = _resolve(schema)
    if "enum" in s:
        return s["enum"][0]
    kind = str(s.get("type"))
    if kind == "object":
        props = s.get("properties", {})
        return {name: _example(props[name]) for name in s.get("required", [])}
    return {
        "string": {"date": "2024-01-15", "date-time": "2024-01-15T10:00:00-08:00"}.get(s.get("format", ""), "x"),
        "integer": 1,
        "number": 1,
        "boolean": False,
        "array": [],
    }.get(kind)


def _string_paths(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted field name, body fragment that puts a NUL there) for every text value the schema takes."""
    s = _resolve(schema)
    kind = s.get("type")
    if kind == "string":
        yield prefix, NUL
    elif kind == "array":
        for sub, value in _string_paths(s.get("items", {}), f"{prefix}.0"):
            yield sub, [value]
    elif kind == "object":
        for name, prop in s.get("properties", {}).items():
            for sub, value in _string_paths(prop, f"{prefix}.{name}" if prefix else name):
                yield sub, _example(s) | {name: value}
        extra = s.get("additionalProperties")
        if extra:
            for sub, value in _string_paths(extra if isinstance(extra, dict) else {"type": "string"}, f"{prefix}.k"):
                yield sub, {"k": value}


def _cases(methods: tuple[str, ...]) -> Iterator[Any]:
    for path, operations in SCHEMA["paths"].items():
        for method, op in operations.items():
            if method not in methods:
                continue
            params = op.get("parameters", [])
            body_ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            for p in params:
                if _resolve(p["schema"]).get("type") in ("string", "array"):
                    yield pytest.param(
                        method, path, p["in"], p["name"], None, id=f"{method} {path} {p['in']}:{p['name']}"
                    )
            if body_ref is not None:
                for field, fragment in _string_paths(body_ref):
                    yield pytest.param(method, path, "body", field, fragment, id=f"{method} {path} body:{field}")


def _request(client: Client, method: str, path: str, where: str, name: str, fragment: Any) -> Any:
    op = SCHEMA["paths"][path][method]
    url = path
    query: dict[str, str] = {}
    for p in op.get("parameters", []):
        value = NUL if p["name"] == name and p["in"] == where else str(_example(p["schema"]))
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", quote(value, safe=""))
        elif p["in"] == "query" and (p.get("required") or p["name"] == name):
            query[p["name"]] = value
    if query:
        url += "?" + urlencode(query)
    body_ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    body = fragment if where == "body" else (_example(body_ref) if body_ref else None)
    kwargs: dict[str, Any] = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = body
    return getattr(client, method)(url, **kwargs)


def test_the_cases_come_from_the_published_schema(site: dict[str, Any]) -> None:
    served = Client().get("/api/v1/openapi.json").json()
    assert served["paths"] == SCHEMA["paths"]
    assert len(list(_cases(WRITES))) > 40  # every write operation's text fields, nested ones included


@pytest.mark.parametrize(("method", "path", "where", "name", "fragment"), list(_cases(WRITES)))
def test_a_nul_in_any_text_field_of_a_write_is_a_422_naming_the_field(
    client_for: Any, method: str, path: str, where: str, name: str, fragment: Any
) -> None:
    r = _request(client_for("director"), method, path, where, name, fragment)
    assert r.status_code == 422, (r.status_code, r.content[:300])
    body = r.json()
    assert name in {e["field"] for e in body["errors"]}, body
    assert "NUL" in body["detail"]


@pytest.mark.parametrize(("method", "path", "where", "name", "fragment"), list(_cases(("get",))))
def test_a_nul_in_a_text_parameter_of_a_read_is_a_422_naming_it(
    client_for: Any, method: str, path: str, where: str, name: str, fragment: Any
) -> None:
    r = _request(client_for("director"), method, path, where, name, fragment)
    assert r.status_code == 422, (r.status_code, r.content[:300])
    assert name in {e["field"] for e in r.json()["errors"]}


def _open_item() -> AgendaItem:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    return item


@pytest.mark.parametrize("field", ["body", "name", "neighbourhood"])
def test_the_anonymous_comment_endpoint_refuses_a_nul(site: dict[str, Any], field: str) -> None:
    payload = {"body": "Publish the data.", field: f"a{NUL}b"}
    before = PublicComment.objects.count()
    r = Client().post(f"/api/v1/agenda-items/{_open_item().pk}/comments", payload, content_type="application/json")
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": field, "message": "must not contain the NUL character (\\x00)"}]
    assert PublicComment.objects.count() == before


@pytest.mark.parametrize("field", ["body", "name", "neighbourhood"])
def test_the_public_comment_form_shows_the_error_beside_the_field(site: dict[str, Any], field: str) -> None:
    payload = {"body": "Publish the data.", "language": "en", field: f"a{NUL}b"}
    before = PublicComment.objects.count()
    r = Client().post(f"/public/meetings/items/{_open_item().pk}/", payload)
    assert r.status_code == 200
    assert r.context["form"].errors[field] == ["Null characters are not allowed."]
    assert PublicComment.objects.count() == before


@pytest.mark.parametrize(
    ("username", "url", "name"),
    [
        ("director", "/campuses/?all=%00", "all"),
        (None, "/public/figures/?quarter=a%00", "quarter"),
        ("director", "/contracts/1/?version=%00", "version"),
    ],
)
def test_a_page_refuses_a_nul_in_a_query_parameter_naming_it(
    client_for: Any, username: str | None, url: str, name: str
) -> None:
    c = client_for(username) if username else Client()
    r = c.get(url)
    assert r.status_code == 400
    assert f"'{name}'" in r.content.decode()


def test_a_page_action_with_a_nul_in_a_free_text_field_is_refused_and_changes_nothing(client_for: Any) -> None:
    from sro.contracts.models import Contract

    contract = Contract.objects.filter(status="board_review").order_by("pk").first()
    assert contract is not None
    r = client_for("director").post(f"/contracts/{contract.pk}/actions/terminate/", {"reason": f"x{NUL}"}, follow=True)
    assert r.status_code == 200
    assert "must not contain the NUL character" in r.content.decode()
    contract.refresh_from_db()
    assert contract.status == "board_review"


def test_a_service_refuses_a_nul_whatever_the_database(demo: dict[str, Any]) -> None:
    agency = LawEnforcementAgency.objects.order_by("pk").first()
    assert agency is not None
    with pytest.raises(InvalidInput) as exc:
        officer_create(actor=None, agency=agency, first_name=f"A{NUL}", last_name="B", badge_number="N-1")
    assert [e.as_dict() for e in exc.value.errors] == [
        {"field": "first_name", "message": "must not contain the NUL character (\\x00)"}
    ]
