"""The complaints about an officer, as the force app reads them: for the officer's record and the
early-intervention rules. Only what those need (never who complained)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sro.staffing.models import Officer

SUSTAINED = "sustained"


@dataclass(frozen=True)
class AllegationEvent:
    complaint_id: int
    complaint_label: str  # the case number
    allegation_id: int
    received_on: dt.date
    category: str
    category_label: str
    finding: str  # "" while undecided
    finding_label: str
    decided_on: dt.date | None

    @property
    def sustained(self) -> bool:
        return self.finding == SUSTAINED


def allegation_events(officer: Officer) -> list[AllegationEvent]:
    """Every allegation about the officer, oldest first."""
    return []
