"""The access matrix: every role against every operation of the API and every page, with the status
docs/roles.md gives.

Four tables of docs/roles.md are the expectation, parsed here: the API's reads and its writes
(every operation of the published schema, with ids of records at another campus and agency), the
pages that take no argument, and the pages of one record (a record of the demo people's own campus
and agency, and one of another). Each test fails when an operation, a page or a role exists in the
code but not in its table (or the other way round), so the documentation and the matrix cannot
drift. A write, and a page that only takes a form, is rolled back after its answer; a refused one
must have saved nothing (row counts of every table and the audit trail, before and after). One
request per case; the number of cases is printed ("access matrix: N cases").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sro.orgs.roles import Role

ROLES_DOC = Path(__file__).resolve().parent.parent / "docs" / "roles.md"
TABLE_TITLE = "### Access: the API's reads"
PAGES_TITLE = "### Access: the pages"
# Named pages left out of the pages table, and why: the admin is for data stewards only (its own
# test), `api:` is the table above, signing out and choosing a language are POSTs that change the
# session the next case needs.
NOT_PAGES = ("admin:", "api:")
NOT_PAGE_NAMES = {"logout", "set_language"}
# Who plays each role: the demo's people at Palm Springs High and the Palm Springs Police Department.
PLAYERS: dict[str, str | None] = {
    "public": None,
    Role.DISTRICT_ADMIN: "director",
    Role.SUPERINTENDENT: "superintendent",
    Role.BOARD_MEMBER: "boardmember",
    Role.SITE_ADMIN: "principal.pshs",
    Role.AGENCY_SUPERVISOR: "lt.pspd",
    Role.SRO: "officer.pspd",
    Role.ANALYST: "analyst",
}
OTHER_SCHOOL, OTHER_AGENCY = "Cathedral City High", "Cathedral City Police Department"
HERE_SCHOOL, HERE_AGENCY = "Palm Springs High", "Palm Springs Police Department"


def documented_table(title: str = TABLE_TITLE) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The roles (columns) and, per row (`GET /path`, or a page's URL name), the status each role gets."""
    text = ROLES_DOC.read_text(encoding="utf-8")
    assert title in text, f"docs/roles.md has no '{title}' table"
    lines = text.split(title, 1)[1].splitlines()
    rows = _table_lines(lines)
    header = [c.strip().strip("`") for c in rows[0].strip("|").split("|")]
    roles = header[1:]
    table: dict[str, dict[str, int]] = {}
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        operation = cells[0].replace("`", "").strip()
        table[operation] = {role: int(cell) for role, cell in zip(roles, cells[1:], strict=True)}
    return roles, table


def _table_lines(lines: list[str]) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    out = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        out.append(line)
    return out


def _read_operations() -> list[str]:
    from config.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    return [f"GET {path}" for path, ops in paths.items() if "get" in ops]


def _pick(model: Any, **where: Any) -> int:
    """A record matching `where` (at the other campus or agency), else an id no record has: the
    demo may hold none there (its one force report is at Palm Springs High), and a hidden record
    and a missing one must be answered alike."""
    found = model.objects.filter(**where).order_by("pk").values_list("pk", flat=True).first()
    return int(found) if found is not None else 999_999


def _cross_scope_ids(school_name: str = OTHER_SCHOOL, agency_name: str = OTHER_AGENCY) -> dict[str, str]:
    from sro.community.models import AgendaItem
    from sro.complaints.models import Complaint
    from sro.contracts.models import Contract
    from sro.force.models import ForceReport
    from sro.incidents.models import Incident, NotificationTask, Review
    from sro.orgs.models import School
    from sro.staffing.models import Officer, Panel

    school = School.objects.get(name=school_name)
    return {
        "cds_code": school.cds_code,
        "contract_id": str(_pick(Contract, campuses=school)),
        "officer_id": str(_pick(Officer, agency__name=agency_name)),
        "panel_id": str(_pick(Panel, nomination__officer__agency__name=agency_name)),
        "item_id": str(_pick(AgendaItem)),
        "incidents": str(_pick(Incident, school=school)),
        "reviews": str(_pick(Review, school=school)),
        "tasks": str(_pick(NotificationTask, school=school)),
        "force-reports": str(_pick(ForceReport, school=school)),
        "complaints": str(_pick(Complaint, school=school)),
    }


