"""The data files validate, and the docs list every criterion, course and gate reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sro.staffing.catalogues import CatalogueError, courses, parse_courses, parse_rubric, rubric
from sro.staffing.checks import check_data_files
from sro.staffing.gate import OFFICER_REASONS, REASON_TEXT

DOCS = Path(__file__).resolve().parents[3] / "docs"
STAFFING_DOC = (DOCS / "staffing.md").read_text(encoding="utf-8")
CONTRACTS_DOC = (DOCS / "contracts.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", rubric().keys)
def test_docs_list_every_rubric_criterion(key: str) -> None:
    assert f"`{key}`" in STAFFING_DOC


@pytest.mark.parametrize("key", [c.key for c in courses()])
def test_docs_list_every_course(key: str) -> None:
    assert f"`{key}`" in STAFFING_DOC


@pytest.mark.parametrize("code", sorted(REASON_TEXT))
def test_docs_list_every_gate_reason(code: str) -> None:
    assert f"`{code}`" in CONTRACTS_DOC


@pytest.mark.parametrize("code", sorted(OFFICER_REASONS))
def test_docs_list_every_officer_gate_reason(code: str) -> None:
    assert f"`{code}`" in STAFFING_DOC


def test_the_shipped_data_files_pass_the_start_up_check() -> None:
    assert check_data_files() == []
    assert rubric().scale == range(1, 6)
    assert all(c.source and c.hours > 0 for c in courses())


RUBRIC_OK = """
[scale]
min = 1
max = 5
[[criterion]]
key = "a"
title = "A"
guidance = "g"
citation = "c"
"""


@pytest.mark.parametrize(
    "text,message",
    [
        ("[scale\n", "hiring_rubric.toml"),
        (RUBRIC_OK.replace("max = 5", "max = 1"), "min < max"),
        (RUBRIC_OK.replace('guidance = "g"', ""), '[[criterion]] #1 key "guidance": missing guidance'),
        (RUBRIC_OK + '[[criterion]]\nkey = "a"\ntitle = "B"\nguidance = "g"\ncitation = "c"\n', "duplicate key 'a'"),
        (RUBRIC_OK.replace('key = "a"', 'key = "a b"'), "letters, digits and underscores"),
        ("[scale]\nmin = 1\nmax = 5\n", "no [[criterion]] entries"),
    ],
)
def test_a_bad_rubric_file_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_rubric(text)


COURSE_OK = '[[course]]\nkey = "x"\ntitle = "X"\nhours = 4\nrefresh_months = 12\nsource = "s"\n'


@pytest.mark.parametrize(
    "text,message",
    [
        (COURSE_OK.replace("hours = 4", "hours = 0"), "hours must be"),
        (COURSE_OK.replace("refresh_months = 12", "refresh_months = -1"), "refresh_months must be"),
        (COURSE_OK.replace('source = "s"', ""), "missing source"),
        (COURSE_OK + COURSE_OK, "duplicate key 'x'"),
    ],
)
def test_a_bad_course_file_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_courses(text)
