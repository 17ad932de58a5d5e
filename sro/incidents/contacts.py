"""Recording SRO contacts (RIPA-aligned). A contact is never refused for crossing the
boundary: it is saved, flagged, and a review is opened in the same transaction.

The same transaction applies the students' rights rules (sro/incidents/rights.py): a minor
questioned, searched, cited, arrested or released to the officer gets a parent notification task;
a custodial interrogation of a youth 17 or younger needs the consultation with counsel recorded
(W&I Code 625.6) and one without it opens a review; so does a contact on a day the deployment gate
did not clear the officer for the campus."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sro.core.audit import audit_log
from sro.core.errors import FieldError, Forbidden, InvalidInput
from sro.core.services import clean_errors
from sro.incidents.boundary import Crossing, boundary_check
from sro.incidents.codes import RipaCodes, codes_for
from sro.incidents.models import Contact, ContactSource, Counsel, Incident
from sro.incidents.permissions import can_record_contact
from sro.incidents.reviews import review_open
from sro.incidents.rights import (
    ASSIGNMENT_CLAUSES,
    COUNSEL,
    GATE,
    INTERVIEWS_CLAUSE,
    NO_ASSIGNMENT,
    NOT_ASSIGNED,
    contract_clause,
    counsel_applies,
    gate_reasons,
    parent_triggers,
)
from sro.incidents.services import _raise, check_not_future, parent_notification_open
from sro.orgs.actors import Actor
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.orgs.roles import Role

MULTI = ("race", "disability", "actions", "search_basis", "seizure_basis", "contraband", "results", "consent_type")
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
    consent_type: list[int] = field(default_factory=list)  # 2024 lists: verbal, written, implied
    perceived_lgb: bool = False

    @classmethod
    def of(cls, contact: Contact) -> ContactData:
        return cls(**{f: getattr(contact, f) for f in cls.__dataclass_fields__})

    @property
    def day(self) -> dt.date:
        """The contact's local date: it decides which RIPA code lists apply."""
        return timezone.localtime(self.occurred_at).date()


def contact_codes(data: ContactData) -> RipaCodes:
    """The RIPA code lists in force on the contact's date."""
    return codes_for(data.day)


def _codes_problems(data: ContactData, codes: RipaCodes) -> list[FieldError]:
    out: list[FieldError] = []
    lists = f"the RIPA lists in force on {data.day.isoformat()} ({codes.version} lists, {codes.period})"

    def unknown(name: str, table: str, values: Iterable[int]) -> None:
        for v in values:
            if v not in codes.table(table):
                out.append(FieldError(name, f"{table.replace('_', ' ')} code {v} is not in {lists}"))

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
    consent_given = 1 in set(data.search_basis)  # basis for search 1: consent given
    if codes.table("consent_type"):
        if consent_given and not data.consent_type:
            out.append(
                FieldError("consent_type", "say how consent to the search was given: verbal, written or implied")
            )
        if data.consent_type and not consent_given:
            out.append(FieldError("consent_type", "is given only when the basis for search is consent given"))
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


@dataclass
class RightsData:
    """What the students' rights rules ask of a contact, beside its RIPA fields (not in the RIPA export).

    The student's name and the family's language go on the parent notification task only. The
    form asks for the name whenever a parent must be notified; a task without it says to ask the
    officer (the RIPA record itself names no one).
    """

    questioned: bool = False
    released_to_officer: bool = False
    custodial_interrogation: bool = False
    counsel: str = ""
    counsel_note: str = ""
    student_name: str = ""
    family_language: str = ""


def _rights_problems(data: ContactData, rights: RightsData) -> list[FieldError]:
    out: list[FieldError] = []
    if rights.counsel and rights.counsel not in Counsel.values:
        out.append(FieldError("counsel", f"unknown answer '{rights.counsel}'"))
    if counsel_applies(custodial_interrogation=rights.custodial_interrogation, age=data.age) and not rights.counsel:
        out.append(
            FieldError(
                "counsel",
                "a custodial interrogation of a youth 17 or younger needs the consultation with legal counsel "
                "(W&I Code 625.6(a)): say how it took place, state the imminent-threat exception of 625.6(c), "
                "or record that none took place",
            )
        )
    if rights.counsel and not rights.custodial_interrogation:
        out.append(FieldError("counsel", "is recorded only for a custodial interrogation"))
    if rights.counsel == Counsel.EXCEPTION and not rights.counsel_note.strip():
        out.append(
            FieldError(
                "counsel_note",
                "state the imminent threat to life or property the information was needed for, and that the "
                "questions were limited to it (W&I Code 625.6(c))",
            )
        )
    return out


def _triggers(data: ContactData, rights: RightsData) -> list[str]:
    return parent_triggers(
        codes=contact_codes(data),
        age=data.age,
        actions=data.actions,
        results=data.results,
        questioned=rights.questioned or rights.custodial_interrogation,
        released_to_officer=rights.released_to_officer,
    )


