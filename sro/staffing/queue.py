"""What waits on the district administrator in staffing (see sro.core.queue): training completions
to confirm, selection panels waiting for their scores, and assignments the daily check found no
longer valid."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.contracts.models import Contract
from sro.core.queue import QueueItem, QueueSource, register
from sro.orgs.actors import Actor
from sro.orgs.roles import Role
from sro.staffing.catalogues import courses
from sro.staffing.models import AssignmentProblem, TrainingRecord
from sro.staffing.models import Panel as SelectionPanel
from sro.staffing.selectors import assignment_list, officer_list, panel_list

ADMINS = frozenset({Role.DISTRICT_ADMIN.value})


def _confirmable(actor: Actor) -> QuerySet[TrainingRecord]:
    """Completions awaiting the district, of officers whose agency holds a contract of a district
    the actor administers (`can_confirm_training`), among the officers the actor sees."""
    records = TrainingRecord.objects.filter(
        status=TrainingRecord.Status.PENDING, officer__in=officer_list(actor=actor)
    ).select_related("officer")
    if not actor.is_superuser:
        agencies = Contract.objects.filter(district_id__in=actor.org_ids(Role.DISTRICT_ADMIN)).values("agency_id")
        records = records.filter(officer__agency_id__in=agencies)
    return records.order_by("created_at", "pk")


def training_to_confirm(actor: Actor) -> list[QueueItem]:
    titles = {c.key: c.title for c in courses()}
    return [
        QueueItem(
            _("Confirm %(course)s for %(officer)s")
            % {"course": titles.get(r.course, r.course), "officer": r.officer.name},
            reverse("staffing:officer", args=[r.officer_id]),
            detail=_("completed %(day)s, %(hours)s hours, %(provider)s")
            % {"day": r.completed_on.isoformat(), "hours": r.hours, "provider": r.provider},
        )
        for r in _confirmable(actor)
    ]


def panels_to_score(actor: Actor) -> list[QueueItem]:
    if actor.user is None:
        return []
    waiting = (
        panel_list(actor=actor)
        .filter(status=SelectionPanel.Status.OPEN, members__user_id=actor.user.pk, members__scoresheet__isnull=True)
        .distinct()
        .order_by("created_at", "pk")
    )
    return [
        QueueItem(
            _("Score %(officer)s") % {"officer": p.nomination.officer.name},
            reverse("staffing:panel", args=[p.pk]),
            detail=str(p.nomination.contract.title),
        )
        for p in waiting
    ]


def staffing_problems(actor: Actor) -> list[QueueItem]:
    problems = AssignmentProblem.objects.filter(
        resolved_on__isnull=True, assignment__in=assignment_list(actor=actor)
    ).select_related("assignment__officer", "assignment__school")
    if not actor.is_superuser:
        problems = problems.filter(assignment__contract__district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    return [
        QueueItem(
            _("%(officer)s at %(campus)s") % {"officer": p.assignment.officer.name, "campus": p.assignment.school.name},
            reverse("staffing:assignments"),
            detail=p.message,
        )
        for p in problems.order_by("found_on", "pk")
    ]


register(QueueSource("staffing.training", gettext_lazy("Training completions to confirm"), ADMINS,
                     training_to_confirm, "staffing:matrix", 10))  # fmt: skip
register(QueueSource("staffing.panels", gettext_lazy("Candidates waiting for your scores"), ADMINS,
                     panels_to_score, "staffing:roster", 15))  # fmt: skip
register(QueueSource("staffing.problems", gettext_lazy("Assignments no longer valid"), ADMINS,
                     staffing_problems, "staffing:assignments", 30))  # fmt: skip
