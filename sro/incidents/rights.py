"""Students' rights at every police contact: the rules, their sources, and what each contact triggers.

- Parent notification: a questioning, a search, a citation, an arrest or a release of the student
  to the officer opens a task to notify the parent or guardian (Ed. Code 48906 for a release; the
  contract's clause on questioning, searches and arrests for the rest).
- Counsel before a custodial interrogation of a youth 17 or younger (W&I Code 625.6(a)); the only
  exception is 625.6(c), stated. No consultation opens a review.
- Records with the report of a criminal act of a pupil with exceptional needs (Ed. Code 48902(e)).
- A contact on a day the deployment gate did not clear the officer for the campus opens a review.

Every statute cited here is listed in data/citations.toml with the page read and the date
(test_policy_statutes.py checks `RULES` with the policy's citations). docs/student-rights.md
explains each rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sro.incidents.codes import RipaCodes
from sro.orgs.models import School, User


@dataclass(frozen=True)
class RightsRule:
    id: str
    citation: str
    reason: str

    def finding(self, detail: str) -> dict[str, str]:
        """A review finding under this rule (the shape of `Review.findings`)."""
        return {"rule": self.id, "citation": self.citation, "reason": self.reason, "detail": detail}


PARENT_RELEASE = RightsRule(
    "parent-notification-release-48906",
    "Cal. Ed. Code § 48906",
    "When the school releases a pupil to a peace officer to take the pupil off campus, the school official "
    "takes immediate steps to notify the parent, guardian or responsible relative of the release and of where "
    "the pupil is reportedly being taken (except a pupil taken into custody as a victim of suspected child "
    "abuse, when the officer is given the parent's address and telephone number instead).",
)
PARENT_CONTACT = RightsRule(
    "parent-notification-contact",
    "PSUSD proposed SRO agreements (2026), questioning, searches and arrests of students",
    "Parents are notified of any questioning, search or arrest of their child (the contract's clause); a "
    "citation is notified too. District policy: within one school day, at once for an arrest.",
)
COUNSEL = RightsRule(
    "counsel-before-interrogation-625-6",
    "Cal. Welf. & Inst. Code § 625.6(a), (c)",
    "Before a custodial interrogation, and before any waiver of Miranda rights, a youth 17 or younger consults "
    "with legal counsel in person, by telephone or by video conference; the consultation cannot be waived. "
    "The only exception (625.6(c)): the officer reasonably believed the information sought was necessary to "
    "protect life or property from an imminent threat, and asked only the questions reasonably necessary to "
    "obtain it.",
)
RECORDS = RightsRule(
    "records-with-report-48902e",
    "Cal. Ed. Code § 48902(e)",
    "The principal reporting a criminal act of a pupil with exceptional needs ensures that copies of the "
    "pupil's special education and disciplinary records are transmitted to the authorities it is reported to, "
    "as far as FERPA permits.",
)
GATE = RightsRule(
    "deployment-gate",
    "PSUSD proposed SRO agreements (2026): the SRO serves a campus only under an approved contract, assigned, "
    "jointly approved and trained",
    "A contact on a day the deployment gate did not clear the officer for the campus is reviewed like a "
    "boundary crossing.",
)
NO_ASSIGNMENT = RightsRule(
    "no-assignment-that-day",
    "PSUSD proposed SRO agreements (2026): officers are jointly selected and assigned to named campuses; the "
    "campus contract's clause on joint selection and assignment is cited with the review",
    "A contact at a campus where the officer had no assignment that day is outside the program the contract "
    "sets up, and is reviewed like a boundary crossing.",
)
RULES = (PARENT_RELEASE, PARENT_CONTACT, COUNSEL, RECORDS, GATE, NO_ASSIGNMENT)
#: The gate's reason code for "no assignment of the officer to the campus that day".
NOT_ASSIGNED = "officer_not_assigned"
#: Contract clause catalogue elements cited for a contact without an assignment, the first found.
ASSIGNMENT_CLAUSES = ("joint_selection", "role_definition")

# What a contact may trigger, in words (the task page shows these).
TRIGGER_LABELS = {
    "questioning": "questioned",
    "search": "searched",
    "citation": "cited",
    "arrest": "arrested",
    "release": "released by the school to the officer",
}
ADULT_AGE = 18  # parents are notified of a minor's contact; a youth 17 or younger consults counsel
INTERVIEWS_CLAUSE = "student_interviews_searches_arrests"  # contract clause catalogue element


def parent_triggers(
    *,
    codes: RipaCodes,
    age: int,
    actions: Iterable[int],
    results: Iterable[int],
    questioned: bool,
    released_to_officer: bool,
) -> list[str]:
    """What the parent of a minor must be told of (TRIGGER_LABELS keys); empty: no notification.
    `codes` are the RIPA lists the contact was recorded under."""
    if age >= ADULT_AGE:
        return []
    acts, res = set(actions), set(results)
    found = {
        "questioning": questioned or bool(acts & codes.group("action.statement")),  # admission or statement
        "search": bool(acts & codes.group("action.search")),
        "citation": bool(res & codes.group("result.citation")),
        "arrest": bool(res & codes.group("result.arrest")),
        "release": released_to_officer,
    }
    return [key for key, hit in found.items() if hit]


def trigger_codes(codes: RipaCodes) -> dict[str, list[int]]:
    """The actions and results that make `parent_triggers` notify a minor's parent (besides the two
    checkboxes): the contact form opens the student's-rights section when one is chosen."""
    return {
        "actions": sorted(codes.group("action.statement") | codes.group("action.search")),
        "results": sorted(codes.group("result.citation") | codes.group("result.arrest")),
    }


