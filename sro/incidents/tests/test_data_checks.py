"""The start-up check of the offence catalogue, the routing policy and the RIPA codes.

A broken copy of each file fails `manage.py check` with an Error naming its file, line and key.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core.checks.registry import registry
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sro.incidents import checks
from sro.incidents.catalogue import OFFENCES_PATH
from sro.incidents.codes import VERSION_PATHS
from sro.incidents.policy import POLICY_PATH


def _break(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shipped: Path, old: str, new: str) -> tuple[Path, str]:
    """A copy of `shipped` with `old` replaced by `new`, checked in its place; the copy and its text."""
    text = shipped.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    copy = tmp_path / shipped.name
    copy.write_text(broken, encoding="utf-8")
    files = tuple(dataclasses.replace(f, path=copy) if f.path == shipped else f for f in checks.DATA_FILES)
    monkeypatch.setattr(checks, "DATA_FILES", files)
    return copy, broken


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _ordinal(text: str, header: str, needle: str) -> int:
    """Which `[[header]]` entry (from 1) holds `needle`."""
    return sum(line.strip() == f"[[{header}]]" for line in text[: text.index(needle)].splitlines())


def test_the_shipped_files_pass_and_the_check_is_registered() -> None:
    assert checks.check_data_files() == []
    assert checks.check_data_files in registry.get_checks()


@pytest.mark.parametrize(
    ("shipped", "old", "new", "header", "key", "message"),
    [
        (OFFENCES_PATH, 'code = "48900(b)"', 'code = ""', "offence", "code", "offence: missing 'code'"),
        (OFFENCES_PATH, 'code = "48900(c)"', 'kode = "48900(c)"', "offence", "kode", "unknown key 'kode'"),
        (POLICY_PATH, 'route = "emergency"', 'route = "arrest_everyone"', "rule", "route", "unknown route"),
        (POLICY_PATH, 'offences = ["PC245"]', 'offences = ["PC999"]', "rule", "offences", "unknown offence code"),
    ],
)
def test_a_broken_entry_is_an_error_naming_file_line_and_key(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shipped: Path,
    old: str,
    new: str,
    header: str,
    key: str,
    message: str,
) -> None:
    copy, broken = _break(monkeypatch, tmp_path, shipped, old, new)
    errors = checks.check_data_files()
    [error] = [e for e in errors if message in e.msg]
    assert error.id == "incidents.E001" and error.obj == str(copy)
    where = f'line {_line_of(broken, new)}, [[{header}]] #{_ordinal(broken, header, new)} key "{key}"'
    assert str(error).startswith(f"{copy}: (incidents.E001) {where}"), str(error)


def test_a_broken_ripa_code_is_an_error_naming_its_table_and_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new = '3 = ["RAE_HISPANIC_LATINO"]'
    old = '3 = ["RAE_HISPANIC_LATINO", "Hispanic/Latino(a)"]'
    copy, broken = _break(monkeypatch, tmp_path, VERSION_PATHS[0], old, new)
    [error] = checks.check_data_files()
    assert error.obj == str(copy)
    expected = '[race] 3: expected a number = ["COLUMN", "label"(, public code)]'
    assert error.msg == f'line {_line_of(broken, new)}, [race] key "3": {expected}'


@pytest.mark.parametrize("path", VERSION_PATHS, ids=lambda p: p.stem)
def test_a_code_list_without_its_effective_date_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("effective_from ="))
    copy, _ = _break(monkeypatch, tmp_path, path, line, 'effective_from = "soon"')
    [error] = checks.check_data_files()
    assert error.obj == str(copy) and "effective_from: missing or not valid ('soon')" in error.msg


def test_a_ripa_group_naming_an_unknown_code_points_at_the_item(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = VERSION_PATHS[-1].read_text(encoding="utf-8")
    start = text.index("[action_groups]")
    line = text[start:].splitlines()[1]  # e.g. police = [1, 2, ...]
    key, _, codes = line.partition("=")
    new = f"{key.strip()} = [999, {codes.strip()[1:]}"
    copy, broken = _break(monkeypatch, tmp_path, VERSION_PATHS[-1], line, new)
    [error] = checks.check_data_files()
    assert error.obj == str(copy)
    assert error.msg.startswith(f'line {_line_of(broken, new)}, [action_groups] key "{key.strip()}" item 1: ')


def test_a_toml_syntax_error_names_line_column_and_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy, broken = _break(monkeypatch, tmp_path, POLICY_PATH, 'route = "emergency"', "route = emergency")
    [error] = checks.check_data_files()
    line = _line_of(broken, "route = emergency")
    ordinal = _ordinal(broken, "rule", "route = emergency")
    assert error.obj == str(copy)
    assert error.msg.startswith(f'line {line}, column 9, [[rule]] #{ordinal} key "route": TOML syntax: '), error.msg


def test_every_problem_is_listed_and_manage_py_check_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = OFFENCES_PATH.read_text(encoding="utf-8")
    broken = text.replace('code = "48900(b)"', 'code = ""', 1).replace('code = "48900(c)"', 'kode = "48900(c)"', 1)
    copy = tmp_path / "offences.toml"
    copy.write_text(broken, encoding="utf-8")
    files = tuple(dataclasses.replace(f, path=copy) if f.path == OFFENCES_PATH else f for f in checks.DATA_FILES)
    monkeypatch.setattr(checks, "DATA_FILES", files)
    missing, unknown = _line_of(broken, 'code = ""'), _line_of(broken, "kode = ")
    errors = checks.check_data_files()
    assert {e.msg.split(",")[0] for e in errors} >= {f"line {missing}", f"line {unknown}"}
    with pytest.raises(SystemCheckError) as exc:
        call_command("check")
    out = str(exc.value)
    assert f"{copy}: (incidents.E001) line {unknown}" in out
    assert "unknown key 'kode'" in out and "missing 'code'" in out
