"""Hostile text in every free-text field of the main writes, and in every importer's file (issue 14).

Hypothesis generates NUL characters, lone surrogates, huge strings, bytes in the wrong encoding and
truncated quotes, on small fixed budgets. Whatever it sends: no server error or traceback, a
refusal names the field (API: 422 in the error shape) or the file and line (importers: a
CommandError), and a refused write saves nothing (rows counted before and after).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sro.community.models import AgendaItem, PublicComment
from sro.complaints.models import Complaint
from sro.core.models import AuditEvent
from sro.incidents.models import Contact, Incident
from sro.orgs.models import District, School
from sro.public.models import GroupEnrolment

pytestmark = [pytest.mark.slow]

PIECES = [
    "\x00",  # NUL
    "\ud800",  # a lone high surrogate
    "\udfff",  # a lone low surrogate
    "\ud83d",  # half of an emoji
    "\ufeff",  # byte order mark
    "\u202e",  # right-to-left override
    "\uffff",  # a noncharacter
    '"',
    "'",
    "\\",
    "\r\n",
    '=HYPERLINK("http://x")',
    "😀",
    "Peña",
]
HOSTILE = st.one_of(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), min_size=1, max_size=6).map("".join),
    st.integers(min_value=3_001, max_value=300_000).map(lambda n: "x" * n),  # over any sane limit
)
BUDGET = settings(
    max_examples=12, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
SEED = 14
_addresses = itertools.count(1)


def _past(hours: int = 2) -> str:
    return (timezone.now() - dt.timedelta(hours=hours)).replace(microsecond=0).isoformat()


def _incident(demo: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "school": demo["schools"]["Palm Springs High"].cds_code,
        "occurred_at": _past(),
        "location": "Gym",
        "description": text,
        "offences": ["48900(a)(1)"],
        "facts": [],
        "students": [{"local_student_id": "1001", "name": "A B", "role": "offender", "race": "BL", "sex": "M"}],
    }


def _contact(demo: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "school": demo["schools"]["Palm Springs High"].cds_code,
        "occurred_at": _past(),
        "duration_minutes": 15,
        "reason": 2,
        "race": [3],
        "gender": 1,
        "age": 16,
        "results": [12],
        "emergency": True,  # a contact's free text: what the imminent threat was
        "emergency_note": text,
    }


def _complaint(demo: dict[str, Any], text: str) -> dict[str, Any]:
    return {"channel": "phone", "about": "program", "narrative": text, "relation": "other"}


def _comment(demo: dict[str, Any], text: str) -> dict[str, Any]:
    return {"body": text}


def _open_item() -> AgendaItem:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    return item


# field -> (who, url, payload builder, the field's name in a refusal, the table that must not grow)
WRITES: dict[str, tuple[str | None, Callable[[], str], Callable[[dict[str, Any], str], dict[str, Any]], str, Any]] = {
    "incident description": ("principal.pshs", lambda: "/api/v1/incidents", _incident, "description", Incident),
    "contact emergency note": ("officer.pspd", lambda: "/api/v1/contacts", _contact, "emergency_note", Contact),
    "complaint narrative": ("director", lambda: "/api/v1/complaints", _complaint, "narrative", Complaint),
    "public comment": (
        None,
        lambda: f"/api/v1/agenda-items/{_open_item().pk}/comments",
        _comment,
        "body",
        PublicComment,
    ),
}


def _client(client_for: Any, who: str | None) -> Callable[[], Client]:
    """A client per request for the public (a new address each time, under the hourly comment
    limit); one signed-in client for a role (signing in is itself an audit event)."""
    if who is None:
        return lambda: Client(REMOTE_ADDR=f"10.9.{next(_addresses) % 250}.{next(_addresses) % 250}")
    signed_in = client_for(who)
    return lambda: signed_in


def _check(r: Any, field: str, model: Any, before: tuple[int, int]) -> None:
    assert r.status_code < 500, r.content[:300]
    if r.status_code >= 400:
        body = r.json()
        assert set(body) >= {"detail", "errors"}, body
        if r.status_code == 422:
            assert field in {e["field"] for e in body["errors"]}, body
        assert (model.objects.count(), AuditEvent.objects.count()) == before, "a refused write saved something"
    else:
        assert model.objects.count() == before[0] + 1


@pytest.mark.parametrize("name", sorted(WRITES))
def test_hostile_free_text_is_stored_or_refused_naming_the_field_never_a_500(
    demo: dict[str, Any], client_for: Any, name: str
) -> None:
    who, url, build, field, model = WRITES[name]
    client = _client(client_for, who)

    @seed(SEED)
    @BUDGET
    @given(text=HOSTILE)
    def send(text: str) -> None:
        before = (model.objects.count(), AuditEvent.objects.count())
        body = json.dumps(build(demo, text))  # ensure_ascii: a lone surrogate travels as \\ud800, as in any client
        r = client().post(url(), body, content_type="application/json")
        _check(r, field, model, before)

    send()


RAW_BODIES: list[tuple[str, Callable[[str], bytes]]] = [
    ("latin-1 bytes", lambda body: body.encode("latin-1", errors="replace")),
    ("truncated in a string", lambda body: body.encode()[: body.index(", ") - 3]),
    ("truncated quote", lambda body: body.encode()[:-2]),
    ("unescaped control", lambda body: body.replace("Pe", "P\x01e").encode()),
]


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize("encoding", [r[0] for r in RAW_BODIES])
def test_a_body_in_the_wrong_encoding_or_cut_short_is_a_4xx_and_saves_nothing(
    demo: dict[str, Any], client_for: Any, name: str, encoding: str
) -> None:
    who, url, build, _field, model = WRITES[name]
    encode = dict(RAW_BODIES)[encoding]
    body = json.dumps(build(demo, "Peña, ñandú — café"), ensure_ascii=False)
    client = _client(client_for, who)()
    before = (model.objects.count(), AuditEvent.objects.count())
    r = client.post(url(), encode(body), content_type="application/json")
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    assert set(r.json()) >= {"detail", "errors"}
    assert (model.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_body_in_utf_16_is_read_as_the_text_it_is(demo: dict[str, Any], client_for: Any, name: str) -> None:
    """JSON's reader recognises UTF-16 by its first bytes (RFC 8259 asks for UTF-8 but lets a reader
    accept more): the text arrives intact, so it is stored as written, never garbled."""
    who, url, build, field, model = WRITES[name]
    text = "Peña, ñandú — café"
    body = json.dumps(build(demo, text), ensure_ascii=False).encode("utf-16")
    before = model.objects.count()
    r = _client(client_for, who)().post(url(), body, content_type="application/json")
    assert r.status_code in (201, 202), r.content[:300]
    stored = model.objects.order_by("-pk").values_list(field, flat=True).first()
    assert model.objects.count() == before + 1 and stored == text


# The importers: hostile bytes in the cells of a well-formed file, and hostile files.
SCHOOLS_HEADER = "CDS_Code,Status,County,District,schoolname\n"
CDE_HEADER = (
    "AcademicYear\tAggregateLevel\tCountyCode\tDistrictCode\tSchoolCode\tCountyName\tDistrictName\t"
    "SchoolName\tCharter\tReportingCategory\tTOTAL_ENR\n"
)
RIPA_HEADER = (
    "DOJ_RECORD_ID,PERSON_NUMBER,AGENCY_ORI,DATE_OF_STOP,TIME_OF_STOP,STOP_DURATION,SCHOOL_CODE,AGE,"
    "REASON_FOR_STOP,G_FULL,RAE_FULL,OFFICER_ID\n"
)


def _schools_file(cell: bytes) -> bytes:
    return SCHOOLS_HEADER.encode() + b"33671733336878,Active,Riverside,Palm Springs Unified," + cell + b"\n"


def _cde_file(cell: bytes) -> bytes:
    row = "2024-25\tS\t33\t67173\t3336878\tRiverside\tPalm Springs Unified\t"
    return CDE_HEADER.encode() + row.encode() + cell + b"\tN\tTA\t2000\n"


def _ripa_file(cell: bytes) -> bytes:
    return RIPA_HEADER.encode() + b"S1,1,CA0331500,2026-01-05,10:00,5,33671733336878,15,2,1,3," + cell + b"\n"


IMPORTERS: dict[str, tuple[list[str], Callable[[bytes], bytes]]] = {
    "import_schools": ([], _schools_file),
    "import_enrolment": ([], _cde_file),
    "import_ripa_agency": (["--agency", "Palm Springs Police Department"], _ripa_file),
}
CELLS = st.one_of(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=10)), min_size=1, max_size=5).map(
        lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass")
    ),
    st.sampled_from([b"\xff\xfe", b"Pe\xf1a", b"\xc3", b'"unterminated', b'a"b', b"\x00", b"x" * 70_000]),
    st.binary(min_size=1, max_size=40),
)


def _state() -> tuple[Any, ...]:
    return (
        District.objects.count(),
        tuple(School.objects.order_by("pk").values_list("pk", "name", "enrolment")),
        GroupEnrolment.objects.count(),
        Contact.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("command", sorted(IMPORTERS))
def test_hostile_cells_in_an_import_file_are_refused_by_line_or_imported_never_a_traceback(
    org: dict[str, Any], tmp_path: Path, command: str
) -> None:
    extra, make = IMPORTERS[command]
    path = tmp_path / "input.csv"

    @seed(SEED)
    @BUDGET
    @given(cell=CELLS)
    def run(cell: bytes) -> None:
        path.write_bytes(make(cell))
        before = _state()
        try:
            call_command(command, str(path), *extra, stdout=_Sink(), stderr=_Sink())
        except CommandError as exc:
            message = str(exc)
            assert "input.csv" in message or "line" in message, message
            assert _state() == before, "a refused file saved something"

    run()


class _Sink:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass
