"""The deployment gate: may an SRO be on a campus on a date, and every reason why not.

The one home of the rule. It reads two layers (the contract's status, term and council votes;
the officer's assignment, joint approval and training), so it lives here, in the upper one.
`REASON_TEXT` lists every reason code the gate gives, contract-level and officer-level, with
its text; docs/contracts.md and docs/staffing.md document them (a test checks).

Campus (`deployment_gate`, behind the campus status board, the public site, the home-page
panel, `GET /api/v1/schools/{cds}/deployment` and `sro contracts gate`):

- no contract covers the campus: `no_contract`. Otherwise the best contract (one that passes
  first, then by status precedence, newest first) and its contract-level reasons;
- only when the contract passes, the officer-level reasons: an assignment covers the date:
  check its officer (joint approval under the assignment's contract, and every required course
  complete and unexpired on the date); no assignment: look at the contract's candidates
  (nominations before the panel or approved). None: `no_officer_assigned`. The best candidate
  approved and trained: `no_officer_assigned` (ready to assign). Otherwise the best candidate's
  own reasons.

Assignment (`assignment_gate`): the gate must pass on every day of the range (both ends
included). Not every day is evaluated: only the days on which an answer can change, which are
the first day, the day after the contract's term ends, and the days a required course is
completed or lapses (the day after its `valid_until`). A contract's status and an officer's joint
approval are their present state (no change is scheduled), so the first day answers for them.
Each reason is given once, on the first day of the range it applies (a course lapsing later
than another is a reason of its own), with the field to change: `school` for the contract's
status, `start_date` for a first day outside the term, `officer` for approval and training on
the first day, and `end_date` for anything that starts to fail later in the range (the term
ending, a course lapsing): the message names that day and the last day that would pass. The
answer's `first_failing_day` is the earliest of them (None: every day passes).

Daily check (`assignment_problems`): an existing assignment's contract-level and officer-level
reasons on a date; the staffing check asks it each day, so a problem opens on the day it begins.

Warning ahead (`training_lapse_ahead`): the last valid day of the first required course of the
officer of the assignment covering a date, when it lapses within 30 days (the board shows it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sro.contracts.models import Body, Clause, Contract, ContractStatus, Vote
from sro.contracts.selectors import latest_version
from sro.contracts.workflow import DEPLOYABLE
from sro.core.errors import Conflict, FieldError
from sro.orgs.models import School
from sro.staffing.catalogues import Course
from sro.staffing.models import Assignment, ContractTraining, Nomination, Officer, OfficerStatus, TrainingRecord
from sro.staffing.registries import extra_officer_reasons, extra_officer_reasons_many
from sro.staffing.training import (
    CourseState,
    CourseStatus,
    confirmed_records,
    course_state,
    required_courses,
    required_from,
    valid_until,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a type only: a development package

REASON_TEXT: dict[str, StrOrPromise] = {
    # Contract level: the campus's contract, its status, term and council votes.
    "no_contract": _lazy("No contract covers this campus."),
    "contract_in_negotiation": _lazy("The contract is still being negotiated."),
    "awaiting_council_vote": _lazy("The contract is waiting for the city council's vote."),
    "council_rejected": _lazy("The city council voted the contract down; it is back in negotiation."),
    "awaiting_board_approval": _lazy("The city council approved; the school board has not yet given final approval."),
    "not_in_term": _lazy("The contract is approved but its term does not include this date."),
    "contract_suspended": _lazy("The contract is suspended."),
    "contract_terminated": _lazy("The contract was terminated."),
    "contract_expired": _lazy("The contract's term has ended."),
    # Officer level: asked only when the contract-level answer passes.
    "no_officer_assigned": _lazy("No officer is assigned to this campus on this date."),
    "officer_not_jointly_approved": _lazy("The officer has not been approved by both the district and the agency."),
    "training_missing": _lazy("The officer has not completed every required course."),
    "training_expired": _lazy("A required course of the officer's has expired."),
    # Given through sro.staffing.registries (the force app): a sustained finding in a category the
    # contract names, until the district and the agency record their joint review.
    "joint_review_required": _lazy("A sustained finding requires a joint review by the district and the agency first."),
}

# The officer-level codes (docs/staffing.md lists them as well).
OFFICER_REASONS = frozenset(
    {
        "no_officer_assigned",
        "officer_not_jointly_approved",
        "training_missing",
        "training_expired",
        "joint_review_required",
    }
)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


def _reason(code: str, detail: str = "") -> Reason:
    return Reason(code, f"{REASON_TEXT[code]} {detail}".strip())  # in the language of the request


@dataclass
class GateAnswer:
    school: School
    on: dt.date
    contract: Contract | None = None
    reasons: list[Reason] = field(default_factory=list)

    @property
    def may_deploy(self) -> bool:
        return not self.reasons


# ---------------------------------------------------------------- contract level

_PRECEDENCE = [
    ContractStatus.ACTIVE,
    ContractStatus.APPROVED,
    ContractStatus.SUSPENDED,
    ContractStatus.BOARD_REVIEW,
    ContractStatus.COUNCIL_REVIEW,
    ContractStatus.NEGOTIATING,
    ContractStatus.DRAFT,
    ContractStatus.EXPIRED,
    ContractStatus.TERMINATED,
]

_STATUS_REASON = {
    ContractStatus.DRAFT: "contract_in_negotiation",
    ContractStatus.NEGOTIATING: "contract_in_negotiation",
    ContractStatus.COUNCIL_REVIEW: "awaiting_council_vote",
    ContractStatus.BOARD_REVIEW: "awaiting_board_approval",
    ContractStatus.SUSPENDED: "contract_suspended",
    ContractStatus.TERMINATED: "contract_terminated",
    ContractStatus.EXPIRED: "contract_expired",
}


def _last_council_vote_failed(contract: Contract) -> bool:
    last = (
        Vote.objects.filter(version__contract=contract, meeting__body__kind=Body.Kind.CITY_COUNCIL)
        .exclude(outcome=Vote.Outcome.SCHEDULED)
        .order_by("-meeting__date", "-pk")
        .first()
    )
    return last is not None and last.outcome == Vote.Outcome.FAILED


def contract_reasons(contract: Contract, on: dt.date, data: GateData | None = None) -> list[Reason]:
    """Why `contract` does not let an SRO serve on `on` (empty: it does)."""
    s = contract.status
    if s in DEPLOYABLE:
        if on > contract.term_end:
            return [_reason("contract_expired")]
        return [] if contract.in_term(on) else [_reason("not_in_term")]
    failed = data.council_failed(contract) if data is not None else _last_council_vote_failed(contract)
    if s == ContractStatus.NEGOTIATING and failed:
        return [_reason("council_rejected")]
    return [_reason(_STATUS_REASON[ContractStatus(s)])]


def _governing_contract(school: School, on: dt.date, data: GateData | None = None) -> Contract | None:
    """The contract the gate answers for: one that passes first, then by status, newest first."""

    def rank(c: Contract) -> tuple[int, int, int]:
        return (0 if not contract_reasons(c, on, data) else 1, _PRECEDENCE.index(ContractStatus(c.status)), -c.pk)

    data = data or LiveData()
    contracts = data.contracts_of(school)
    return min(contracts, key=rank) if contracts else None


# ---------------------------------------------------------------- what the gate reads


class GateData(Protocol):
    """What the gate reads about campuses, contracts and officers. `LiveData` asks the database for
    each object as it is needed (one campus, an assignment); `PrefetchedData` reads everything for
    a list of campuses in a fixed number of queries, whatever their number (the status board, the
    public site, the board report)."""

    def contracts_of(self, school: School) -> list[Contract]: ...
    def council_failed(self, contract: Contract) -> bool: ...
    def covering(self, school: School, on: dt.date) -> list[Assignment]: ...
    def candidates(self, contract: Contract) -> list[Nomination]: ...
    def approved(self, officer: Officer, contract: Contract) -> bool: ...
    def records(self, officer: Officer) -> list[TrainingRecord]: ...
    def required(self, contract: Contract) -> list[Course]: ...
    def extra_reasons(self, officer: Officer, on: dt.date) -> list[tuple[str, str]]: ...


def _covering_q(on: dt.date) -> dict[str, dt.date]:
    return {"start_date__lte": on, "end_date__gte": on}


_CANDIDATE_STATUSES = [Nomination.Status.NOMINATED, Nomination.Status.APPROVED]


class LiveData:
    """The gate's reads for one object at a time, straight from the database."""

    def contracts_of(self, school: School) -> list[Contract]:
        return list(Contract.objects.filter(campuses=school).select_related("agency", "city"))

    def council_failed(self, contract: Contract) -> bool:
        return _last_council_vote_failed(contract)

    def covering(self, school: School, on: dt.date) -> list[Assignment]:
        return list(Assignment.objects.filter(school=school, **_covering_q(on)).select_related("officer", "contract"))

    def candidates(self, contract: Contract) -> list[Nomination]:
        return list(
            Nomination.objects.filter(contract=contract, status__in=_CANDIDATE_STATUSES)
            .exclude(officer__status=OfficerStatus.INACTIVE)
            .select_related("officer")
        )

    def approved(self, officer: Officer, contract: Contract) -> bool:
        return Nomination.objects.filter(officer=officer, contract=contract, status=Nomination.Status.APPROVED).exists()

    def records(self, officer: Officer) -> list[TrainingRecord]:
        return confirmed_records(officer)

    def required(self, contract: Contract) -> list[Course]:
        return required_courses(contract)

    def extra_reasons(self, officer: Officer, on: dt.date) -> list[tuple[str, str]]:
        return extra_officer_reasons(officer, on)


