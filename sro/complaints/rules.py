"""The complaints' rule files: categories (data/categories.toml) and deadlines (data/workflow.toml).

Both are read once per process and validated at start-up (`sro.complaints.checks`); every
problem names its file, line and key.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from sro.core.datafiles import Problem, TomlDocument, read_toml
from sro.incidents.schooldays import next_school_day

DATA_DIR = Path(__file__).resolve().parent / "data"
CATEGORIES_PATH = DATA_DIR / "categories.toml"
WORKFLOW_PATH = DATA_DIR / "workflow.toml"

ASSIGNEES = ("agency", "district", "both")
DEADLINE_FIELDS = ("acknowledge_by", "assign_by", "decide_by", "tell_by")
UNITS = ("school_days", "days")


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    title_es: str
    assign: str
    disclosable: bool
    citation: str


@dataclass(frozen=True)
class Deadline:
    step: str
    field: str
    days: int
    unit: str
    citation: str

    def due(self, received: dt.date) -> dt.date:
        """The last day for the step, counted from the day the complaint was received."""
        if self.unit == "days":
            return received + dt.timedelta(days=self.days)
        day = received
        for _ in range(self.days):
            day = next_school_day(day)
        return day


@dataclass(frozen=True)
class Retention:
    years_not_sustained: int
    years_sustained: int
    citation: str


@dataclass(frozen=True)
class WorkflowRules:
    deadlines: dict[str, Deadline]  # by field
    retention: Retention


def _text(
    doc: TomlDocument, entry: dict[str, object], path: tuple[str | int, ...], key: str, problems: list[Problem]
) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(doc.problem((*path, key), f"missing '{key}'"))
        return ""
    return value.strip()


def check_categories(doc: TomlDocument) -> dict[str, Category]:
    entries = doc.data.get("category")
    if not isinstance(entries, list) or not entries:
        doc.fail([doc.problem(("category",), "no [[category]] entries")])
    problems: list[Problem] = []
    out: dict[str, Category] = {}
    allowed = {"key", "title", "title_es", "assign", "disclosable", "citation"}
    for i, entry in enumerate(entries):
        path = ("category", i)
        if not isinstance(entry, dict):
            problems.append(doc.problem(path, "category: must be a table of keys"))
            continue
        for extra in sorted(set(entry) - allowed):
            problems.append(doc.problem((*path, extra), f"unknown key '{extra}'"))
        key = _text(doc, entry, path, "key", problems)
        title = _text(doc, entry, path, "title", problems)
        title_es = _text(doc, entry, path, "title_es", problems)
        citation = _text(doc, entry, path, "citation", problems)
        assign = entry.get("assign")
        if assign not in ASSIGNEES:
            problems.append(doc.problem((*path, "assign"), f"'assign' must be one of {', '.join(ASSIGNEES)}"))
        disclosable = entry.get("disclosable")
        if not isinstance(disclosable, bool):
            problems.append(doc.problem((*path, "disclosable"), "'disclosable' must be true or false"))
        elif disclosable and "832.7(b)(1)" not in citation:
            problems.append(doc.problem((*path, "citation"), "a disclosable category must cite Penal Code 832.7(b)(1)"))
        if key in out:
            problems.append(doc.problem((*path, "key"), f"category '{key}' is listed twice"))
        elif key:
            out[key] = Category(key, title, title_es, str(assign), bool(disclosable), citation)
    doc.raise_problems(problems)
    return out


def check_workflow(doc: TomlDocument) -> WorkflowRules:
    problems: list[Problem] = []
    deadlines: dict[str, Deadline] = {}
    entries = doc.data.get("deadline")
    if not isinstance(entries, list):
        doc.fail([doc.problem(("deadline",), "no [[deadline]] entries")])
    for i, entry in enumerate(entries):
        path = ("deadline", i)
        if not isinstance(entry, dict):
            problems.append(doc.problem(path, "deadline: must be a table of keys"))
            continue
        for extra in sorted(set(entry) - {"step", "field", "days", "unit", "citation"}):
            problems.append(doc.problem((*path, extra), f"unknown key '{extra}'"))
        step = _text(doc, entry, path, "step", problems)
        citation = _text(doc, entry, path, "citation", problems)
        field = entry.get("field")
        if field not in DEADLINE_FIELDS:
            problems.append(doc.problem((*path, "field"), f"'field' must be one of {', '.join(DEADLINE_FIELDS)}"))
        elif field in deadlines:
            problems.append(doc.problem((*path, "field"), f"a deadline for '{field}' is listed twice"))
        days = entry.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            problems.append(doc.problem((*path, "days"), "'days' must be a whole number of at least 1"))
        unit = entry.get("unit")
        if unit not in UNITS:
            problems.append(doc.problem((*path, "unit"), f"'unit' must be one of {', '.join(UNITS)}"))
        if isinstance(field, str) and field in DEADLINE_FIELDS and field not in deadlines and isinstance(days, int):
            deadlines[field] = Deadline(step, field, days, str(unit), citation)
    for field in DEADLINE_FIELDS:
        if field not in deadlines and not problems:
            problems.append(doc.problem(("deadline",), f"no deadline for '{field}'"))
    ret = doc.data.get("retention")
    retention = Retention(0, 0, "")
    if not isinstance(ret, dict):
        problems.append(doc.problem(("retention",), "missing [retention]"))
    else:
        years = [ret.get("years_not_sustained"), ret.get("years_sustained")]
        if not all(isinstance(y, int) and not isinstance(y, bool) and y >= 5 for y in years):
            problems.append(
                doc.problem(("retention",), "retention: years must be whole numbers, at least 5 (Penal Code 832.5(b))")
            )
        citation = _text(doc, ret, ("retention",), "citation", problems)
        not_sustained, sustained = (y if isinstance(y, int) else 0 for y in years)
        retention = Retention(not_sustained, sustained, citation)
    doc.raise_problems(problems)
    return WorkflowRules(deadlines, retention)


def load_categories(path: Path = CATEGORIES_PATH) -> dict[str, Category]:
    return check_categories(read_toml(path))


def load_workflow(path: Path = WORKFLOW_PATH) -> WorkflowRules:
    return check_workflow(read_toml(path))


@functools.cache
def categories() -> dict[str, Category]:
    return load_categories()


@functools.cache
def workflow_rules() -> WorkflowRules:
    return load_workflow()
