"""What waits in complaints (see sro.core.queue): overdue steps and unassigned complaints for the
district administrator; complaints assigned to the agency for its supervisor."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.complaints.models import Complaint
from sro.complaints.selectors import complaint_list
from sro.core.queue import QueueItem, QueueSource, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

ADMINS = frozenset({Role.DISTRICT_ADMIN.value})
SUPERVISORS = frozenset({Role.AGENCY_SUPERVISOR.value})
DUE_FIELD = {
    "received": "acknowledge_by",
    "acknowledged": "assign_by",
    "assigned": "decide_by",
    "investigating": "decide_by",
    "decided": "tell_by",
    "action_recorded": "tell_by",
}


def _item(c: Complaint, *, overdue: bool) -> QueueItem:
    due = getattr(c, DUE_FIELD.get(c.status, "tell_by"))
    detail = _("%(status)s, next step due %(day)s") % {
        "status": c.get_status_display(),
        "day": formats.date_format(due, "SHORT_DATE_FORMAT") if due else "—",
    }
    return QueueItem(
        _("Complaint %(n)s at %(campus)s")
        % {"n": c.case_number, "campus": c.school.name if c.school else _("the program")},
        reverse("complaints:detail", args=[c.pk]),
        detail=detail,
        overdue=overdue,
    )


def overdue_complaints(actor: Actor) -> list[QueueItem]:
    today = timezone.localdate()
    qs = complaint_list(actor=actor, overdue_only=True, today=today).order_by("received_at", "pk")
    return [_item(c, overdue=True) for c in qs]


def unassigned_complaints(actor: Actor) -> list[QueueItem]:
    today = timezone.localdate()
    qs = complaint_list(actor=actor, unassigned_only=True).exclude(status="closed").order_by("received_at", "pk")
    return [
        _item(
            c, overdue=c.acknowledge_by < today if c.status == "received" else bool(c.assign_by and c.assign_by < today)
        )
        for c in qs
    ]


def agency_complaints(actor: Actor) -> list[QueueItem]:
    """Open complaints assigned to the supervisor's agency (internal affairs), oldest first."""
    today = timezone.localdate()
    qs = (
        complaint_list(actor=actor).filter(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR)).exclude(status="closed")
    )
    return [_item(c, overdue=bool(c.decide_by and c.decide_by < today)) for c in qs.order_by("received_at", "pk")]


register(QueueSource("complaints.overdue", gettext_lazy("Complaints with an overdue step"), ADMINS,
                     overdue_complaints, "complaints:list", 22))  # fmt: skip
register(QueueSource("complaints.unassigned", gettext_lazy("Complaints not yet assigned"), ADMINS,
                     unassigned_complaints, "complaints:list", 23))  # fmt: skip
register(QueueSource("complaints.agency", gettext_lazy("Complaints assigned to your agency"), SUPERVISORS,
                     agency_complaints, "complaints:list", 24))  # fmt: skip