class PrefetchedData:
    """The gate's reads for every campus in `schools` on `on`, in eight queries whatever their number."""

    def __init__(self, schools: Sequence[School], on: dt.date) -> None:
        self.on = on
        contracts = list(
            Contract.objects.filter(campuses__in=schools)
            .distinct()
            .select_related("agency", "city")
            .prefetch_related("campuses")
        )
        self._contracts: dict[int, list[Contract]] = {s.pk: [] for s in schools}
        for c in contracts:
            for campus in c.campuses.all():
                if campus.pk in self._contracts:
                    self._contracts[campus.pk].append(c)
        self._failed: dict[int, bool] = {}
        council = (
            Vote.objects.filter(version__contract__in=contracts, meeting__body__kind=Body.Kind.CITY_COUNCIL)
            .exclude(outcome=Vote.Outcome.SCHEDULED)
            .order_by("-meeting__date", "-pk")
            .values_list("version__contract_id", "outcome")
        )
        for contract_id, outcome in council:
            self._failed.setdefault(contract_id, outcome == Vote.Outcome.FAILED)
        self._covering: dict[int, list[Assignment]] = {s.pk: [] for s in schools}
        assignments = Assignment.objects.filter(school__in=schools, **_covering_q(on)).select_related(
            "officer", "contract"
        )
        for a in assignments:
            self._covering[a.school_id].append(a)
        self._candidates: dict[int, list[Nomination]] = {c.pk: [] for c in contracts}
        for n in (
            Nomination.objects.filter(contract__in=contracts, status__in=_CANDIDATE_STATUSES)
            .exclude(officer__status=OfficerStatus.INACTIVE)
            .select_related("officer")
        ):
            self._candidates[n.contract_id].append(n)
        officers = {a.officer.pk: a.officer for lst in self._covering.values() for a in lst}
        officers |= {n.officer.pk: n.officer for lst in self._candidates.values() for n in lst}
        contract_ids = {c.pk for c in contracts} | {a.contract_id for lst in self._covering.values() for a in lst}
        self._approved = set(
            Nomination.objects.filter(
                officer_id__in=officers, contract_id__in=contract_ids, status=Nomination.Status.APPROVED
            ).values_list("officer_id", "contract_id")
        )
        self._required = {row.contract_id: row for row in ContractTraining.objects.filter(contract_id__in=contract_ids)}
        self._records: dict[int, list[TrainingRecord]] = {pk: [] for pk in officers}
        for r in TrainingRecord.objects.filter(officer_id__in=officers, status=TrainingRecord.Status.CONFIRMED):
            self._records[r.officer_id].append(r)
        self._extra = extra_officer_reasons_many(list(officers.values()), on)

    def contracts_of(self, school: School) -> list[Contract]:
        return self._contracts.get(school.pk, [])

    def council_failed(self, contract: Contract) -> bool:
        return self._failed.get(contract.pk, False)

    def covering(self, school: School, on: dt.date) -> list[Assignment]:
        return self._covering.get(school.pk, []) if on == self.on else LiveData().covering(school, on)

    def candidates(self, contract: Contract) -> list[Nomination]:
        return self._candidates.get(contract.pk, [])

    def approved(self, officer: Officer, contract: Contract) -> bool:
        return (officer.pk, contract.pk) in self._approved

    def records(self, officer: Officer) -> list[TrainingRecord]:
        return self._records.get(officer.pk, [])

    def required(self, contract: Contract) -> list[Course]:
        return required_from(self._required.get(contract.pk))

    def extra_reasons(self, officer: Officer, on: dt.date) -> list[tuple[str, str]]:
        return self._extra.get(officer.pk, []) if on == self.on else extra_officer_reasons(officer, on)


