"""RIPA code tables (data/ripa_codes.toml) for SRO contacts, and their validation."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sro.core.datafiles import Problem, TomlDocument, read_toml

CODES_PATH = Path(__file__).resolve().parent / "data" / "ripa_codes.toml"
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
GROUPS = {
    "action_groups": ("action", ("police", "search", "seizure", "none")),
    "result_groups": ("result", ("police", "no_action", "contradicts_no_action")),
}


@dataclass(frozen=True)
class Code:
    code: int
    column: str
    label: str


@dataclass(frozen=True)
class RipaCodes:
    version: str
    tables: dict[str, dict[int, Code]]
    groups: dict[str, frozenset[int]]  # "action.police", "result.no_action", ...

    def table(self, name: str) -> dict[int, Code]:
        return self.tables[name]

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
    for name in TABLES:
        raw = data.get(name)
        if not isinstance(raw, dict) or not raw:
            problems.append(doc.problem((name,), f"missing table [{name}]"))
            continue
        table: dict[int, Code] = {}
        for key, value in raw.items():
            ok = key.isdigit() and isinstance(value, list) and len(value) == 2
            if not ok or not all(isinstance(v, str) and v for v in value):
                problems.append(doc.problem((name, key), f'[{name}] {key}: expected a number = ["COLUMN", "label"]'))
                continue
            table[int(key)] = Code(int(key), value[0], value[1])
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
    doc.raise_problems(problems)
    return RipaCodes(version=str(data.get("version", "")), tables=tables, groups=groups)


def load_codes(path: Path = CODES_PATH) -> RipaCodes:
    return check_codes(read_toml(path))


@functools.cache
def ripa_codes() -> RipaCodes:
    return load_codes()
