"""The routing policy engine: data/policy.toml decides each incident's route, with its rules.

A rule matches when the incident cites at least one of its offences (or the rule names
none) and shows every one of its facts. The incident takes the strongest matching
route; every matching rule is listed with its citation and reason.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from sro.core.datafiles import DataFileError, KeyPath, Problem, TomlDocument, parse_toml, read_toml
from sro.core.errors import InvalidInput
from sro.incidents.catalogue import DATA_DIR, Offence, catalogue

POLICY_PATH = DATA_DIR / "policy.toml"

SCHOOL_DISCIPLINE = "school_discipline"
DISCRETIONARY = "discretionary_referral"
MANDATORY = "mandatory_notification"
EMERGENCY = "emergency"
ROUTES = (SCHOOL_DISCIPLINE, DISCRETIONARY, MANDATORY, EMERGENCY)  # weakest to strongest
ROUTE_LABELS = {
    SCHOOL_DISCIPLINE: "School discipline: an SRO must not act",
    DISCRETIONARY: "Discretionary referral: an administrator may refer, recording why",
    MANDATORY: "Mandatory notification: the principal must notify law enforcement",
    EMERGENCY: "Emergency: any officer may act; reviewed afterwards",
}
DEADLINES = ("immediately", "before_suspension", "within_one_school_day")  # strictest first
DEADLINE_LABELS = {
    "immediately": "immediately",
    "before_suspension": "before any suspension or expulsion",
    "within_one_school_day": "within one school day after suspension or expulsion",
}
FACTS = ("weapon", "injury", "victim_employee", "imminent_threat")
FACT_LABELS = {
    "weapon": "A weapon was involved",
    "injury": "Someone was injured",
    "victim_employee": "A school employee was a victim",
    "imminent_threat": "Imminent threat to safety",
}
BOUNDARY_KINDS = ("reason", "search_basis", "seizure_basis", "police_action_on_school_discipline")
RULE_KEYS = {"id", "offences", "facts", "route", "deadline", "citation", "reason"}
BOUNDARY_KEYS = {"id", "kind", "codes", "citation", "reason"}

# ---------------------------------------------------------------- routed to law enforcement
# The one definition. An incident on one of these routes goes to the agency on entry; a
# discretionary one only once an administrator makes the referral. Incident.routed_to_law_enforcement
# and the queryset filter (what police may see, the public referral figures) both read it.
TO_LAW_ENFORCEMENT = (MANDATORY, EMERGENCY)
TO_LAW_ENFORCEMENT_WHEN_REFERRED = DISCRETIONARY


def routed_to_law_enforcement(*, route: str, referral_made: bool) -> bool:
    """Mandatory notification, emergency, or a discretionary referral that was made."""
    return route in TO_LAW_ENFORCEMENT or (route == TO_LAW_ENFORCEMENT_WHEN_REFERRED and referral_made)


def routed_to_law_enforcement_q() -> Q:
    """`routed_to_law_enforcement` as a filter on incidents."""
    return Q(route__in=TO_LAW_ENFORCEMENT) | Q(route=TO_LAW_ENFORCEMENT_WHEN_REFERRED, referral_made=True)


@dataclass(frozen=True)
class Rule:
    id: str
    offences: tuple[str, ...]
    facts: tuple[str, ...]
    route: str
    deadline: str
    citation: str
    reason: str
    line: int

    def matches(self, offences: frozenset[str], facts: frozenset[str]) -> bool:
        if self.offences and not offences.intersection(self.offences):
            return False
        return set(self.facts) <= facts

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "route": self.route,
            "deadline": self.deadline or None,
            "citation": self.citation,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class BoundaryRule:
    id: str
    kind: str
    codes: tuple[int, ...]
    citation: str
    reason: str
    line: int


@dataclass(frozen=True)
class Policy:
    version: str
    title: str
    rules: tuple[Rule, ...]
    boundary: tuple[BoundaryRule, ...]


@dataclass(frozen=True)
class Decision:
    route: str
    rules: tuple[Rule, ...]
    deadline: str  # "" unless a notification is required

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS[self.route]

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "deadline": self.deadline or None,
            "rules": [r.as_dict() for r in self.rules],
        }


@dataclass(frozen=True)
class _Entry:
    """One `[[rule]]` or `[[boundary]]` entry of the file: its problems carry its line and key path."""

    doc: TomlDocument
    path: KeyPath  # ("rule", 0) for the first [[rule]]

    @property
    def start(self) -> int:
        return self.doc.line(self.path)

    def at(self, key: str | KeyPath | None, message: str) -> Problem:
        """A problem at one of the entry's keys (a tuple reaches an item: ("offences", 0)); None: the entry."""
        keys: KeyPath = () if key is None else (key,) if isinstance(key, str) else key
        return self.doc.problem((*self.path, *keys), message)


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _check_rule(raw: dict[str, Any], b: _Entry, offences: Mapping[str, Offence]) -> list[Problem]:
    out: list[Problem] = []
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid.strip():
        out.append(b.at("id", "rule: missing 'id'"))
    out += [b.at(k, f"rule {rid}: unknown key '{k}'") for k in sorted(set(raw) - RULE_KEYS)]
    route = raw.get("route")
    if route not in ROUTES:
        out.append(b.at("route", f"rule {rid}: unknown route '{route}'; one of {', '.join(ROUTES)}"))
    for key in ("citation", "reason"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            out.append(b.at(key, f"rule {rid}: missing {key}"))
    codes, facts = _str_list(raw.get("offences", [])), _str_list(raw.get("facts", []))
    if codes is None:
        out.append(b.at("offences", f"rule {rid}: offences must be a list of codes"))
    else:
        out += [
            b.at(("offences", n), f"rule {rid}: unknown offence code '{c}'")
            for n, c in enumerate(codes)
            if c not in offences
        ]
    if facts is None:
        out.append(b.at("facts", f"rule {rid}: facts must be a list"))
    else:
        out += [
            b.at(("facts", n), f"rule {rid}: unknown fact '{f}'; one of {', '.join(FACTS)}")
            for n, f in enumerate(facts)
            if f not in FACTS
        ]
    if not codes and not facts:
        out.append(b.at(None, f"rule {rid}: names neither offences nor facts, so it would match everything"))
    deadline = raw.get("deadline", "")
    if route == MANDATORY and deadline not in DEADLINES:
        out.append(b.at("deadline", f"rule {rid}: bad deadline '{deadline}'; one of {', '.join(DEADLINES)}"))
    elif route != MANDATORY and deadline:
        out.append(b.at("deadline", f"rule {rid}: bad deadline: only {MANDATORY} rules have one"))
    return out


def _check_boundary(raw: dict[str, Any], b: _Entry) -> list[Problem]:
    out: list[Problem] = []
    bid = raw.get("id")
    if not isinstance(bid, str) or not bid.strip():
        out.append(b.at("id", "boundary: missing 'id'"))
    out += [b.at(k, f"boundary {bid}: unknown key '{k}'") for k in sorted(set(raw) - BOUNDARY_KEYS)]
    if raw.get("kind") not in BOUNDARY_KINDS:
        out.append(
            b.at("kind", f"boundary {bid}: unknown kind '{raw.get('kind')}'; one of {', '.join(BOUNDARY_KINDS)}")
        )
    codes = raw.get("codes", [])
    if not isinstance(codes, list) or not all(isinstance(c, int) for c in codes):
        out.append(b.at("codes", f"boundary {bid}: codes must be a list of RIPA code numbers"))
    elif raw.get("kind") != "police_action_on_school_discipline" and not codes:
        out.append(b.at("codes", f"boundary {bid}: codes are required for this kind"))
    for key in ("citation", "reason"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            out.append(b.at(key, f"boundary {bid}: missing {key}"))
    return out


def parse_policy(text: str, source: str = "policy.toml", offences: Mapping[str, Offence] | None = None) -> Policy:
    """Parse and check a policy file; raise DataFileError listing every problem with its line."""
    return check_policy(parse_toml(text, source), offences)


def _entries(doc: TomlDocument, name: str, problems: list[Problem]) -> list[tuple[dict[str, Any], _Entry]]:
    raw = doc.data.get(name, [])
    if not isinstance(raw, list):
        problems.append(doc.problem((name,), f"{name}: must be [[{name}]] entries"))
        return []
    out = []
    for i, entry in enumerate(raw):
        if isinstance(entry, dict):
            out.append((entry, _Entry(doc, (name, i))))
        else:
            problems.append(doc.problem((name, i), f"{name}: must be a table of keys"))
    return out


def check_policy(doc: TomlDocument, offences: Mapping[str, Offence] | None = None) -> Policy:
    """The policy of a parsed file, checked against the offence catalogue (default: the one in force)."""
    offences = catalogue() if offences is None else offences
    data = doc.data
    problems: list[Problem] = []
    if not isinstance(data.get("version"), str) or not data["version"].strip():
        problems.append(doc.problem(("version",), "missing 'version'"))
    raw_rules = _entries(doc, "rule", problems)
    raw_bounds = _entries(doc, "boundary", problems)
    if not raw_rules:
        problems.append(doc.problem(("rule",), "no [[rule]] entries"))
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for raw, b in raw_rules:
        found = _check_rule(raw, b, offences)
        rid = str(raw.get("id", ""))
        if rid in seen:
            found.append(b.at("id", f"rule id '{rid}' is used twice (first at line {seen[rid]})"))
        seen.setdefault(rid, b.start)
        problems += found
        if not found:
            rules.append(
                Rule(
                    id=rid,
                    offences=tuple(raw.get("offences", [])),
                    facts=tuple(raw.get("facts", [])),
                    route=raw["route"],
                    deadline=raw.get("deadline", ""),
                    citation=raw["citation"],
                    reason=raw["reason"],
                    line=b.start,
                )
            )
    bounds: list[BoundaryRule] = []
    for raw, b in raw_bounds:
        found = _check_boundary(raw, b)
        problems += found
        if not found:
            bounds.append(
                BoundaryRule(
                    raw["id"], raw["kind"], tuple(raw.get("codes", [])), raw["citation"], raw["reason"], b.start
                )
            )
    if not problems:
        covered = {c for r in rules if not r.facts for c in r.offences}
        problems += [
            doc.problem(
                ("rule",),
                f"offence '{code}' (offence catalogue line {o.line}) has no rule without facts: add it to one",
            )
            for code, o in offences.items()
            if code not in covered
        ]
    doc.raise_problems(sorted(problems, key=lambda p: p.line))
    return Policy(version=data["version"], title=str(data.get("title", "")), rules=tuple(rules), boundary=tuple(bounds))


def load_policy(path: Path = POLICY_PATH) -> Policy:
    """Read and check a policy file against the offence catalogue in force."""
    return check_policy(read_toml(path))


def validate_policy_file(path: Path) -> list[Problem]:
    """Every problem in a policy file, with its file, line and key; an empty list when it is sound."""
    try:
        load_policy(path)
    except DataFileError as exc:
        return exc.problems
    return []


@functools.cache
def policy() -> Policy:
    """The policy in force, read and validated once per process."""
    return load_policy(POLICY_PATH)


def route_for(*, offences: Iterable[str], facts: Iterable[str] = (), pol: Policy | None = None) -> Decision:
    """Decide an incident's route. Unknown offences or facts raise InvalidInput naming the field."""
    codes, fact_set = frozenset(offences), frozenset(facts)
    known = catalogue()
    problems = [("offences", f"unknown offence code '{c}'") for c in sorted(codes) if c not in known]
    problems += [
        ("facts", f"unknown fact '{f}'; one of {', '.join(FACTS)}") for f in sorted(fact_set) if f not in FACTS
    ]
    if not codes:
        problems.append(("offences", "give at least one offence"))
    if problems:
        raise InvalidInput.many(problems)
    pol = pol or policy()
    matched = [r for r in pol.rules if r.matches(codes, fact_set)]
    matched.sort(key=lambda r: -ROUTES.index(r.route))
    route = matched[0].route if matched else SCHOOL_DISCIPLINE
    deadlines = [r.deadline for r in matched if r.deadline]
    deadline = min(deadlines, key=DEADLINES.index) if deadlines else ""
    return Decision(route=route, rules=tuple(matched), deadline=deadline)
