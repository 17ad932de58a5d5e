"""Reads for contracts: scoped lists, rubric, clause-level diff, costs and the deployment gate."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sro.contracts.catalogue import Element, catalogue
from sro.contracts.models import Clause, Contract, ContractStatus, ContractVersion, VersionState, Vote
from sro.contracts.workflow import AMENDABLE, AMENDMENT_ACTIONS, actions_from
from sro.core.errors import NotFound
from sro.orgs.actors import Actor
from sro.orgs.models import School


def contract_list(*, actor: Actor) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("district", "agency", "city", "in_force").prefetch_related("campuses")
    if actor.is_superuser:
        return qs
    return qs.filter(
        Q(district_id__in=actor.district_ids) | Q(agency_id__in=actor.agency_ids) | ~Q(status="draft")
    ).distinct()


def contract_get(*, actor: Actor, pk: int) -> Contract:
    try:
        return contract_list(actor=actor).get(pk=pk)
    except (Contract.DoesNotExist, ValueError):
        raise NotFound("Contract") from None


def version_list(contract: Contract) -> QuerySet[ContractVersion]:
    return contract.versions.prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("position")))


def latest_version(contract: Contract) -> ContractVersion | None:
    return contract.versions.order_by("-number").first()


def open_version(contract: Contract) -> ContractVersion | None:
    """The version being negotiated or voted on, if any."""
    return (
        contract.versions.filter(state__in=[VersionState.DRAFT, VersionState.COUNCIL_REVIEW, VersionState.BOARD_REVIEW])
        .order_by("-number")
        .first()
    )


def allowed_actions(contract: Contract, *, today: dt.date | None = None) -> list[str]:
    actions = actions_from(contract.status)
    if contract.status in AMENDABLE:
        ov = open_version(contract)
        if ov is not None and ov.is_amendment:
            actions += ["submit_amendment"] if ov.state == VersionState.DRAFT else ["withdraw_amendment"]
    _ = AMENDMENT_ACTIONS
    return actions


# ---------------------------------------------------------------- rubric


@dataclass(frozen=True)
class RubricLine:
    element: Element
    clauses: list[str]

    @property
    def covered(self) -> bool:
        return bool(self.clauses)


@dataclass(frozen=True)
class Rubric:
    lines: list[RubricLine]

    @property
    def covered(self) -> list[RubricLine]:
        return [x for x in self.lines if x.covered]

    @property
    def missing(self) -> list[RubricLine]:
        return [x for x in self.lines if not x.covered]

    @property
    def blocking(self) -> list[RubricLine]:
        return [x for x in self.lines if not x.covered and x.element.required]

    @property
    def score(self) -> str:
        return f"{len(self.covered)} of {len(self.lines)}"


def rubric_for(version: ContractVersion) -> Rubric:
    by_key: dict[str, list[str]] = {}
    for clause in version.clauses.all():
        for key in clause.categories:
            by_key.setdefault(key, []).append(clause.number)
    return Rubric([RubricLine(e, by_key.get(e.key, [])) for e in catalogue()])


# ---------------------------------------------------------------- diff


@dataclass(frozen=True)
class ClauseDiff:
    number: str
    status: str  # added | removed | changed | unchanged
    old: Clause | None
    new: Clause | None
    html: SafeString


def _word_diff(a: str, b: str) -> SafeString:
    aw, bw = a.split(), b.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=aw, b=bw, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(aw[i1:i2])))
        if op in {"delete", "replace"}:
            out.append(f"<del>{escape(' '.join(aw[i1:i2]))}</del>")
        if op in {"insert", "replace"}:
            out.append(f"<ins>{escape(' '.join(bw[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every piece is escaped above


def version_diff(old: ContractVersion, new: ContractVersion) -> list[ClauseDiff]:
    """Clause-level comparison, matching clauses by number, in the new version's order."""
    old_by = {c.number: c for c in old.clauses.all()}
    new_list = list(new.clauses.all())
    new_numbers = {c.number for c in new_list}
    out: list[ClauseDiff] = []
    for c in new_list:
        o = old_by.get(c.number)
        if o is None:
            out.append(ClauseDiff(c.number, "added", None, c, _word_diff("", c.text)))
        elif (o.title, o.text, sorted(o.categories)) == (c.title, c.text, sorted(c.categories)):
            out.append(ClauseDiff(c.number, "unchanged", o, c, mark_safe(escape(c.text))))  # noqa: S308
        else:
            out.append(ClauseDiff(c.number, "changed", o, c, _word_diff(o.text, c.text)))
    for number, o in old_by.items():
        if number not in new_numbers:
            out.append(ClauseDiff(number, "removed", o, None, _word_diff(o.text, "")))
    return out


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


# ---------------------------------------------------------------- costs

CENT = Decimal("0.01")


