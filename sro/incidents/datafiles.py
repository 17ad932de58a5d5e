"""Shared helpers for the app's data files: TOML parsing with line numbers for every problem."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

_LINE_RE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class DataFileError(Exception):
    """A data file is unreadable or invalid; `problems` lists each one with its line."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _LINE_RE.search(str(exc))
        raise DataFileError(source, [Problem(int(m.group(1)) if m else 1, str(exc))]) from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), [Problem(1, f"cannot read the file ({exc})")]) from None


@dataclass(frozen=True)
class Block:
    """Where one `[[name]]` entry starts and where each of its keys is written."""

    start: int
    keys: dict[str, int]

    def line(self, key: str) -> int:
        return self.keys.get(key, self.start)


_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\"'.-]+)\s*=")


def array_table_blocks(text: str, name: str) -> list[Block]:
    """The line of each `[[name]]` header and of each key inside it (1-based)."""
    blocks: list[Block] = []
    current: Block | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("["):
            current = None
            if line.startswith(f"[[{name}]]"):
                current = Block(no, {})
                blocks.append(current)
            continue
        if current is not None:
            m = _KEY_RE.match(raw)
            if m:
                current.keys.setdefault(m.group(1).strip("\"'"), no)
    return blocks


def top_key_line(text: str, key: str) -> int:
    for no, raw in enumerate(text.splitlines(), start=1):
        if raw.strip().startswith("["):
            break
        m = _KEY_RE.match(raw)
        if m and m.group(1) == key:
            return no
    return 1
