"""The clause catalogue: what a sound SRO agreement contains (data/clause_catalogue.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).parent / "data" / "clause_catalogue.toml"


@dataclass(frozen=True)
class Element:
    key: str
    title: str
    required: bool
    citation: str
    guidance: str


class CatalogueError(ValueError):
    pass


def parse_catalogue(text: str, source: str = "catalogue") -> tuple[str, tuple[Element, ...]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: {exc}") from None
    elements = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("element", []), start=1):
        missing = [f for f in ("key", "title", "citation", "guidance") if not raw.get(f)]
        if missing:
            raise CatalogueError(f"{source}: element {i}: missing {', '.join(missing)}")
        if raw["key"] in seen:
            raise CatalogueError(f"{source}: element {i}: duplicate key '{raw['key']}'")
        seen.add(raw["key"])
        elements.append(
            Element(raw["key"], raw["title"], bool(raw.get("required", False)), raw["citation"], raw["guidance"])
        )
    if not elements:
        raise CatalogueError(f"{source}: no elements")
    return str(data.get("version", "")), tuple(elements)


@cache
def catalogue() -> tuple[Element, ...]:
    return parse_catalogue(CATALOGUE_PATH.read_text(encoding="utf-8"), str(CATALOGUE_PATH.name))[1]


def element_keys() -> frozenset[str]:
    return frozenset(e.key for e in catalogue())


def element(key: str) -> Element:
    for e in catalogue():
        if e.key == key:
            return e
    raise KeyError(key)