def _money(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ContractCosts:
    annual: Decimal
    district_annual: Decimal
    city_annual: Decimal
    term: Decimal
    per_campus: Decimal | None
    per_student: Decimal | None
    enrolment: int | None


def contract_costs(contract: Contract) -> ContractCosts:
    days = (contract.term_end - contract.term_start).days + 1
    term = _money(contract.annual_cost * Decimal(days) / Decimal("365"))
    campuses = list(contract.campuses.all())
    enrolments = [s.enrolment for s in campuses if s.enrolment]
    enrolment = sum(enrolments) if enrolments and len(enrolments) == len(campuses) else None
    return ContractCosts(
        annual=contract.annual_cost,
        district_annual=contract.district_annual_cost,
        city_annual=contract.city_annual_cost,
        term=term,
        per_campus=_money(contract.annual_cost / len(campuses)) if campuses else None,
        per_student=_money(contract.annual_cost / enrolment) if enrolment else None,
        enrolment=enrolment,
    )


def fiscal_year_of(day: dt.date) -> int:
    """California school fiscal years run 1 July - 30 June; named by the year they start."""
    return day.year if day.month >= 7 else day.year - 1


def district_spend_by_year(contracts: QuerySet[Contract]) -> dict[str, Decimal]:
    """The district's share of approved contracts' costs, prorated by days into fiscal years."""
    totals: dict[int, Decimal] = {}
    committed = {ContractStatus.APPROVED, ContractStatus.ACTIVE, ContractStatus.SUSPENDED, ContractStatus.EXPIRED}
    for c in contracts.filter(status__in=committed):
        for fy in range(fiscal_year_of(c.term_start), fiscal_year_of(c.term_end) + 1):
            start = max(c.term_start, dt.date(fy, 7, 1))
            end = min(c.term_end, dt.date(fy + 1, 6, 30))
            days = (end - start).days + 1
            if days > 0:
                totals[fy] = totals.get(fy, Decimal(0)) + c.district_annual_cost * Decimal(days) / Decimal(365)
    return {f"{fy}-{str(fy + 1)[2:]}": _money(v) for fy, v in sorted(totals.items())}


# ---------------------------------------------------------------- deployment gate


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass
class GateAnswer:
    school: School
    on: dt.date
    contract: Contract | None = None
    reasons: list[Reason] = field(default_factory=list)

    @property
    def may_deploy(self) -> bool:
        return not self.reasons


REASON_TEXT = {
    "no_contract": "No contract covers this campus.",
    "contract_in_negotiation": "The contract is still being negotiated.",
    "awaiting_council_vote": "The contract is waiting for the city council's vote.",
    "council_rejected": "The city council voted the contract down; it is back in negotiation.",
    "awaiting_board_approval": "The city council approved; the school board has not yet given final approval.",
    "not_in_term": "The contract is approved but its term does not include this date.",
    "contract_suspended": "The contract is suspended.",
    "contract_terminated": "The contract was terminated.",
    "contract_expired": "The contract's term has ended.",
}

# Later capabilities (staffing) add officer-level checks: fn(answer) -> list[Reason].
EXTRA_GATE_CHECKS: list[Callable[[GateAnswer], list[Reason]]] = []

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


def _reason(code: str) -> Reason:
    return Reason(code, REASON_TEXT[code])


def _last_council_vote_failed(contract: Contract) -> bool:
    last = (
        Vote.objects.filter(version__contract=contract, meeting__body__kind="city_council")
        .exclude(outcome=Vote.Outcome.SCHEDULED)
        .order_by("-meeting__date", "-pk")
        .first()
    )
    return last is not None and last.outcome == Vote.Outcome.FAILED


def contract_reasons(contract: Contract, on: dt.date) -> list[Reason]:
    s = contract.status
    if s in {ContractStatus.APPROVED, ContractStatus.ACTIVE}:
        if on > contract.term_end:
            return [_reason("contract_expired")]
        return [] if contract.in_term(on) else [_reason("not_in_term")]
    if s == ContractStatus.NEGOTIATING and _last_council_vote_failed(contract):
        return [_reason("council_rejected")]
    code = {
        ContractStatus.DRAFT: "contract_in_negotiation",
        ContractStatus.NEGOTIATING: "contract_in_negotiation",
        ContractStatus.COUNCIL_REVIEW: "awaiting_council_vote",
        ContractStatus.BOARD_REVIEW: "awaiting_board_approval",
        ContractStatus.SUSPENDED: "contract_suspended",
        ContractStatus.TERMINATED: "contract_terminated",
        ContractStatus.EXPIRED: "contract_expired",
    }[ContractStatus(s)]
    return [_reason(code)]


def deployment_gate(*, school: School, on: dt.date) -> GateAnswer:
    """May an SRO be on `school` on `on`? Every reason why not, as stable codes."""
    contracts = list(Contract.objects.filter(campuses=school).select_related("agency", "city"))
    answer = GateAnswer(school=school, on=on)
    if not contracts:
        answer.reasons = [_reason("no_contract")]
        return answer

    def rank(c: Contract) -> tuple[int, int, int]:
        return (0 if not contract_reasons(c, on) else 1, _PRECEDENCE.index(ContractStatus(c.status)), -c.pk)

    best = sorted(contracts, key=rank)[0]
    answer.contract = best
    answer.reasons = contract_reasons(best, on)
    if not answer.reasons:
        for check in EXTRA_GATE_CHECKS:
            answer.reasons.extend(check(answer))
    return answer