def _url(operation: str, ids: dict[str, str]) -> str:
    path = operation.split(" ", 1)[1]

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "pk":  # `/incidents/{pk}`: the collection names the record
            return ids[path.split("/")[3]]
        return ids[name]

    return re.sub(r"\{(\w+)\}", value, path)


def test_the_table_names_every_role_and_every_read_of_the_api() -> None:
    roles, table = documented_table()
    assert set(roles) == {"public", *Role.values}, "a role is missing from (or unknown to) the table"
    assert set(PLAYERS) == set(roles)
    in_code = set(_read_operations())
    assert in_code - set(table) == set(), "operations in the API but not in docs/roles.md"
    assert set(table) - in_code == set(), "operations in docs/roles.md but not in the API"


@pytest.mark.slow  # several hundred requests, the board report's PDF among them
def test_every_role_gets_exactly_the_documented_answer_to_every_read(demo: dict[str, Any]) -> None:
    roles, table = documented_table()
    ids = _cross_scope_ids()
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    wrong = []
    cases = 0
    for operation, expected in sorted(table.items()):
        url = _url(operation, ids)
        for role in roles:
            got = clients[role].get(url).status_code
            cases += 1
            if got != expected[role]:
                wrong.append(f"{operation} as {role} ({url}): {got}, the table says {expected[role]}")
    print(f"access matrix: {cases} cases ({len(table)} reads x {len(roles)} roles)")
    assert not wrong, "\n".join(wrong)
    assert cases == len(table) * len(roles) >= 200


def _signed_in(demo: dict[str, Any], username: str | None) -> Client:
    client = Client()
    client.force_login(demo["users"][username])
    return client


def print_table(demo: dict[str, Any]) -> str:  # pragma: no cover - to rewrite the docs table by hand
    """The table as the product answers today, for docs/roles.md (review every change by hand)."""
    ids = _cross_scope_ids()
    roles = list(PLAYERS)
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    lines = ["| operation | " + " | ".join(f"`{r}`" for r in roles) + " |", "|---" * (len(roles) + 1) + "|"]
    for operation in _read_operations():
        url = _url(operation, ids)
        lines.append(f"| `{operation}` | " + " | ".join(str(clients[r].get(url).status_code) for r in roles) + " |")
    return "\n".join(lines)


