"""The personal-data check of narrative fields, on examples: what it must find, what it must leave."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from sro.core.personal_data import (
    ADDRESS,
    BIRTH_DATE,
    NAME,
    PHONE,
    STUDENT_ID,
    client_rules,
    describe,
    find_personal_data,
    redact,
)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Spoke with the student Maria Lopez about the fight.", NAME, "Maria Lopez"),
        ("A boy named Jayden ran toward the gate.", NAME, "Jayden"),
        ("Called Mr. Okafor, the father.", NAME, "Okafor"),
        ("Mother can be reached at 760-555-0134 after 5.", PHONE, "760-555-0134"),
        ("Mother can be reached at (760) 416-6000.", PHONE, "(760) 416-6000"),
        ("His cell is 555-1212.", PHONE, "555-1212"),
        ("Lives at 1801 E Ramon Rd with an aunt.", ADDRESS, "1801 E Ramon Rd"),
        ("Went home to 450 Sunrise Way.", ADDRESS, "450 Sunrise Way"),
        ("Student id 1234567 checked at the office.", STUDENT_ID, "1234567"),
        ("DOB 03/14/2010, per the office.", BIRTH_DATE, "03/14/2010"),
        ("Date of birth: March 14, 2010.", BIRTH_DATE, "March 14, 2010"),
        ("born on 2010-03-14", BIRTH_DATE, "2010-03-14"),
    ],
)
def test_each_kind_of_personal_data_is_found(text: str, kind: str, found: str) -> None:
    findings = find_personal_data(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)], findings


@pytest.mark.parametrize(
    "text",
    [
        "Met in Room 555-1212 of the B building.",  # a room number shaped like a local phone number
        "Fight in the cafeteria at 12:15; both students separated, no injuries.",
        "The student was calm and returned to class.",  # "student" followed by a lower-case word
        "Incident 42 on 03/14/2025 at 10:30, grade 9.",  # a date that is not a date of birth
        "Room 12 Hall B, period 3.",
        "Threat of a weapon reported by a teacher; the student said it was a joke.",
    ],
)
def test_ordinary_narrative_is_left_alone(text: str) -> None:
    assert find_personal_data(text) == []


def test_known_names_are_found_without_an_introducing_word_whatever_their_case() -> None:
    text = "Spoke to maria lopez and Ana Ruiz near the gym."
    found = find_personal_data(text, names=["Maria Lopez", "Ana  Ruiz", "Li"])  # "Li": too short to look for
    assert [f.text for f in found] == ["maria lopez", "Ana Ruiz"]


def test_redact_replaces_each_finding_and_keeps_the_rest() -> None:
    text = "Student Maria Lopez, DOB 03/14/2010, cell 760-555-0134, lives at 450 Sunrise Way."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == [NAME, BIRTH_DATE, PHONE, ADDRESS]
    assert redact(text, findings) == "Student [REDACTED], DOB [REDACTED], cell [REDACTED], lives at [REDACTED]."
    assert find_personal_data(redact(text, findings)) == []
    assert describe(findings[:1]) == "a name (“Maria Lopez”)"


def test_the_student_id_pattern_is_the_districts_setting() -> None:
    text = "Checked id S-48213 and 1234567."
    assert [f.text for f in find_personal_data(text)] == ["1234567"]
    with override_settings(SRO_STUDENT_ID_PATTERN=r"\bS-\d{5}\b"):
        assert [(f.kind, f.text) for f in find_personal_data(text)] == [(STUDENT_ID, "S-48213")]
        assert client_rules()["rules"][-1] == {"kind": STUDENT_ID, "pattern": r"\bS-\d{5}\b", "group": 0}


def test_the_browsers_rules_are_the_same_patterns_and_compile() -> None:
    rules = client_rules()
    assert rules["redacted"] == "[REDACTED]"
    assert {r["kind"] for r in rules["rules"]} == {NAME, PHONE, ADDRESS, STUDENT_ID, BIRTH_DATE}
    for rule in rules["rules"]:
        assert "(?P" not in rule["pattern"] and "(?i" not in rule["pattern"]  # JavaScript has neither
        re.compile(rule["pattern"])
