"""The routing policy engine: data/policy.toml decides each incident's route, with its rules.

A rule matches when the incident cites at least one of its offences (or the rule names
none), shows every one of its facts and, for a rule with `school_grades`, happens at a school
serving any of those grades. The incident takes the strongest matching route; every matching
rule is listed with its citation and reason. A rule that `excuses` offences (a pupil's voluntary
disclosure, made to seek help) takes them out of discipline and notification first: no other rule
matches on them.

Every citation in the policy and the offence catalogue names a legal text listed, with where and
when it was read, in data/citations.toml (`load_sources`, `parse_citation`; the test
test_policy_statutes.py keeps the two in step).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_noop

from sro.core.datafiles import DataFileError, KeyPath, Problem, TomlDocument, parse_toml, read_toml
from sro.core.errors import InvalidInput
from sro.incidents.catalogue import DATA_DIR, Offence, catalogue

POLICY_PATH = DATA_DIR / "policy.toml"
SOURCES_PATH = DATA_DIR / "citations.toml"

SUPPORT = "support_referral"
SCHOOL_DISCIPLINE = "school_discipline"
DISCRETIONARY = "discretionary_referral"
MANDATORY = "mandatory_notification"
EMERGENCY = "emergency"
ROUTES = (SUPPORT, SCHOOL_DISCIPLINE, DISCRETIONARY, MANDATORY, EMERGENCY)  # weakest to strongest
ROUTE_LABELS = {
    SUPPORT: gettext_noop("Support referral: help, not discipline; no suspension and no police"),
    SCHOOL_DISCIPLINE: gettext_noop("School discipline: an SRO must not act"),
    DISCRETIONARY: gettext_noop("Discretionary referral: an administrator may refer, recording why"),
    MANDATORY: gettext_noop("Mandatory notification: the principal must notify law enforcement"),
    EMERGENCY: gettext_noop("Emergency: any officer may act; reviewed afterwards"),
}
DEADLINES = ("immediately", "before_suspension", "within_one_school_day")  # strictest first
# `within_one_school_day` is counted from the incident, not from a suspension: Ed. Code 48902(b)
# allows one schoolday after a suspension or expulsion, but 48902(c) (acts that may involve the
# possession or sale of a controlled substance) does not wait for one, and a suspension may never
# follow. Counting from the incident is never later than 48902(b) (sro/incidents/schooldays.py).
DEADLINE_LABELS = {
    "immediately": gettext_noop("immediately"),
    "before_suspension": gettext_noop("before any suspension or expulsion"),
    "within_one_school_day": gettext_noop("within one school day of the incident, whether or not a suspension follows"),
}
FACTS = ("weapon", "injury", "victim_employee", "imminent_threat", "voluntary_disclosure")
FACT_LABELS = {
    "weapon": gettext_noop("A weapon was involved"),
    "injury": gettext_noop("Someone was injured"),
    "victim_employee": gettext_noop("A school employee was a victim"),
    "imminent_threat": gettext_noop("Imminent threat to safety"),
    "voluntary_disclosure": gettext_noop(
        "The pupil came forward to disclose their own drug, alcohol or tobacco use and seek help"
    ),
}
# Whom a required notification goes to; a mandatory rule names them in `notify`.
RECIPIENTS = {
    "local_law_enforcement": (
        gettext_noop(
            "The appropriate law enforcement authorities of the county or city (Ed. Code 48902(a)-(c), 44014(a))"
        )
    ),
    "city_police_or_county_sheriff": (
        gettext_noop("The city police or county sheriff with jurisdiction over the school (Ed. Code 48902(c))")
    ),
    "school_police_or_security": gettext_noop(
        "The school police or school security department, as applicable (Ed. Code 48902(c))"
    ),
    "law_enforcement_49390": (
        gettext_noop(
            "Law enforcement as Ed. Code 49390(a) defines it: a peace officer employed or contracted for "
            "school safety, the district's police or security department, or the local agency with jurisdiction"
        )
    ),
}
GRADE_MIN, GRADE_MAX = -1, 12  # -1 = TK, 0 = K, as School.grade_low / grade_high
GradeSpan = tuple[int | None, int | None]  # a school's lowest and highest grade; None: not on record
BOUNDARY_KINDS = ("reason", "search_basis", "seizure_basis", "police_action_on_school_discipline")
RULE_KEYS = {
    "id",
    "offences",
    "facts",
    "school_grades",
    "excuses",
    "route",
    "deadline",
    "notify",
    "citation",
    "reason",
}
BOUNDARY_KEYS = {"id", "kind", "codes", "citation", "reason"}
CORRECTION_KEYS = {"rule", "was", "now"}

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
    notify: tuple[str, ...] = ()
    school_grades: tuple[int, int] | None = None  # applies only at a school serving any of these grades
    excuses: tuple[str, ...] = ()  # offences it takes out of discipline and notification

    def matches(self, offences: frozenset[str], facts: frozenset[str]) -> bool:
        """Offences and facts only; `grade_match` answers for the school's grades."""
        if self.offences and not offences.intersection(self.offences):
            return False
        return set(self.facts) <= facts

    def grade_match(self, grades: GradeSpan | None) -> bool | None:
        """Whether the school serves any of the rule's grades; None when its grades are not on record."""
        if self.school_grades is None:
            return True
        low, high = grades if grades is not None else (None, None)
        if low is None or high is None:
            return None
        return low <= self.school_grades[1] and high >= self.school_grades[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "route": self.route,
            "deadline": self.deadline or None,
            "notify": list(self.notify),
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
class Correction:
    """A rule corrected in this version of the policy: what it said, what it says now (docs/policy.md)."""

    rule: str
    was: str
    now: str
    line: int


@dataclass(frozen=True)
class Policy:
    version: str
    title: str
    rules: tuple[Rule, ...]
    boundary: tuple[BoundaryRule, ...]
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class Decision:
    route: str
    rules: tuple[Rule, ...]
    deadline: str  # "" unless a notification is required
    notify: tuple[str, ...] = ()  # RECIPIENTS keys, in the order the rules name them
    excused: tuple[str, ...] = ()  # offences a voluntary disclosure takes out of discipline and notification
    remaining: tuple[str, ...] = ()  # the offences the other rules were matched on
    assumptions: tuple[str, ...] = ()  # e.g. a grade condition applied because the school's grades are unknown

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS[self.route]

    @property
    def suspendable(self) -> bool:
        """False when no offence recorded may ground a suspension: each is excused or a school-policy matter."""
        known = catalogue()
        return any(c in known and not known[c].is_school_policy for c in self.remaining)

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "deadline": self.deadline or None,
            "notify": list(self.notify),
            "excused": list(self.excused),
            "suspendable": self.suspendable,
            "assumptions": list(self.assumptions),
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
    out += _check_notify(raw, b, rid, route)
    out += _check_grades(raw, b, rid)
    out += _check_excuses(raw, b, rid, route, codes or [], facts or [])
    return out


def _check_notify(raw: dict[str, Any], b: _Entry, rid: Any, route: Any) -> list[Problem]:
    notify = _str_list(raw.get("notify", []))
    if notify is None:
        return [b.at("notify", f"rule {rid}: notify must be a list of recipients")]
    if route == MANDATORY and not notify:
        known = ", ".join(RECIPIENTS)
        return [b.at("notify", f"rule {rid}: a {MANDATORY} rule names whom to notify; one or more of {known}")]
    if route != MANDATORY and notify:
        return [b.at("notify", f"rule {rid}: only {MANDATORY} rules notify anyone")]
    return [
        b.at(("notify", n), f"rule {rid}: unknown recipient '{r}'; one of {', '.join(RECIPIENTS)}")
        for n, r in enumerate(notify)
        if r not in RECIPIENTS
    ]


def _check_grades(raw: dict[str, Any], b: _Entry, rid: Any) -> list[Problem]:
    if "school_grades" not in raw:
        return []
    span = raw["school_grades"]
    ok = (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(g, int) and not isinstance(g, bool) and GRADE_MIN <= g <= GRADE_MAX for g in span)
        and span[0] <= span[1]
    )
    if ok:
        return []
    return [
        b.at(
            "school_grades",
            f"rule {rid}: school_grades must be [lowest, highest], grades {GRADE_MIN} (TK) to {GRADE_MAX}",
        )
    ]


