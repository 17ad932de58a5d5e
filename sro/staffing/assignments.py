"""Assignments (through the deployment gate), the daily check that finds invalid ones, and notices.

`staffing_check` is run daily by cron (`sro staffing check`). Each problem it finds (an
assignment's training lapsed, its contract suspended, terminated or expired, the officer's
approval gone) is recorded once and notified once, on the home page of every district admin of
the contract's district and supervisor of its agency and by one e-mail. A problem still present
the next day is not notified again; once it clears it is marked resolved, and if it comes back
later it is a new problem.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sro.contracts.models import Contract
from sro.core.audit import audit_log
from sro.core.errors import Conflict, FieldError, Forbidden, InvalidInput
from sro.core.services import actor_user, clean_or_raise
from sro.orgs.actors import Actor
from sro.orgs.models import School, User
from sro.orgs.permissions import can_manage_agency, is_district_admin
from sro.orgs.roles import Role
from sro.staffing.gate import GateRefused, Reason, assignment_gate, assignment_problems
from sro.staffing.models import Assignment, AssignmentProblem, Notice, Officer, OfficerStatus
from sro.staffing.permissions import can_assign

log = logging.getLogger(__name__)


_user = actor_user


def _max_concurrent(qs: QuerySet[Assignment], start: dt.date, end: dt.date) -> int:
    rows = list(qs.filter(start_date__lte=end, end_date__gte=start).values_list("start_date", "end_date"))
    if not rows:
        return 0
    points = {start} | {s for s, _ in rows if start <= s <= end}
    return max(sum(1 for s, e in rows if s <= p <= e) for p in points)


def assignment_create(
    *,
    actor: Actor | None,
    officer: Officer,
    school: School,
    start_date: dt.date,
    end_date: dt.date,
    today: dt.date | None = None,
) -> Assignment:
    """Post an officer to a campus for an inclusive date range, only when the gate passes throughout."""
    today = today or timezone.localdate()
    if actor is not None and not (
        can_manage_agency(actor, officer.agency_id) or is_district_admin(actor, school.district_id)
    ):
        raise Forbidden("Only the officer's agency supervisor or the district's administrator may assign officers.")
    problems: list[tuple[str, str]] = []
    if end_date < start_date:
        problems.append(("end_date", f"must be on or after the start date ({start_date})"))
    if start_date < today:
        problems.append(("start_date", f"{start_date} is in the past"))
    if officer.status == OfficerStatus.INACTIVE:
        problems.append(("officer", f"{officer.name} is inactive"))
    if problems:
        raise InvalidInput.many(problems)
    with transaction.atomic():
        locked = Officer.objects.select_for_update().get(pk=officer.pk)
        clash = locked.assignments.filter(start_date__lte=end_date, end_date__gte=start_date).first()
        if clash is not None:
            msg = f"overlaps {locked.name}'s assignment at {clash.school} from {clash.start_date} to {clash.end_date}"
            raise Conflict(f"The officer is already assigned then: {msg}.", [FieldError("start_date", msg)])
        answer = assignment_gate(officer=locked, school=school, start=start_date, end=end_date)
        contract = answer.contract
        if contract is not None and contract.agency_id != locked.agency_id:
            raise InvalidInput.single("officer", f"{school}'s contract is with {contract.agency}, not {locked.agency}")
        if not answer.passes or contract is None:
            raise GateRefused(answer.problems)
        if actor is not None and not can_assign(actor, contract):
            raise Forbidden("Only the contract's agency supervisor or district administrator may assign officers.")
        Contract.objects.select_for_update().get(pk=contract.pk)
        if _max_concurrent(Assignment.objects.filter(contract=contract), start_date, end_date) >= contract.positions:
            raise Conflict(
                f"Every SRO position of the contract ({contract.positions}) is filled on those dates.",
                [FieldError("school", f"all {contract.positions} position(s) under '{contract.title}' are filled")],
            )
        assignment = Assignment(
            officer=locked,
            school=school,
            contract=contract,
            start_date=start_date,
            end_date=end_date,
            created_by=_user(actor),
        )
        clean_or_raise(assignment)
        assignment.save()
        before = locked.status
        locked.status = OfficerStatus.ASSIGNED
        locked.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=_user(actor),
            action="assign",
            obj=assignment,
            changes={
                "officer": locked.pk,
                "school": school.cds_code,
                "contract": contract.pk,
                "start_date": start_date,
                "end_date": end_date,
                "officer_status": [before, locked.status],
            },
        )
    return assignment


def _refresh_officer_status(officer: Officer, today: dt.date) -> str | None:
    """Back to `approved` when no current or future assignment remains; returns the old status if changed."""
    if officer.status != OfficerStatus.ASSIGNED or officer.assignments.filter(end_date__gte=today).exists():
        return None
    before = officer.status
    officer.status = OfficerStatus.APPROVED
    officer.save(update_fields=["status", "updated_at"])
    return before


def _change(
    actor: Actor | None,
    assignment: Assignment,
    reason: str,
    today: dt.date | None,
    *,
    verb: str,
    action: str,
    apply: Callable[[Assignment, dt.date], dict[str, Any]],
) -> Assignment:
    """Lock, check the actor, ``apply`` the change (it validates and saves, returning what changed), audit."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise InvalidInput.single("reason", "is required")
    with transaction.atomic():
        locked = (
            Assignment.with_cancelled.select_for_update()
            .select_related("contract", "officer", "school")
            .get(pk=assignment.pk)
        )
        if actor is not None and not can_assign(actor, locked.contract):
            raise Forbidden(f"Only the contract's agency supervisor or district administrator may {verb} assignments.")
        changes = apply(locked, today)
        officer = Officer.objects.select_for_update().get(pk=locked.officer_id)
        old_status = _refresh_officer_status(officer, today)
        audit_log(
            actor=_user(actor),
            action=action,
            obj=locked,
            changes={**changes, "reason": reason, "officer_status": [old_status, officer.status]},
        )
    return locked


