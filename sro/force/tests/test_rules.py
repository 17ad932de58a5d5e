"""The data files: they load, say where they come from, and the docs list every rule and element."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sro.core.datafiles import DataFileError, parse_toml
from sro.force.checks import check_data_files
from sro.force.rules import TYPES_PATH, check_rules, check_types, force_lists, rules, ursus_elements
from sro.force.selectors import force_action_codes
from sro.incidents.codes import code_versions, codes_version
from sro.incidents.ripa_layout import load_layouts

DOC = (Path(__file__).resolve().parents[3] / "docs" / "use-of-force.md").read_text(encoding="utf-8")


def test_the_shipped_data_files_pass_the_start_up_check() -> None:
    assert check_data_files() == []


@pytest.mark.parametrize("key", [t.key for t in force_lists().types])
def test_docs_list_every_type_of_force(key: str) -> None:
    assert f"`{key}`" in DOC


@pytest.mark.parametrize("key", [c.key for c in force_lists().deescalation])
def test_docs_list_every_deescalation_step(key: str) -> None:
    assert f"`{key}`" in DOC


@pytest.mark.parametrize("key", [r.key for r in rules().early_intervention])
def test_docs_list_every_early_intervention_rule(key: str) -> None:
    assert f"`{key}`" in DOC


@pytest.mark.parametrize("name", [e.name for e in ursus_elements()])
def test_docs_list_every_ursus_element(name: str) -> None:
    assert f"`{name}`" in DOC


def test_every_ripa_column_a_type_names_is_a_column_of_the_code_table_or_a_published_layout() -> None:
    known = {c.column for v in code_versions() for c in v.table("action").values()}
    for layout in load_layouts():
        known |= {c for cols in layout.columns.values() for c in cols}
    named = force_lists().force_columns
    assert named <= known, named - known


def test_handcuffing_opens_a_report_in_both_eras_and_a_search_does_not() -> None:
    columns = force_lists().force_columns
    assert {"ADS_HANDCUFFED", "OFA_HANDCUFFED", "ADS_CHEM_SPRAY", "OFA_CHEM_SPRAY"} <= columns
    assert "ADS_SEARCH_PERSON" not in columns and "ADS_PHOTOGRAPHED" not in columns


@pytest.mark.parametrize("version", ["2018", "2024"])
def test_each_version_of_the_ripa_lists_has_its_handcuffing_code_counted_as_force(version: str) -> None:
    codes = codes_version(version)
    handcuffed = {c.code for c in codes.table("action").values() if c.column in {"ADS_HANDCUFFED", "OFA_HANDCUFFED"}}
    searched = {c.code for c in codes.table("action").values() if c.column.endswith("SEARCH_PERSON")}
    assert handcuffed and handcuffed <= force_action_codes(codes)
    assert searched and not searched & force_action_codes(codes)


def test_a_broken_file_names_its_line_and_key() -> None:
    text = TYPES_PATH.read_text(encoding="utf-8").replace('key = "oc_spray"', 'key = ""', 1)
    with pytest.raises(DataFileError) as exc:
        check_types(parse_toml(text, "force_types.toml"))
    message = str(exc.value)
    assert "force_types.toml, line" in message and "key" in message and "oc_spray" in message


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('kind = "force_reports"', 'kind = "rumours"', "must be one of"),
        ("threshold = 2", "threshold = 0", "at least 1"),
        ("review_school_days = 3", 'review_school_days = "three"', "whole number"),
    ],
)
def test_a_bad_rule_is_refused_with_its_problem(old: str, new: str, says: str) -> None:
    text = (TYPES_PATH.parent / "rules.toml").read_text(encoding="utf-8").replace(old, new, 1)
    with pytest.raises(DataFileError) as exc:
        check_rules(parse_toml(text, "rules.toml"))
    assert says in str(exc.value)


def test_the_daily_check_flags_each_officer_once(demo: dict[str, Any]) -> None:
    out = StringIO()
    call_command("force", "check", "--today", "2026-11-02", stdout=out)
    assert "new early-intervention flag(s) on 2026-11-02" in out.getvalue()
    again = StringIO()
    call_command("force", "check", "--today", "2026-11-02", stdout=again)
    assert again.getvalue().startswith("0 new")