def _grade_span(raw: dict[str, Any]) -> tuple[int, int] | None:
    span = raw.get("school_grades")
    return (span[0], span[1]) if span else None


def _check_excuses(
    raw: dict[str, Any], b: _Entry, rid: Any, route: Any, codes: list[str], facts: list[str]
) -> list[Problem]:
    if "excuses" not in raw:
        return []
    excuses = _str_list(raw["excuses"])
    if excuses is None or not excuses:
        return [b.at("excuses", f"rule {rid}: excuses must be a list of offence codes")]
    out = [
        b.at(("excuses", n), f"rule {rid}: excuses '{c}', which is not among its own offences")
        for n, c in enumerate(excuses)
        if c not in codes
    ]
    if route != SUPPORT:
        out.append(b.at("excuses", f"rule {rid}: only a {SUPPORT} rule excuses offences"))
    if not facts:
        out.append(b.at("excuses", f"rule {rid}: a rule that excuses offences needs a fact, or it excuses them always"))
    return out


def _check_correction(raw: dict[str, Any], b: _Entry, rule_ids: set[str]) -> list[Problem]:
    out = [b.at(k, f"correction: unknown key '{k}'") for k in sorted(set(raw) - CORRECTION_KEYS)]
    for key in sorted(CORRECTION_KEYS):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            out.append(b.at(key, f"correction: missing {key}"))
    rule = raw.get("rule")
    if isinstance(rule, str) and rule.strip() and rule not in rule_ids:
        out.append(b.at("rule", f"correction: unknown rule '{rule}'"))
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
    raw_corrections = _entries(doc, "correction", problems)
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
                    notify=tuple(raw.get("notify", [])),
                    school_grades=_grade_span(raw),
                    excuses=tuple(raw.get("excuses", [])),
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
    corrections: list[Correction] = []
    for raw, b in raw_corrections:
        found = _check_correction(raw, b, set(seen))
        problems += found
        if not found:
            corrections.append(Correction(raw["rule"], raw["was"], raw["now"], b.start))
    if not problems:
        # An offence alone must reach a route whatever the facts and the school: rules with facts
        # or a grade condition do not count.
        covered = {c for r in rules if not r.facts and r.school_grades is None for c in r.offences}
        problems += [
            doc.problem(
                ("rule",),
                f"offence '{code}' (offence catalogue line {o.line}) has no rule without facts: add it to one",
            )
            for code, o in offences.items()
            if code not in covered
        ]
    doc.raise_problems(sorted(problems, key=lambda p: p.line))
    return Policy(
        version=data["version"],
        title=str(data.get("title", "")),
        rules=tuple(rules),
        boundary=tuple(bounds),
        corrections=tuple(corrections),
    )


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


