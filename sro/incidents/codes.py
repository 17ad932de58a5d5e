"""RIPA code lists for SRO contacts, versioned by date (data/ripa_codes_<version>.toml), and their validation.

Each version is one data file with its source and effective dates: `2018` (in force before
1 January 2024) and `2024` (since). `codes_for(day)` is the version in force on a day;
`codes_version(name)` the version a contact was recorded under (`Contact.codes_version`), so a
contact keeps reading with its own lists after they change; `ripa_codes()` is the current one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sro.core.datafiles import Problem, TomlDocument, read_toml

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The versions, oldest first; each file says when it took effect (and, but the last, when it ended).
VERSION_PATHS = (DATA_DIR / "ripa_codes_2018.toml", DATA_DIR / "ripa_codes_2024.toml")
TABLES = (
    "reason",
    "ed_code_section",
    "ed_code_subdivision",
    "race",
    "gender",
    "disability",
    "action",
    "search_basis",
    "seizure_basis",
    "contraband",
    "result",
)
#: Tables only some versions have (a contact under a version without it leaves the field empty).
OPTIONAL_TABLES = ("consent_type",)
GROUPS = {
    "action_groups": ("action", ("police", "search", "seizure", "none", "statement", "force")),
    "result_groups": ("result", ("police", "citation", "arrest", "no_action", "contradicts_no_action")),
}


@dataclass(frozen=True)
class Code:
    code: int
    column: str
    label: str
    public: int | None = None  # the code in the DOJ's public files when it differs (perceived disability)


@dataclass(frozen=True)
class RipaCodes:
    version: str
    tables: dict[str, dict[int, Code]]
    groups: dict[str, frozenset[int]]  # "action.police", "result.no_action", ...
    effective_from: dt.date = dt.date.min
    effective_to: dt.date | None = None  # the last day in force; None: still in force
    layout: str = ""  # the DOJ public layout of its era (data/ripa_layouts.toml)
    source: str = ""

    def table(self, name: str) -> dict[int, Code]:
        return self.tables.get(name, {})

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def period(self) -> str:
        """'from 2024-01-01' or '2018-07-01 to 2023-12-31'."""
        if self.effective_to is None:
            return f"from {self.effective_from.isoformat()}"
        return f"{self.effective_from.isoformat()} to {self.effective_to.isoformat()}"

    def group(self, name: str) -> frozenset[int]:
        return self.groups[name]

    def label(self, table: str, code: int | None) -> str:
        if code is None:
            return ""
        entry = self.tables[table].get(code)
        return entry.label if entry else f"unknown code {code}"

    def choices(self, table: str) -> list[tuple[int, str]]:
        return [(c.code, f"{c.code} {c.label}") for c in self.tables[table].values()]

    def unknown(self, table: str, codes: Iterable[int]) -> list[int]:
        return [c for c in codes if c not in self.tables[table]]


def check_codes(doc: TomlDocument) -> RipaCodes:
    """The code tables of a parsed file; DataFileError lists every problem with its line and key."""
    data = doc.data
    problems: list[Problem] = []
    tables: dict[str, dict[int, Code]] = {}
    for name in (*TABLES, *OPTIONAL_TABLES):
        raw = data.get(name)
        if name in OPTIONAL_TABLES and raw is None:
            continue
        if not isinstance(raw, dict) or not raw:
            problems.append(doc.problem((name,), f"missing table [{name}]"))
            continue
        table: dict[int, Code] = {}
        for key, value in raw.items():
            ok = key.isdigit() and isinstance(value, list) and len(value) in (2, 3)
            ok = ok and all(isinstance(v, str) and v for v in value[:2])
            ok = ok and (len(value) == 2 or (isinstance(value[2], int) and not isinstance(value[2], bool)))
            if not ok:
                problems.append(
                    doc.problem((name, key), f'[{name}] {key}: expected a number = ["COLUMN", "label"(, public code)]')
                )
                continue
            table[int(key)] = Code(int(key), value[0], value[1], value[2] if len(value) == 3 else None)
        tables[name] = dict(sorted(table.items()))
    groups: dict[str, frozenset[int]] = {}
    for gname, (table_name, keys) in GROUPS.items():
        raw = data.get(gname, {})
        for key in keys:
            codes = raw.get(key) if isinstance(raw, dict) else None
            known = tables.get(table_name, {})
            message = f"[{gname}] {key}: must list known {table_name} codes"
            if not isinstance(codes, list):
                problems.append(doc.problem((gname, key), message))
                continue
            unknown = [n for n, c in enumerate(codes) if c not in known]
            if unknown:
                problems.append(doc.problem((gname, key, unknown[0]), message))
                continue
            groups[f"{table_name}.{key}"] = frozenset(codes)
    version, start, end = data.get("version"), data.get("effective_from"), data.get("effective_to")
    for key, value, ok in (
        ("version", version, isinstance(version, str) and bool(version)),
        ("effective_from", start, isinstance(start, dt.date)),
        ("effective_to", end, end is None or (isinstance(end, dt.date) and not _before(end, start))),
        ("layout", data.get("layout"), isinstance(data.get("layout"), str) and bool(data.get("layout"))),
        ("source", data.get("source"), isinstance(data.get("source"), str) and bool(data.get("source"))),
    ):
        if not ok:
            problems.append(doc.problem((key,), f"{key}: missing or not valid ({value!r})"))
    doc.raise_problems(problems)
    assert isinstance(start, dt.date)
    return RipaCodes(
        version=str(version),
        tables=tables,
        groups=groups,
        effective_from=start,
        effective_to=end if isinstance(end, dt.date) else None,
        layout=str(data["layout"]),
        source=str(data["source"]),
    )


def _before(end: dt.date, start: object) -> bool:
    return isinstance(start, dt.date) and end < start


def load_codes(path: Path) -> RipaCodes:
    return check_codes(read_toml(path))


@functools.cache
def code_versions() -> tuple[RipaCodes, ...]:
    """Every version, oldest first."""
    return tuple(load_codes(p) for p in VERSION_PATHS)


def codes_for(day: dt.date) -> RipaCodes:
    """The lists in force on `day` (the oldest for a day before every version)."""
    versions = code_versions()
    fallback = versions[0] if day < versions[0].effective_from else versions[-1]
    return next((v for v in versions if v.in_force(day)), fallback)


def codes_version(version: str) -> RipaCodes:
    """The lists of a version by name (a contact's `codes_version`); KeyError for an unknown one."""
    for v in code_versions():
        if v.version == version:
            return v
    raise KeyError(version)


def contact_lists(codes_version_name: str) -> RipaCodes:
    """The lists a contact was recorded under (the current ones for a contact not yet saved)."""
    return codes_version(codes_version_name) if codes_version_name else ripa_codes()


def ripa_codes() -> RipaCodes:
    """The lists in force now (the newest version)."""
    return code_versions()[-1]
