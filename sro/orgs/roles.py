"""The roles a person can hold, and which kind of organisation each belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a type only: a development package


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    SUPERINTENDENT = "superintendent", _("Superintendent")
    BOARD_MEMBER = "board_member", _("School board member")
    SITE_ADMIN = "site_admin", _("Site administrator (principal)")
    AGENCY_SUPERVISOR = "agency_supervisor", _("Agency supervisor")
    SRO = "sro", _("School resource officer")
    ANALYST = "analyst", _("Oversight analyst")


DISTRICT_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST})
SCHOOL_ROLES = frozenset({Role.SITE_ADMIN})
AGENCY_ROLES = frozenset({Role.AGENCY_SUPERVISOR, Role.SRO})
POLICE_ROLES = AGENCY_ROLES

ROLE_DESCRIPTIONS: dict[str, StrOrPromise] = {
    Role.DISTRICT_ADMIN: _(
        "Runs the program for the district (e.g. the executive security director): "
        "contracts, votes, staffing decisions, reviews."
    ),
    Role.SUPERINTENDENT: _("Sees the whole district program; signs off district actions."),
    Role.BOARD_MEMBER: _("Reads contracts, votes, reports and aggregated figures."),
    Role.SITE_ADMIN: _("Principal or assistant principal: records incidents at their own schools."),
    Role.AGENCY_SUPERVISOR: _(
        "Police supervisor (e.g. a lieutenant): their agency's officers, "
        "nominations, training, and incidents routed to law enforcement."
    ),
    Role.SRO: _("School resource officer: own assignment, training and contacts."),
    Role.ANALYST: _("Aggregated oversight figures only; no student-identifying records."),
}


def role_label_for(user: Any) -> str:
    """Comma-joined role codes of a signed-in user, for the audit trail."""
    if getattr(user, "is_superuser", False) and not hasattr(user, "memberships"):
        return "superuser"
    codes = sorted({m.role for m in user.memberships.all()}) if hasattr(user, "memberships") else []
    if getattr(user, "is_superuser", False):
        codes = ["superuser", *codes]
    return ",".join(codes) or "none"