def validate_contact_data(data: ContactData, *, now: dt.datetime | None = None) -> list[FieldError]:
    return check_not_future(data.occurred_at, "occurred_at", now) + _codes_problems(data, contact_codes(data))


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
    rights: RightsData | None = None,
    officer: User | None = None,
    now: dt.datetime | None = None,
    check_deployment: bool = True,
    agency_record: tuple[str, int] | None = None,
    client_id: uuid.UUID | None = None,
) -> tuple[Contact, list[Crossing]]:
    """Save a contact; if it crosses the boundary it is flagged and a review opens. Never refused for that.

    `check_deployment=False` skips the deployment gate (the demo's synthetic history only).
    `agency_record` (the stop id and person number in the agency's RIPA system) marks a contact
    imported from the agency's system (`source = "agency"`).

    `client_id` is the id the officer's form gave the contact (a UUID made in the browser, or in
    the page when JavaScript is off): a contact of the same officer with the same id is returned
    as it is, nothing recorded again, so a form sent twice (a queue replayed after the connection
    came back, a double tap) records one contact. Callers that must say "already saved" look it up
    first with `selectors.contact_by_client_id`.
    """
    user, agency = _officer_agency(actor, officer)
    if client_id is not None:
        existing = Contact.objects.filter(officer=user, client_id=client_id).first()
        if existing is not None:
            return existing, []
    rights = rights or RightsData()
    errors = validate_contact_data(data, now=now) + _rights_problems(data, rights)
    sorted_lists: dict[str, Any] = {name: sorted(getattr(data, name)) for name in MULTI}
    data = replace(data, **sorted_lists)
    if school.city_id is None or not agency.cities.filter(pk=school.city_id).exists():
        errors.append(FieldError("school", f"{school} is not served by {agency}"))
    if emergency and not emergency_note.strip():
        errors.append(FieldError("emergency_note", "say what the imminent threat was"))
    codes = contact_codes(data)
    contact = Contact(
        officer=user,
        agency=agency,
        school=school,
        codes_version=codes.version,
        source=ContactSource.AGENCY if agency_record else ContactSource.SRO,
        agency_stop_id=agency_record[0] if agency_record else "",
        agency_person_number=agency_record[1] if agency_record else None,
        emergency=emergency,
        emergency_note=emergency_note.strip(),
        questioned=rights.questioned or rights.custodial_interrogation,
        released_to_officer=rights.released_to_officer,
        custodial_interrogation=rights.custodial_interrogation,
        counsel=rights.counsel,
        counsel_note=rights.counsel_note.strip(),
        client_id=client_id,
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
        codes=codes,
    )
    contact.boundary_crossing = bool(crossings)
    contact.boundary_rule_ids = [c.rule.id for c in crossings]
    on = timezone.localtime(data.occurred_at).date()
    if check_deployment:
        contact.gate_reasons = gate_reasons(officer=user, school=school, on=on)
    findings, clauses = _findings(contact, on)
    try:
        with transaction.atomic():
            _save_contact(actor, user, contact, data, rights, crossings, findings, clauses)
    except IntegrityError:
        # The same form sent twice at once: the other request recorded it first.
        if client_id is None:
            raise
        twin = Contact.objects.filter(officer=user, client_id=client_id).first()
        if twin is None:
            raise
        return twin, []
    return contact, crossings


def _save_contact(
    actor: Actor | None,
    user: User,
    contact: Contact,
    data: ContactData,
    rights: RightsData,
    crossings: list[Crossing],
    findings: list[dict[str, str]],
    clauses: list[str],
) -> None:
    """Save the contact with what it opens (its audit event, a parent notification task, a review)."""
    contact.save()
    audit_log(
        actor=user if actor is not None else None,
        action="contact_record",
        obj=contact,
        changes=_audit_fields(contact),
        username="" if actor is not None else user.username,
    )
    triggers = _triggers(data, rights)
    if triggers:
        parent_notification_open(
            actor=actor,
            contact=contact,
            triggers=triggers,
            student_name=rights.student_name,
            family_language=rights.family_language,
        )
    if crossings or findings:
        review_open(actor=actor, contact=contact, crossings=crossings, findings=findings, clauses=clauses)


def _findings(contact: Contact, on: dt.date) -> tuple[list[dict[str, str]], list[str]]:
    """The rights rules' findings on a contact (a review opens for any), and the contract clauses they cite."""
    findings: list[dict[str, str]] = []
    clauses: list[str] = []
    if contact.counsel == Counsel.NONE:
        findings.append(
            COUNSEL.finding(
                f"custodial interrogation of a youth of perceived age {contact.age} without a consultation "
                "with legal counsel"
            )
        )
        clause = contract_clause(school=contact.school, on=on, category=INTERVIEWS_CLAUSE)
        clauses.append(clause or "No clause of the campus's contract covers student interviews, searches and arrests.")
    others = [r for r in contact.gate_reasons if r["code"] != NOT_ASSIGNED]
    if len(others) < len(contact.gate_reasons):
        findings.append(
            NO_ASSIGNMENT.finding(
                f"the officer had no assignment to {contact.school.name} on {on.isoformat()}, the day of the contact"
            )
        )
        clause = next(
            (c for c in (contract_clause(school=contact.school, on=on, category=k) for k in ASSIGNMENT_CLAUSES) if c),
            None,
        )
        clauses.append(
            clause or "No contract clause on the selection and assignment of officers covers this campus that day."
        )
    if others:
        detail = "the deployment gate did not clear the officer for this campus that day: " + " ".join(
            r["message"] for r in others
        )
        findings.append(GATE.finding(detail))
    return findings, clauses


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
            "codes_version": contact.codes_version,
            "source": contact.source,
            "agency_stop_id": contact.agency_stop_id,
            "emergency": contact.emergency,
            "boundary_crossing": contact.boundary_crossing,
            "boundary_rules": contact.boundary_rule_ids,
            "questioned": contact.questioned,
            "released_to_officer": contact.released_to_officer,
            "custodial_interrogation": contact.custodial_interrogation,
            "counsel": contact.counsel,
            "gate_reasons": [r["code"] for r in contact.gate_reasons],
        }
    )
    return out
