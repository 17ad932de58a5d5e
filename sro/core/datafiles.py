"""One loader for the rule data files (TOML), reporting every problem with its file, line and key.

The rules that lawyers and administrators read (the clause catalogue, the offences, the routing
policy, the RIPA codes, the training courses, the hiring rubric) live in TOML files inside each
app. Every one of them is read here:

    doc = read_toml(path)                          # or parse_toml(text, source)
    problems = [doc.problem(("offence", 6, "code"), "missing 'code'")]
    doc.raise_problems(problems)                    # one DataFileError listing every problem

`doc.data` is what `tomllib` parsed; the app's loader checks its own schema and names each
problem by its key path (table names, the 0-based position in an `[[array]]`, key names, the
0-based position in an array value). `tomllib` keeps no positions, so the line of each key path
comes from a small scan of the source (table headers `[x]`, `[[x]]` with their ordinal, `key =`
lines, inline tables and array items). A problem reads:

    sro/incidents/data/offences.toml, line 44, [[offence]] #7 key "code": offence: missing 'code'

`data_file_errors` turns the problems of a list of data files into Django system-check errors:
each app's `checks.py` registers its files so `manage.py check` (and every start-up) refuses a
broken one. This module is generic: it imports nothing from the apps.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

from django.core import checks

KeyPath = tuple[str | int, ...]

_SYNTAX_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_SYNTAX_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_KEY_ON_LINE = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


@dataclass(frozen=True)
class Problem:
    """One problem in a data file: its line (0: none), the key path where it is, and what is wrong."""

    line: int
    message: str
    source: str = ""
    key: str = ""  # e.g. '[[offence]] #7 key "code"'; "" for the whole file
    column: int = 0

    @property
    def where(self) -> str:
        """'<file>, line 42, [[offence]] #7 key "code"' (the parts that are known)."""
        parts = [self.source] if self.source else []
        if self.line:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.key:
            parts.append(self.key)
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class DataFileError(ValueError):
    """A data file is unreadable or invalid; `problems` lists every problem, each with its location."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = str(self.problems[0])
        else:
            text = f"{len(self.problems)} problems in {source}:\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(text)


def display_name(path: Path) -> str:
    """The path as a reader finds it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


@dataclass
class TomlDocument:
    """A parsed data file that knows where each of its key paths is written."""

    source: str
    text: str
    data: dict[str, Any]

    @cached_property
    def index(self) -> _Index:
        return _Index(self.text)

    def line(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest enclosing key or table that is written (0: none)."""
        return self.index.line(path)

    def key(self, path: KeyPath) -> str:
        """`path` as a reader finds it: '[[rule]] #3 key "route"', '[scale] key "min"', 'key "version"'."""
        return self.index.describe(path)

    def problem(self, path: KeyPath, message: str) -> Problem:
        """A problem at `path` (a key that is missing is reported at the table that should hold it)."""
        return Problem(self.line(path), message, self.source, self.key(path))

    def raise_problems(self, problems: Sequence[Problem], error: type[DataFileError] = DataFileError) -> None:
        """Raise one `error` listing every problem (in the order found), if there is any."""
        if problems:
            self.fail(problems, error)

    def fail(self, problems: Sequence[Problem], error: type[DataFileError] = DataFileError) -> NoReturn:
        """Raise one `error` listing `problems` (for a problem that stops the check at once)."""
        raise error(self.source, problems)


