"""The public site's suppression rule, lent to the force app's public counts (sro/force/figures.py),
which sits below oversight and cannot call it itself: registered from `PublicConfig.ready()`."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from sro.oversight.metrics import disparity
from sro.public.figures import PUBLIC_SETTINGS


def suppress_counts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Counts per (period, breakdown) partition, withheld as every public figure is."""
    result = disparity(ibis.memtable(frame), keys=["period", "breakdown"], settings=PUBLIC_SETTINGS).to_pyarrow()
    rows: list[dict[str, Any]] = result.to_pylist()
    return rows