# ---------------------------------------------------------------- officer level


def is_jointly_approved(officer: Officer, contract: Contract, data: GateData | None = None) -> bool:
    if officer.status == OfficerStatus.INACTIVE:
        return False
    return (data or LiveData()).approved(officer, contract)


def officer_reasons(officer: Officer, contract: Contract, on: dt.date, data: GateData | None = None) -> list[Reason]:
    """Why this officer may not serve under `contract` on `on` (empty: they may)."""
    data = data or LiveData()
    reasons: list[Reason] = []
    if not is_jointly_approved(officer, contract, data):
        reasons.append(_reason("officer_not_jointly_approved", f"({officer.name})"))
    reasons += _extra_reasons(officer, on, data)
    records = data.records(officer)
    states = [course_state(c, records, on) for c in data.required(contract)]
    return reasons + _training_reasons(officer, states)


def _extra_reasons(officer: Officer, on: dt.date, data: GateData | None = None) -> list[Reason]:
    """The reasons upper apps give through sro.staffing.registries (a joint review still to record)."""
    return [_reason(code, detail) for code, detail in (data or LiveData()).extra_reasons(officer, on)]


def _training_reasons(officer: Officer, states: list[CourseState]) -> list[Reason]:
    """`training_missing` and `training_expired` for the courses in `states` that do not count."""
    reasons: list[Reason] = []
    missing = [s.course.title for s in states if s.status == CourseStatus.MISSING]
    expired = [f"{s.course.title} (valid until {s.valid_until})" for s in states if s.status == CourseStatus.EXPIRED]
    if missing:
        reasons.append(_reason("training_missing", f"{officer.name}: {'; '.join(missing)}."))
    if expired:
        reasons.append(_reason("training_expired", f"{officer.name}: {'; '.join(expired)}."))
    return reasons


