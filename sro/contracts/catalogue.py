"""The clause catalogue: what a sound SRO agreement contains (data/clause_catalogue.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sro.core.datafiles import DataFileError, Problem, TomlDocument, parse_toml, read_toml

CATALOGUE_PATH = Path(__file__).parent / "data" / "clause_catalogue.toml"
REQUIRED = ("key", "title", "citation", "guidance")


@dataclass(frozen=True)
class Element:
    key: str
    title: str
    required: bool
    citation: str
    guidance: str


class CatalogueError(DataFileError):
    """The clause catalogue is unreadable or invalid; the message names every problem with its line and key."""


def parse_catalogue(text: str, source: str = "catalogue") -> tuple[str, tuple[Element, ...]]:
    return check_catalogue(parse_toml(text, source, error=CatalogueError))


def check_catalogue(doc: TomlDocument) -> tuple[str, tuple[Element, ...]]:
    """The version and elements of a parsed catalogue; CatalogueError lists every problem."""
    raw_elements = doc.data.get("element", [])
    if not isinstance(raw_elements, list) or not raw_elements:
        doc.fail([doc.problem(("element",), "no [[element]] entries")], CatalogueError)
    problems: list[Problem] = []
    elements = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_elements):
        if not isinstance(raw, dict):
            problems.append(doc.problem(("element", i), "must be a table of keys"))
            continue
        missing = [f for f in REQUIRED if not isinstance(raw.get(f), str) or not raw[f].strip()]
        problems += [doc.problem(("element", i, f), f"missing {f}") for f in missing]
        if not isinstance(raw.get("required", False), bool):
            problems.append(doc.problem(("element", i, "required"), "required must be true or false"))
        key = raw.get("key")
        if isinstance(key, str) and key in seen:
            problems.append(doc.problem(("element", i, "key"), f"duplicate key '{key}' (first at line {seen[key]})"))
        elif isinstance(key, str):
            seen[key] = doc.line(("element", i, "key"))
        if not missing:
            elements.append(
                Element(raw["key"], raw["title"], bool(raw.get("required", False)), raw["citation"], raw["guidance"])
            )
    doc.raise_problems(problems, CatalogueError)
    return str(doc.data.get("version", "")), tuple(elements)


def load_catalogue(path: Path = CATALOGUE_PATH) -> tuple[str, tuple[Element, ...]]:
    return check_catalogue(read_toml(path, error=CatalogueError))


@cache
def catalogue() -> tuple[Element, ...]:
    return load_catalogue(CATALOGUE_PATH)[1]


def element_keys() -> frozenset[str]:
    return frozenset(e.key for e in catalogue())


def element(key: str) -> Element:
    for e in catalogue():
        if e.key == key:
            return e
    raise KeyError(key)
