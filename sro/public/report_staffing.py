"""The board report's staffing section: officers by agency, never named.

Aggregated by agency: officers, jointly approved, required training complete on the report's
last day, courses due soon, expired or missing, and current assignments. It counts the officers
nominated or assigned under the district's contracts, whichever district role reads the report
(administrator, superintendent, board member, analyst: `can_see_board_report`): the section
names no one, so a board member or an analyst, who may not open an officer's record, reads the
same counts as the superintendent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from sro.orgs.actors import Actor
from sro.orgs.models import District
from sro.public.report import ReportSection, register_section


def staffing_summary(actor: Actor, district: District, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    from sro.staffing.catalogues import courses
    from sro.staffing.models import Assignment, Officer, OfficerStatus, TrainingRecord
    from sro.staffing.training import CourseStatus, course_state

    def blank() -> dict[str, int]:
        return {"officers": 0, "approved": 0, "trained": 0, "due": 0, "lapsed": 0, "assigned": 0}

    officers = (
        Officer.objects.filter(
            Q(nominations__contract__district=district) | Q(assignments__contract__district=district)
        )
        .exclude(status=OfficerStatus.INACTIVE)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "training_records",
                TrainingRecord.objects.filter(status=TrainingRecord.Status.CONFIRMED),
                to_attr="confirmed",
            )
        )
        .distinct()
    )
    rows: dict[str, dict[str, int]] = {}
    for officer in officers:
        states = [course_state(c, officer.confirmed, end) for c in courses()]
        r = rows.setdefault(officer.agency.name, blank())
        r["officers"] += 1
        r["approved"] += officer.status in {OfficerStatus.APPROVED, OfficerStatus.ASSIGNED}
        r["trained"] += all(s.status in (CourseStatus.COMPLETE, CourseStatus.DUE) for s in states)
        r["due"] += sum(1 for s in states if s.status == CourseStatus.DUE)
        r["lapsed"] += sum(1 for s in states if s.status in (CourseStatus.EXPIRED, CourseStatus.MISSING))
    current = Assignment.objects.filter(contract__district=district, start_date__lte=end, end_date__gte=end)
    for a in current.select_related("officer__agency"):
        rows.setdefault(a.officer.agency.name, blank())["assigned"] += 1
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