def campus_officer_reasons(
    school: School, contract: Contract, on: dt.date, data: GateData | None = None
) -> list[Reason]:
    """Officer-level reasons for a campus whose contract passes on `on`."""
    data = data or LiveData()
    covering = data.covering(school, on)
    if covering:
        return min((officer_reasons(a.officer, a.contract, on, data) for a in covering), key=len)
    candidates = data.candidates(contract)
    if not candidates:
        return [_reason("no_officer_assigned")]
    ranked = sorted(
        ((officer_reasons(n.officer, contract, on, data), n) for n in candidates),
        key=lambda pair: (len(pair[0]), pair[1].status != Nomination.Status.APPROVED, pair[1].pk),
    )
    reasons, best = ranked[0]
    if not reasons:
        return [
            _reason(
                "no_officer_assigned",
                _("%(officer)s is approved and trained: ready to assign.") % {"officer": best.officer.name},
            )
        ]
    return reasons


# ---------------------------------------------------------------- the campus answer


def deployment_gate(*, school: School, on: dt.date, data: GateData | None = None) -> GateAnswer:
    """May an SRO be on `school` on `on`? Every reason why not, as stable codes."""
    answer = GateAnswer(school=school, on=on, contract=_governing_contract(school, on, data))
    if answer.contract is None:
        answer.reasons = [_reason("no_contract")]
        return answer
    answer.reasons = contract_reasons(answer.contract, on, data)
    if not answer.reasons:
        answer.reasons = campus_officer_reasons(school, answer.contract, on, data)
    return answer


