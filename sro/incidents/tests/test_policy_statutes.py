"""The policy against the statutes: every citation names a text read (data/citations.toml), and the rules
corrected in issue 17 say what those texts say.

A citation naming a section or subdivision nobody listed as read fails here, as does a source not re-read
for `read_every_days` (a renumbered or repealed section is noticed when it is re-read and relisted: the old
citation then names a subdivision no longer listed), and a citation of a text not confirmed that does not
say "(current text unconfirmed)".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro.core.datafiles import DataFileError
from sro.incidents.catalogue import catalogue
from sro.incidents.policy import (
    DEADLINE_LABELS,
    MANDATORY,
    POLICY_PATH,
    SOURCES_PATH,
    SUPPORT,
    UNCONFIRMED,
    Ref,
    load_sources,
    parse_citation,
    parse_policy,
    policy,
    route_for,
    routed_to_law_enforcement,
)
from sro.incidents.rights import COUNSEL, PARENT_RELEASE, RECORDS, RULES
from sro.incidents.schooldays import due_on

DOCS = Path(__file__).resolve().parents[3] / "docs" / "policy.md"
HIGH_SCHOOL, MIDDLE_SCHOOL, ELEMENTARY = (9, 12), (6, 8), (0, 5)
FIREARM_RECIPIENTS = ("city_police_or_county_sheriff", "school_police_or_security")


def _citations() -> Iterator[tuple[str, str]]:
    """(where, citation) for every citation in the policy (rules, boundary checks) and the offence catalogue."""
    pol = policy()
    yield from ((f"policy.toml rule {r.id}", r.citation) for r in pol.rules)
    yield from ((f"policy.toml boundary {b.id}", b.citation) for b in pol.boundary)
    yield from ((f"offences.toml {o.code}", o.citation) for o in catalogue().values())
    yield from ((f"rights.py {r.id}", r.citation) for r in RULES)


# ---------------------------------------------------------------- every citation against the texts read


def test_every_citation_names_a_section_and_subdivision_that_was_read() -> None:
    sources = load_sources()
    unread = []
    for where, citation in _citations():
        for _part, refs in parse_citation(citation):
            for ref in refs:
                src = sources.get(ref)
                if src is None:
                    unread.append(f"{where}: {ref} is not in citations.toml (read it, then list it)")
                elif not src.lists(ref.subdivision):
                    unread.append(
                        f"{where}: {ref}: subdivision {ref.subdivision} is not in the text read "
                        f"(renumbered or repealed? re-read {src.url})"
                    )
    assert not unread, "\n".join(unread)


def test_a_citation_of_a_text_not_confirmed_says_so_and_only_then() -> None:
    sources = load_sources()
    wrong = []
    for where, citation in _citations():
        for part, refs in parse_citation(citation):
            found = [(ref, sources.get(ref)) for ref in refs]
            unconfirmed = [str(ref) for ref, src in found if src is not None and not src.confirms(ref.subdivision)]
            if unconfirmed and UNCONFIRMED not in part:
                wrong.append(f"{where}: '{part}' cites {', '.join(unconfirmed)}: add {UNCONFIRMED}")
            if UNCONFIRMED in part and not unconfirmed:
                wrong.append(f"{where}: '{part}' is marked {UNCONFIRMED}, but every text it cites was read")
    assert not wrong, "\n".join(wrong)


def test_every_source_says_where_and_when_it_was_read_and_is_still_fresh() -> None:
    sources = load_sources()
    today = dt.date.today()
    stale = []
    for s in sources.by_key.values():
        assert s.url.startswith(("https://", "http://")), s
        assert s.title and s.summary and s.read_on <= today, s
        assert all(sub.startswith("(") and said for sub, said in s.subdivisions), s
        if s.status != "official":
            assert s.note, f"{s.law} {s.section}: say why the text is not the official one"
        if (today - s.read_on).days > sources.read_every_days:
            stale.append(f"{s.law} {s.section} was read on {s.read_on}: re-read {s.url} and update citations.toml")
    assert not stale, "\n".join(stale)


def test_every_source_listed_is_cited() -> None:
    cited = {
        (ref.law, ref.section)
        for _where, citation in _citations()
        for _p, refs in parse_citation(citation)
        for ref in refs
    }
    assert set(load_sources().by_key) <= cited, set(load_sources().by_key) - cited


def test_a_source_without_its_date_or_status_is_refused(tmp_path: Path) -> None:
    text = SOURCES_PATH.read_text(encoding="utf-8").replace("read_on = 2026-12-04\n", "", 1)
    text = text.replace('status = "secondary"', 'status = "trust me"', 1)
    path = tmp_path / "citations.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_sources(path)
    messages = " ".join(p.message for p in exc.value.problems)
    assert "read_on must be the date" in messages and "status must be one of" in messages


@pytest.mark.parametrize(
    ("citation", "refs"),
    [
        ("Cal. Ed. Code § 48902(a); Cal. Pen. Code § 245", ["Cal. Ed. Code § 48902(a)", "Cal. Pen. Code § 245"]),
        ("Cal. Ed. Code § 48902(b), (c)", ["Cal. Ed. Code § 48902(b)", "Cal. Ed. Code § 48902(c)"]),
        (
            "Cal. Ed. Code § 48902(c); Cal. Pen. Code §§ 626.9, 626.10",
            ["Cal. Ed. Code § 48902(c)", "Cal. Pen. Code § 626.9", "Cal. Pen. Code § 626.10"],
        ),
        ("Cal. Ed. Code § 48915(c)(1), (c)(5)", ["Cal. Ed. Code § 48915(c)(1)", "Cal. Ed. Code § 48915(c)(5)"]),
        ("Cal. Ed. Code § 44014(a) (current text unconfirmed)", ["Cal. Ed. Code § 44014(a)"]),
        ("Cal. Ed. Code § 48900(k); SB 274 (2023)", ["Cal. Ed. Code § 48900(k)", "SB 274 (2023)"]),
        ("11 CCR § 999.226 basis for search 13; PSUSD proposed SRO agreements (2026)", ["11 CCR § 999.226"]),
        ("PSUSD school policy (not Cal. Ed. Code § 48900)", ["Cal. Ed. Code § 48900"]),
    ],
)
def test_a_citation_is_read_into_the_sections_it_names(citation: str, refs: list[str]) -> None:
    assert [str(r) for _part, found in parse_citation(citation) for r in found] == refs


# ---------------------------------------------------------------- 1. firearms, explosives, 626.9 and 626.10: 48902(c)


@pytest.mark.parametrize("code", ["48915(c)(1)", "48915(c)(5)"])
def test_a_firearm_or_explosive_cites_48902c_and_notifies_both_recipients(code: str) -> None:
    d = route_for(offences=[code], school_grades=HIGH_SCHOOL)
    assert (d.route, d.deadline) == (MANDATORY, "immediately")
    rule = next(r for r in d.rules if r.id == "firearm-explosive-48902c")
    refs = {str(ref) for _part, found in parse_citation(rule.citation) for ref in found}
    assert "Cal. Ed. Code § 48902(c)" in refs and "Cal. Ed. Code § 48902(b)" not in refs
    assert d.notify == FIREARM_RECIPIENTS
    assert "city police or county sheriff" in rule.reason and "school police" in rule.reason


@pytest.mark.parametrize("code", ["PC626.9", "PC626.10", "48915(c)(1)", "48915(c)(5)"])
def test_no_weapon_on_campus_is_cited_to_48902b(code: str) -> None:
    d = route_for(offences=[code])
    assert d.route == MANDATORY
    for rule in d.rules:
        refs = {ref for _part, found in parse_citation(rule.citation) for ref in found}
        assert Ref("Cal. Ed. Code", "48902", "(b)") not in refs, rule.id
        assert Ref("Cal. Ed. Code", "48902", "(c)") in refs, rule.id
    assert "48902(b)" not in catalogue().get(code, catalogue()["48900(b)"]).citation


def test_a_dangerous_object_that_is_a_weapon_cites_48902c() -> None:
    d = route_for(offences=["48900(b)"], facts=["weapon"])
    assert "48902(c)" in d.rules[0].citation and "48902(b)" not in d.rules[0].citation


# ---------------------------------------------------------------- 2. 49393: only a homicidal threat, grades 6-12


@pytest.mark.parametrize("grades", [HIGH_SCHOOL, MIDDLE_SCHOOL, ELEMENTARY, None])
def test_a_terroristic_threat_that_is_not_homicidal_is_not_a_49393_report(grades: tuple[int, int] | None) -> None:
    d = route_for(offences=["48900.7"], school_grades=grades)
    assert "homicidal-threat-49393" not in {r.id for r in d.rules}
    assert not any("49393" in r.citation for r in d.rules)
    assert (d.route, d.deadline, d.notify) == ("discretionary_referral", "", ())
    assert "49390(e)" in d.rules[0].reason  # the policy says why


@pytest.mark.parametrize("grades", [HIGH_SCHOOL, MIDDLE_SCHOOL, (0, 8), (6, 6)])
def test_a_homicidal_threat_at_a_school_serving_grades_6_to_12_is_reported_at_once(grades: tuple[int, int]) -> None:
    d = route_for(offences=["48900.7", "ED49393"], school_grades=grades)
    assert d.rules[0].id == "homicidal-threat-49393"
    assert (d.route, d.deadline, d.notify) == (MANDATORY, "immediately", ("law_enforcement_49390",))
    assert "Cal. Ed. Code § 49393(a)" in d.rules[0].citation and "49390(a), (b), (d), (e)" in d.rules[0].citation
    assert d.assumptions == ()


def test_a_homicidal_threat_at_an_elementary_school_is_not_a_49393_report() -> None:
    d = route_for(offences=["ED49393"], school_grades=ELEMENTARY)
    assert [r.id for r in d.rules] == ["threat-discretionary"] and d.route == "discretionary_referral"


def test_a_school_whose_grades_are_not_on_record_gets_the_report_and_the_decision_says_why() -> None:
    for grades in [None, (None, None), (9, None)]:
        d = route_for(offences=["ED49393"], school_grades=grades)
        assert d.rules[0].id == "homicidal-threat-49393" and d.route == MANDATORY
        assert d.assumptions and "not on record" in d.assumptions[0]


def test_a_threat_against_an_employee_is_still_a_44014_report() -> None:
    d = route_for(offences=["48900.7"], facts=["victim_employee"], school_grades=HIGH_SCHOOL)
    assert d.rules[0].id == "employee-victim-44014" and d.route == MANDATORY


# ---------------------------------------------------------------- 3. a voluntary disclosure for help (AB 2711)


@pytest.mark.parametrize("codes", [["48900(c)"], ["48900(h)"], ["48900(c)", "48900(h)"]])
def test_a_voluntary_disclosure_is_routed_to_support_and_not_suspendable(codes: list[str]) -> None:
    d = route_for(offences=codes, facts=["voluntary_disclosure"], school_grades=HIGH_SCHOOL)
    assert d.route == SUPPORT and [r.id for r in d.rules] == ["voluntary-disclosure-support"]
    assert d.deadline == "" and d.notify == ()  # no suspension, so no 48902(b) clock; no police
    assert d.excused == tuple(sorted(codes)) and d.suspendable is False
    assert not routed_to_law_enforcement(route=d.route, referral_made=False)
    citation = d.rules[0].citation
    assert "AB 2711 (2024)" in citation and UNCONFIRMED in citation and "48902(b), (c)" in citation
    assert d.as_dict()["suspendable"] is False and d.as_dict()["excused"] == sorted(codes)


def test_a_voluntary_disclosure_excuses_only_the_use_disclosed() -> None:
    d = route_for(offences=["48900(c)", "48900(k)"], facts=["voluntary_disclosure"])
    assert d.route == "school_discipline" and d.excused == ("48900(c)",) and d.suspendable is True
    d = route_for(offences=["48900(c)", "48915(c)(3)"], facts=["voluntary_disclosure"])
    assert d.route == MANDATORY and d.deadline == "within_one_school_day"  # a sale is not excused
    d = route_for(offences=["48900(c)"], facts=["voluntary_disclosure", "imminent_threat"])
    assert d.route == "emergency"


def test_without_a_disclosure_the_48900c_deadline_counts_from_the_incident_not_a_suspension() -> None:
    d = route_for(offences=["48900(c)"])
    assert (d.route, d.deadline, d.notify) == (MANDATORY, "within_one_school_day", ("local_law_enforcement",))
    assert d.suspendable is True
    label = DEADLINE_LABELS["within_one_school_day"]
    assert "incident" in label and "whether or not a suspension follows" in label
    friday = dt.date(2026, 9, 4)
    assert due_on(d.deadline, friday) == dt.date(2026, 9, 7)  # the next school day, with no suspension date
    rule = d.rules[0]
    assert rule.id == "controlled-substance-48902c" and "48902(c)" in rule.reason and "from the incident" in rule.reason


# ---------------------------------------------------------------- the file refuses what the engine cannot honour


def _variant(old: str, new: str) -> str:
    text = POLICY_PATH.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('notify = ["city_police_or_county_sheriff", "school_police_or_security"]\n', "", "names whom to notify"),
        ('notify = ["law_enforcement_49390"]', 'notify = ["the_press"]', "unknown recipient 'the_press'"),
        ("school_grades = [6, 12]", "school_grades = [12, 6]", "school_grades must be"),
        ('excuses = ["48900(c)", "48900(h)"]', 'excuses = ["48900(c)", "48900(b)"]', "not among its own offences"),
        ('rule = "voluntary-disclosure-support"', 'rule = "no-such-rule"', "unknown rule 'no-such-rule'"),
    ],
)
def test_a_rule_the_engine_cannot_honour_is_refused(old: str, new: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        parse_policy(_variant(old, new))


# ---------------------------------------------------------------- docs/policy.md


def test_the_docs_give_each_corrected_rule_its_sources_and_the_date_read() -> None:
    text = DOCS.read_text(encoding="utf-8")
    sources = load_sources()
    corrections = policy().corrections
    assert {c.rule for c in corrections} >= {
        "firearm-explosive-48902c",
        "weapons-school-zone-48902c",
        "homicidal-threat-49393",
        "voluntary-disclosure-support",
        "controlled-substance-48902c",
    }
    for c in corrections:
        rule = next(r for r in policy().rules if r.id == c.rule)
        section = text.split(f"### `{c.rule}`", 1)[1].split("\n### ", 1)[0]
        assert c.was in section and c.now in section
        for _part, refs in parse_citation(rule.citation):
            for ref in refs:
                src = sources.get(ref)
                assert src is not None
                assert src.url in section and src.read_on.isoformat() in section, (c.rule, str(ref))


# ---------------------------------------------------------------- students' rights (rights.py)


def test_the_counsel_rule_cites_625_6_a_and_c_as_read() -> None:
    src = load_sources().get(Ref("Cal. Welf. & Inst. Code", "625.6"))
    assert src is not None and src.url.startswith("https://")
    refs = [str(r) for _p, found in parse_citation(COUNSEL.citation) for r in found]
    assert refs == ["Cal. Welf. & Inst. Code § 625.6(a)", "Cal. Welf. & Inst. Code § 625.6(c)"]
    assert "17 years of age or younger" in src.says("(a)") and "may not be waived" in src.says("(a)")
    assert "imminent threat" in src.says("(c)") and "17 or younger" in COUNSEL.reason


def test_the_release_and_records_rules_cite_48906_and_48902e() -> None:
    sources = load_sources()
    release = sources.get(Ref("Cal. Ed. Code", "48906"))
    assert release is not None and "immediate steps" in release.summary
    assert "immediate" in PARENT_RELEASE.reason
    assert [str(r) for _p, f in parse_citation(RECORDS.citation) for r in f] == ["Cal. Ed. Code § 48902(e)"]
    assert "special education and disciplinary records" in sources.by_key[("Cal. Ed. Code", "48902")].says("(e)")
