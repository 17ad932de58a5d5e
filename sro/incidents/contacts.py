"""Recording SRO contacts (RIPA-aligned). A contact is never refused for crossing the
boundary: it is saved, flagged, and a review is opened in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction

from sro.core.audit import audit_log
from sro.core.errors import FieldError, Forbidden, InvalidInput
from sro.core.services import clean_errors
from sro.incidents.boundary import Crossing, boundary_check
from sro.incidents.codes import RipaCodes, ripa_codes
from sro.incidents.models import Contact, Incident
from sro.incidents.permissions import can_record_contact
from sro.incidents.reviews import review_open
from sro.incidents.services import _raise, check_not_future
from sro.orgs.actors import Actor
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.orgs.roles import Role

MULTI = ("race", "disability", "actions", "search_basis", "seizure_basis", "contraband", "results")
TABLE_OF = {"actions": "action", "results": "result", "race": "race", "disability": "disability"}


@dataclass
class ContactData:
    """One contact's RIPA fields, as entered, exported and read back."""

    occurred_at: dt.datetime
    duration_minutes: int
    reason: int
    race: list[int]
    gender: int
    age: int
    results: list[int]
    ed_code_section: int | None = None
    ed_code_subdivision: int | None = None
    disability: list[int] = field(default_factory=list)
    limited_english: bool = False
    actions: list[int] = field(default_factory=list)
    search_basis: list[int] = field(default_factory=list)
    seizure_basis: list[int] = field(default_factory=list)
    contraband: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, contact: Contact) -> ContactData:
        return cls(**{f: getattr(contact, f) for f in cls.__dataclass_fields__})


def _codes_problems(data: ContactData, codes: RipaCodes) -> list[FieldError]:
    out: list[FieldError] = []

    def unknown(name: str, table: str, values: Iterable[int]) -> None:
        for v in values:
            if v not in codes.table(table):
                out.append(FieldError(name, f"unknown RIPA {table.replace('_', ' ')} code {v}"))

    unknown("reason", "reason", [data.reason])
    unknown("gender", "gender", [data.gender])
    for name in MULTI:
        values = getattr(data, name)
        unknown(name, TABLE_OF.get(name, name), values)
        if len(set(values)) != len(values):
            out.append(FieldError(name, "lists a code twice"))
    if data.reason == 7:
        if data.ed_code_section is None:
            out.append(FieldError("ed_code_section", "reason 7 needs the Education Code section"))
        else:
            unknown("ed_code_section", "ed_code_section", [data.ed_code_section])
            if data.ed_code_section == 1 and data.ed_code_subdivision is None:
                out.append(FieldError("ed_code_subdivision", "Education Code 48900 needs the subdivision"))
    elif data.ed_code_section is not None:
        out.append(FieldError("ed_code_section", "is given only when the reason is 7"))
    if data.ed_code_subdivision is not None:
        if data.ed_code_section != 1:
            out.append(FieldError("ed_code_subdivision", "is given only for Education Code 48900"))
        else:
            unknown("ed_code_subdivision", "ed_code_subdivision", [data.ed_code_subdivision])
    if not data.race:
        out.append(FieldError("race", "choose at least one perceived race or ethnicity"))
    if not data.results:
        out.append(FieldError("results", "choose at least one result"))
    acts, res = set(data.actions), set(data.results)
    if acts & codes.group("action.none") and len(acts) > 1:
        out.append(FieldError("actions", "'None' cannot be chosen together with other actions"))
    if 1 in set(data.contraband) and len(data.contraband) > 1:
        out.append(FieldError("contraband", "'None' cannot be chosen together with contraband found"))
    if res & codes.group("result.no_action") and res & codes.group("result.contradicts_no_action"):
        clash = ", ".join(codes.label("result", r) for r in sorted(res & codes.group("result.contradicts_no_action")))
        out.append(FieldError("results", f"'No action' contradicts: {clash}"))
    searched = bool(acts & codes.group("action.search"))
    if searched and not data.search_basis:
        out.append(FieldError("search_basis", "a search needs its basis"))
    if data.search_basis and not searched:
        out.append(FieldError("search_basis", "is given only when a search was conducted"))
    seized = bool(acts & codes.group("action.seizure"))
    if seized and not data.seizure_basis:
        out.append(FieldError("seizure_basis", "property seized needs its basis"))
    if data.seizure_basis and not seized:
        out.append(FieldError("seizure_basis", "is given only when property was seized"))
    if not 1 <= data.age <= 99:
        out.append(FieldError("age", "must be between 1 and 99"))
    if data.duration_minutes < 1:
        out.append(FieldError("duration_minutes", "must be at least 1 minute"))
    return out


