"""The start-up check of the hiring rubric and the courses: a broken copy is an Error naming file, line and key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.checks.registry import registry

from sro.staffing import checks
from sro.staffing.catalogues import COURSES_PATH, RUBRIC_PATH


def _broken(text: str, old: str, new: str, header: str) -> tuple[str, int, int]:
    """`text` with the first line that reads `old` reading `new`; its line, and which `[[header]]` (from 1) holds it."""
    lines = text.splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.strip() == old)
    lines[n] = lines[n].replace(old, new)
    return "".join(lines), n + 1, sum(line.strip() == f"[[{header}]]" for line in lines[:n])


def test_the_check_is_registered() -> None:
    assert checks.check_data_files in registry.get_checks()


@pytest.mark.parametrize(
    ("shipped", "old", "new", "table", "key", "message"),
    [
        (RUBRIC_PATH, "max = 5", "max = 1", "[scale]", "max", "[scale] needs whole numbers min < max"),
        (RUBRIC_PATH, 'key = "de_escalation"', 'key = "de escalation"', "[[criterion]]", "key", "must be letters"),
        (COURSES_PATH, "hours = 40", "hours = 0", "[[course]]", "hours", "hours must be a whole number above 0"),
        (COURSES_PATH, "refresh_months = 0", "refresh_months = -1", "[[course]]", "refresh_months", "0 or more"),
    ],
)
def test_a_broken_file_is_an_error_naming_file_line_and_key(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shipped: Path,
    old: str,
    new: str,
    table: str,
    key: str,
    message: str,
) -> None:
    broken, line, ordinal = _broken(shipped.read_text(encoding="utf-8"), old, new, table.strip("[]"))
    copy = tmp_path / shipped.name
    copy.write_text(broken, encoding="utf-8")
    files = tuple(dataclasses.replace(f, path=copy) if f.path == shipped else f for f in checks.DATA_FILES)
    monkeypatch.setattr(checks, "DATA_FILES", files)
    [error] = checks.check_data_files()
    assert error.id == "staffing.E001" and error.obj == str(copy)
    if table.startswith("[["):
        table += f" #{ordinal}"
    assert error.msg.startswith(f'line {line}, {table} key "{key}": '), error.msg
    assert message in error.msg
