"""The moderation of a public comment as a transition table.

A comment arrives `pending`. A moderator publishes it or rejects it (with a reason kept on
record, never shown); either decision can be reversed by the other action.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sro.community.models import CommentStatus as S


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str]
    target: str
    label: Promise
    needs_note: bool = False


STEPS: dict[str, Step] = {
    s.action: s
    for s in [
        Step("publish", frozenset({S.PENDING, S.REJECTED}), S.PUBLISHED, _("Publish")),
        Step("reject", frozenset({S.PENDING, S.PUBLISHED}), S.REJECTED, _("Do not publish"), needs_note=True),
    ]
}

# Reasons a moderator may give for not publishing; the site's comment rules list the same ones.
REJECTION_REASONS = {
    "off_topic": _("Not about this agenda item"),
    "personal_information": _("Names or identifies a student or another private person"),
    "abusive": _("Threatening, abusive or discriminatory language"),
    "spam": _("Advertising or spam"),
    "duplicate": _("Repeats a comment already sent"),
}


def allowed_actions(status: str) -> list[str]:
    return [s.action for s in STEPS.values() if status in s.sources]