def validate_contact_data(data: ContactData, *, now: dt.datetime | None = None) -> list[FieldError]:
    return check_not_future(data.occurred_at, "occurred_at", now) + _codes_problems(data, ripa_codes())


def _officer_agency(actor: Actor | None, officer: User | None) -> tuple[User, LawEnforcementAgency]:
    if actor is not None:
        if not can_record_contact(actor):
            raise Forbidden("Only a school resource officer records contacts.")
        user = actor.user
        agency_ids = actor.org_ids(Role.SRO)
    else:
        if officer is None:
            raise InvalidInput.single("officer", "name the officer who made the contact")
        user = officer
        agency_ids = frozenset(officer.memberships.filter(role=Role.SRO).values_list("agency_id", flat=True))
    if len(agency_ids) != 1:
        raise InvalidInput.single("officer", "the officer must serve exactly one agency as an SRO")
    return user, LawEnforcementAgency.objects.get(pk=next(iter(agency_ids)))


def contact_record(
    *,
    actor: Actor | None,
    school: School,
    data: ContactData,
    incident_id: int | None = None,
    emergency: bool = False,
    emergency_note: str = "",
    officer: User | None = None,
    now: dt.datetime | None = None,
) -> tuple[Contact, list[Crossing]]:
    """Save a contact; if it crosses the boundary it is flagged and a review opens. Never refused for that."""
    user, agency = _officer_agency(actor, officer)
    errors = validate_contact_data(data, now=now)
    sorted_lists: dict[str, Any] = {name: sorted(getattr(data, name)) for name in MULTI}
    data = replace(data, **sorted_lists)
    if school.city_id is None or not agency.cities.filter(pk=school.city_id).exists():
        errors.append(FieldError("school", f"{school} is not served by {agency}"))
    if emergency and not emergency_note.strip():
        errors.append(FieldError("emergency_note", "say what the imminent threat was"))
    contact = Contact(
        officer=user,
        agency=agency,
        school=school,
        emergency=emergency,
        emergency_note=emergency_note.strip(),
        **{k: getattr(data, k) for k in ContactData.__dataclass_fields__},
    )
    if not errors:
        errors += clean_errors(contact)
    _raise(errors)
    # The link is checked last, once nothing else is wrong, so that a refused contact answers
    # the same whether or not the incident exists: police may not see a discipline-only
    # incident (`incident_visibility`), yet a contact about one must still be linked to it.
    contact.incident = _incident_at(school, incident_id)
    crossings = boundary_check(
        reason=data.reason,
        search_basis=data.search_basis,
        seizure_basis=data.seizure_basis,
        actions=data.actions,
        results=data.results,
        emergency=emergency,
        incident_route=contact.incident.route if contact.incident else None,
    )
    contact.boundary_crossing = bool(crossings)
    contact.boundary_rule_ids = [c.rule.id for c in crossings]
    with transaction.atomic():
        contact.save()
        audit_log(
            actor=user if actor is not None else None,
            action="contact_record",
            obj=contact,
            changes=_audit_fields(contact),
            username="" if actor is not None else user.username,
        )
        if crossings:
            review_open(actor=actor, contact=contact, crossings=crossings)
    return contact, crossings


def _incident_at(school: School, incident_id: int | None) -> Incident | None:
    """The incident a contact is linked to, by number only: the officer learns nothing of it."""
    if incident_id is None:
        return None
    incident = Incident.objects.filter(pk=incident_id, school=school).first()
    if incident is None:
        raise InvalidInput.single("incident", f"no incident {incident_id} at {school}")
    return incident


def _audit_fields(contact: Contact) -> dict[str, Any]:
    keys = ["school", "incident", "occurred_at", "reason", "ed_code_section", "actions", "results"]
    out = {k: getattr(contact, k) for k in keys}
    out.update(
        {
            "search_basis": contact.search_basis,
            "seizure_basis": contact.seizure_basis,
            "emergency": contact.emergency,
            "boundary_crossing": contact.boundary_crossing,
            "boundary_rules": contact.boundary_rule_ids,
        }
    )
    return out
