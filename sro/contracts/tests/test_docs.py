from __future__ import annotations

from pathlib import Path

import pytest

from sro.contracts.catalogue import catalogue
from sro.contracts.workflow import TRANSITIONS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "contracts.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", [e.key for e in catalogue()])
def test_docs_list_every_catalogue_element(key: str) -> None:
    assert f"`{key}`" in DOC


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_docs_list_every_transition(action: str) -> None:
    assert f"`{action}`" in DOC
