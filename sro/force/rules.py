"""The force app's data files, read and validated once (every problem named with its line and key).

- `data/force_types.toml`: the types of force (with the RIPA action columns of either era that
  record each one, and the URSUS type it is filed as), the de-escalation list, the medical aid list;
- `data/rules.toml`: the report and review deadlines, the early-intervention rules, the categories
  that require a joint review;
- `data/ursus.toml`: the URSUS data elements recorded under Gov. Code 12525.2.

`checks.py` checks all three at start-up.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sro.core.datafiles import Problem, TomlDocument, read_toml

DATA_DIR = Path(__file__).resolve().parent / "data"
TYPES_PATH = DATA_DIR / "force_types.toml"
RULES_PATH = DATA_DIR / "rules.toml"
URSUS_PATH = DATA_DIR / "ursus.toml"

EI_KINDS = ("force_reports", "complaints", "sustained_findings", "force_not_within_policy")
FILLS = ("report", "school", "const", "entered")


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class ForceType:
    key: str
    label: str
    ripa: tuple[str, ...]
    ursus: str
    source: str


@dataclass(frozen=True)
class ForceLists:
    version: str
    types: tuple[ForceType, ...]
    deescalation: tuple[Choice, ...]
    medical_aid: tuple[Choice, ...]

    @property
    def force_columns(self) -> frozenset[str]:
        """Every RIPA action column (either era) that records a use of force or restraint."""
        return frozenset(c for t in self.types for c in t.ripa)

    def type_label(self, key: str) -> str:
        return next((t.label for t in self.types if t.key == key), key)

    def types_for_columns(self, columns: set[str]) -> list[str]:
        """The force types the RIPA action columns of a contact record (first match of each column)."""
        return [t.key for t in self.types if set(t.ripa) & columns and not _earlier(self.types, t, columns)]


def _earlier(types: tuple[ForceType, ...], t: ForceType, columns: set[str]) -> bool:
    """True when an earlier type already claims every column of `t` present (one type per column)."""
    mine = set(t.ripa) & columns
    before = {c for u in types[: types.index(t)] for c in u.ripa}
    return mine <= before


@dataclass(frozen=True)
class EIRule:
    key: str
    kind: str
    threshold: int
    window_days: int
    reason: str


@dataclass(frozen=True)
class Rules:
    version: str
    report_days: int
    report_reason: str
    review_school_days: int
    review_reason: str
    early_intervention: tuple[EIRule, ...]
    joint_review_reason: str
    joint_review_categories: dict[str, str]  # finding category -> clause catalogue category


@dataclass(frozen=True)
class Element:
    name: str
    label: str
    source: str
    fill: str
    choices: tuple[str, ...] = ()
    multi: bool = False
    optional: bool = False

    @property
    def entered(self) -> bool:
        return self.fill == "entered"


def _text(doc: TomlDocument, path: tuple[str | int, ...], value: Any, problems: list[Problem]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(doc.problem(path, "must be a non-empty text"))
        return ""
    return value


def _int(doc: TomlDocument, path: tuple[str | int, ...], value: Any, problems: list[Problem], low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        problems.append(doc.problem(path, f"must be a whole number of at least {low}"))
        return low
    return value


def _choices(doc: TomlDocument, table: str, problems: list[Problem]) -> tuple[Choice, ...]:
    raw = doc.data.get(table)
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem((table,), f"missing [[{table}]]"))
        return ()
    out: list[Choice] = []
    for i, item in enumerate(raw):
        key = _text(doc, (table, i, "key"), item.get("key"), problems)
        label = _text(doc, (table, i, "label"), item.get("label"), problems)
        if key in {c.key for c in out}:
            problems.append(doc.problem((table, i, "key"), f"duplicate key '{key}'"))
        out.append(Choice(key, label))
    return tuple(out)


def check_types(doc: TomlDocument) -> ForceLists:
    problems: list[Problem] = []
    types: list[ForceType] = []
    raw = doc.data.get("type")
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem(("type",), "missing [[type]]"))
        raw = []
    for i, item in enumerate(raw):
        key = _text(doc, ("type", i, "key"), item.get("key"), problems)
        if key in {t.key for t in types}:
            problems.append(doc.problem(("type", i, "key"), f"duplicate key '{key}'"))
        ripa = item.get("ripa")
        if not isinstance(ripa, list) or not all(isinstance(c, str) and c.isupper() for c in ripa):
            problems.append(doc.problem(("type", i, "ripa"), "must list RIPA action column names (upper case)"))
            ripa = []
        types.append(
            ForceType(
                key=key,
                label=_text(doc, ("type", i, "label"), item.get("label"), problems),
                ripa=tuple(ripa),
                ursus=_text(doc, ("type", i, "ursus"), item.get("ursus"), problems),
                source=_text(doc, ("type", i, "source"), item.get("source"), problems),
            )
        )
    for required in (
        "handcuffs",
        "takedown",
        "control_hold",
        "electronic_control_device",
        "oc_spray",
        "firearm_pointed",
        "impact_weapon",
        "canine",
        "other",
    ):
        if types and required not in {t.key for t in types}:
            problems.append(doc.problem(("type",), f"the list must include '{required}'"))
    deescalation = _choices(doc, "deescalation", problems)
    medical_aid = _choices(doc, "medical_aid", problems)
    doc.raise_problems(problems)
    return ForceLists(str(doc.data.get("version", "")), tuple(types), deescalation, medical_aid)


def check_rules(doc: TomlDocument) -> Rules:
    problems: list[Problem] = []
    d = doc.data.get("deadlines")
    if not isinstance(d, dict):
        problems.append(doc.problem(("deadlines",), "missing [deadlines]"))
        d = {}
    rules: list[EIRule] = []
    raw = doc.data.get("early_intervention")
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem(("early_intervention",), "missing [[early_intervention]]"))
        raw = []
    for i, item in enumerate(raw):
        path: tuple[str | int, ...] = ("early_intervention", i)
        kind = item.get("kind")
        if kind not in EI_KINDS:
            problems.append(doc.problem((*path, "kind"), f"must be one of {', '.join(EI_KINDS)}"))
        key = _text(doc, (*path, "key"), item.get("key"), problems)
        if key in {r.key for r in rules}:
            problems.append(doc.problem((*path, "key"), f"duplicate key '{key}'"))
        rules.append(
            EIRule(
                key=key,
                kind=str(kind),
                threshold=_int(doc, (*path, "threshold"), item.get("threshold"), problems, 1),
                window_days=_int(doc, (*path, "window_days"), item.get("window_days"), problems, 1),
                reason=_text(doc, (*path, "reason"), item.get("reason"), problems),
            )
        )
    joint = doc.data.get("joint_review")
    if not isinstance(joint, dict) or not isinstance(joint.get("categories"), dict):
        problems.append(doc.problem(("joint_review",), "missing [joint_review] with [joint_review.categories]"))
        joint = {"categories": {}}
    categories = {str(k): str(v) for k, v in joint["categories"].items()}
    result = Rules(
        version=str(doc.data.get("version", "")),
        report_days=_int(doc, ("deadlines", "report_days"), d.get("report_days"), problems, 0),
        report_reason=_text(doc, ("deadlines", "report_reason"), d.get("report_reason"), problems),
        review_school_days=_int(doc, ("deadlines", "review_school_days"), d.get("review_school_days"), problems, 1),
        review_reason=_text(doc, ("deadlines", "review_reason"), d.get("review_reason"), problems),
        early_intervention=tuple(rules),
        joint_review_reason=_text(doc, ("joint_review", "reason"), joint.get("reason"), problems),
        joint_review_categories=categories,
    )
    doc.raise_problems(problems)
    return result


def check_ursus(doc: TomlDocument) -> tuple[Element, ...]:
    problems: list[Problem] = []
    raw = doc.data.get("element")
    if not isinstance(raw, list) or not raw:
        problems.append(doc.problem(("element",), "missing [[element]]"))
        raw = []
    out: list[Element] = []
    for i, item in enumerate(raw):
        path: tuple[str | int, ...] = ("element", i)
        name = _text(doc, (*path, "name"), item.get("name"), problems)
        if name in {e.name for e in out}:
            problems.append(doc.problem((*path, "name"), f"duplicate element '{name}'"))
        fill = _text(doc, (*path, "fill"), item.get("fill"), problems)
        if fill and fill.split(":", 1)[0] not in FILLS:
            problems.append(doc.problem((*path, "fill"), f"must start with one of {', '.join(FILLS)}"))
        choices = item.get("choices", [])
        if fill == "entered" and (not isinstance(choices, list) or not choices):
            problems.append(doc.problem((*path, "choices"), "an entered element lists its choices"))
            choices = []
        out.append(
            Element(
                name=name,
                label=_text(doc, (*path, "label"), item.get("label"), problems),
                source=_text(doc, (*path, "source"), item.get("source"), problems),
                fill=fill,
                choices=tuple(str(c) for c in choices),
                multi=bool(item.get("multi", False)),
                optional=bool(item.get("optional", False)),
            )
        )
    doc.raise_problems(problems)
    return tuple(out)


def load_types(path: Path = TYPES_PATH) -> ForceLists:
    return check_types(read_toml(path))


def load_rules(path: Path = RULES_PATH) -> Rules:
    return check_rules(read_toml(path))


def load_ursus(path: Path = URSUS_PATH) -> tuple[Element, ...]:
    return check_ursus(read_toml(path))


@functools.cache
def force_lists() -> ForceLists:
    return load_types()


@functools.cache
def rules() -> Rules:
    return load_rules()


@functools.cache
def ursus_elements() -> tuple[Element, ...]:
    return load_ursus()
