"""The hiring rubric (data/hiring_rubric.toml) and the course catalogue (data/courses.toml).

Both are read once, validated (every problem named), and checked at start-up by the system
check in `checks.py` (through `sro/core/datafiles.py`: every problem with its file, line and key),
so a bad edit stops the site before it answers anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sro.core.datafiles import DataFileError, Problem, TomlDocument, parse_toml, read_toml

DATA_DIR = Path(__file__).parent / "data"
RUBRIC_PATH = DATA_DIR / "hiring_rubric.toml"
COURSES_PATH = DATA_DIR / "courses.toml"


class CatalogueError(DataFileError):
    """A data file is unreadable or invalid; the message names every problem with its line and key."""


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    guidance: str
    citation: str


@dataclass(frozen=True)
class Rubric:
    version: str
    scale_min: int
    scale_max: int
    low: str
    high: str
    criteria: tuple[Criterion, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


@dataclass(frozen=True)
class Course:
    key: str
    title: str
    hours: int
    refresh_months: int  # 0: taken once, never expires
    source: str


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entries(
    doc: TomlDocument, name: str, fields: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, Any]]]:
    """The `[[name]]` entries (with their position) that have every field; a problem for each missing or bad key."""
    entries = doc.data.get(name, [])
    if not isinstance(entries, list) or not entries:
        problems.append(doc.problem((name,), f"no [[{name}]] entries"))
        return []
    seen: dict[str, int] = {}
    complete = []
    for i, raw in enumerate(entries):
        if not isinstance(raw, dict):
            problems.append(doc.problem((name, i), "must be a table of keys"))
            continue
        missing = [f for f in fields if raw.get(f) in (None, "")]
        problems += [doc.problem((name, i, f), f"missing {f}") for f in missing]
        key = str(raw.get("key", ""))
        if key in seen:
            problems.append(doc.problem((name, i, "key"), f"duplicate key '{key}' (first at line {seen[key]})"))
        elif key and not key.replace("_", "").isalnum():
            problems.append(doc.problem((name, i, "key"), f"key '{key}' must be letters, digits and underscores"))
        seen.setdefault(key, doc.line((name, i, "key")))
        if not missing:
            complete.append((i, raw))
    return complete


def parse_rubric(text: str, source: str = "hiring_rubric.toml") -> Rubric:
    return check_rubric(parse_toml(text, source, error=CatalogueError))


def check_rubric(doc: TomlDocument) -> Rubric:
    """The rubric of a parsed file; CatalogueError lists every problem with its line and key."""
    problems: list[Problem] = []
    scale: dict[str, Any] = doc.data.get("scale", {}) if isinstance(doc.data.get("scale"), dict) else {}
    lo: Any = scale.get("min")
    hi: Any = scale.get("max")
    if not _whole(lo) or not _whole(hi) or lo >= hi:
        where = ("scale", "min") if not _whole(lo) else ("scale", "max")
        problems.append(doc.problem(where, f"[scale] needs whole numbers min < max (found {lo!r}, {hi!r})"))
    entries = _entries(doc, "criterion", ("key", "title", "guidance", "citation"), problems)
    doc.raise_problems(problems, CatalogueError)
    criteria = tuple(Criterion(e["key"], e["title"], e["guidance"], e["citation"]) for _, e in entries)
    return Rubric(
        str(doc.data.get("version", "")), lo, hi, str(scale.get("low", "")), str(scale.get("high", "")), criteria
    )


def parse_courses(text: str, source: str = "courses.toml") -> tuple[Course, ...]:
    return check_courses(parse_toml(text, source, error=CatalogueError))


def check_courses(doc: TomlDocument) -> tuple[Course, ...]:
    """The courses of a parsed file; CatalogueError lists every problem with its line and key."""
    problems: list[Problem] = []
    entries = _entries(doc, "course", ("key", "title", "hours", "refresh_months", "source"), problems)
    for i, e in entries:
        if not _whole(e["hours"]) or e["hours"] <= 0:
            problems.append(doc.problem(("course", i, "hours"), "hours must be a whole number above 0"))
        if not _whole(e["refresh_months"]) or e["refresh_months"] < 0:
            problems.append(
                doc.problem(
                    ("course", i, "refresh_months"),
                    "refresh_months must be a whole number, 0 or more (0: never expires)",
                )
            )
    doc.raise_problems(problems, CatalogueError)
    return tuple(Course(e["key"], e["title"], e["hours"], e["refresh_months"], e["source"]) for _, e in entries)


def load_rubric(path: Path = RUBRIC_PATH) -> Rubric:
    return check_rubric(read_toml(path, error=CatalogueError))


def load_courses(path: Path = COURSES_PATH) -> tuple[Course, ...]:
    return check_courses(read_toml(path, error=CatalogueError))


@cache
def rubric() -> Rubric:
    return load_rubric(RUBRIC_PATH)


@cache
def courses() -> tuple[Course, ...]:
    return load_courses(COURSES_PATH)


def course_keys() -> tuple[str, ...]:
    return tuple(c.key for c in courses())