def route_for(
    *,
    offences: Iterable[str],
    facts: Iterable[str] = (),
    school_grades: GradeSpan | None = None,
    pol: Policy | None = None,
) -> Decision:
    """Decide an incident's route. Unknown offences or facts raise InvalidInput naming the field.

    `school_grades` is the school's (grade_low, grade_high). A rule with a grade condition applies
    when the school serves any of its grades, and also when the school's grades are not on record
    (the decision then says so in `assumptions`): a report the law may require is not dropped for
    want of a grade span.
    """
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
    assumptions: list[str] = []

    def applies(rule: Rule, on: frozenset[str]) -> bool:
        if not rule.matches(on, fact_set):
            return False
        served = rule.grade_match(school_grades)
        if served is None:
            low, high = rule.school_grades or (GRADE_MIN, GRADE_MAX)
            assumptions.append(
                f"{rule.id}: the school's grades are not on record; applied as if it serves grades {low}-{high}"
            )
        return served is not False

    # First the rules that excuse offences (a voluntary disclosure made to seek help), then every
    # other rule on the offences that remain.
    excusing = [r for r in pol.rules if r.excuses and applies(r, codes)]
    excused = {c for r in excusing for c in r.excuses}
    remaining = codes - excused
    matched = excusing + [r for r in pol.rules if not r.excuses and applies(r, remaining)]
    matched.sort(key=lambda r: -ROUTES.index(r.route))
    route = matched[0].route if matched else SCHOOL_DISCIPLINE
    deadlines = [r.deadline for r in matched if r.deadline]
    deadline = min(deadlines, key=DEADLINES.index) if deadlines else ""
    notify = tuple(dict.fromkeys(n for r in matched for n in r.notify))
    return Decision(
        route=route,
        rules=tuple(matched),
        deadline=deadline,
        notify=notify,
        excused=tuple(sorted(excused & codes)),
        remaining=tuple(sorted(remaining)),
        assumptions=tuple(assumptions),
    )


