"""The offence catalogue and routing policy: every entry routed and cited, bad files reported by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sro.core.datafiles import DataFileError
from sro.core.errors import InvalidInput
from sro.incidents.catalogue import catalogue, parse_catalogue
from sro.incidents.policy import POLICY_PATH, parse_policy, policy, route_for, validate_policy_file
from sro.incidents.schooldays import due_on

SD, DR, MN, EM = "school_discipline", "discretionary_referral", "mandatory_notification", "emergency"
# Every catalogue entry alone -> (route, deadline). Follows domain.md's design reading.
EXPECTED: dict[str, tuple[str, str]] = {
    **{f"48900({s})": (SD, "") for s in "fghijklmoqrs"},
    **{f"48900({s})": (DR, "") for s in ["a)(1", "a)(2", "b", "e", "n", "p", "t"]},
    "48900(c)": (MN, "within_one_school_day"),
    "48900(d)": (MN, "within_one_school_day"),
    "48900.2": (DR, ""),
    "48900.3": (DR, ""),
    "48900.4": (DR, ""),
    # A terroristic threat is reported under Ed. Code 49393 only when it is of a homicidal act
    # (49390(e)); otherwise it is a discretionary referral (data/policy.toml, threat-discretionary).
    "48900.7": (DR, ""),
    "48915(a)(1)(A)": (DR, ""),
    "48915(a)(1)(B)": (DR, ""),
    "48915(a)(1)(C)": (MN, "within_one_school_day"),
    "48915(a)(1)(D)": (DR, ""),
    "48915(a)(1)(E)": (DR, ""),
    "48915(c)(1)": (MN, "immediately"),
    "48915(c)(2)": (DR, ""),
    "48915(c)(3)": (MN, "within_one_school_day"),
    "48915(c)(4)": (DR, ""),
    "48915(c)(5)": (MN, "immediately"),
    "PC245": (MN, "before_suspension"),
    "PC626.9": (MN, "immediately"),
    "PC626.10": (MN, "immediately"),
    "ED44014": (MN, "immediately"),
    "ED49393": (MN, "immediately"),
    **{f"policy:{p}": (SD, "") for p in ["dress_code", "phone", "tardiness", "truancy", "other"]},
}
DOCS = Path(__file__).resolve().parents[3] / "docs" / "policy.md"


def test_the_expected_table_covers_exactly_the_catalogue() -> None:
    assert set(EXPECTED) == set(catalogue())


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_offence_alone_takes_its_route_with_a_cited_rule(code: str) -> None:
    offence = catalogue()[code]
    assert offence.title and offence.description and offence.citation
    decision = route_for(offences=[code])
    assert (decision.route, decision.deadline) == EXPECTED[code]
    assert decision.rules and all(r.citation and r.reason for r in decision.rules)
    assert decision.rules[0].route == decision.route


def test_several_offences_take_the_strongest_route_and_list_every_rule() -> None:
    d = route_for(offences=["48900(k)", "48900(c)", "48900(a)(1)"])
    assert d.route == MN and d.deadline == "within_one_school_day"
    assert [r.route for r in d.rules] == [MN, DR, SD]


@pytest.mark.parametrize(
    ("offences", "facts", "route", "deadline"),
    [
        (["48900(k)"], ["imminent_threat"], EM, ""),
        (["48900(a)(1)"], ["weapon"], MN, "before_suspension"),
        (["48900(b)"], ["weapon"], MN, "immediately"),
        (["48900(a)(2)"], ["victim_employee"], MN, "immediately"),
        (["48900(k)"], ["injury"], DR, ""),
        (["48900(h)"], ["weapon"], SD, ""),
        (["48900(a)(1)", "PC245"], ["weapon", "imminent_threat"], EM, "before_suspension"),
    ],
)
def test_facts_change_the_route(offences: list[str], facts: list[str], route: str, deadline: str) -> None:
    d = route_for(offences=offences, facts=facts)
    assert (d.route, d.deadline) == (route, deadline)


@pytest.mark.parametrize(
    ("offences", "facts", "field"),
    [(["48900(z)"], [], "offences"), ([], [], "offences"), (["48900(k)"], ["drunk"], "facts")],
)
def test_unknown_offences_or_facts_name_the_field(offences: list[str], facts: list[str], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        route_for(offences=offences, facts=facts)
    assert field in {e.field for e in exc.value.errors}


def test_docs_list_every_rule_boundary_check_and_offence() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [r.id for r in policy().rules if f"`{r.id}`" not in text]
    missing += [b.id for b in policy().boundary if f"`{b.id}`" not in text]
    missing += [c for c in catalogue() if f"`{c}`" not in text]
    assert not missing, f"docs/policy.md does not list: {missing} (python -m sro.incidents.policy_doc)"


def _variant(old: str, new: str) -> str:
    text = POLICY_PATH.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('route = "emergency"', 'route = "arrest_everyone"', "unknown route 'arrest_everyone'"),
        ('citation = "Cal. Ed. Code § 48902(b), (c)"', 'citation = ""', "missing citation"),
        ('offences = ["PC245"]', 'offences = ["PC999"]', "unknown offence code 'PC999'"),
        ('facts = ["imminent_threat"]', 'facts = ["riot"]', "unknown fact 'riot'"),
        ('deadline = "before_suspension"', 'deadline = "next_week"', "bad deadline 'next_week'"),
    ],
)
def test_a_bad_policy_file_is_reported_with_the_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = _variant(old, new)
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    problems = validate_policy_file(path)
    hit = [p for p in problems if message in p.message]
    assert hit, problems
    assert hit[0].line == _line_of(text, new)


def test_every_problem_is_reported_at_once_and_the_command_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _variant('route = "emergency"', 'route = "nope"').replace('reason = "A school-policy matter', 'note = "x', 1)
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="problem"):
        call_command("policy", "validate", str(path))
    err = capsys.readouterr().err
    assert "unknown route 'nope'" in err and "missing reason" in err and "unknown key 'note'" in err


def test_a_policy_that_leaves_an_offence_without_a_route_is_refused() -> None:
    text = _variant('"policy:truancy", ', "")
    with pytest.raises(DataFileError, match=r"'policy:truancy'.*has no rule"):
        parse_policy(text)


def test_toml_syntax_errors_name_the_line() -> None:
    with pytest.raises(DataFileError) as exc:
        parse_policy('version = "1"\n[[rule]]\nid = \n')
    assert exc.value.problems[0].line == 3


def test_a_bad_catalogue_entry_names_its_line() -> None:
    text = (
        '[[offence]]\ncode = "X1"\ntitle = "t"\ndescription = "d"\ncitation = "c"\n\n'
        '[[offence]]\ncode = "X2"\ntitle = "t"\n'
    )
    with pytest.raises(DataFileError) as exc:
        parse_catalogue(text)
    assert {(p.line, p.message) for p in exc.value.problems} >= {(7, "offence: missing 'description'")}


def test_the_policy_in_force_validates(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("policy", "validate")
    assert "ok" in capsys.readouterr().out


def test_route_command_prints_the_decision_with_rules_and_citations(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("route", "48900(h)")
    out = capsys.readouterr().out
    assert "route: school_discipline" in out and "school-discipline-48900" in out and "48900" in out
    call_command("route", "--offence", "48900(a)(1)", "--fact", "weapon")
    out = capsys.readouterr().out
    assert "mandatory_notification" in out and "deadline: before_suspension" in out and "Pen. Code § 245" in out
    with pytest.raises(CommandError, match="unknown offence"):
        call_command("route", "48900(zz)")


def test_school_day_deadlines_skip_the_weekend() -> None:
    import datetime as dt

    friday = dt.date(2026, 9, 4)
    assert due_on("within_one_school_day", friday) == dt.date(2026, 9, 7)  # Monday
    assert due_on("immediately", friday) == friday


def test_public_route_lookup_needs_no_sign_in() -> None:
    from django.test import Client

    c = Client()
    r = c.get("/api/v1/policy/route", {"offence": ["48900(c)"], "fact": ["weapon"]})
    assert r.status_code == 200
    body = r.json()
    assert body["route"] == MN and body["deadline"] == "within_one_school_day" and body["rules"][0]["citation"]
    bad = c.get("/api/v1/policy/route", {"offence": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "offences"


@pytest.mark.parametrize(
    ("route", "referral_made", "routed"),
    [(SD, False, False), (DR, False, False), (DR, True, True), (MN, False, True), (EM, False, True)],
)
def test_routed_to_law_enforcement_is_one_rule_for_a_record_and_for_a_query(
    org: dict[str, Any], route: str, referral_made: bool, routed: bool
) -> None:
    from django.utils import timezone

    from sro.incidents.models import Incident
    from sro.incidents.policy import routed_to_law_enforcement, routed_to_law_enforcement_q

    assert routed_to_law_enforcement(route=route, referral_made=referral_made) is routed
    incident = Incident.objects.create(
        school=org["schools"]["Palm Springs High"],
        occurred_at=timezone.now(),
        location="Quad",
        description="Test",
        route=route,
        referral_made=referral_made,
        referral_reason="Recorded why" if referral_made else "",
        policy_version="test",
    )
    assert incident.routed_to_law_enforcement is routed
    assert Incident.objects.filter(routed_to_law_enforcement_q(), pk=incident.pk).exists() is routed
