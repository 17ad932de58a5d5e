"""The start-up check of the clause catalogue: a broken copy is an Error naming its file, line and key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.checks.registry import registry

from sro.contracts import checks
from sro.contracts.catalogue import CATALOGUE_PATH


def _broken(text: str, old: str, new: str, header: str) -> tuple[str, int, int]:
    """`text` with the first line that reads `old` reading `new`; its line, and which `[[header]]` (from 1) holds it."""
    lines = text.splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.strip() == old)
    lines[n] = lines[n].replace(old, new)
    return "".join(lines), n + 1, sum(line.strip() == f"[[{header}]]" for line in lines[:n])


def test_the_shipped_catalogue_passes_and_the_check_is_registered() -> None:
    assert checks.check_data_files() == []
    assert checks.check_data_files in registry.get_checks()


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('citation = "SECURe Rubric, Action Step 3"', 'citation = ""', "citation", "missing citation"),
        (
            'key = "joint_selection"',
            'key = "role_definition"',
            "key",
            "duplicate key 'role_definition' (first at line ",
        ),
        ("required = true", 'required = "yes"', "required", "required must be true or false"),
    ],
)
def test_a_broken_catalogue_is_an_error_naming_file_line_and_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    broken, line, ordinal = _broken(CATALOGUE_PATH.read_text(encoding="utf-8"), old, new, "element")
    copy = tmp_path / CATALOGUE_PATH.name
    copy.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(checks, "DATA_FILES", (dataclasses.replace(checks.DATA_FILES[0], path=copy),))
    [error] = checks.check_data_files()
    assert error.id == "contracts.E001" and error.obj == str(copy)
    where = f'line {line}, [[element]] #{ordinal} key "{key}"'
    assert error.msg.startswith(f"{where}: {message}"), error.msg