# ---------------------------------------------------------------- the legal texts the files cite
# data/citations.toml lists each section (or bill) the policy and the offence catalogue cite: the
# subdivisions read, a one-line summary of each, the page read and the date. A citation is parsed
# into references (`parse_citation`); test_policy_statutes.py checks every one against the list.

UNCONFIRMED = "(current text unconfirmed)"
SOURCE_STATUSES = ("official", "secondary", "unconfirmed")
SOURCE_KEYS = {"law", "section", "title", "url", "read_on", "status", "summary", "note", "subdivisions", "unconfirmed"}
_LAW = re.compile(r"(Cal\. Ed\. Code|Cal\. Pen\. Code|Cal\. Welf\. & Inst\. Code|\d+ CCR)\s*§§?\s*")
_ITEM = re.compile(r"\s*(\d+(?:\.\d+)?)?((?:\([0-9A-Za-z]+\))*)")
_NEXT_ITEM = re.compile(r"\s*,\s*")
_BILL = re.compile(r"\b(AB|SB) (\d+) \((\d{4})\)")


@dataclass(frozen=True)
class Ref:
    """One legal text a citation names: ("Cal. Ed. Code", "48902", "(c)"), or a bill ("AB", "2711 (2024)", "")."""

    law: str
    section: str
    subdivision: str = ""

    def __str__(self) -> str:
        if self.law in ("AB", "SB"):
            return f"{self.law} {self.section}"
        return f"{self.law} § {self.section}{self.subdivision}"


def parse_citation(text: str) -> list[tuple[str, list[Ref]]]:
    """Each `;`-separated part of a citation with the references it names.

    "Cal. Ed. Code § 48902(b), (c); Cal. Pen. Code §§ 626.9, 626.10" names 48902(b), 48902(c),
    626.9 and 626.10; "SB 274 (2023)" names the bill. Other words (a contract, a school policy)
    name nothing.
    """
    out: list[tuple[str, list[Ref]]] = []
    for raw in text.split(";"):
        part, refs = raw.strip(), []
        for m in _LAW.finditer(part):
            law, at, section = m.group(1), m.end(), ""
            while True:
                item = _ITEM.match(part, at)
                if item is None or not (item.group(1) or item.group(2)):
                    break
                section = item.group(1) or section
                if not section:
                    break
                refs.append(Ref(law, section, item.group(2) or ""))
                comma = _NEXT_ITEM.match(part, item.end())
                if comma is None:
                    break
                at = comma.end()
        refs += [Ref(b.group(1), f"{b.group(2)} ({b.group(3)})") for b in _BILL.finditer(part)]
        out.append((part, refs))
    return out


