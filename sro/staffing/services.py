"""Writes for officers, nominations and training. Each is atomic, permission-checked and audited.

`actor=None` is the operator at the command line (CLI, demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sro.contracts.models import Contract, ContractStatus
from sro.core.audit import audit_log
from sro.core.errors import Conflict, FieldError, Forbidden, InvalidInput, TransitionRefused
from sro.core.services import actor_user, clean_or_raise
from sro.orgs.actors import Actor
from sro.orgs.models import LawEnforcementAgency, User
from sro.orgs.roles import Role
from sro.staffing.catalogues import course_keys
from sro.staffing.models import (
    Assignment,
    ContractTraining,
    Nomination,
    Officer,
    OfficerStatus,
    TrainingRecord,
)
from sro.staffing.permissions import (
    can_confirm_training,
    can_manage_officers,
    can_nominate,
    can_set_required_training,
)
from sro.staffing.selectors import officer_districts

CLOSED_CONTRACT = frozenset({ContractStatus.TERMINATED.value, ContractStatus.EXPIRED.value})


_user = actor_user


_clean = clean_or_raise


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- officers


def _check_user_link(user: User, agency: LawEnforcementAgency, officer_pk: int | None) -> None:
    if not user.memberships.filter(role=Role.SRO, agency=agency).exists():
        raise InvalidInput.single("user", f"{user.username} does not hold the SRO role at {agency}")
    others = Officer.objects.filter(user=user)
    taken = (others.exclude(pk=officer_pk) if officer_pk is not None else others).first()
    if taken is not None:
        raise InvalidInput.single("user", f"{user.username} is already linked to {taken}")


def _agency_sro_account(agency: LawEnforcementAgency, username: str) -> User:
    user = User.objects.filter(username=username, memberships__role=Role.SRO, memberships__agency=agency).first()
    if user is None:
        raise InvalidInput.single("username", "no SRO account of this agency has that username")
    return user


def officer_create(
    *,
    actor: Actor | None,
    agency: LawEnforcementAgency,
    first_name: str,
    last_name: str,
    badge_number: str,
    rank: str = "",
    sworn_date: dt.date | None = None,
    user: User | None = None,
    username: str | None = None,
    today: dt.date | None = None,
    ripa_officer_id: str = "",
) -> Officer:
    """Record a candidate officer of `agency`; `user` (or `username`) links their SRO account.
    `ripa_officer_id` is the officer's identifier in the agency's RIPA reports (to match them on import).

    The permission is checked before any account is looked up, and a `username` that is not an
    SRO account of `agency` is refused alike whether or not the account exists, so the answer
    tells nobody which usernames exist.
    """
    if actor is not None and not can_manage_officers(actor, agency.pk):
        raise Forbidden("Only the agency's supervisor may add its officers.")
    if user is None and username:
        user = _agency_sro_account(agency, username)
    badge = badge_number.strip()
    if sworn_date is not None and sworn_date > _today(today):
        raise InvalidInput.single("sworn_date", "cannot be in the future")
    if user is not None:
        _check_user_link(user, agency, None)
    with transaction.atomic():
        LawEnforcementAgency.objects.select_for_update().get(pk=agency.pk)
        if Officer.objects.filter(agency=agency, badge_number=badge).exists():
            raise InvalidInput.single("badge_number", f"badge {badge} is already used by an officer of {agency}")
        ripa_id = ripa_officer_id.strip()
        if ripa_id and Officer.objects.filter(agency=agency, ripa_officer_id__iexact=ripa_id).exists():
            raise InvalidInput.single(
                "ripa_officer_id", f"RIPA officer id {ripa_id} is already used by an officer of {agency}"
            )
        officer = Officer(
            ripa_officer_id=ripa_id,
            agency=agency,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            badge_number=badge,
            rank=rank.strip(),
            sworn_date=sworn_date,
            user=user,
        )
        _clean(officer)
        try:
            with transaction.atomic():
                officer.save()
        except IntegrityError:
            raise InvalidInput.single("badge_number", f"badge {badge} is already used at {agency}") from None
        audit_log(
            actor=_user(actor),
            action="create",
            obj=officer,
            changes={
                "agency": agency.name,
                "name": officer.name,
                "badge_number": badge,
                "ripa_officer_id": officer.ripa_officer_id,
                "rank": officer.rank,
                "sworn_date": sworn_date,
                "user": user.username if user else None,
            },
        )
    return officer


def officer_link_user(
    *, actor: Actor | None, officer: Officer, user: User | None = None, username: str | None = None
) -> Officer:
    """Link the officer's own account (it must hold the SRO role at the officer's agency).

    Give the account itself, or its `username`; as in `officer_create`, the permission is checked
    first and a username that is not an SRO account of the agency is refused alike, existing or not.
    """
    with transaction.atomic():
        locked = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
        if actor is not None and not can_manage_officers(actor, locked.agency_id):
            raise Forbidden("Only the agency's supervisor may link an officer's account.")
        if user is None:
            if not username:
                raise InvalidInput.single("username", "is required")
            user = _agency_sro_account(locked.agency, username)
        _check_user_link(user, locked.agency, locked.pk)
        before = locked.user.username if locked.user else None
        locked.user = user
        locked.save(update_fields=["user", "updated_at"])
        audit_log(actor=_user(actor), action="link_user", obj=locked, changes={"user": [before, user.username]})
    return locked


def officer_deactivate(*, actor: Actor | None, officer: Officer, reason: str, today: dt.date | None = None) -> Officer:
    """Mark an officer inactive (left the agency or the program); refused while an assignment runs."""
    if not reason.strip():
        raise InvalidInput.single("reason", "is required")
    with transaction.atomic():
        locked = Officer.objects.select_for_update().get(pk=officer.pk)
        if actor is not None and not can_manage_officers(actor, locked.agency_id):
            raise Forbidden("Only the agency's supervisor may deactivate its officers.")
        if locked.assignments.filter(end_date__gte=_today(today)).exists():
            raise TransitionRefused(
                action="deactivate",
                current=locked.status,
                allowed=["end_assignment"],
                reason="The officer has a current or future assignment; end it first.",
            )
        before = locked.status
        locked.status = OfficerStatus.INACTIVE
        locked.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=_user(actor),
            action="deactivate",
            obj=locked,
            changes={"status": [before, locked.status], "reason": reason},
        )
    return locked


# ---------------------------------------------------------------- nominations


def nomination_create(*, actor: Actor | None, officer: Officer, contract: Contract, note: str = "") -> Nomination:
    """The agency supervisor puts an officer forward for the contract's SRO position."""
    if actor is not None and not can_nominate(actor, contract):
        raise Forbidden("Only the supervisor of the contract's agency may nominate officers for it.")
    with transaction.atomic():
        locked = Officer.objects.select_for_update().get(pk=officer.pk)
        problems: list[tuple[str, str]] = []
        if locked.agency_id != contract.agency_id:
            problems.append(("contract", f"the contract is with {contract.agency}, not the officer's agency"))
        if contract.status in CLOSED_CONTRACT:
            problems.append(("contract", f"the contract is {contract.get_status_display().lower()}"))
        if locked.status == OfficerStatus.INACTIVE:
            problems.append(("officer", "the officer is inactive"))
        if problems:
            raise InvalidInput.many(problems)
        open_ = Nomination.objects.filter(
            officer=locked, contract=contract, status__in=[Nomination.Status.NOMINATED, Nomination.Status.APPROVED]
        ).first()
        if open_ is not None:
            raise Conflict(
                "The officer is already nominated for this contract.",
                [FieldError("contract", f"already {open_.get_status_display().lower()} for this contract")],
            )
        nomination = Nomination.objects.create(officer=locked, contract=contract, note=note, nominated_by=_user(actor))
        audit_log(
            actor=_user(actor),
            action="nominate",
            obj=nomination,
            changes={"officer": locked.pk, "contract": contract.pk, "note": note},
        )
    return nomination


