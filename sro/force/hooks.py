"""What the force app adds to staffing (below it), through the registries staffing owns
(sro/staffing/registries.py): the gate's `joint_review_required` reason, and the candidate's
history on the selection panel's page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sro.force.complaints import allegation_events
from sro.force.models import EarlyInterventionFlag, ForceReport
from sro.force.permissions import can_see_officer_record
from sro.force.selectors import officer_districts
from sro.incidents.models import Review
from sro.orgs.actors import Actor
from sro.staffing.models import Officer
from sro.staffing.registries import HistoryLine, register_candidate_history, register_officer_reasons


def candidate_history(officer: Officer, actor: Actor | Any) -> list[HistoryLine]:
    """Counts, never a student or a complainant: what the panel weighs."""
    user_id = officer.user_id
    allegations = allegation_events(officer)
    decided = [a for a in allegations if a.finding]
    sustained = [a for a in decided if a.sustained]
    reports = list(ForceReport.objects.filter(officer_id=user_id).order_by("-occurred_at")) if user_id else []
    reviews = Review.objects.filter(officer_id=user_id) if user_id else Review.objects.none()
    last = (
        _(" (last on %(day)s)")
        % {"day": formats.date_format(timezone.localtime(reports[0].occurred_at).date(), "SHORT_DATE_FORMAT")}
        if reports
        else ""
    )
    may_open = isinstance(actor, Actor) and can_see_officer_record(
        actor, officer_user_id=user_id, agency_id=officer.agency_id, district_ids=officer_districts(officer)
    )
    url = reverse("force:officer_record", args=[officer.pk]) if may_open else ""
    return [
        HistoryLine(
            _("Complaints"),
            _("%(n)s allegations, %(d)s decided, %(s)s sustained")
            % {"n": len(allegations), "d": len(decided), "s": len(sustained)},
            url,
        ),
        HistoryLine(_("Uses of force reported"), f"{len(reports)}{last}"),
        HistoryLine(
            _("Boundary reviews"),
            _("%(n)s, %(s)s substantiated")
            % {"n": reviews.count(), "s": reviews.filter(status=Review.Status.SUBSTANTIATED).count()},
        ),
        HistoryLine(
            _("Early-intervention flags"),
            str(EarlyInterventionFlag.objects.filter(officer=officer).count()),
        ),
    ]


def register_staffing_hooks() -> None:
    from sro.force.services import gate_reasons, gate_reasons_many

    register_officer_reasons(gate_reasons, gate_reasons_many)
    register_candidate_history(candidate_history)
