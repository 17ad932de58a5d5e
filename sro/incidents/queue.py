"""What waits on the district administrator in incidents (see sro.core.queue): open boundary
reviews and overdue notifications of law enforcement."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.core.queue import QueueItem, QueueSource, register
from sro.incidents.models import NotificationTask
from sro.incidents.selectors import notification_list, review_list
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

ADMINS = frozenset({Role.DISTRICT_ADMIN.value})


def open_reviews(actor: Actor) -> list[QueueItem]:
    reviews = review_list(actor=actor, open_only=True).order_by("contact__occurred_at", "pk")
    return [
        QueueItem(
            _("Review %(n)s: %(officer)s at %(campus)s")
            % {"n": r.pk, "officer": str(r.officer), "campus": r.school.name},
            reverse("incidents:review", args=[r.pk]),
            detail=_("%(status)s, contact on %(day)s")
            % {
                "status": r.get_status_display(),
                "day": formats.date_format(timezone.localtime(r.contact.occurred_at).date(), "SHORT_DATE_FORMAT"),
            },
        )
        for r in reviews
    ]


def overdue_notifications(actor: Actor) -> list[QueueItem]:
    today = timezone.localdate()
    tasks = notification_list(actor=actor, open_only=True).filter(NotificationTask.overdue_q(today))
    return [
        QueueItem(
            _("Incident %(n)s at %(campus)s") % {"n": t.incident_id, "campus": t.school.name},
            reverse("incidents:detail", args=[t.incident_id]) if t.incident_id else reverse("incidents:tasks"),
            detail=_("notification of law enforcement was due %(day)s")
            % {"day": formats.date_format(t.due_on, "SHORT_DATE_FORMAT")},
            overdue=True,
        )
        for t in tasks.order_by("due_on", "pk")
    ]


register(QueueSource("incidents.reviews", gettext_lazy("Open boundary reviews"), ADMINS, open_reviews,
                     "incidents:reviews", 20))  # fmt: skip
register(QueueSource("incidents.overdue", gettext_lazy("Overdue notifications of law enforcement"), ADMINS,
                     overdue_notifications, "incidents:tasks", 25))  # fmt: skip
