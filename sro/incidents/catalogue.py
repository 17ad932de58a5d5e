"""The offence catalogue (data/offences.toml): every ground an incident may cite, with its citation."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sro.incidents.datafiles import (
    DATA_DIR,
    DataFileError,
    Problem,
    array_table_blocks,
    parse_toml,
    read_text,
)

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
    data = parse_toml(text, source)
    blocks = array_table_blocks(text, "offence")
    entries = data.get("offence")
    if not isinstance(entries, list) or not entries:
        raise DataFileError(source, [Problem(1, "no [[offence]] entries")])
    problems: list[Problem] = []
    out: dict[str, Offence] = {}
    for i, entry in enumerate(entries):
        block = blocks[i] if i < len(blocks) else None
        start = block.start if block else 1
        for key in REQUIRED:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(block.line(key) if block else start, f"offence: missing '{key}'"))
        unknown = sorted(set(entry) - set(REQUIRED))
        for key in unknown:
            problems.append(Problem(block.line(key) if block else start, f"offence: unknown key '{key}'"))
        code = str(entry.get("code", "")).strip()
        if code and code in out:
            problems.append(Problem(start, f"offence '{code}' is listed twice (first at line {out[code].line})"))
        elif code:
            out[code] = Offence(
                code=code,
                title=str(entry.get("title", "")),
                description=str(entry.get("description", "")),
                citation=str(entry.get("citation", "")),
                line=start,
            )
    if problems:
        raise DataFileError(source, problems)
    return out


def load_catalogue(path: Path = OFFENCES_PATH) -> dict[str, Offence]:
    return parse_catalogue(read_text(path), str(path))


@functools.cache
def catalogue() -> dict[str, Offence]:
    """The catalogue, read and validated once per process."""
    return load_catalogue()


def offence_choices() -> list[tuple[str, str]]:
    return [(o.code, f"{o.code} — {o.title}") for o in catalogue().values()]
