"""The complaint counts' suppression (sro.complaints.figures, below the oversight engine in the
layers) gives the same answer as the public figures' engine (sro.oversight.metrics) on the same tables."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from sro.complaints.figures import CELL_MIN, TOTAL, suppress_counts
from sro.oversight.metrics import Settings, disparity

TABLES = [
    {"a": 20, "b": 15},
    {"a": 20, "b": 3, "c": 14},
    {"a": 5, "b": 4},
    {"a": 20, "b": 3, "c": 2},
    {"a": 12, "b": 3, "c": 12},
    {"a": 11, "b": 10, "c": 40, "d": 11},
    {"a": 0, "b": 30},
]


@pytest.mark.parametrize("groups", TABLES)
def test_complaint_suppression_matches_the_public_figures_engine(groups: dict[str, int]) -> None:
    ours = suppress_counts({**groups, TOTAL: sum(groups.values())})
    # No denominator for complaint counts: give every group one far above the n-size minimum.
    frame = pd.DataFrame(
        [{"group": g, "outcome": "complaints", "count": n, "denominator": 10_000} for g, n in groups.items()]
    )
    engine = disparity(ibis.memtable(frame), settings=Settings(cell_min=CELL_MIN, n_min=30)).to_pandas()
    theirs = {r.group: (None if r.suppressed else int(r["count"]), r.reason or "") for _, r in engine.iterrows()}
    assert {g: v[0] for g, v in ours.items()} == {g: v[0] for g, v in theirs.items()}
