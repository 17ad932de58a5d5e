"""The one loader of the rule data files: every problem named by file, line and key path."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from sro.core.datafiles import (
    DATA_FILES_TAG,
    DataFile,
    DataFileError,
    Problem,
    TomlDocument,
    data_file_errors,
    display_name,
    parse_toml,
    read_toml,
)

SAMPLE = '''# A comment that mentions [[rule]] and key = "x" is not a table or a key.
version = "1"
notes = """
[[rule]]
id = "not a rule: inside a string"
"""

[scale]
min = 1
"max" = 5

[[rule]]
id = "first"
offences = [
  "A",  # a comment inside the array
  "B",
]

[[rule]]
id = "second"
where = { school = "PSHS", rooms = [1, 2] }
site.name = 'Quad'

[[rule.step]]
say = "hello"
'''


class OtherError(DataFileError):
    pass


@pytest.fixture
def doc() -> TomlDocument:
    return parse_toml(SAMPLE, "sample.toml")


@pytest.mark.parametrize(
    ("path", "line", "key"),
    [
        (("version",), 2, 'key "version"'),
        (("notes",), 3, 'key "notes"'),
        (("scale",), 8, "[scale]"),
        (("scale", "max"), 10, '[scale] key "max"'),
        (("scale", "low"), 8, '[scale] key "low"'),  # missing: the table's line
        (("rule", 0), 12, "[[rule]] #1"),
        (("rule", 0, "id"), 13, '[[rule]] #1 key "id"'),
        (("rule", 0, "offences", 1), 16, '[[rule]] #1 key "offences" item 2'),
        (("rule", 1, "id"), 20, '[[rule]] #2 key "id"'),
        (("rule", 1, "facts"), 19, '[[rule]] #2 key "facts"'),
        (("rule", 1, "where", "rooms", 0), 21, '[[rule]] #2 key "where.rooms" item 1'),
        (("rule", 1, "site", "name"), 22, '[[rule]] #2 key "site.name"'),
        (("rule", 1, "step", 0, "say"), 25, '[[rule]] #2 [[rule.step]] #1 key "say"'),
        (("title",), 0, 'key "title"'),  # written nowhere: no line
    ],
)
def test_each_key_path_has_its_line_and_a_readable_name(
    doc: TomlDocument, path: tuple[str | int, ...], line: int, key: str
) -> None:
    assert doc.data["notes"].startswith("[[rule]]")  # the scan did not take the string for a table
    assert doc.line(path) == line
    assert doc.key(path) == key


def test_a_problem_reads_file_line_key_and_message(doc: TomlDocument) -> None:
    p = doc.problem(("rule", 1, "id"), "duplicate id")
    assert str(p) == 'sample.toml, line 20, [[rule]] #2 key "id": duplicate id'
    assert str(doc.problem(("title",), "missing title")) == 'sample.toml, key "title": missing title'
    assert str(doc.problem((), "empty")) == "sample.toml: empty"


def test_every_problem_is_raised_at_once_in_one_error(doc: TomlDocument) -> None:
    problems = [doc.problem(("rule", 0, "id"), "bad id"), doc.problem(("scale", "max"), "too big")]
    with pytest.raises(OtherError) as exc:
        doc.raise_problems(problems, OtherError)
    assert exc.value.problems == problems and exc.value.source == "sample.toml"
    assert str(exc.value).splitlines() == [
        "2 problems in sample.toml:",
        '  sample.toml, line 13, [[rule]] #1 key "id": bad id',
        '  sample.toml, line 10, [scale] key "max": too big',
    ]
    doc.raise_problems([])  # nothing to report: no error


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('version = "1"\n[[rule]]\nid = \n', 'bad.toml, line 3, column 6, [[rule]] #1 key "id"'),
        ("[scale\nmin = 1\n", "bad.toml, line 1, column 7"),
        ("[scale]\nmin = 1\nmin = 2\n", 'bad.toml, line 3, column 8, [scale] key "min"'),
        ('[[a]]\n[[a]]\nx = "no end\n', 'bad.toml, line 3, column 12, [[a]] #2 key "x"'),
    ],
)
def test_a_syntax_error_names_line_column_and_key(text: str, where: str) -> None:
    with pytest.raises(OtherError) as exc:
        parse_toml(text, "bad.toml", error=OtherError)
    [problem] = exc.value.problems
    assert str(problem).startswith(f"{where}: TOML syntax: "), str(problem)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(DataFileError, match=r"nowhere\.toml: cannot read the file"):
        read_toml(missing)
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(DataFileError, match=r"latin1\.toml: cannot read the file"):
        read_toml(bad)


def test_a_file_is_named_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "x.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    assert read_toml(path).source == str(path)
    monkeypatch.chdir(tmp_path)
    assert display_name(path) == str(Path("data") / "x.toml")
    assert read_toml(path).data == {"a": 1}


def test_each_problem_becomes_one_system_check_error(tmp_path: Path) -> None:
    def broken(path: Path) -> object:
        doc = read_toml(path)
        doc.fail([doc.problem(("rule", 0, "id"), "bad id"), doc.problem(("scale", "max"), "too big")])

    path = tmp_path / "sample.toml"
    path.write_text(SAMPLE, encoding="utf-8")
    ok = tmp_path / "ok.toml"
    ok.write_text("a = 1\n", encoding="utf-8")
    files = [DataFile(path, broken), DataFile(ok, read_toml), DataFile(path, broken)]  # the same problems once
    errors = data_file_errors(files, check_id="core.E900")
    assert [(e.id, e.obj, e.msg) for e in errors] == [
        ("core.E900", str(path), 'line 13, [[rule]] #1 key "id": bad id'),
        ("core.E900", str(path), 'line 10, [scale] key "max": too big'),
    ]
    assert str(errors[0]) == f'{path}: (core.E900) line 13, [[rule]] #1 key "id": bad id'


def test_a_problem_without_a_location_is_just_its_message() -> None:
    assert str(Problem(0, "something")) == "something"


def test_manage_py_check_passes_on_the_shipped_data_files() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()
    out = StringIO()
    call_command("check", "--tag", DATA_FILES_TAG, stdout=out)
    assert "no issues" in out.getvalue()
