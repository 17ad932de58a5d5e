"""Plain-language, translatable labels for codes the public site shows.

The other apps keep their labels in English data and code; the public site speaks English and
Spanish, so it names each code here (msgids as in the English source, so the catalogue
translates them). A test checks that every code the apps can produce has a label here.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CONTRACT_STATUS: dict[str, Promise] = {
    "draft": _("Draft"),
    "negotiating": _("In negotiation"),
    "council_review": _("Awaiting city council vote"),
    "board_review": _("Awaiting school board approval"),
    "approved": _("Approved (waiting for its term)"),
    "active": _("Active"),
    "suspended": _("Suspended"),
    "terminated": _("Terminated"),
    "expired": _("Expired"),
}

VERSION_STATE: dict[str, Promise] = {
    "draft": _("Being negotiated"),
    "council_review": _("Before the city council"),
    "board_review": _("Before the school board"),
    "in_force": _("In force"),
    "superseded": _("Superseded"),
    "rejected": _("Rejected"),
    "withdrawn": _("Replaced before a vote"),
}

VOTE_OUTCOME: dict[str, Promise] = {
    "scheduled": pgettext_lazy("vote", "Scheduled"),
    "passed": pgettext_lazy("vote", "Passed"),
    "failed": pgettext_lazy("vote", "Failed"),
}

MEMBER_VOTE: dict[str, Promise] = {
    "aye": _("Aye"),
    "no": _("No"),
    "abstain": _("Abstained"),
    "absent": _("Absent"),
}

BODY_KIND: dict[str, Promise] = {"city_council": _("City council"), "school_board": _("School board")}

# Deployment gate reasons (every code of sro.staffing.gate.REASON_TEXT).
GATE_REASON: dict[str, Promise] = {
    "no_contract": _("No contract covers this campus."),
    "contract_in_negotiation": _("The contract is still being negotiated."),
    "awaiting_council_vote": _("The contract is waiting for the city council's vote."),
    "council_rejected": _("The city council voted the contract down; it is back in negotiation."),
    "awaiting_board_approval": _("The city council approved; the school board has not yet given final approval."),
    "not_in_term": _("The contract is approved but its term does not include this date."),
    "contract_suspended": _("The contract is suspended."),
    "contract_terminated": _("The contract was terminated."),
    "contract_expired": _("The contract's term has ended."),
    "no_officer_assigned": _("No officer is assigned to this campus on this date."),
    "officer_not_jointly_approved": _("The officer has not been approved by both the district and the agency."),
    "training_missing": _("The officer has not completed every required course."),
    "training_expired": _("A required course of the officer's has expired."),
    "joint_review_required": _("A sustained finding requires a joint review by the district and the agency first."),
}

# Clause catalogue element titles (sro/contracts/data/clause_catalogue.toml).
RUBRIC_ELEMENT: dict[str, Promise] = {
    "role_definition": _("Role definition and who directs the officer"),
    "discipline_prohibition": _("Prohibition on school discipline"),
    "separation_protocol": _("Protocol separating criminal matters from discipline"),
    "joint_selection": _("Joint selection of officers"),
    "required_training": _("Required training"),
    "student_interviews_searches_arrests": _("Student interviews, searches and arrests"),
    "use_of_force": _("Use of force and restraint on students"),
    "information_sharing": _("Information sharing and student privacy"),
    "data_public_reporting": _("Data collection and public reporting"),
    "complaints": _("Complaint process"),
    "cost": _("Cost and cost sharing"),
    "term_renewal_termination": _("Term, renewal and termination"),
    "evaluation": _("Evaluation"),
}

REVIEW_STATUS: dict[str, Promise] = {
    "open": _("Open"),
    "under_review": _("Under review"),
    "substantiated": _("Closed: the officer crossed the line (substantiated)"),
    "unfounded": _("Closed: unfounded"),
    "justified_emergency": _("Closed: justified by an emergency"),
}

WITHHELD: dict[str, Promise] = {
    "cell": _("withheld (under 11)"),
    "n-size": _("withheld (group under 30)"),
    "complementary": _("withheld (protects another cell)"),
    "reference suppressed": _("withheld (comparison group withheld)"),
}


def label(table: dict[str, Promise], code: str, fallback: str = "") -> str:
    """The translated label, or the fallback (the app's own English text), or the code."""
    value = table.get(code)
    return str(value) if value is not None else (fallback or code)
