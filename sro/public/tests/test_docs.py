"""docs/public-site.md names every published figure, every reason a figure is withheld, and every download."""

from __future__ import annotations

from pathlib import Path

from sro.public.downloads import DOWNLOADS
from sro.public.groups import OUTCOMES
from sro.public.labels import WITHHELD

DOC = (Path(__file__).resolve().parents[3] / "docs" / "public-site.md").read_text()


def test_the_public_site_doc_lists_every_figure_withholding_rule_and_download() -> None:
    for label in OUTCOMES.values():
        assert f"| {label} |" in DOC, label
    for reason in WITHHELD.values():
        assert f"`{reason}`" in DOC or reason == WITHHELD["reference suppressed"], reason
    for name in DOWNLOADS:
        assert name in DOC.split("`/public/data/`", 1)[1].split("\n", 1)[0], name
