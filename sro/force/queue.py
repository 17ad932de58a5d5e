"""What waits on people in the force app (see sro.core.queue).

- the SRO and the agency's supervisors: force reports to file (a RIPA contact with a force action
  and no report yet); the district's administrator sees them once the same day has passed;
- the principal and the district's administrator (the security director): uses of force reported
  to them, until they mark the notice read; the supervisor and the district: early-intervention notices;
- the agency's supervisors: reports waiting for their review (overdue after the deadline);
- the district's administrator: officers flagged for early intervention;
- both: joint reviews waiting for their side's signature.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.core.queue import QueueItem, QueueSource, register
from sro.force.selectors import flag_list, joint_review_list, notices_unread, reports_due, reviews_waiting
from sro.orgs.actors import Actor
from sro.orgs.roles import Role

DIRECTOR = Role.DISTRICT_ADMIN.value
SUPERVISOR = Role.AGENCY_SUPERVISOR.value


def _day(at: dt.date) -> str:
    return formats.date_format(at, "SHORT_DATE_FORMAT")


def _due(actor: Actor, overdue_only: bool) -> list[QueueItem]:
    today = timezone.localdate()
    items = []
    for c in reports_due(actor=actor, today=today, overdue_only=overdue_only):
        day = timezone.localtime(c.occurred_at).date()
        items.append(
            QueueItem(
                _("Force report for contact %(n)s at %(campus)s") % {"n": c.pk, "campus": c.school.name},
                reverse("force:new_from_contact", args=[c.pk]) if not overdue_only else reverse("force:list"),
                detail=_("%(officer)s, %(day)s: due the same day") % {"officer": str(c.officer), "day": _day(day)},
                overdue=day < today,
            )
        )
    return items


def reports_to_file(actor: Actor) -> list[QueueItem]:
    return _due(actor, overdue_only=False)


def reports_overdue(actor: Actor) -> list[QueueItem]:
    return _due(actor, overdue_only=True)


def notices(actor: Actor) -> list[QueueItem]:
    return [
        QueueItem(
            n.subject, reverse("force:notices") + f"#notice-{n.pk}", detail=_day(timezone.localtime(n.created_at))
        )
        for n in notices_unread(actor=actor)
    ]


def reviews(actor: Actor) -> list[QueueItem]:
    today = timezone.localdate()
    return [
        QueueItem(
            _("Review force report %(n)s at %(campus)s") % {"n": r.pk, "campus": r.school.name},
            reverse("force:detail", args=[r.pk]) + "#review",
            detail=_("due %(day)s") % {"day": _day(r.review_due_on)},
            overdue=r.review_overdue(today),
        )
        for r in reviews_waiting(actor=actor)
    ]


def flags(actor: Actor) -> list[QueueItem]:
    return [
        QueueItem(
            _("%(officer)s: early intervention (%(rule)s)") % {"officer": f.officer.name, "rule": f.rule},
            reverse("force:officer_record", args=[f.officer_id]) + "#flags",
            detail=_("raised %(day)s, %(n)s counted") % {"day": _day(f.raised_on), "n": f.count},
        )
        for f in flag_list(actor=actor, open_only=True)
    ]


def joint_reviews(actor: Actor) -> list[QueueItem]:
    district = bool(actor.org_ids(Role.DISTRICT_ADMIN)) or actor.is_superuser
    waiting = [
        r
        for r in joint_review_list(actor=actor, pending_only=True)
        if (r.district_signed_at is None) == district or actor.is_superuser
    ]
    return [
        QueueItem(
            _("Joint review of %(officer)s") % {"officer": r.officer.name},
            reverse("force:officer_record", args=[r.officer_id]) + "#joint-reviews",
            detail=_("required since %(day)s") % {"day": _day(r.required_on)},
        )
        for r in waiting
    ]


register(QueueSource("force.due", gettext_lazy("Force reports to file"), frozenset({Role.SRO.value, SUPERVISOR}),
                     reports_to_file, "force:list", 5))  # fmt: skip
register(QueueSource("force.overdue", gettext_lazy("Force reports not filed the same day"), frozenset({DIRECTOR}),
                     reports_overdue, "force:list", 22))  # fmt: skip
NOTICED = frozenset({DIRECTOR, SUPERVISOR, Role.SITE_ADMIN.value})
register(QueueSource("force.notices", gettext_lazy("Uses of force and early-intervention notices"), NOTICED,
                     notices, "force:notices", 6))  # fmt: skip
register(QueueSource("force.reviews", gettext_lazy("Force reports to review"), frozenset({SUPERVISOR}), reviews,
                     "force:list", 7))  # fmt: skip
register(QueueSource("force.flags", gettext_lazy("Officers flagged for early intervention"), frozenset({DIRECTOR}),
                     flags, "", 23))  # fmt: skip
register(QueueSource("force.joint", gettext_lazy("Joint reviews to sign"), frozenset({DIRECTOR, SUPERVISOR}),
                     joint_reviews, "", 24))  # fmt: skip
