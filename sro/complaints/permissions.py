"""Plain predicates: may this actor act on, or see the complainant of, this complaint?

Who may see a complaint at all is one rule, `complaint_visibility` in the selectors.
"""

from __future__ import annotations

from sro.complaints.models import AssignedTo, Complaint
from sro.orgs.actors import Actor
from sro.orgs.permissions import is_district_admin
from sro.orgs.roles import Role


def is_district_investigator(actor: Actor, complaint: Complaint) -> bool:
    """The district's administrators investigate program and boundary matters (and take every
    complaint in before it is assigned: they acknowledge it and must be able to reach the person)."""
    if not is_district_admin(actor, complaint.district_id):
        return False
    return complaint.assigned_to in {AssignedTo.NONE, AssignedTo.DISTRICT, AssignedTo.BOTH}


def is_agency_investigator(actor: Actor, complaint: Complaint) -> bool:
    """The agency's supervisors (internal affairs) once the complaint is assigned to their agency."""
    return (
        complaint.assigned_to in {AssignedTo.AGENCY, AssignedTo.BOTH}
        and complaint.agency_id is not None
        and complaint.agency_id in actor.org_ids(Role.AGENCY_SUPERVISOR)
    )


def can_see_complainant(actor: Actor, complaint: Complaint) -> bool:
    """The complainant's name and contact: only the investigators assigned (California Penal Code
    832.7(a) keeps the investigation confidential; the officer never learns who complained)."""
    return actor.is_superuser or is_district_investigator(actor, complaint) or is_agency_investigator(actor, complaint)


def can_intake(actor: Actor) -> bool:
    """Entering a complaint received by phone, letter or in person: a district administrator."""
    return actor.is_superuser or bool(actor.org_ids(Role.DISTRICT_ADMIN))


def can_act(actor: Actor, complaint: Complaint, action: str) -> bool:
    """The district runs intake and assignment (acknowledge, assign, link, close); the assigned
    investigators decide allegations, record action and tell the outcome."""
    if actor.is_superuser:
        return True
    district = is_district_admin(actor, complaint.district_id)
    if action in {"acknowledge", "assign", "close", "link"}:
        return district
    return is_district_investigator(actor, complaint) or is_agency_investigator(actor, complaint)