def deployment_gates(schools: Iterable[School], on: dt.date) -> list[tuple[GateAnswer, dt.date | None]]:
    """The gate's answer and the warning ahead (`training_lapse_ahead`) for every campus in `schools`,
    in their order, read in a fixed number of queries however many campuses there are."""
    schools = list(schools)
    data = PrefetchedData(schools, on)
    return [(deployment_gate(school=s, on=on, data=data), training_lapse_ahead(s, on, data)) for s in schools]


def clause_for_campus(*, school: School, on: dt.date, category: str) -> Clause | None:
    """The clause of the text that governs `school` on `on` covering a catalogue `category`.

    The governing text is the version in force of the contract the deployment gate picks;
    before any version is in force, the latest version of that contract.
    """
    contract = deployment_gate(school=school, on=on).contract
    if contract is None:
        return None
    version = contract.in_force or latest_version(contract)
    if version is None:
        return None
    for clause in version.clauses.select_related("version__contract").order_by("position"):
        if category in clause.categories:
            return clause
    return None


# ---------------------------------------------------------------- assignments

ONE_DAY = dt.timedelta(days=1)


def in_words(day: dt.date) -> str:
    """A date in words, for messages: 4 December 2026."""
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class RangeProblem:
    """A reason the gate refuses a range: the field to change and the first day of the range it applies."""

    field: str
    reason: Reason
    day: dt.date


@dataclass
class RangeAnswer:
    contract: Contract | None
    problems: list[RangeProblem] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not self.problems

    @property
    def reasons(self) -> list[Reason]:
        return [p.reason for p in self.problems]

    @property
    def first_failing_day(self) -> dt.date | None:
        """The first day of the range on which the gate says No (None: it passes on every day)."""
        return min((p.day for p in self.problems), default=None)


class GateRefused(Conflict):
    """409: the gate refuses; `errors` name the fields, `reasons` carry the stable codes and their days."""

    def __init__(self, problems: list[RangeProblem]) -> None:
        self.problems = list(problems)
        self.reasons = [p.reason for p in self.problems]
        self.first_failing_day = min((p.day for p in self.problems), default=None)
        codes = ", ".join(dict.fromkeys(r.code for r in self.reasons))
        since = f" from {self.first_failing_day}" if self.first_failing_day else ""
        super().__init__(
            f"The deployment gate refuses this assignment{since} ({codes}).",
            [FieldError(p.field, p.reason.message) for p in self.problems],
        )

    def as_dict(self) -> dict[str, object]:
        data = super().as_dict()
        data["first_failing_day"] = self.first_failing_day.isoformat() if self.first_failing_day else None
        data["reasons"] = [
            {"code": p.reason.code, "message": p.reason.message, "field": p.field, "day": p.day.isoformat()}
            for p in self.problems
        ]
        return data


def _contract_problems(contract: Contract, start: dt.date, end: dt.date) -> list[RangeProblem]:
    """The contract-level reasons for the range: its status, a first day outside the term, the term ending."""
    if contract.status not in DEPLOYABLE:
        return [RangeProblem("school", r, start) for r in contract_reasons(contract, start)]
    term = _("term %(start)s to %(end)s") % {"start": in_words(contract.term_start), "end": in_words(contract.term_end)}
    first = _("%(reason)s (first day %(day)s; %(term)s)")
    out = [
        RangeProblem(
            "start_date", Reason(r.code, first % {"reason": r.message, "day": in_words(start), "term": term}), start
        )
        for r in contract_reasons(contract, start)
    ]
    if start <= contract.term_end < end:
        lapse = contract.term_end + ONE_DAY
        message = _(
            "From %(day)s the contract's term has ended (%(term)s): end the assignment on %(last)s at the latest."
        ) % {"day": in_words(lapse), "term": term, "last": in_words(contract.term_end)}
        out.append(RangeProblem("end_date", Reason("contract_expired", message), lapse))
    return out


