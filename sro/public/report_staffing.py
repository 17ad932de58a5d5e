"""The board report's staffing section, read through the staffing app's selectors.

Aggregated by agency (no officer names): officers, jointly approved, required training
complete on the report's last day, courses due soon, expired or missing, and current assignments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from sro.orgs.actors import Actor
from sro.orgs.models import District
from sro.public.report import ReportSection, register_section


def staffing_summary(actor: Actor, district: District, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    from sro.staffing.selectors import assignment_list, training_matrix
    from sro.staffing.training import CourseStatus

    rows: dict[str, dict[str, int]] = {}
    for row in training_matrix(actor=actor, on=end):
        agency = row.officer.agency.name
        r = rows.setdefault(agency, {"officers": 0, "approved": 0, "trained": 0, "due": 0, "lapsed": 0, "assigned": 0})
        r["officers"] += 1
        r["approved"] += row.officer.status in {"approved", "assigned"}
        r["trained"] += all(s.status == CourseStatus.COMPLETE or s.status == CourseStatus.DUE for s in row.states)
        r["due"] += sum(1 for s in row.states if s.status == CourseStatus.DUE)
        r["lapsed"] += sum(1 for s in row.states if s.status in (CourseStatus.EXPIRED, CourseStatus.MISSING))
    current = (
        assignment_list(actor=actor)
        .filter(contract__district=district, start_date__lte=end, end_date__gte=end)
        .select_related("officer__agency", "school")
    )
    for a in current:
        rows.setdefault(
            a.officer.agency.name, {"officers": 0, "approved": 0, "trained": 0, "due": 0, "lapsed": 0, "assigned": 0}
        )["assigned"] += 1
    return {"rows": sorted(rows.items()), "on": end}


register_section(
    ReportSection(
        key="staffing.summary",
        title=_("Staffing and training compliance"),
        template="public/report_staffing.html",
        context=staffing_summary,
        order=30,
    )
)
