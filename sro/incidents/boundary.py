"""The boundary check: does an SRO contact cross into school discipline?

A contact crosses the boundary when its reason is RIPA 7 or 8, its search or seizure
basis is "suspected violation of school policy", or it takes police action on an
incident routed to school discipline without a recorded emergency. The rules and
their citations are the `[[boundary]]` entries of data/policy.toml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sro.incidents.codes import RipaCodes, ripa_codes
from sro.incidents.models import Route
from sro.incidents.policy import BoundaryRule, Policy, policy
from sro.orgs.models import School


@dataclass(frozen=True)
class Crossing:
    rule: BoundaryRule
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule.id, "citation": self.rule.citation, "reason": self.rule.reason, "detail": self.detail}


def contract_clause_citation(*, school: School, on: dt.date) -> str:
    """The contract clause that forbids an SRO to engage in school discipline at `school` on `on`.

    It is the discipline-prohibition clause of the contract governing the campus; when no
    contract text names one, the proposed PSUSD language is cited so the review still says
    which line was crossed.
    """
    from sro.staffing.gate import clause_for_campus

    clause = clause_for_campus(school=school, on=on, category="discipline_prohibition")
    if clause is not None:
        return f'{clause.citation}: "{clause.text}"'
    city = school.city.name if school.city else "the city"
    return (
        f'PSUSD-{city} SRO agreement (proposed 2026), role of the SRO: "SROs are not disciplinarians '
        "and are not employed to 'police students.' Therefore, they are prohibited from involvement in "
        'enforcing school codes of conduct or engaging school discipline."'
    )


def boundary_check(
    *,
    reason: int,
    search_basis: Iterable[int],
    seizure_basis: Iterable[int],
    actions: Iterable[int],
    results: Iterable[int],
    emergency: bool,
    incident_route: str | None,
    pol: Policy | None = None,
    codes: RipaCodes | None = None,
) -> list[Crossing]:
    """Every boundary rule the contact crosses (an empty list when it crosses none), read with the
    RIPA lists the contact was recorded under (by default the current ones)."""
    pol = pol or policy()
    codes = codes or ripa_codes()
    found: list[Crossing] = []
    given = {
        "reason": {reason},
        "search_basis": set(search_basis),
        "seizure_basis": set(seizure_basis),
    }
    for rule in pol.boundary:
        if rule.kind in given:
            hit = sorted(given[rule.kind] & set(rule.codes))
            if hit:
                table = rule.kind
                labels = ", ".join(f"{c} {codes.label(table, c)}" for c in hit)
                found.append(Crossing(rule, f"{table.replace('_', ' ')}: {labels}"))
        elif rule.kind == "police_action_on_school_discipline":
            if incident_route not in (Route.SCHOOL_DISCIPLINE, Route.SUPPORT_REFERRAL) or emergency:
                continue
            acts = sorted(set(actions) & codes.group("action.police"))
            outs = sorted(set(results) & codes.group("result.police"))
            if acts or outs:
                parts = [codes.label("action", a) for a in acts] + [codes.label("result", r) for r in outs]
                found.append(Crossing(rule, "police action on a school-discipline incident: " + "; ".join(parts)))
    return found