def _later(officer: Officer, reason: Reason, lapsed: list[CourseState], day: dt.date) -> Reason:
    """A training reason that begins after the first day, in words: from when, and what to do."""
    if reason.code != "training_expired":
        return Reason(reason.code, _("From %(day)s: %(reason)s") % {"day": in_words(day), "reason": reason.message})
    titles = "; ".join(s.course.title for s in lapsed if s.status == CourseStatus.EXPIRED)
    message = _(
        "From %(day)s a required course of %(officer)s's has expired (%(courses)s): end the assignment on "
        "%(last)s or record the renewed course first."
    ) % {"day": in_words(day), "officer": officer.name, "courses": titles, "last": in_words(day - ONE_DAY)}
    return Reason(reason.code, message)


def _officer_problems(officer: Officer, contract: Contract, start: dt.date, end: dt.date) -> list[RangeProblem]:
    """Joint approval (its present state) and training on every day of the range, at the days it can change."""
    out: list[RangeProblem] = []
    if not is_jointly_approved(officer, contract):
        out.append(RangeProblem("officer", _reason("officer_not_jointly_approved", f"({officer.name})"), start))
    out += [RangeProblem("officer", r, start) for r in _extra_reasons(officer, start)]
    required = {c.key: c for c in required_courses(contract)}
    records = [r for r in confirmed_records(officer) if r.course in required]
    days = {start}
    for r in records:
        until = valid_until(required[r.course], r.completed_on)
        lapses = None if until is None else until + ONE_DAY
        days.update(d for d in (r.completed_on, lapses) if d is not None and start < d <= end)
    reported: set[tuple[str, str]] = set()
    for day in sorted(days):
        states = [course_state(c, records, day) for c in required.values()]
        fresh = [s for s in states if not s.counts and (s.status, s.course.key) not in reported]
        reported.update((s.status, s.course.key) for s in fresh)
        for reason in _training_reasons(officer, fresh):
            if day == start:
                out.append(RangeProblem("officer", reason, day))
            else:
                out.append(RangeProblem("end_date", _later(officer, reason, fresh, day), day))
    return out


def range_contract(school: School, start: dt.date, end: dt.date) -> RangeAnswer:
    """The campus's contract for the range, with its contract-level reasons over the range."""
    contracts = list(Contract.objects.filter(campuses=school).order_by("-pk"))
    for c in contracts:
        if not _contract_problems(c, start, end):
            return RangeAnswer(c)
    picked = _governing_contract(school, start)
    if picked is None:
        return RangeAnswer(None, [RangeProblem("school", _reason("no_contract"), start)])
    return RangeAnswer(picked, _contract_problems(picked, start, end))


def assignment_gate(*, officer: Officer, school: School, start: dt.date, end: dt.date) -> RangeAnswer:
    """Every reason the gate refuses `officer` at `school` on some day from `start` to `end` (inclusive).

    Each reason once, on the first day it applies, in order of that day; `first_failing_day` is the earliest.
    """
    answer = range_contract(school, start, end)
    if answer.contract is not None:
        answer.problems += _officer_problems(officer, answer.contract, start, end)
        answer.problems.sort(key=lambda p: p.day)
    return answer


def assignment_problems(assignment: Assignment, on: dt.date) -> list[Reason]:
    """Why an assignment is not valid on `on`: contract status or term, officer approval, training."""
    reasons = contract_reasons(assignment.contract, on) + officer_reasons(assignment.officer, assignment.contract, on)
    return list({r.code: r for r in reasons}.values())


def training_lapse_ahead(school: School, on: dt.date, data: GateData | None = None) -> dt.date | None:
    """The warning ahead: for the officer of an assignment covering `on`, the last valid day of the first
    required course that lapses within 30 days (None when none does, or no assignment covers the date)."""
    data = data or LiveData()
    return min(
        (
            s.valid_until
            for a in data.covering(school, on)
            for s in (course_state(c, data.records(a.officer), on) for c in data.required(a.contract))
            if s.status == CourseStatus.DUE and s.valid_until is not None
        ),
        default=None,
    )
