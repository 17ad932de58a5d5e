"""RIPA code tables (data/ripa_codes.toml) for SRO contacts, and their validation."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sro.incidents.datafiles import DATA_DIR, DataFileError, Problem, parse_toml, read_text, top_key_line

CODES_PATH = DATA_DIR / "ripa_codes.toml"
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


def parse_codes(text: str, source: str = "ripa_codes.toml") -> RipaCodes:
    data = parse_toml(text, source)
    problems: list[Problem] = []
    tables: dict[str, dict[int, Code]] = {}
    for name in TABLES:
        raw = data.get(name)
        line = top_key_line(text, name)
        if not isinstance(raw, dict) or not raw:
            problems.append(Problem(line, f"missing table [{name}]"))
            continue
        table: dict[int, Code] = {}
        for key, value in raw.items():
            ok = key.isdigit() and isinstance(value, list) and len(value) == 2
            if not ok or not all(isinstance(v, str) and v for v in value):
                problems.append(Problem(line, f'[{name}] {key}: expected a number = ["COLUMN", "label"]'))
                continue
            table[int(key)] = Code(int(key), value[0], value[1])
        tables[name] = dict(sorted(table.items()))
    groups: dict[str, frozenset[int]] = {}
    for gname, (table_name, keys) in GROUPS.items():
        raw = data.get(gname, {})
        for key in keys:
            codes = raw.get(key) if isinstance(raw, dict) else None
            if not isinstance(codes, list) or any(c not in tables.get(table_name, {}) for c in codes):
                problems.append(Problem(1, f"[{gname}] {key}: must list known {table_name} codes"))
                continue
            groups[f"{table_name}.{key}"] = frozenset(codes)
    if problems:
        raise DataFileError(source, problems)
    return RipaCodes(version=str(data.get("version", "")), tables=tables, groups=groups)


def load_codes(path: Path = CODES_PATH) -> RipaCodes:
    return parse_codes(read_text(path), str(path))


@functools.cache
def ripa_codes() -> RipaCodes:
    return load_codes()
