"""Reads for the evaluation, scoped to the actor. `*_get` answers NotFound alike for missing and hidden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import mean
from typing import Any

import pandas as pd
from django.db.models import Count, Q, QuerySet

from sro.contracts.models import Contract
from sro.core.errors import NotFound
from sro.core.visibility import EVERYONE
from sro.evaluation.models import Evaluation, RenewalReminder, Respondent, Survey, SurveyLink, SurveyResponse
from sro.evaluation.permissions import can_see_evaluation
from sro.evaluation.registries import suppress
from sro.orgs.actors import Actor
from sro.orgs.roles import DISTRICT_ROLES, Role

QUESTIONS = ("feels_safe", "trusts_sro", "knows_how_to_complain")
TOTAL = "All"


def evaluation_visibility(actor: Actor) -> Q:
    if actor.is_superuser:
        return EVERYONE
    districts = set().union(*(actor.org_ids(r) for r in DISTRICT_ROLES))
    return Q(contract__district_id__in=districts) | Q(contract__agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))


def evaluation_list(*, actor: Actor) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.select_related("contract__district", "contract__agency")
        .filter(evaluation_visibility(actor))
        .order_by("contract__title", "-year")
    )


def evaluation_get(*, actor: Actor, pk: int) -> Evaluation:
    try:
        return evaluation_list(actor=actor).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise NotFound("Evaluation") from None


def evaluable_contracts(*, actor: Actor) -> list[Contract]:
    """Contracts the actor may see the evaluation of, that have been approved by the board."""
    contracts = Contract.objects.filter(in_force__isnull=False).select_related("district", "agency")
    return [c for c in contracts.order_by("title") if can_see_evaluation(actor, c)]


# ---------------------------------------------------------------- survey results


@dataclass(frozen=True)
class ResultRow:
    breakdown: str  # "respondent" or "campus"
    group: str  # a respondent group, a campus's CDS code, or "All"
    label: str
    responses: int | None  # None: withheld
    invited: int
    means: dict[str, float] | None  # each question's mean (1-5), None when withheld
    reason: str

    @property
    def withheld(self) -> bool:
        return self.responses is None


def survey_results(survey: Survey) -> list[ResultRow]:
    """Answers by respondent group and by campus, each group's count withheld by the public site's
    rule (counts of 10 or fewer, groups invited fewer than 30, and a second count where a total
    would give a withheld one away); a withheld group's means are withheld with it."""
    invited = {
        (r["respondent"], r["school__cds_code"]): r["n"]
        for r in SurveyLink.objects.filter(survey=survey)
        .values("respondent", "school__cds_code")
        .annotate(n=Count("pk"))
        .order_by()
    }
    answered = list(SurveyResponse.objects.filter(survey=survey).values("respondent", "school__cds_code", *QUESTIONS))
    names = dict(survey.evaluation.contract.campuses.values_list("cds_code", "name"))
    labels = {value: str(label) for value, label in Respondent.choices}  # in the reader's language
    frame_rows: list[dict[str, Any]] = []
    means: dict[tuple[str, str], dict[str, float]] = {}
    for breakdown, key, groups in (
        ("respondent", "respondent", list(Respondent.values)),
        ("campus", "school__cds_code", sorted(names)),
    ):
        for group in [*groups, TOTAL]:
            rows = [a for a in answered if group == TOTAL or a[key] == group]
            invited_n = sum(
                n for (resp, cds), n in invited.items() if group in (TOTAL, resp if key == "respondent" else cds)
            )
            frame_rows.append(
                {
                    "period": "survey",
                    "breakdown": breakdown,
                    "outcome": "responses",
                    "group": group,
                    "count": len(rows),
                    "denominator": max(invited_n, len(rows)),
                }
            )
            if rows:
                means[(breakdown, group)] = {q: round(mean(r[q] for r in rows), 2) for q in QUESTIONS}
    if not frame_rows:
        return []
    out = []
    for r in suppress(pd.DataFrame(frame_rows)):
        count = r.get("count")
        withheld = count is None or pd.isna(count)
        group = str(r["group"])
        label = "All" if group == TOTAL else (labels.get(group) or names.get(group) or group)
        out.append(
            ResultRow(
                breakdown=str(r["breakdown"]),
                group=group,
                label=str(label),
                responses=None if count is None or withheld else int(count),
                invited=int(r["denominator"]),
                means=None if withheld else means.get((str(r["breakdown"]), group)),
                reason=str(r.get("reason") or ""),
            )
        )
    return out


def survey_counts(survey: Survey) -> dict[str, int]:
    """For the district: links issued, used, answers (no group: those are in `survey_results`)."""
    links = SurveyLink.objects.filter(survey=survey)
    return {
        "links": links.count(),
        "used": links.filter(used_on__isnull=False).count(),
        "responses": SurveyResponse.objects.filter(survey=survey).count(),
    }


# ---------------------------------------------------------------- reminders


def reminders_unread(*, actor: Actor) -> QuerySet[RenewalReminder]:
    if actor.user is None:
        return RenewalReminder.objects.none()
    return RenewalReminder.objects.select_related("contract").filter(recipient=actor.user, read_at__isnull=True)


def days_left(reminder: RenewalReminder, today: dt.date) -> int:
    return (reminder.term_end - today).days