def assignment_end(
    *, actor: Actor | None, assignment: Assignment, on: dt.date, reason: str, today: dt.date | None = None
) -> Assignment:
    """End an assignment on `on` (its last day). The record stays, with its dates and the reason."""

    def end(locked: Assignment, today: dt.date) -> dict[str, Any]:
        if locked.cancelled_on is not None:
            raise InvalidInput.single("on", f"the assignment was cancelled on {locked.cancelled_on}; it never began")
        if not locked.start_date <= on <= locked.end_date:
            raise InvalidInput.single("on", f"must be from {locked.start_date} to {locked.end_date}")
        before = locked.end_date
        locked.end_date, locked.end_reason = on, reason.strip()
        locked.save(update_fields=["end_date", "end_reason", "updated_at"])
        return {"end_date": [before, on]}

    return _change(actor, assignment, reason, today, verb="end", action="end_assignment", apply=end)


def assignment_cancel(
    *, actor: Actor | None, assignment: Assignment, reason: str, today: dt.date | None = None
) -> Assignment:
    """Call off an assignment before its first day. The record stays, marked cancelled, with the reason.

    A cancelled assignment counts for nothing: not on the campus board, not against the
    contract's positions, not in the daily check, and the officer is free for other dates.
    One that has begun cannot be cancelled; it is ended early instead (``assignment_end``).
    """

    def cancel(locked: Assignment, today: dt.date) -> dict[str, Any]:
        if locked.cancelled_on is not None:
            msg = f"was already cancelled on {locked.cancelled_on}"
            raise Conflict(f"The assignment {msg}.", [FieldError("assignment", msg)])
        if locked.start_date <= today:
            msg = f"began on {locked.start_date}, so it cannot be cancelled; end it early instead"
            raise Conflict(f"The assignment {msg}.", [FieldError("assignment", msg)])
        locked.cancelled_on, locked.end_reason = today, reason.strip()
        locked.save(update_fields=["cancelled_on", "end_reason", "updated_at"])
        return {"cancelled_on": [None, today]}

    return _change(actor, assignment, reason, today, verb="cancel", action="cancel_assignment", apply=cancel)


