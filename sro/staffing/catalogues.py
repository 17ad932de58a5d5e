"""The hiring rubric (data/hiring_rubric.toml) and the course catalogue (data/courses.toml).

Both are read once, validated (every problem named), and checked at start-up by the system
check in `apps.py`, so a bad edit stops the site before it answers anyone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
RUBRIC_PATH = DATA_DIR / "hiring_rubric.toml"
COURSES_PATH = DATA_DIR / "courses.toml"


class CatalogueError(ValueError):
    """A data file is unreadable or invalid; the message names every problem."""


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


def _load(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: {exc}") from None


def _entries(data: dict[str, Any], name: str, fields: tuple[str, ...], source: str) -> list[dict[str, Any]]:
    problems: list[str] = []
    seen: set[str] = set()
    entries = data.get(name, [])
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{source}: no [[{name}]] entries")
    for i, raw in enumerate(entries, start=1):
        missing = [f for f in fields if raw.get(f) in (None, "")]
        if missing:
            problems.append(f"{name} {i}: missing {', '.join(missing)}")
        key = str(raw.get("key", ""))
        if key in seen:
            problems.append(f"{name} {i}: duplicate key '{key}'")
        elif key and not key.replace("_", "").isalnum():
            problems.append(f"{name} {i}: key '{key}' must be letters, digits and underscores")
        seen.add(key)
    if problems:
        raise CatalogueError(f"{source}: " + "; ".join(problems))
    return entries


def parse_rubric(text: str, source: str = "hiring_rubric.toml") -> Rubric:
    data = _load(text, source)
    scale = data.get("scale", {})
    lo, hi = scale.get("min"), scale.get("max")
    if not isinstance(lo, int) or not isinstance(hi, int) or lo >= hi:
        raise CatalogueError(f"{source}: [scale] needs whole numbers min < max (found {lo!r}, {hi!r})")
    entries = _entries(data, "criterion", ("key", "title", "guidance", "citation"), source)
    criteria = tuple(Criterion(e["key"], e["title"], e["guidance"], e["citation"]) for e in entries)
    return Rubric(str(data.get("version", "")), lo, hi, str(scale.get("low", "")), str(scale.get("high", "")), criteria)


def parse_courses(text: str, source: str = "courses.toml") -> tuple[Course, ...]:
    data = _load(text, source)
    entries = _entries(data, "course", ("key", "title", "hours", "refresh_months", "source"), source)
    problems = []
    for i, e in enumerate(entries, start=1):
        if not isinstance(e["hours"], int) or e["hours"] <= 0:
            problems.append(f"course {i}: hours must be a whole number above 0")
        if not isinstance(e["refresh_months"], int) or e["refresh_months"] < 0:
            problems.append(f"course {i}: refresh_months must be a whole number, 0 or more (0: never expires)")
    if problems:
        raise CatalogueError(f"{source}: " + "; ".join(problems))
    return tuple(Course(e["key"], e["title"], e["hours"], e["refresh_months"], e["source"]) for e in entries)


@cache
def rubric() -> Rubric:
    return parse_rubric(RUBRIC_PATH.read_text(encoding="utf-8"), RUBRIC_PATH.name)


@cache
def courses() -> tuple[Course, ...]:
    return parse_courses(COURSES_PATH.read_text(encoding="utf-8"), COURSES_PATH.name)


def course_keys() -> tuple[str, ...]:
    return tuple(c.key for c in courses())