def nomination_withdraw(*, actor: Actor | None, nomination: Nomination, reason: str = "") -> Nomination:
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("contract").get(pk=nomination.pk)
        if actor is not None and not can_nominate(actor, locked.contract):
            raise Forbidden("Only the supervisor of the contract's agency may withdraw a nomination.")
        if locked.status not in (Nomination.Status.NOMINATED, Nomination.Status.APPROVED):
            raise TransitionRefused(action="withdraw", current=locked.status, allowed=[])
        if Assignment.objects.filter(officer_id=locked.officer_id, contract=locked.contract).exists():
            raise TransitionRefused(
                action="withdraw",
                current=locked.status,
                allowed=[],
                reason="The officer has been assigned under this contract; end the assignment instead.",
            )
        before = locked.status
        locked.status = Nomination.Status.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        audit_log(
            actor=_user(actor),
            action="withdraw",
            obj=locked,
            changes={"status": [before, locked.status], "reason": reason},
        )
    return locked


# ---------------------------------------------------------------- training


def contract_training_set(*, actor: Actor | None, contract: Contract, courses: Sequence[str]) -> ContractTraining:
    """Name the courses a contract requires (the district's decision)."""
    if actor is not None and not can_set_required_training(actor, contract):
        raise Forbidden("Only the district's administrator may set a contract's required training.")
    known = course_keys()
    unknown = [c for c in courses if c not in known]
    if unknown:
        raise InvalidInput.single("courses", f"unknown course(s) {', '.join(unknown)}; one of {', '.join(known)}")
    keys = [k for k in known if k in set(courses)]
    with transaction.atomic():
        Contract.objects.select_for_update().get(pk=contract.pk)
        row, _ = ContractTraining.objects.get_or_create(contract=contract)
        before = list(row.courses)
        row.courses = keys
        row.save()
        audit_log(actor=_user(actor), action="set_required_training", obj=row, changes={"courses": [before, keys]})
    return row


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput.single("hours", f"'{value}' is not a number") from None
    if not hours.is_finite() or hours <= 0 or hours > 1000:
        raise InvalidInput.single("hours", "must be a number above 0 (and at most 1000)")
    return hours