def named_pages() -> dict[str, str]:
    """Every named URL of the site that takes no argument (name -> path), but NOT_PAGES."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    names: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groups:
                names.append(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    pages: dict[str, str] = {}
    for name in names:
        if name.startswith(NOT_PAGES) or name in NOT_PAGE_NAMES:
            continue
        try:
            pages[name] = reverse(name)
        except Exception:  # noqa: S112 - a name whose pattern needs an argument after all
            continue
    return pages


def test_the_pages_table_names_every_role_and_every_page() -> None:
    roles, table = documented_table(PAGES_TITLE)
    assert set(roles) == {"public", *Role.values}
    pages = set(named_pages())
    assert pages - set(table) == set(), "pages in the site but not in docs/roles.md"
    assert set(table) - pages == set(), "pages in docs/roles.md but not in the site"


@pytest.mark.slow  # several hundred requests, the board report's PDF among them
def test_every_role_gets_exactly_the_documented_answer_from_every_page(demo: dict[str, Any]) -> None:
    roles, table = documented_table(PAGES_TITLE)
    pages = named_pages()
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    wrong = []
    cases = 0
    for name, expected in sorted(table.items()):
        for role in roles:
            got = clients[role].get(pages[name]).status_code
            cases += 1
            if got != expected[role]:
                wrong.append(f"{name} ({pages[name]}) as {role}: {got}, the table says {expected[role]}")
    print(f"access matrix: {cases} cases ({len(table)} pages x {len(roles)} roles)")
    assert not wrong, "\n".join(wrong)


def print_pages_table(demo: dict[str, Any]) -> str:  # pragma: no cover - to rewrite the docs table by hand
    """The pages table as the product answers today, for docs/roles.md (review every change by hand)."""
    roles = list(PLAYERS)
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    lines = ["| page | " + " | ".join(f"`{r}`" for r in roles) + " |", "|---" * (len(roles) + 1) + "|"]
    for name, path in named_pages().items():
        statuses = " | ".join(str(clients[r].get(path).status_code) for r in roles)
        lines.append(f"| `{name}` | {statuses} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- the API's writes

WRITES_TITLE = "### Access: the API's writes"
# Tables whose rows a refused write may still add: the audit trail (checked apart: only
# `access_refused` may be added), the session the client signs in with, and the sign-in log.
NOT_COUNTED = {"core.auditevent", "sessions.session"}
NOT_COUNTED_APPS = {"axes"}
# The action asked for in `/actions/{action}` (one that exists, so the answer is about access).
ACTIONS = {"contracts": "terminate", "complaints": "acknowledge"}


def _write_operations() -> list[str]:
    from config.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    return [f"{method.upper()} {path}" for path, ops in paths.items() for method in ops if method != "get"]


def _write_ids(where: str = "there") -> dict[str, str]:
    """The ids of the reads' table, and the records only the writes name, all at the demo people's
    own campus and agency (`here`) or at the other ones (`there`), else an id no record has."""
    from sro.community.models import PublicComment
    from sro.orgs.models import LawEnforcementAgency
    from sro.staffing.models import Assignment, Nomination, TrainingRecord

    school, agency = (HERE_SCHOOL, HERE_AGENCY) if where == "here" else (OTHER_SCHOOL, OTHER_AGENCY)
    ids = _cross_scope_ids(school, agency)
    return ids | {
        "nomination_id": str(_pick(Nomination, officer__agency__name=agency)),
        "record_id": str(_pick(TrainingRecord, officer__agency__name=agency)),
        "assignment_id": str(_pick(Assignment, officer__agency__name=agency)),
        "comment_id": str(_pick(PublicComment, item__version__contract__campuses__name=school)),
        "agency_id": str(LawEnforcementAgency.objects.get(name=agency).pk),
        "school": ids["cds_code"],
    }


def _write_url(operation: str, ids: dict[str, str]) -> str:
    path = operation.split(" ", 1)[1]
    if "{action}" in path:
        path = path.replace("{action}", ACTIONS[path.split("/")[3]])
    return _url(f"X {path}", ids)


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_COUNTED and m._meta.app_label not in NOT_COUNTED_APPS
    }


def _example(schema: dict[str, Any], defs: dict[str, Any], name: str = "", ids: dict[str, str] | None = None) -> Any:
    """A value the schema accepts: a record named by `ids` (outside the caller's scope), the first
    choice, a date, text."""
    if ids and name in ids:
        return ids[name] if schema.get("type") == "string" else int(ids[name])
    if "$ref" in schema:
        return _example(defs[schema["$ref"].rsplit("/", 1)[1]], defs, name, ids)
    for key in ("anyOf", "allOf", "oneOf"):
        if key in schema:
            return _example(schema[key][0], defs, name, ids)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(v, defs, k, ids) for k, v in props.items() if k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {}), defs, name, ids)] * schema.get("minItems", 0)
    if kind == "integer" or kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-09-15"
    if schema.get("format") == "date-time":
        return "2026-09-15T10:00:00-07:00"
    return "Access matrix"


def _bodies(ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """For each write, a JSON body its schema accepts (so the answer is about access, not the
    body), naming records outside the caller's scope."""
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    defs = schema.get("components", {}).get("schemas", {})
    out: dict[str, dict[str, Any]] = {}
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            out[f"{method.upper()} {path}"] = _example(content["schema"], defs, ids=ids) if content else {}
    return out


def _write(
    client: Client, operation: str, url: str, body: dict[str, Any] | None = None, *, form: bool = False
) -> tuple[int, list[str]]:
    """The status of one write with `body`, and what it saved (tables whose rows were added or
    removed; audit actions other than `access_refused`), all rolled back after."""
    from django.db import transaction

    from sro.core.models import AuditEvent

    method = operation.split(" ", 1)[0].lower()
    with transaction.atomic():
        before, last = _row_counts(), AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        if form:  # a page's form, posted empty
            status = client.post(url, data=body or {}).status_code
        else:
            status = getattr(client, method)(url, data=body or {}, content_type="application/json").status_code
        after = _row_counts()
        saved = [f"{t}: {after[t] - before[t]:+d}" for t in before if after[t] != before[t]]
        saved += list(
            AuditEvent.objects.filter(seq__gt=last).exclude(action="access_refused").values_list("action", flat=True)
        )
        transaction.set_rollback(True)
    return status, saved


def test_the_writes_table_names_every_role_and_every_write_of_the_api() -> None:
    roles, table = documented_table(WRITES_TITLE)
    assert set(roles) == set(PLAYERS)
    in_code = {f"{operation} {where}" for operation in _write_operations() for where in ("here", "there")}
    assert in_code - set(table) == set(), "operations in the API but not in docs/roles.md"
    assert set(table) - in_code == set(), "operations in docs/roles.md but not in the API"


def test_every_role_gets_exactly_the_documented_answer_to_every_write(demo: dict[str, Any]) -> None:
    roles, table = documented_table(WRITES_TITLE)
    ids = {where: _write_ids(where) for where in ("here", "there")}
    bodies = {where: _bodies(ids[where]) for where in ("here", "there")}
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    wrong = []
    cases = 0
    for row, expected in sorted(table.items()):
        operation, where = row.rsplit(" ", 1)
        url = _write_url(operation, ids[where])
        for role in roles:
            got, saved = _write(clients[role], operation, url, bodies[where][operation])
            cases += 1
            if got != expected[role]:
                wrong.append(f"{row} as {role} ({url}): {got}, the table says {expected[role]}")
            if saved and got >= 400:
                wrong.append(f"{row} as {role} ({url}) answered {got} and saved {saved}")
    print(f"access matrix: {cases} cases ({len(table)} writes x {len(roles)} roles)")
    assert not wrong, "\n".join(wrong)
    assert cases == len(table) * len(roles) >= 400


def print_writes_table(demo: dict[str, Any]) -> str:  # pragma: no cover - to rewrite the docs table by hand
    """The writes table as the product answers today, for docs/roles.md (review every change by hand)."""
    roles = list(PLAYERS)
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    lines = ["| operation | " + " | ".join(f"`{r}`" for r in roles) + " |", "|---" * (len(roles) + 1) + "|"]
    for where in ("here", "there"):
        ids = _write_ids(where)
        bodies = _bodies(ids)
        for operation in _write_operations():
            url = _write_url(operation, ids)
            answers = [_write(clients[r], operation, url, bodies[operation]) for r in roles]
            cells = " | ".join(f"{status}{' SAVED ' + str(saved) if saved else ''}" for status, saved in answers)
            lines.append(f"| `{operation}` {where} | {cells} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- pages with a record in the address

RECORD_PAGES_TITLE = "### Access: the pages of one record"
# Pages with an argument left out of the table, and why.
NOT_RECORD_PAGES = {
    "orgs:set_password": "a single-use link: the answer depends on the link's token, not on who asks",
    "public:complaint_status": "the complainant's private link: the answer depends on its token only",
    "public:survey": "a single-use survey link: the answer depends on its token only",
}
# Each page's arguments, by the kind of record they name (`_record_ids`) or as they are.
RECORD_PAGES: dict[str, dict[str, str]] = {
    "contract_detail": {"pk": "contract"},
    "contract_edit": {"pk": "contract"},
    "contract_version_new": {"pk": "contract"},
    "contract_version_schedule": {"pk": "contract", "number": "=1"},
    "contract_action": {"pk": "contract", "action": "=terminate"},
    "contract_vote": {"pk": "contract"},
    "contract_meetings": {"pk": "body"},
    "contract_meeting_new": {"pk": "body"},
    "contract_body_edit": {"pk": "body"},
    "contract_meeting_edit": {"pk": "body", "meeting_pk": "meeting"},
    "staffing:officer": {"pk": "officer"},
    "staffing:officer_account": {"pk": "officer"},
    "staffing:officer_deactivate": {"pk": "officer"},
    "staffing:nominate": {"pk": "officer"},
    "staffing:training_add": {"pk": "officer"},
    "staffing:contract_training": {"pk": "contract"},
    "staffing:training_review": {"pk": "training"},
    "staffing:training_decline": {"pk": "training"},
    "staffing:panel_new": {"pk": "nomination"},
    "staffing:nomination_withdraw": {"pk": "nomination"},
    "staffing:panel": {"pk": "panel"},
    "staffing:assignment_end": {"pk": "assignment"},
    "staffing:assignment_cancel": {"pk": "assignment"},
    "staffing:notice_read": {"pk": "staffing_notice"},
    "orgs:people_org": {"kind": "=agency", "pk": "agency"},
    "orgs:person_add": {"kind": "=agency", "pk": "agency"},
    "orgs:role_grant": {"kind": "=agency", "pk": "agency"},
    "orgs:role_end": {"pk": "membership"},
    "orgs:password_link": {"pk": "user"},
    "orgs:token_revoke": {"pk": "token"},
    "incidents:detail": {"pk": "incident"},
    "incidents:refer": {"pk": "incident"},
    "incidents:task_done": {"pk": "task"},
    "incidents:task_attempt": {"pk": "task"},
    "incidents:task_records": {"pk": "task"},
    "incidents:review": {"pk": "review"},
    "complaints:detail": {"pk": "complaint"},
    "complaints:act": {"pk": "complaint", "action": "=acknowledge"},
    "force:new_from_contact": {"contact_pk": "contact"},
    "force:detail": {"pk": "force_report"},
    "force:review": {"pk": "force_report"},
    "force:ursus": {"pk": "force_report"},
    "force:notice_read": {"pk": "force_notice"},
    "force:officer_record": {"pk": "officer"},
    "force:flag_close": {"pk": "flag"},
    "force:joint_sign": {"pk": "joint_review"},
    "public:campus": {"cds_code": "cds_code"},
    "public:contract": {"pk": "contract"},
    "public:csv": {"name": "=contracts"},
    "public:agenda_item": {"pk": "agenda_item"},
    "community:moderate": {"pk": "comment"},
    "evaluation:contract": {"pk": "contract"},
    "evaluation:detail": {"pk": "evaluation"},
    "evaluation:pdf": {"pk": "evaluation"},
}


def record_pages() -> list[str]:
    """Every named URL of the site whose address takes an argument, but the admin and the API."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and p.pattern.regex.groups:
                names.append(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return sorted({n for n in names if not n.startswith(NOT_PAGES)})


def _record_ids(school_name: str, agency_name: str) -> dict[str, str]:
    """One record of each kind at `school_name` or `agency_name` (else an id no record has)."""
    from sro.community.models import AgendaItem, PublicComment
    from sro.complaints.models import Complaint
    from sro.contracts.models import Body, Contract, Meeting
    from sro.evaluation.models import Evaluation
    from sro.force.models import EarlyInterventionFlag, ForceNotice, ForceReport, JointReview
    from sro.incidents.models import Contact, Incident, NotificationTask, Review
    from sro.orgs.models import ApiToken, LawEnforcementAgency, Membership, School
    from sro.staffing.models import Assignment, Nomination, Notice, Officer, Panel, TrainingRecord

    school = School.objects.get(name=school_name)
    agency = LawEnforcementAgency.objects.get(name=agency_name)
    body = _pick(Body, city=school.city_id) if getattr(school, "city_id", None) else 999_999
    return {
        "contract": str(_pick(Contract, campuses=school)),
        "body": str(body),
        "meeting": str(_pick(Meeting, body=body)),
        "officer": str(_pick(Officer, agency=agency)),
        "training": str(_pick(TrainingRecord, officer__agency=agency)),
        "nomination": str(_pick(Nomination, officer__agency=agency)),
        "panel": str(_pick(Panel, nomination__officer__agency=agency)),
        "assignment": str(_pick(Assignment, school=school)),
        "staffing_notice": str(_pick(Notice, recipient__memberships__agency=agency)),
        "agency": str(agency.pk),
        "membership": str(_pick(Membership, agency=agency)),
        "user": str(Membership.objects.filter(agency=agency).order_by("pk").values_list("user_id", flat=True).first()),
        "token": str(_pick(ApiToken, user__memberships__agency=agency)),
        "incident": str(_pick(Incident, school=school)),
        "task": str(_pick(NotificationTask, school=school)),
        "review": str(_pick(Review, school=school)),
        "complaint": str(_pick(Complaint, school=school)),
        "contact": str(_pick(Contact, school=school)),
        "force_report": str(_pick(ForceReport, school=school)),
        "force_notice": str(_pick(ForceNotice, report__school=school)),
        "flag": str(_pick(EarlyInterventionFlag, officer__agency=agency)),
        "joint_review": str(_pick(JointReview, officer__agency=agency)),
        "cds_code": school.cds_code,
        "agenda_item": str(_pick(AgendaItem, version__contract__campuses=school)),
        "comment": str(_pick(PublicComment, item__version__contract__campuses=school)),
        "evaluation": str(_pick(Evaluation, contract__campuses=school)),
    }


def _record_urls() -> dict[str, str]:
    """`name here` and `name there` -> the page's address for a record of the demo people's own
    campus and agency, and of the other ones."""
    from django.urls import reverse

    out = {}
    for where, (school, agency) in (("here", (HERE_SCHOOL, HERE_AGENCY)), ("there", (OTHER_SCHOOL, OTHER_AGENCY))):
        ids = _record_ids(school, agency)
        for name, args in RECORD_PAGES.items():
            kwargs = {k: v[1:] if v.startswith("=") else ids[v] for k, v in args.items()}
            out[f"{name} {where}"] = reverse(name, kwargs=kwargs)
    return out


def _ask_page(client: Client, row: str, url: str) -> tuple[int, list[str]]:
    """A row `name here` is a GET; `POST name here` (a page that only takes its form) posts the
    form empty, rolled back after, with what it saved."""
    if row.startswith("POST "):
        return _write(client, "POST", url, form=True)
    return client.get(url).status_code, []


def test_the_record_pages_table_names_every_role_and_every_page_with_a_record() -> None:
    roles, table = documented_table(RECORD_PAGES_TITLE)
    assert set(roles) == set(PLAYERS)
    in_code = set(record_pages())
    assert in_code - set(RECORD_PAGES) - set(NOT_RECORD_PAGES) == set(), "pages with an argument, not in the test"
    assert set(RECORD_PAGES) & set(NOT_RECORD_PAGES) == set()
    assert set(RECORD_PAGES) | set(NOT_RECORD_PAGES) <= in_code, "pages in the test but not in the site"
    documented = {row.removeprefix("POST ") for row in table}
    expected = {f"{name} {where}" for name in RECORD_PAGES for where in ("here", "there")}
    assert expected - documented == set(), "pages in the site but not in docs/roles.md"
    assert documented - expected == set(), "pages in docs/roles.md but not in the site"


def test_every_role_gets_exactly_the_documented_answer_from_every_page_with_a_record(demo: dict[str, Any]) -> None:
    roles, table = documented_table(RECORD_PAGES_TITLE)
    urls = _record_urls()
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    wrong = []
    cases = 0
    for row, expected in sorted(table.items()):
        url = urls[row.removeprefix("POST ")]
        for role in roles:
            got, saved = _ask_page(clients[role], row, url)
            cases += 1
            if got != expected[role]:
                wrong.append(f"{row} ({url}) as {role}: {got}, the table says {expected[role]}")
            if saved and got >= 400:
                wrong.append(f"{row} ({url}) as {role} answered {got} and saved {saved}")
    print(f"access matrix: {cases} cases ({len(table)} pages of one record x {len(roles)} roles)")
    assert not wrong, "\n".join(wrong)
    assert cases == 2 * len(RECORD_PAGES) * len(roles)


def print_record_pages_table(demo: dict[str, Any]) -> str:  # pragma: no cover - to rewrite the docs table by hand
    """The table of the pages of one record as the product answers today, for docs/roles.md (review
    every change by hand). A page that answers 405 to a GET is asked with its form's POST."""
    roles = list(PLAYERS)
    clients = {role: Client() if PLAYERS[role] is None else _signed_in(demo, PLAYERS[role]) for role in roles}
    lines = ["| page | " + " | ".join(f"`{r}`" for r in roles) + " |", "|---" * (len(roles) + 1) + "|"]
    for row, path in _record_urls().items():
        name, where = row.split(" ")
        if clients[Role.DISTRICT_ADMIN].get(path).status_code == 405:
            name = f"POST {name}"
        answers = [_ask_page(clients[r], name if name.startswith("POST ") else row, path) for r in roles]
        cells = " | ".join(f"{status}{' SAVED ' + str(saved) if saved else ''}" for status, saved in answers)
        lines.append(f"| `{name}` {where} | {cells} |")
    return "\n".join(lines)
