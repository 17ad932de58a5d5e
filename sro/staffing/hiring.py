"""Joint hiring: a panel with both sides scores the candidate; both sides must concur.

The rule (`panel_outcome`):

- a veto by any member rejects the candidate at once;
- otherwise the panel is decided when every member has scored: approved only when each side
  (district, agency) has at least one member who recommends the candidate, so neither side
  can be unanimously against; else rejected.

There is no separate "decide" step: the last scoresheet (or a veto) decides, in the same
transaction, and the decision is audited with the tally of each side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sro.core.audit import audit_log
from sro.core.errors import Conflict, FieldError, Forbidden, InvalidInput, TransitionRefused
from sro.core.services import actor_user
from sro.orgs.actors import Actor
from sro.orgs.models import User
from sro.staffing.catalogues import rubric
from sro.staffing.models import (
    Nomination,
    Officer,
    OfficerStatus,
    Panel,
    PanelMember,
    Recommendation,
    Scoresheet,
    Side,
)
from sro.staffing.permissions import can_convene_panel
from sro.staffing.selectors import panel_sides

_user = actor_user


def panel_outcome(sides: Sequence[str], sheets: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """(outcome, why) from the members' sides and the (side, recommendation) of each scoresheet.

    None while the panel is still waiting for scoresheets.
    """
    sheets = list(sheets)
    for side, rec in sheets:
        if rec == Recommendation.VETO:
            return Panel.Outcome.REJECTED, f"vetoed by a member of the {side} side"
    if len(sheets) < len(sides):
        return None
    for side in (Side.DISTRICT, Side.AGENCY):
        if not any(s == side and rec == Recommendation.RECOMMEND for s, rec in sheets):
            return Panel.Outcome.REJECTED, f"no member of the {side.value} side recommends the candidate"
    return Panel.Outcome.APPROVED, "both sides recommend the candidate"


def panel_create(*, actor: Actor | None, nomination: Nomination, members: Sequence[User]) -> Panel:
    """Convene the selection panel: at least one district member and one agency member."""
    contract = nomination.contract
    if actor is not None and not can_convene_panel(actor, contract):
        raise Forbidden("Only the district's administrator or the agency's supervisor may convene a panel.")
    seats: list[tuple[User, str]] = []
    problems: list[FieldError] = []
    for i, user in enumerate(dict.fromkeys(members)):
        sides = panel_sides(contract, user)
        if not sides:
            problems.append(
                FieldError(
                    f"members[{i}]",
                    f"{user.username} holds no district role in {contract.district} "
                    f"and is not a supervisor at {contract.agency}",
                )
            )
        elif nomination.officer.user_id == user.pk:
            problems.append(FieldError(f"members[{i}]", "the candidate cannot sit on their own panel"))
        else:
            seats.append((user, Side.DISTRICT if Side.DISTRICT in sides else Side.AGENCY))
    have = {side for _, side in seats}
    if not problems and have != {Side.DISTRICT, Side.AGENCY}:
        lacking = "district" if Side.DISTRICT not in have else "agency"
        problems.append(
            FieldError(
                "members", f"a panel needs at least one district member and one agency member; no {lacking} member"
            )
        )
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if locked.status != Nomination.Status.NOMINATED:
            raise TransitionRefused(action="convene_panel", current=locked.status, allowed=[])
        if Panel.objects.filter(nomination=locked).exists():
            raise Conflict("This nomination already has a panel.", [FieldError("nomination", "already has a panel")])
        panel = Panel.objects.create(nomination=locked, rubric_version=rubric().version)
        PanelMember.objects.bulk_create([PanelMember(panel=panel, user=u, side=s) for u, s in seats])
        audit_log(
            actor=_user(actor),
            action="convene_panel",
            obj=panel,
            changes={"nomination": locked.pk, "members": [[u.username, s] for u, s in seats]},
        )
    return panel


def _validate_scores(scores: Mapping[str, Any], recommendation: str, reason: str) -> dict[str, int]:
    r = rubric()
    problems: list[FieldError] = []
    clean: dict[str, int] = {}
    for key, value in scores.items():
        if key not in r.keys:
            problems.append(FieldError(f"scores.{key}", f"unknown criterion; one of {', '.join(r.keys)}"))
        elif isinstance(value, bool) or not isinstance(value, int) or value not in r.scale:
            problems.append(
                FieldError(f"scores.{key}", f"'{value}' is not a whole number from {r.scale_min} to {r.scale_max}")
            )
        else:
            clean[key] = value
    problems += [FieldError(f"scores.{k}", "is required") for k in r.keys if k not in scores]
    if recommendation not in Recommendation.values:
        problems.append(
            FieldError("recommendation", f"'{recommendation}' is not one of {', '.join(Recommendation.values)}")
        )
    if not reason.strip():
        problems.append(FieldError("reason", "give the reason for your recommendation"))
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)
    return {k: clean[k] for k in r.keys}


def panel_score(
    *, actor: Actor, panel: Panel, scores: Mapping[str, Any], recommendation: str, reason: str
) -> Scoresheet:
    """A panelist scores every criterion and recommends, does not recommend, or vetoes."""
    clean = _validate_scores(scores, recommendation, reason)
    with transaction.atomic():
        locked = Panel.objects.select_for_update().select_related("nomination__contract").get(pk=panel.pk)
        member = locked.members.filter(user_id=actor.user.pk).first() if actor.user is not None else None
        if member is None:
            raise Forbidden("Only the panel's members score the candidate.")
        if locked.status != Panel.Status.OPEN:
            raise TransitionRefused(
                action="score", current=locked.status, allowed=[], reason="The panel has already decided."
            )
        if locked.nomination.status == Nomination.Status.WITHDRAWN:
            raise TransitionRefused(
                action="score",
                current=Nomination.Status.WITHDRAWN,
                allowed=[],
                reason="The nomination was withdrawn: the candidate is no longer scored.",
            )
        if Scoresheet.objects.filter(member=member).exists():
            raise Conflict("You have already scored this candidate.", [FieldError("member", "already scored")])
        sheet = Scoresheet.objects.create(member=member, scores=clean, recommendation=recommendation, reason=reason)
        audit_log(
            actor=_user(actor),
            action="panel_score",
            obj=sheet,
            changes={
                "panel": locked.pk,
                "side": member.side,
                "scores": clean,
                "recommendation": recommendation,
                "reason": reason,
            },
        )
        _decide_if_ready(actor, locked)
    return sheet


def _decide_if_ready(actor: Actor | None, panel: Panel) -> None:
    sides = list(panel.members.values_list("side", flat=True))
    sheets = list(Scoresheet.objects.filter(member__panel=panel).values_list("member__side", "recommendation"))
    decided = panel_outcome(sides, sheets)
    if decided is None:
        return
    outcome, why = decided
    now = timezone.now()
    panel.status, panel.outcome, panel.outcome_reason, panel.decided_at = Panel.Status.DECIDED, outcome, why, now
    panel.save(update_fields=["status", "outcome", "outcome_reason", "decided_at", "updated_at"])
    nomination = Nomination.objects.select_for_update().get(pk=panel.nomination_id)
    nomination.status = Nomination.Status.APPROVED if outcome == Panel.Outcome.APPROVED else Nomination.Status.REJECTED
    nomination.decided_at = now
    nomination.save(update_fields=["status", "decided_at", "updated_at"])
    officer = Officer.objects.select_for_update().get(pk=nomination.officer_id)
    if outcome == Panel.Outcome.APPROVED and officer.status == OfficerStatus.CANDIDATE:
        officer.status = OfficerStatus.APPROVED
        officer.save(update_fields=["status", "updated_at"])
    tally = {
        side: {rec: sum(1 for s, r in sheets if s == side and r == rec) for rec in Recommendation.values}
        for side in Side.values
    }
    audit_log(
        actor=_user(actor),
        action="panel_decide",
        obj=panel,
        changes={"outcome": outcome, "why": why, "tally": tally, "nomination": nomination.pk, "officer": officer.pk},
    )
