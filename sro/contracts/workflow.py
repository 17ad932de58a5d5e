"""The contract lifecycle as a table: which action moves a contract from which status to which.

Actions marked `by_vote` are never requested directly: recording a vote performs them.
Amendments (a new text for a contract already approved) go through the same votes on their
own version while the version in force stays in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from sro.contracts.models import ContractStatus as S


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str
    by_vote: bool = False


def _t(action: str, sources: set[S], target: S, label: str, by_vote: bool = False) -> Transition:
    return Transition(action, frozenset(s.value for s in sources), target.value, label, by_vote)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("open_negotiation", {S.DRAFT}, S.NEGOTIATING, "Open negotiation with the agency"),
        _t("submit_to_council", {S.NEGOTIATING}, S.COUNCIL_REVIEW, "Send to the city council for its vote"),
        _t("withdraw_from_council", {S.COUNCIL_REVIEW}, S.NEGOTIATING, "Withdraw from the council agenda"),
        _t("council_approve", {S.COUNCIL_REVIEW}, S.BOARD_REVIEW, "Council vote passed", by_vote=True),
        _t("council_reject", {S.COUNCIL_REVIEW}, S.NEGOTIATING, "Council vote failed", by_vote=True),
        # board_approve lands on APPROVED or ACTIVE by the term; the table names APPROVED.
        _t("board_approve", {S.BOARD_REVIEW}, S.APPROVED, "School board approved", by_vote=True),
        _t("board_reject", {S.BOARD_REVIEW}, S.NEGOTIATING, "School board did not approve", by_vote=True),
        _t("activate", {S.APPROVED}, S.ACTIVE, "Start the term (on or after its first day)"),
        _t("suspend", {S.APPROVED, S.ACTIVE}, S.SUSPENDED, "Suspend: officers leave campus"),
        _t("reinstate", {S.SUSPENDED}, S.ACTIVE, "Lift the suspension"),
        _t(
            "terminate",
            {S.DRAFT, S.NEGOTIATING, S.COUNCIL_REVIEW, S.BOARD_REVIEW, S.APPROVED, S.ACTIVE, S.SUSPENDED},
            S.TERMINATED,
            "Terminate the contract",
        ),
        _t("expire", {S.APPROVED, S.ACTIVE, S.SUSPENDED}, S.EXPIRED, "Close after the last day of its term"),
    ]
}

# Amendment actions work on the open amendment version of an approved/active/suspended contract.
AMENDMENT_ACTIONS = {
    "submit_amendment": "Send the amendment to the city council",
    "withdraw_amendment": "Withdraw the amendment from review",
}
AMENDABLE = frozenset({S.APPROVED.value, S.ACTIVE.value, S.SUSPENDED.value})
NEGOTIABLE = frozenset({S.DRAFT.value, S.NEGOTIATING.value})
DEPLOYABLE = frozenset({S.APPROVED.value, S.ACTIVE.value})


def actions_from(status: str) -> list[str]:
    """User-requestable actions whose source includes `status` (vote-driven ones excluded)."""
    return [t.action for t in TRANSITIONS.values() if status in t.sources and not t.by_vote]
