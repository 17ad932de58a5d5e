"""Reads for contracts: scoped lists, rubric, clause-level diff and costs."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sro.contracts.catalogue import Element, catalogue
from sro.contracts.models import Body, Clause, Contract, ContractStatus, ContractVersion, Meeting, VersionState
from sro.contracts.workflow import AMENDABLE, AMENDMENT_ACTIONS, actions_from
from sro.core.errors import NotFound
from sro.core.visibility import EVERYONE
from sro.orgs.actors import Actor
from sro.orgs.models import City, District, School
from sro.orgs.roles import Role


def contract_visibility(actor: Actor) -> Q:
    """The district's and the agency's people; everyone, the public included, once the contract
    leaves the drafting table."""
    if actor.is_superuser:
        return EVERYONE
    return Q(district_id__in=actor.district_ids) | Q(agency_id__in=actor.agency_ids) | ~Q(status=ContractStatus.DRAFT)


def contract_list(*, actor: Actor) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("district", "agency", "city", "in_force").prefetch_related("campuses")
    return qs.filter(contract_visibility(actor))


def contract_get(*, actor: Actor, pk: int) -> Contract:
    try:
        return contract_list(actor=actor).get(pk=pk)
    except (Contract.DoesNotExist, ValueError):
        raise NotFound("Contract") from None


def latest_version(contract: Contract) -> ContractVersion | None:
    return contract.versions.order_by("-number").first()


def open_version(contract: Contract) -> ContractVersion | None:
    """The version being negotiated or voted on, if any."""
    return (
        contract.versions.filter(state__in=[VersionState.DRAFT, VersionState.COUNCIL_REVIEW, VersionState.BOARD_REVIEW])
        .order_by("-number")
        .first()
    )


def version_under_review(contract: Contract) -> ContractVersion | None:
    """The version before the city council or the school board, the one a vote is on, if any."""
    return (
        contract.versions.filter(state__in=[VersionState.COUNCIL_REVIEW, VersionState.BOARD_REVIEW])
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


def contract_districts(*, actor: Actor) -> QuerySet[District]:
    """The districts the actor may make contracts for (and add school boards of)."""
    qs = District.objects.all()
    return qs if actor.is_superuser else qs.filter(pk__in=actor.org_ids(Role.DISTRICT_ADMIN))


def contract_campuses(*, actor: Actor) -> QuerySet[School]:
    """The schools a new contract of the actor may cover: those of the districts it may make contracts for."""
    return School.objects.select_related("district").filter(district__in=contract_districts(actor=actor))


def contract_cities() -> QuerySet[City]:
    """The cities a contract may be with: those an agency serves (cities are public, like their agencies)."""
    return City.objects.filter(agencies__isnull=False).distinct()


# ---------------------------------------------------------------- bodies and meetings


def body_visibility(actor: Actor) -> Q:
    """Councils and school boards are public bodies: everyone, the public included, may see them."""
    return EVERYONE


def body_list(*, actor: Actor, kind: str | None = None) -> QuerySet[Body]:
    qs = Body.objects.select_related("city", "district").filter(body_visibility(actor))
    return qs.filter(kind=kind) if kind else qs


def body_get(*, actor: Actor, pk: int) -> Body:
    try:
        return body_list(actor=actor).get(pk=pk)
    except (Body.DoesNotExist, ValueError):
        raise NotFound("Body") from None


def meeting_visibility(actor: Actor) -> Q:
    """Meetings of councils and boards are public records, like their bodies."""
    return EVERYONE


def meeting_list(
    *,
    actor: Actor,
    body: Body | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("body").filter(meeting_visibility(actor))
    if body is not None:
        qs = qs.filter(body=body)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("date", "pk")


def meetings_for(*, actor: Actor, contract: Contract) -> QuerySet[Meeting]:
    """The meetings that may vote on a contract: its city's council and its district's board."""
    return meeting_list(actor=actor).filter(
        Q(body__kind=Body.Kind.CITY_COUNCIL, body__city=contract.city_id)
        | Q(body__kind=Body.Kind.SCHOOL_BOARD, body__district=contract.district_id)
    )


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
