"""The deployment gate's officer-level checks, for the campus board and for new assignments.

Campus board (registered in `EXTRA_GATE_CHECKS`; the contracts app calls it only when the
contract-level answer passes):

- an assignment covers the date: check its officer (joint approval under the assignment's
  contract, and every required course complete and unexpired on the date);
- no assignment: look at the contract's candidates (nominations before the panel or approved).
  None: `no_officer_assigned`. The best candidate approved and trained: `no_officer_assigned`
  (ready to assign). Otherwise the best candidate's own reasons.

Assignment (`assignment_gate`): the campus's contract must be approved or active with the
whole range inside its term (contract-level reasons for the start and the end date), the
officer jointly approved under it, and every required course valid on the start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sro.contracts.models import Contract
from sro.contracts.selectors import GateAnswer, Reason, contract_reasons, deployment_gate
from sro.contracts.workflow import DEPLOYABLE
from sro.core.errors import Conflict, FieldError
from sro.orgs.models import School
from sro.staffing.models import Assignment, Nomination, Officer, OfficerStatus
from sro.staffing.training import CourseStatus, officer_training, required_courses

STAFFING_REASON_TEXT = {
    "no_officer_assigned": "No officer is assigned to this campus on this date.",
    "officer_not_jointly_approved": "The officer has not been approved by both the district and the agency.",
    "training_missing": "The officer has not completed every required course.",
    "training_expired": "A required course of the officer's has expired.",
}


def _reason(code: str, detail: str = "") -> Reason:
    text = STAFFING_REASON_TEXT[code]
    return Reason(code, f"{text} {detail}".strip())


def is_jointly_approved(officer: Officer, contract: Contract) -> bool:
    if officer.status == OfficerStatus.INACTIVE:
        return False
    return Nomination.objects.filter(officer=officer, contract=contract, status=Nomination.Status.APPROVED).exists()


def officer_reasons(officer: Officer, contract: Contract, on: dt.date) -> list[Reason]:
    """Why this officer may not serve under `contract` on `on` (empty: they may)."""
    reasons: list[Reason] = []
    if not is_jointly_approved(officer, contract):
        reasons.append(_reason("officer_not_jointly_approved", f"({officer.name})"))
    states = officer_training(officer, on, required_courses(contract))
    missing = [s.course.title for s in states if s.status == CourseStatus.MISSING]
    expired = [f"{s.course.title} (valid until {s.valid_until})" for s in states if s.status == CourseStatus.EXPIRED]
    if missing:
        reasons.append(_reason("training_missing", f"{officer.name}: {'; '.join(missing)}."))
    if expired:
        reasons.append(_reason("training_expired", f"{officer.name}: {'; '.join(expired)}."))
    return reasons


def campus_officer_check(answer: GateAnswer) -> list[Reason]:
    """EXTRA_GATE_CHECKS entry: officer-level reasons for a campus whose contract passes."""
    contract, on = answer.contract, answer.on
    if contract is None:
        return []
    covering = list(
        Assignment.objects.filter(school=answer.school, start_date__lte=on, end_date__gte=on).select_related(
            "officer", "contract"
        )
    )
    if covering:
        return min((officer_reasons(a.officer, a.contract, on) for a in covering), key=len)
    candidates = list(
        Nomination.objects.filter(
            contract=contract, status__in=[Nomination.Status.NOMINATED, Nomination.Status.APPROVED]
        )
        .exclude(officer__status=OfficerStatus.INACTIVE)
        .select_related("officer")
    )
    if not candidates:
        return [_reason("no_officer_assigned")]
    ranked = sorted(
        ((officer_reasons(n.officer, contract, on), n) for n in candidates),
        key=lambda pair: (len(pair[0]), pair[1].status != Nomination.Status.APPROVED, pair[1].pk),
    )
    reasons, best = ranked[0]
    if not reasons:
        return [_reason("no_officer_assigned", f"{best.officer.name} is approved and trained: ready to assign.")]
    return reasons


# ---------------------------------------------------------------- new assignments


@dataclass
class RangeAnswer:
    contract: Contract | None
    problems: list[tuple[str, Reason]] = field(default_factory=list)  # (field, reason)

    @property
    def passes(self) -> bool:
        return not self.problems

    @property
    def reasons(self) -> list[Reason]:
        return [r for _, r in self.problems]


class GateRefused(Conflict):
    """409: the gate refuses; `errors` name the fields, `reasons` carry the stable codes."""

    def __init__(self, problems: list[tuple[str, Reason]]) -> None:
        codes = ", ".join(dict.fromkeys(r.code for _, r in problems))
        super().__init__(
            f"The deployment gate refuses this assignment ({codes}).", [FieldError(f, r.message) for f, r in problems]
        )
        self.reasons = [r for _, r in problems]

    def as_dict(self) -> dict[str, object]:
        data = super().as_dict()
        data["reasons"] = [{"code": r.code, "message": r.message} for r in self.reasons]
        return data


def _range_reasons(contract: Contract, start: dt.date, end: dt.date) -> list[tuple[str, Reason]]:
    if contract.status not in DEPLOYABLE:
        return [("school", r) for r in contract_reasons(contract, start)]
    out: list[tuple[str, Reason]] = []
    for name, day in (("start_date", start), ("end_date", end)):
        for r in contract_reasons(contract, day):
            term = f"{contract.term_start} to {contract.term_end}"
            out.append((name, Reason(r.code, f"{r.message} ({name.replace('_', ' ')} {day}; term {term})")))
    return out


def range_contract(school: School, start: dt.date, end: dt.date) -> RangeAnswer:
    """The campus's contract for the range, with its contract-level reasons for both ends."""
    contracts = list(Contract.objects.filter(campuses=school).order_by("-pk"))
    for c in contracts:
        if not _range_reasons(c, start, end):
            return RangeAnswer(c)
    picked = deployment_gate(school=school, on=start)
    if picked.contract is None:
        return RangeAnswer(None, [("school", r) for r in picked.reasons])
    return RangeAnswer(picked.contract, _range_reasons(picked.contract, start, end))


def assignment_gate(*, officer: Officer, school: School, start: dt.date, end: dt.date) -> RangeAnswer:
    """Every reason the gate refuses `officer` at `school` from `start` to `end` (inclusive)."""
    answer = range_contract(school, start, end)
    if answer.contract is not None:
        answer.problems += [("officer", r) for r in officer_reasons(officer, answer.contract, start)]
    return answer
