"""Reads behind the public pages: campuses with their deployment answer, contracts, votes and costs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from sro.contracts.models import Contract, ContractStatus, ContractVersion, Vote
from sro.contracts.selectors import ContractCosts, contract_costs, contract_get, contract_list, latest_version
from sro.core.errors import NotFound
from sro.orgs.actors import Actor
from sro.orgs.models import School
from sro.public.figures import program_schools
from sro.public.labels import CONTRACT_STATUS, GATE_REASON, label
from sro.staffing.gate import GateAnswer, GateData, PrefetchedData, deployment_gate


def public_contract_list(*, actor: Actor) -> QuerySet[Contract]:
    """Contracts on the public site: every one the actor may see except drafts (for everyone alike)."""
    return contract_list(actor=actor).exclude(status=ContractStatus.DRAFT).order_by("city__name", "title")


def public_contract_get(*, actor: Actor, pk: int) -> Contract:
    contract = contract_get(actor=actor, pk=pk)
    if contract.status == ContractStatus.DRAFT:
        raise NotFound("Contract")
    return contract


@dataclass(frozen=True)
class CampusAnswer:
    school: School
    answer: GateAnswer
    reasons: list[str]
    contract: Contract | None
    costs: ContractCosts | None

    @property
    def status_label(self) -> str:
        return label(CONTRACT_STATUS, self.contract.status) if self.contract else ""


def campus_answer(school: School, on: dt.date, data: GateData | None = None) -> CampusAnswer:
    answer = deployment_gate(school=school, on=on, data=data)
    contract = answer.contract if answer.contract and answer.contract.status != ContractStatus.DRAFT else None
    # Officer-level reasons carry names in their detail; the public sees the plain reason only.
    reasons = list(dict.fromkeys(label(GATE_REASON, r.code, r.message) for r in answer.reasons))
    return CampusAnswer(school, answer, reasons, contract, contract_costs(contract) if contract else None)


def campus_answers_for(schools: Sequence[School], on: dt.date) -> list[CampusAnswer]:
    """`campus_answer` for every campus, read in a fixed number of queries however many there are."""
    data = PrefetchedData(schools, on)
    return [campus_answer(s, on, data) for s in schools]


def campus_answers(*, actor: Actor, on: dt.date) -> list[CampusAnswer]:
    return campus_answers_for(program_schools(actor=actor), on)


def campus_get(*, actor: Actor, cds_code: str) -> School:
    for s in program_schools(actor=actor):
        if s.cds_code == cds_code:
            return s
    raise NotFound("School")


@dataclass(frozen=True)
class ContractText:
    version: ContractVersion | None
    in_force: bool


def contract_text(contract: Contract) -> ContractText:
    """The version in force, or else the latest version (published as proposed, not in force)."""
    if contract.in_force is not None:
        return ContractText(contract.in_force, True)
    return ContractText(latest_version(contract), False)


def vote_history(contract: Contract) -> list[Vote]:
    return list(
        Vote.objects.filter(version__contract=contract)
        .select_related("meeting__body", "version")
        .order_by("meeting__date", "pk")
    )


def costs_by_campus(answers: list[CampusAnswer]) -> list[tuple[str, Decimal | None, Decimal | None, str]]:
    return [
        (
            a.school.name,
            a.costs.per_campus if a.costs else None,
            a.costs.per_student if a.costs else None,
            a.status_label,
        )
        for a in answers
    ]