def parent_deadline(triggers: Iterable[str]) -> str:
    """`immediately` for a release (48906) or an arrest; otherwise within one school day (district policy)."""
    return "immediately" if {"release", "arrest"} & set(triggers) else "within_one_school_day"


def parent_citation(triggers: Iterable[str]) -> str:
    rules = ([PARENT_RELEASE] if "release" in triggers else []) + (
        [PARENT_CONTACT] if set(triggers) - {"release"} else []
    )
    return "; ".join(r.citation for r in rules)


def counsel_applies(*, custodial_interrogation: bool, age: int) -> bool:
    return custodial_interrogation and age < ADULT_AGE


def contract_clause(*, school: School, on: dt.date, category: str) -> str | None:
    """The citation and text of the campus contract's clause covering `category`, or None."""
    from sro.staffing.gate import clause_for_campus

    clause = clause_for_campus(school=school, on=on, category=category)
    return f'{clause.citation}: "{clause.text}"' if clause is not None else None


def parent_responsibility(*, school: School, on: dt.date) -> tuple[str, str]:
    """Who notifies the parent, and why. The clause catalogue has no element saying who notifies
    parents, so the school does, unless a later catalogue adds one; the basis says so."""
    clause = contract_clause(school=school, on=on, category=INTERVIEWS_CLAUSE)
    where = f"The contract's clause ({clause})" if clause else "No clause of the campus's contract"
    return (
        "school",
        f"{where} does not say who notifies the parent; the school does (the default). Ed. Code 48906 puts "
        "the notice of a release to an officer on the school official.",
    )


def gate_reasons(*, officer: User, school: School, on: dt.date) -> list[dict[str, str]]:
    """Why the deployment gate did not clear `officer` for `school` on `on`, in words; [] when it did.

    The officer's assignment to the campus covering the date is checked (`assignment_problems`);
    with none, the officer was not cleared, and the campus's own answer (`deployment_gate`) is added
    when it says No.
    """
    from sro.staffing.gate import assignment_problems, deployment_gate
    from sro.staffing.models import Assignment

    assignment = (
        Assignment.objects.filter(officer__user=officer, school=school, start_date__lte=on, end_date__gte=on)
        .select_related("officer", "contract")
        .first()
    )
    if assignment is not None:
        return [{"code": r.code, "message": r.message} for r in assignment_problems(assignment, on)]
    out = [{"code": NOT_ASSIGNED, "message": "The officer is not assigned to this campus on this date."}]
    campus = deployment_gate(school=school, on=on)
    out += [{"code": r.code, "message": r.message} for r in campus.reasons if r.code != "no_officer_assigned"]
    return out
