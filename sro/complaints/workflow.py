"""A complaint's lifecycle: one transition table, read by services, pages and the API.

received -> acknowledged -> assigned -> investigating -> decided (the last allegation decided)
-> action_recorded -> outcome_told -> closed. The deadlines of the steps are data
(data/workflow.toml); who may take each step is `sro.complaints.permissions.can_act`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sro.core.errors import TransitionRefused

RECEIVED, ACKNOWLEDGED, ASSIGNED, INVESTIGATING = "received", "acknowledged", "assigned", "investigating"
DECIDED, ACTION_RECORDED, OUTCOME_TOLD, CLOSED = "decided", "action_recorded", "outcome_told", "closed"
OPEN = frozenset({RECEIVED, ACKNOWLEDGED, ASSIGNED, INVESTIGATING, DECIDED, ACTION_RECORDED, OUTCOME_TOLD})
BEFORE_DECISION = frozenset({RECEIVED, ACKNOWLEDGED, ASSIGNED, INVESTIGATING})

# action -> (statuses it may be taken from, status it leads to; "" = stays where it is)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({RECEIVED}), ACKNOWLEDGED),
    "assign": (frozenset({ACKNOWLEDGED}), ASSIGNED),
    "start_investigation": (frozenset({ASSIGNED}), INVESTIGATING),
    # The complaint becomes `decided` when its last open allegation is decided.
    "decide_allegation": (frozenset({INVESTIGATING}), ""),
    "record_action": (frozenset({DECIDED}), ACTION_RECORDED),
    "notify_outcome": (frozenset({ACTION_RECORDED}), OUTCOME_TOLD),
    "close": (frozenset({OUTCOME_TOLD}), CLOSED),
    "add_allegation": (BEFORE_DECISION, ""),
    "link": (OPEN, ""),
    "add_information": (OPEN, ""),  # the complainant, through the status link
}
ACTION_LABELS = {
    "acknowledge": _("Acknowledge"),
    "assign": _("Assign"),
    "start_investigation": _("Start the investigation"),
    "decide_allegation": _("Decide an allegation"),
    "record_action": _("Record the action taken"),
    "notify_outcome": _("Tell the complainant the outcome"),
    "close": _("Close"),
    "add_allegation": _("Add an allegation"),
    "link": _("Link an incident, contact or review"),
    "add_information": _("Add information"),
}
STAFF_ACTIONS = tuple(a for a in TRANSITIONS if a != "add_information")


def allowed_actions(status: str) -> list[str]:
    return [a for a, (sources, _target) in TRANSITIONS.items() if status in sources]


def next_status(action: str, current: str) -> str:
    """The status `action` leads to from `current`, or TransitionRefused naming the allowed actions."""
    if action not in TRANSITIONS:
        raise TransitionRefused(
            action=action,
            current=current,
            allowed=allowed_actions(current),
            reason=f"'{action}' is not a complaint action.",
        )
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionRefused(action=action, current=current, allowed=allowed_actions(current))
    return target or current