# ---------------------------------------------------------------- the daily check


@dataclass
class CheckReport:
    found: list[AssignmentProblem] = field(default_factory=list)
    resolved: list[AssignmentProblem] = field(default_factory=list)
    notices: int = 0
    mail_failures: int = 0


def _recipients(contract: Contract) -> list[User]:
    return list(
        User.objects.filter(
            Q(memberships__role=Role.DISTRICT_ADMIN, memberships__district_id=contract.district_id)
            | Q(memberships__role=Role.AGENCY_SUPERVISOR, memberships__agency_id=contract.agency_id),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


@dataclass(frozen=True)
class _Opened:
    problem: AssignmentProblem
    subject: str
    body: str
    recipients: list[User]


def _open_problem(assignment: Assignment, reason: Reason, today: dt.date) -> _Opened | None:
    subject = f"SRO assignment no longer valid: {assignment.officer.name} at {assignment.school}"
    body = (
        f"{reason.message}\n\nAssignment: {assignment.officer} at {assignment.school}, "
        f"{assignment.start_date} to {assignment.end_date}, under '{assignment.contract}'.\n"
        f"Reason code: {reason.code}. Found by the daily staffing check on {today}."
    )
    try:
        with transaction.atomic():
            problem = AssignmentProblem.objects.create(
                assignment=assignment, code=reason.code, message=reason.message, found_on=today
            )
            users = _recipients(assignment.contract)
            Notice.objects.bulk_create(
                [Notice(recipient=u, problem=problem, subject=subject, body=body) for u in users]
            )
            audit_log(
                actor=None,
                action="problem_found",
                obj=problem,
                changes={"assignment": assignment.pk, "code": reason.code, "notified": [u.username for u in users]},
            )
    except IntegrityError:  # another run recorded it first
        return None
    return _Opened(problem, subject, body, users)


def _mail(opened: _Opened) -> bool:
    """One e-mail per problem to every recipient with an address; False when sending failed."""
    emails = [u.email for u in opened.recipients if u.email]
    if not emails:
        return True
    try:
        send_mail(opened.subject, opened.body, settings.DEFAULT_FROM_EMAIL, emails)
    except OSError:
        log.exception("staffing check: e-mail about problem %s failed", opened.problem.pk)
        return False
    return True


def staffing_check(*, today: dt.date | None = None) -> CheckReport:
    """Find current and future assignments that became invalid; notify each new problem once."""
    today = today or timezone.localdate()
    report = CheckReport()
    assignments = Assignment.objects.filter(end_date__gte=today).select_related(
        "officer", "school", "contract__agency", "contract__district"
    )
    for a in assignments.order_by("pk"):
        found = {r.code: r for r in assignment_problems(a, max(today, a.start_date))}
        open_ = {p.code: p for p in a.problems.filter(resolved_on__isnull=True)}
        for code, reason in found.items():
            opened = None if code in open_ else _open_problem(a, reason, today)
            if opened is not None:
                report.found.append(opened.problem)
                report.notices += len(opened.recipients)
                report.mail_failures += 0 if _mail(opened) else 1
        for code, problem in open_.items():
            if code not in found:
                with transaction.atomic():
                    problem.resolved_on = today
                    problem.save(update_fields=["resolved_on", "updated_at"])
                    audit_log(actor=None, action="problem_resolved", obj=problem, changes={"code": code})
                report.resolved.append(problem)
    for officer in Officer.objects.filter(status=OfficerStatus.ASSIGNED):
        with transaction.atomic():
            before = _refresh_officer_status(officer, today)
            if before is not None:
                audit_log(actor=None, action="status", obj=officer, changes={"status": [before, officer.status]})
    return report


def notice_mark_read(*, actor: Actor, notice: Notice) -> Notice:
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if actor.user is None or locked.recipient_id != actor.user.pk:
            raise Forbidden("Only the recipient may mark a notice read.")
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at", "updated_at"])
            audit_log(actor=_user(actor), action="notice_read", obj=locked)
    return locked
