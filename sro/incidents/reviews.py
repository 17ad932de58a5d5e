"""Writes for contact reviews: opened with the contact (a boundary crossing, a custodial interrogation
without counsel, a contact on a day the gate said No), then moved by the transition table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from sro.core.audit import audit_log
from sro.core.errors import Forbidden, InvalidInput, NotFound
from sro.core.services import actor_user
from sro.incidents.boundary import Crossing, contract_clause_citation
from sro.incidents.models import Contact, Review
from sro.incidents.permissions import can_act_on_review
from sro.incidents.selectors import can_view_review
from sro.incidents.workflow import CLOSED, next_status
from sro.orgs.actors import Actor

_user_of = actor_user


def review_open(
    *,
    actor: Actor | None,
    contact: Contact,
    crossings: Sequence[Crossing] = (),
    findings: Sequence[Mapping[str, str]] = (),
    clauses: Sequence[str] = (),
) -> Review:
    """Open the review of a contact. Called inside the contact's transaction.

    `crossings` are boundary crossings (the discipline-prohibition clause is cited for them);
    `findings` are the other rules' findings (sro/incidents/rights.py), `clauses` the contract
    clauses they cite.
    """
    cited = list(clauses)
    if crossings:
        on = timezone.localtime(contact.occurred_at).date()
        cited.insert(0, contract_clause_citation(school=contact.school, on=on))
    review = Review.objects.create(
        contact=contact,
        officer=contact.officer,
        agency=contact.agency,
        school=contact.school,
        findings=[c.as_dict() for c in crossings] + [dict(f) for f in findings],
        contract_citation="\n\n".join(dict.fromkeys(cited)),
    )
    rules = [c.rule.id for c in crossings] + [f["rule"] for f in findings]
    audit_log(
        actor=_user_of(actor),
        action="review_open",
        obj=review,
        changes={"contact": contact.pk, "rules": rules, "officer": contact.officer_id},
    )
    return review


def review_act(
    *,
    actor: Actor | None,
    review: Review,
    action: str,
    corrective_action: str = "",
    note: str = "",
) -> Review:
    """Take one review step. Refused steps raise TransitionRefused naming the allowed actions."""
    district_id = review.school.district_id
    if actor is not None:
        if not can_view_review(actor, review):
            raise NotFound("Review")
        if not can_act_on_review(actor, action, agency_id=review.agency_id, district_id=district_id):
            raise Forbidden(f"Your role may not take the step '{action}' on this review.")
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        target = next_status(action, locked.status)
        if target == Review.Status.SUBSTANTIATED and not corrective_action.strip():
            raise InvalidInput.single(
                "corrective_action", "a substantiated crossing needs the corrective action required"
            )
        before = locked.status
        locked.status = target
        if corrective_action.strip():
            locked.corrective_action = corrective_action.strip()
        if note.strip():
            locked.outcome_note = note.strip()
        if target in CLOSED:
            locked.closed_at, locked.closed_by = timezone.now(), _user_of(actor)
        else:
            locked.closed_at, locked.closed_by = None, None
        locked.save()
        audit_log(
            actor=_user_of(actor),
            action=f"review_{action}",
            obj=locked,
            changes={"status": [before, target], "corrective_action": locked.corrective_action, "note": note.strip()},
        )
    return locked
