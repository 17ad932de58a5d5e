"""The boundary review lifecycle: one transition table, read by services, pages and the API."""

from __future__ import annotations

from sro.core.errors import TransitionRefused

OPEN, UNDER_REVIEW = "open", "under_review"
CLOSED = ("substantiated", "unfounded", "justified_emergency")

# action -> (statuses it may be taken from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "start_review": (frozenset({OPEN}), UNDER_REVIEW),
    "substantiate": (frozenset({OPEN, UNDER_REVIEW}), "substantiated"),
    "find_unfounded": (frozenset({OPEN, UNDER_REVIEW}), "unfounded"),
    "justify_emergency": (frozenset({OPEN, UNDER_REVIEW}), "justified_emergency"),
    "reopen": (frozenset(CLOSED), UNDER_REVIEW),
}
ACTION_LABELS = {
    "start_review": "Start review",
    "substantiate": "Close: substantiated (corrective action required)",
    "find_unfounded": "Close: unfounded",
    "justify_emergency": "Close: justified emergency",
    "reopen": "Reopen",
}


def allowed_actions(status: str) -> list[str]:
    return [a for a, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(action: str, current: str) -> str:
    """The status `action` leads to from `current`, or TransitionRefused naming the allowed actions."""
    if action not in TRANSITIONS:
        raise TransitionRefused(
            action=action,
            current=current,
            allowed=allowed_actions(current),
            reason=f"'{action}' is not a review action.",
        )
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionRefused(action=action, current=current, allowed=allowed_actions(current))
    return target