@dataclass(frozen=True)
class Source:
    """A legal text as read: where, when, how far it is confirmed, and what each cited subdivision says."""

    law: str
    section: str
    title: str
    url: str
    read_on: dt.date
    status: str  # official: the official publisher; secondary: an unofficial copy; unconfirmed: not read
    summary: str
    note: str
    subdivisions: tuple[tuple[str, str], ...]  # (subdivision, one-line summary), as read
    unconfirmed: tuple[str, ...]  # subdivisions cited but not confirmed in the text read
    line: int

    def lists(self, subdivision: str) -> bool:
        return not subdivision or subdivision in dict(self.subdivisions) or subdivision in self.unconfirmed

    def confirms(self, subdivision: str) -> bool:
        return self.status != "unconfirmed" and subdivision not in self.unconfirmed

    def says(self, subdivision: str) -> str:
        return dict(self.subdivisions).get(subdivision, "") or self.summary


@dataclass(frozen=True)
class Sources:
    read_every_days: int
    by_key: Mapping[tuple[str, str], Source]

    def get(self, ref: Ref) -> Source | None:
        return self.by_key.get((ref.law, ref.section))


def _check_source(raw: dict[str, Any], b: _Entry) -> list[Problem]:
    out = [b.at(k, f"source: unknown key '{k}'") for k in sorted(set(raw) - SOURCE_KEYS)]
    for key in ("law", "section", "title", "url", "summary"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            out.append(b.at(key, f"source: missing {key}"))
    if not isinstance(raw.get("read_on"), dt.date) or isinstance(raw.get("read_on"), dt.datetime):
        out.append(b.at("read_on", "source: read_on must be the date the text was read (YYYY-MM-DD)"))
    if raw.get("status") not in SOURCE_STATUSES:
        out.append(b.at("status", f"source: status must be one of {', '.join(SOURCE_STATUSES)}"))
    subs = raw.get("subdivisions", {})
    if not isinstance(subs, dict) or not all(isinstance(v, str) and v.strip() for v in subs.values()):
        out.append(b.at("subdivisions", "source: subdivisions must map each subdivision read to a summary"))
    if _str_list(raw.get("unconfirmed", [])) is None:
        out.append(b.at("unconfirmed", "source: unconfirmed must be a list of subdivisions"))
    if not isinstance(raw.get("note", ""), str):
        out.append(b.at("note", "source: note must be text"))
    return out


def load_sources(path: Path = SOURCES_PATH) -> Sources:
    """The legal texts the policy and the offence catalogue cite, as listed in data/citations.toml."""
    doc = read_toml(path)
    problems: list[Problem] = []
    every = doc.data.get("read_every_days", 0)
    if not isinstance(every, int) or isinstance(every, bool) or every <= 0:
        problems.append(doc.problem(("read_every_days",), "read_every_days must be a number of days"))
    found: dict[tuple[str, str], Source] = {}
    for raw, b in _entries(doc, "source", problems):
        bad = _check_source(raw, b)
        key = (str(raw.get("law", "")), str(raw.get("section", "")))
        if key in found:
            bad.append(b.at("section", f"source {key[0]} {key[1]} is listed twice (first at line {found[key].line})"))
        problems += bad
        if not bad:
            found[key] = Source(
                law=raw["law"],
                section=raw["section"],
                title=raw["title"],
                url=raw["url"],
                read_on=raw["read_on"],
                status=raw["status"],
                summary=raw["summary"],
                note=raw.get("note", ""),
                subdivisions=tuple(raw.get("subdivisions", {}).items()),
                unconfirmed=tuple(raw.get("unconfirmed", [])),
                line=b.start,
            )
    doc.raise_problems(problems)
    return Sources(read_every_days=every, by_key=found)