def training_record_create(
    *,
    actor: Actor | None,
    officer: Officer,
    course: str,
    completed_on: dt.date,
    provider: str,
    hours: Any,
    evidence: str,
    today: dt.date | None = None,
) -> TrainingRecord:
    """The agency enters a completed course; it counts once the district confirms it."""
    if actor is not None and not can_manage_officers(actor, officer.agency_id):
        raise Forbidden("Only the officer's agency supervisor may enter training.")
    problems: list[tuple[str, str]] = []
    if course not in course_keys():
        problems.append(("course", f"unknown course '{course}'; one of {', '.join(course_keys())}"))
    if completed_on > _today(today):
        problems.append(("completed_on", f"{completed_on} is in the future"))
    if not provider.strip():
        problems.append(("provider", "is required"))
    if not evidence.strip():
        problems.append(("evidence", "give the certificate's file reference or URL"))
    if problems:
        raise InvalidInput.many(problems)
    with transaction.atomic():
        record = TrainingRecord(
            officer=officer,
            course=course,
            completed_on=completed_on,
            provider=provider.strip(),
            hours=_hours(hours),
            evidence=evidence.strip(),
            entered_by=_user(actor),
        )
        _clean(record)
        record.save()
        audit_log(
            actor=_user(actor),
            action="training_enter",
            obj=record,
            changes={
                "officer": officer.pk,
                "course": course,
                "completed_on": completed_on,
                "provider": record.provider,
                "hours": str(record.hours),
                "evidence": record.evidence,
            },
        )
    return record


def training_record_review(
    *, actor: Actor | None, record: TrainingRecord, confirm: bool, note: str = ""
) -> TrainingRecord:
    """The district confirms a completion (it then counts) or declines it with a note."""
    with transaction.atomic():
        locked = TrainingRecord.objects.select_for_update().select_related("officer").get(pk=record.pk)
        if actor is not None and not can_confirm_training(actor, officer_districts(locked.officer)):
            raise Forbidden("Only the district's administrator may confirm training.")
        if locked.status != TrainingRecord.Status.PENDING:
            raise TransitionRefused(
                action="confirm" if confirm else "reject",
                current=locked.status,
                allowed=[],
                reason=f"This completion was already reviewed ({locked.get_status_display().lower()}).",
            )
        if not confirm and not note.strip():
            raise InvalidInput.single("note", "say why the completion is not accepted")
        locked.status = TrainingRecord.Status.CONFIRMED if confirm else TrainingRecord.Status.REJECTED
        locked.reviewed_by, locked.reviewed_at, locked.review_note = _user(actor), timezone.now(), note
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
        audit_log(
            actor=_user(actor),
            action="training_confirm" if confirm else "training_reject",
            obj=locked,
            changes={"status": ["pending", locked.status], "note": note},
        )
    return locked