def parse_toml(text: str, source: str, *, error: type[DataFileError] = DataFileError) -> TomlDocument:
    """Parse TOML text; a syntax error raises `error` naming the line, column and the table it is in."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _raise_syntax_error(exc, text, source, error)
    return TomlDocument(source, text, data)


def read_toml(path: Path, source: str | None = None, *, error: type[DataFileError] = DataFileError) -> TomlDocument:
    """Read and parse a data file; `source` (default: the path, relative when it can be) names it in problems."""
    name = source or display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(name, [Problem(0, f"cannot read the file ({exc})", name)]) from None
    return parse_toml(text, name, error=error)


def _raise_syntax_error(exc: tomllib.TOMLDecodeError, text: str, source: str, error: type[DataFileError]) -> NoReturn:
    message, line, column = str(exc), 0, 0
    if m := _SYNTAX_AT.search(message):
        message, line, column = message[: m.start()], int(m.group(1)), int(m.group(2))
    elif m := _SYNTAX_AT_END.search(message):
        message, line = message[: m.start()], text.count("\n") + 1
    key = ""
    if line:
        lines = text.splitlines()
        before = _Index("\n".join(lines[: line - 1]))  # the tables opened above the faulty line
        path = before.table
        if line <= len(lines) and (m := _KEY_ON_LINE.match(lines[line - 1])):
            path = (*path, *_split_key(m.group(1)))
        key = before.describe(path)
    raise error(source, [Problem(line, f"TOML syntax: {message}", source, key, column)]) from None


def _split_key(raw: str) -> KeyPath:
    scanner = _Scanner(raw + " = 0")
    try:
        return tuple(scanner.key())
    except _Stop:
        return ()


class _Stop(Exception):
    """The scan met something it does not follow; keep what it found so far."""


class _Scanner:
    """Walks TOML source, recording the line of every table header, key and array item."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.lineno = 1

    def _advance(self, n: int) -> None:
        self.lineno += self.s.count("\n", self.i, self.i + n)
        self.i += n

    def _char(self) -> str:
        if self.i >= len(self.s):
            raise _Stop
        return self.s[self.i]

    def expect(self, token: str) -> None:
        if not self.s.startswith(token, self.i):
            raise _Stop
        self._advance(len(token))

    def inline_space(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def blank(self) -> None:
        """Skip spaces, newlines and comments."""
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r\n":
                self._advance(1)
            elif c == "#":
                end = self.s.find("\n", self.i)
                self.i = len(self.s) if end < 0 else end
            else:
                return

    def key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.inline_space()
            c = self._char()
            if c == '"':
                end = self._basic_string_end(self.i)
                parts.append(tomllib.loads("k = " + self.s[self.i : end])["k"])
                self._advance(end - self.i)
            elif c == "'":
                end = self.s.find("'", self.i + 1)
                if end < 0:
                    raise _Stop
                parts.append(self.s[self.i + 1 : end])
                self._advance(end + 1 - self.i)
            else:
                m = _BARE_KEY.match(self.s, self.i)
                if not m:
                    raise _Stop
                parts.append(m.group())
                self._advance(len(m.group()))
            self.inline_space()
            if self.i < len(self.s) and self.s[self.i] == ".":
                self._advance(1)
                continue
            return parts

    def _basic_string_end(self, start: int) -> int:
        j = start + 1
        while True:
            if j >= len(self.s) or self.s[j] == "\n":
                raise _Stop
            if self.s[j] == "\\":
                j += 2
            elif self.s[j] == '"':
                return j + 1
            else:
                j += 1

    def _multiline_end(self, start: int, quote: str) -> int:
        j = start + 3
        while j < len(self.s):
            if quote == '"' and self.s[j] == "\\":
                j += 2
            elif self.s.startswith(quote * 3, j):
                end = j + 3
                while end < len(self.s) and self.s[end] == quote and end - j < 5:
                    end += 1  # up to two quotes may close the string's content
                return end
            else:
                j += 1
        raise _Stop

    def value(self, path: KeyPath, record: Callable[[KeyPath, int], None]) -> None:
        c = self._char()
        if self.s.startswith('"""', self.i) or self.s.startswith("'''", self.i):
            self._advance(self._multiline_end(self.i, c) - self.i)
        elif c == '"':
            self._advance(self._basic_string_end(self.i) - self.i)
        elif c == "'":
            end = self.s.find("'", self.i + 1)
            if end < 0:
                raise _Stop
            self._advance(end + 1 - self.i)
        elif c == "[":
            self._advance(1)
            n = 0
            while True:
                self.blank()
                if self._char() == "]":
                    self._advance(1)
                    return
                record((*path, n), self.lineno)
                self.value((*path, n), record)
                n += 1
                self.blank()
                if self._char() == ",":
                    self._advance(1)
        elif c == "{":
            self._advance(1)
            while True:
                self.blank()
                if self._char() == "}":
                    self._advance(1)
                    return
                line = self.lineno
                full = (*path, *self.key())
                self.expect("=")
                self.inline_space()
                record(full, line)
                self.value(full, record)
                self.blank()
                if self._char() == ",":
                    self._advance(1)
        else:
            m = _SCALAR.match(self.s, self.i)
            if not m or not m.group().strip():
                raise _Stop
            self._advance(len(m.group()))


class _Index:
    """Where each key path of a TOML text is written, and which paths are tables."""

    def __init__(self, text: str) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.tables: dict[KeyPath, bool] = {}  # header path -> True for an [[array]] element
        self.table: KeyPath = ()  # the table open where the scan stopped
        self._arrays: dict[KeyPath, int] = {}  # [[array]] path -> how many elements so far
        scanner = _Scanner(text)
        with contextlib.suppress(_Stop, tomllib.TOMLDecodeError):
            self._scan(scanner)

    def _record(self, path: KeyPath, line: int) -> None:
        for n in range(len(self.table) + 1, len(path) + 1):
            self.lines.setdefault(path[:n], line)

    def _header(self, keys: list[str], array: bool, line: int) -> KeyPath:
        path: KeyPath = ()
        for n, k in enumerate(keys):
            path = (*path, k)
            self.lines.setdefault(path, line)
            if array and n == len(keys) - 1:
                count = self._arrays.get(path, 0)
                self._arrays[path] = count + 1
                path = (*path, count)
            elif path in self._arrays:
                path = (*path, self._arrays[path] - 1)
        self.lines[path] = line
        self.tables[path] = array
        return path

    def _scan(self, sc: _Scanner) -> None:
        while True:
            sc.blank()
            if sc.i >= len(sc.s):
                return
            line = sc.lineno
            if sc.s.startswith("[[", sc.i):
                sc.i += 2
                keys = sc.key()
                sc.expect("]]")
                self.table = self._header(keys, True, line)
            elif sc.s[sc.i] == "[":
                sc.i += 1
                keys = sc.key()
                sc.expect("]")
                self.table = self._header(keys, False, line)
            else:
                full = (*self.table, *sc.key())
                sc.expect("=")
                sc.inline_space()
                self._record(full, line)
                sc.value(full, self._record_item)

    def _record_item(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    def line(self, path: KeyPath) -> int:
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return 0

    def describe(self, path: KeyPath) -> str:
        n = next((n for n in range(len(path), 0, -1) if path[:n] in self.tables), 0)
        if not n:  # no header written for it: an [[array]] element up to the first position
            n = next((k + 1 for k, part in enumerate(path) if isinstance(part, int)), 0)
        head: list[str] = []
        names: list[str] = []
        for k, part in enumerate(path[:n]):
            if isinstance(part, int):
                head.append(f"[[{'.'.join(names)}]] #{part + 1}")
            else:
                names.append(_key_text(part))
                if k == n - 1:
                    head.append(f"[{'.'.join(names)}]")
        tail: list[str] = []
        keys: list[str] = []
        for seg in (*path[n:], None):
            if isinstance(seg, str):
                keys.append(seg if _BARE_KEY.fullmatch(seg) else f"'{seg}'")
                continue
            if keys:
                tail.append(f'key "{".".join(keys)}"')
                keys = []
            if seg is not None:
                tail.append(f"item {seg + 1}")
        return " ".join([*head, *tail])


def _key_text(part: str) -> str:
    return part if _BARE_KEY.fullmatch(part) else '"' + part.replace('"', '\\"') + '"'


DATA_FILES_TAG = "data_files"  # `manage.py check --tag data_files` checks only the data files


@dataclass(frozen=True)
class DataFile:
    """A data file an app checks at start-up: its path and the app's loader (which raises DataFileError)."""

    path: Path
    load: Callable[[Path], object]


def data_file_errors(files: Iterable[DataFile], *, check_id: str) -> list[checks.CheckMessage]:
    """Load every file; each problem becomes one system-check Error naming its file, line and key."""
    errors: list[checks.CheckMessage] = []
    seen: set[str] = set()
    for f in files:
        try:
            f.load(f.path)
        except DataFileError as exc:
            for p in exc.problems:
                if str(p) not in seen:  # a file read by two loaders (offences, by the policy) counts once
                    seen.add(str(p))
                    errors.append(checks.Error(str(replace(p, source="")), obj=p.source, id=check_id))
    return errors
