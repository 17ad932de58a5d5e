"""Plain predicates: may this actor do this? Only the actor's memberships and the objects given.

Who may see an incident, a notification task, a contact or a review is not here: each rule
lives once, as `*_visibility(actor) -> Q`, in the selectors (`can_view_*` evaluates it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sro.orgs.actors import Actor
from sro.orgs.models import School
from sro.orgs.permissions import can_see_student_records_at, is_district_admin
from sro.orgs.roles import Role

if TYPE_CHECKING:
    from sro.incidents.models import NotificationTask


def can_record_incident(actor: Actor, school: School) -> bool:
    """Site staff of the school, or a district admin of its district."""
    return can_see_student_records_at(actor, school)


# The roles that read individual students' records somewhere (docs/roles.md); the others
# (superintendent, board member, analyst) read counts only.
RECORD_ROLES = (Role.DISTRICT_ADMIN, Role.SITE_ADMIN, Role.AGENCY_SUPERVISOR, Role.SRO)


def reads_student_records(actor: Actor) -> bool:
    """Does any of the actor's roles show individual incidents, contacts or reviews?"""
    return actor.is_superuser or any(actor.org_ids(role) for role in RECORD_ROLES)


def can_record_contact(actor: Actor) -> bool:
    return bool(actor.org_ids(Role.SRO))


def can_import_agency_records(actor: Actor, agency_id: int) -> bool:
    """The agency's supervisor brings its RIPA records in (`sro import-ripa-agency`)."""
    return actor.is_superuser or agency_id in actor.org_ids(Role.AGENCY_SUPERVISOR)


def can_act_on_task(actor: Actor, task: NotificationTask) -> bool:
    """Who records a notification: the school's staff (or a district admin) when the school is
    responsible; the officer who made the contact, or the agency's supervisor, when the agency is."""
    if task.responsible == "agency" and task.contact is not None:
        if actor.user is not None and actor.user.pk == task.contact.officer_id and actor.org_ids(Role.SRO):
            return True
        return actor.is_superuser or task.contact.agency_id in actor.org_ids(Role.AGENCY_SUPERVISOR)
    return can_see_student_records_at(actor, task.school)


# Who may take each review step: the district decides; the agency supervisor opens the review.
REVIEW_ACTORS: dict[str, frozenset[str]] = {
    "start_review": frozenset({Role.DISTRICT_ADMIN, Role.AGENCY_SUPERVISOR}),
    "substantiate": frozenset({Role.DISTRICT_ADMIN}),
    "find_unfounded": frozenset({Role.DISTRICT_ADMIN}),
    "justify_emergency": frozenset({Role.DISTRICT_ADMIN}),
    "reopen": frozenset({Role.DISTRICT_ADMIN}),
}


def can_act_on_review(actor: Actor, action: str, *, agency_id: int, district_id: int) -> bool:
    if actor.is_superuser:
        return True
    roles = REVIEW_ACTORS.get(action, frozenset())
    if Role.DISTRICT_ADMIN in roles and is_district_admin(actor, district_id):
        return True
    return Role.AGENCY_SUPERVISOR in roles and agency_id in actor.org_ids(Role.AGENCY_SUPERVISOR)
