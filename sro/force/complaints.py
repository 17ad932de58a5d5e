"""The complaints about an officer, as the force app reads them: for the officer's record and the
early-intervention rules. Only what those need (never who complained): read through
`sro.complaints.selectors.allegations_about_officer`, which carries no complainant's identity
to this app's pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sro.complaints.models import Finding
from sro.complaints.rules import categories
from sro.complaints.selectors import allegations_about_officer
from sro.staffing.models import Officer

SUSTAINED = Finding.SUSTAINED.value


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
    """Every allegation about the officer (their account), oldest first."""
    user = officer.user
    if user is None:
        return []
    titles = {key: c.title for key, c in categories().items()}
    events = [
        AllegationEvent(
            complaint_id=a.complaint_id,
            complaint_label=a.complaint.case_number,
            allegation_id=a.pk,
            received_on=timezone.localtime(a.complaint.received_at).date(),
            category=a.category,
            category_label=titles.get(a.category, a.category),
            finding=a.finding,
            finding_label=a.get_finding_display() if a.finding else "",
            decided_on=a.decided_on,
        )
        for a in allegations_about_officer(officer=user)
    ]
    return sorted(events, key=lambda e: (e.received_on, e.allegation_id))
