"""The offence catalogue (data/offences.toml): every ground an incident may cite, with its citation."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sro.core.datafiles import Problem, TomlDocument, parse_toml, read_toml

DATA_DIR = Path(__file__).resolve().parent / "data"
OFFENCES_PATH = DATA_DIR / "offences.toml"
REQUIRED = ("code", "title", "description", "citation")


@dataclass(frozen=True)
class Offence:
    code: str
    title: str
    description: str
    citation: str
    line: int

    @property
    def is_school_policy(self) -> bool:
        return self.code.startswith("policy:")


def parse_catalogue(text: str, source: str = "offences.toml") -> dict[str, Offence]:
    return check_catalogue(parse_toml(text, source))


def check_catalogue(doc: TomlDocument) -> dict[str, Offence]:
    """The offences of a parsed file; DataFileError lists every problem with its line and key."""
    entries = doc.data.get("offence")
    if not isinstance(entries, list) or not entries:
        doc.fail([doc.problem(("offence",), "no [[offence]] entries")])
    problems: list[Problem] = []
    out: dict[str, Offence] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append(doc.problem(("offence", i), "offence: must be a table of keys"))
            continue
        start = doc.line(("offence", i))
        for key in REQUIRED:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(doc.problem(("offence", i, key), f"offence: missing '{key}'"))
        for key in sorted(set(entry) - set(REQUIRED)):
            problems.append(doc.problem(("offence", i, key), f"offence: unknown key '{key}'"))
        code = str(entry.get("code", "")).strip()
        if code and code in out:
            problems.append(
                doc.problem(
                    ("offence", i, "code"), f"offence '{code}' is listed twice (first at line {out[code].line})"
                )
            )
        elif code:
            out[code] = Offence(
                code=code,
                title=str(entry.get("title", "")),
                description=str(entry.get("description", "")),
                citation=str(entry.get("citation", "")),
                line=start,
            )
    doc.raise_problems(problems)
    return out


def load_catalogue(path: Path = OFFENCES_PATH) -> dict[str, Offence]:
    return check_catalogue(read_toml(path))


@functools.cache
def catalogue() -> dict[str, Offence]:
    """The catalogue, read and validated once per process."""
    return load_catalogue()


def offence_choices() -> list[tuple[str, str]]:
    return [(o.code, f"{o.code} — {o.title}") for o in catalogue().values()]
