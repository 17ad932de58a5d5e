"""Writes for complaints: permission-checked, atomic, row-locked, validated in full and audited.

Every step of the workflow (`sro.complaints.workflow`) is one service here; each writes one
`ComplaintEvent` (the case history) and one audit event, in the transaction that makes the change.
`now` is injectable everywhere so tests move the clock without patching it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from sro.complaints.models import (
    NARRATIVE_MAX_CHARS,
    NOTE_MAX_CHARS,
    About,
    Allegation,
    AssignedTo,
    Channel,
    Complaint,
    ComplaintEvent,
    ContactMethod,
    EventKind,
    Finding,
    Language,
    Relation,
    Status,
    token_digest,
)
from sro.complaints.permissions import can_act, can_intake
from sro.complaints.rules import categories, workflow_rules
from sro.complaints.workflow import next_status
from sro.core.antispam import address_hash, check_rate, honeypot_tripped
from sro.core.audit import audit_log
from sro.core.errors import Forbidden, InvalidInput, NotFound
from sro.core.limits import EARLIEST_DATE, PUBLIC_NAME_MAX_CHARS
from sro.core.services import actor_user, clean_or_raise
from sro.incidents.models import Contact, Incident, Review
from sro.orgs.actors import Actor
from sro.orgs.models import District, LawEnforcementAgency, School, User
from sro.orgs.roles import Role

COMPLAINTS_PER_DAY = 3  # from one sender address through the public form, counted in the database
ADDRESS_PURPOSE = "sro.complaints.complaint-address"
NAME_MAX_CHARS = PUBLIC_NAME_MAX_CHARS
CONTACT_MAX_CHARS = 254


@dataclass(frozen=True)
class Intake:
    """What a complainant tells us, from the public form or from staff taking a call, a letter or a visit."""

    district: District
    about: str
    narrative: str
    relation: str
    school: School | None = None
    occurred_on: dt.date | None = None
    anonymous: bool = False
    name: str = ""
    contact_method: str = ContactMethod.NONE
    contact_address: str = ""
    language: str = Language.EN
    officer_description: str = ""
    officer: User | None = None
    category: str = ""


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    token: str  # shown once to the complainant; only its hash is stored


def _check_intake(data: Intake, *, today: dt.date) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    narrative = data.narrative.strip()
    if not narrative:
        problems.append(("narrative", _("say what happened")))
    elif len(narrative) > NARRATIVE_MAX_CHARS:
        problems.append(
            (
                "narrative",
                _("at most %(max)s characters (it has %(n)s)") % {"max": NARRATIVE_MAX_CHARS, "n": len(narrative)},
            )
        )
    if data.about not in About.values:
        problems.append(("about", _("choose what the complaint is about")))
    if data.relation not in Relation.values:
        problems.append(("relation", _("choose who you are")))
    if data.language not in Language.values:
        problems.append(("language", _("choose English or Spanish")))
    if data.contact_method not in ContactMethod.values:
        problems.append(("contact_method", _("choose how to contact you")))
    if data.school is not None and data.school.district_id != data.district.pk:
        problems.append(("school", _("choose a school of the district")))
    if data.about != About.PROGRAM and data.school is None:
        problems.append(("school", _("choose the school where it happened")))
    if data.occurred_on is not None and data.occurred_on > today:
        problems.append(("occurred_on", _("the date cannot be in the future")))
    if data.occurred_on is not None and data.occurred_on < EARLIEST_DATE:
        problems.append(("occurred_on", _("the date cannot be before %(date)s") % {"date": EARLIEST_DATE.isoformat()}))
    if len(data.name.strip()) > NAME_MAX_CHARS:
        problems.append(("name", _("at most %(max)s characters") % {"max": NAME_MAX_CHARS}))
    if len(data.contact_address.strip()) > CONTACT_MAX_CHARS:
        problems.append(("contact_address", _("at most %(max)s characters") % {"max": CONTACT_MAX_CHARS}))
    if len(data.officer_description.strip()) > 2000:
        problems.append(("officer_description", _("at most %(max)s characters") % {"max": 2000}))
    if data.category and data.category not in categories():
        problems.append(("category", _("choose a category from the list")))
    if not data.anonymous:
        if data.contact_method != ContactMethod.NONE and not data.contact_address.strip():
            problems.append(("contact_address", _("give the address or number to reach you, or choose no contact")))
        address = data.contact_address.strip()
        if data.contact_method == ContactMethod.EMAIL and address and ("@" not in address or " " in address):
            problems.append(("contact_address", _("give an e-mail address such as name@example.org")))
    return problems


def _next_case_number(year: int) -> str:
    prefix = f"C-{year}-"
    last = (
        Complaint.objects.select_for_update()
        .filter(case_number__startswith=prefix)
        .order_by("-case_number")
        .values_list("case_number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _event(
    complaint: Complaint,
    kind: str,
    *,
    actor: Actor | None,
    at: dt.datetime,
    note: str = "",
    public_note: str = "",
    shown: bool = True,
    from_complainant: bool = False,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint=complaint,
        kind=kind,
        at=at,
        actor=actor_user(actor),
        note=note,
        public_note=public_note,
        shown_to_complainant=shown,
        from_complainant=from_complainant,
    )
    clean_or_raise(event)
    event.save()
    return event


def complaint_file(
    *,
    actor: Actor | None,
    data: Intake,
    channel: str,
    address: str = "",
    honeypot: str = "",
    now: dt.datetime | None = None,
) -> Filed | None:
    """Record a complaint and give it a case number and a private status token.

    `actor` None with channel `online`: the public form (honeypot and rate limit apply; a filled
    honeypot stores nothing and returns None). Otherwise a district administrator enters a
    complaint received by phone, letter, e-mail or in person. Deadlines come from data/workflow.toml.
    """
    online = channel == Channel.ONLINE
    if online and honeypot_tripped(honeypot):
        return None
    if not online and (actor is None or not can_intake(actor) or actor.is_public):
        raise Forbidden("Only a district administrator may enter a complaint received by phone, letter or in person.")
    if (
        actor is not None
        and not actor.is_superuser
        and not online
        and data.district.pk not in actor.org_ids(Role.DISTRICT_ADMIN)
    ):
        raise Forbidden("Only the district's administrators may enter its complaints.")
    if channel not in Channel.values:
        raise InvalidInput.single("channel", f"one of {', '.join(Channel.values)}")
    now = now or timezone.now()
    today = timezone.localdate(now)
    problems = _check_intake(data, today=today)
    if problems:
        raise InvalidInput.many(problems)
    digest = address_hash(address, purpose=ADDRESS_PURPOSE) if online else ""
    rules = workflow_rules().deadlines
    token = secrets.token_urlsafe(32)
    anonymous = data.anonymous
    with transaction.atomic():
        if online:
            recent = Complaint.objects.filter(address_hash=digest, created_at__gte=now - dt.timedelta(days=1)).count()
            check_rate(
                recent=recent,
                limit=COMPLAINTS_PER_DAY,
                message=(
                    f"{COMPLAINTS_PER_DAY} complaints were sent from this connection today; "
                    "please try again tomorrow or call the district."
                ),
            )
        complaint = Complaint(
            case_number=_next_case_number(today.year),
            status_token_hash=token_digest(token),
            district=data.district,
            school=data.school,
            about=data.about,
            channel=channel,
            received_at=now,
            occurred_on=data.occurred_on,
            narrative=data.narrative.strip(),
            anonymous=anonymous,
            complainant_name="" if anonymous else data.name.strip(),
            complainant_relation=data.relation,
            contact_method=ContactMethod.NONE if anonymous else data.contact_method,
            contact_address=""
            if anonymous or data.contact_method == ContactMethod.NONE
            else data.contact_address.strip(),
            language=data.language,
            officer_description=data.officer_description.strip(),
            status=Status.RECEIVED,
            acknowledge_by=rules["acknowledge_by"].due(today),
            assign_by=rules["assign_by"].due(today),
            decide_by=rules["decide_by"].due(today),
            tell_by=rules["tell_by"].due(today),
            address_hash=digest,
            received_by=actor_user(actor),
        )
        clean_or_raise(complaint)
        try:
            complaint.save()
        except IntegrityError:  # two filings took the same number at once: the second tries again
            complaint.case_number = _next_case_number(today.year)
            complaint.save()
        if data.category or data.officer is not None:
            category = data.category or ("program_matter" if data.about == About.PROGRAM else "failure_to_act")
            _allegation(complaint, category=category, officer=data.officer, agency=None)
        _event(complaint, EventKind.RECEIVED, actor=actor, at=now, public_note="")
        audit_log(
            actor=actor_user(actor),
            action="complaint_file",
            obj=complaint,
            changes={
                "case_number": complaint.case_number,
                "channel": channel,
                "about": complaint.about,
                "school": complaint.school_id,
                "anonymous": anonymous,
                "language": complaint.language,
                "acknowledge_by": complaint.acknowledge_by.isoformat(),
            },
        )
    return Filed(complaint, token)


def _allegation(
    complaint: Complaint, *, category: str, officer: User | None, agency: LawEnforcementAgency | None
) -> Allegation:
    if category not in categories():
        raise InvalidInput.single("category", "choose a category from the list")
    if officer is not None:
        officer_agencies = list(
            officer.memberships.filter(role=Role.SRO, agency__isnull=False).values_list("agency_id", flat=True)
        )
        if not officer_agencies:
            raise InvalidInput.single("officer", "choose a school resource officer")
        if agency is None:
            agency = LawEnforcementAgency.objects.get(pk=officer_agencies[0])
    allegation = Allegation(complaint=complaint, officer=officer, agency=agency, category=category)
    clean_or_raise(allegation)
    allegation.save()
    return allegation


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _require(actor: Actor | None, complaint: Complaint, action: str) -> None:
    if actor is not None and not can_act(actor, complaint, action):
        raise Forbidden("You may not take this step on this complaint.")


def complaint_acknowledge(
    *, actor: Actor | None, complaint: Complaint, note: str = "", now: dt.datetime | None = None
) -> Complaint:
    """The complainant is told the complaint arrived (by their chosen contact; anonymous: on the status page)."""
    _require(actor, complaint, "acknowledge")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        c.status = next_status("acknowledge", c.status)
        c.acknowledged_at = now
        c.save(update_fields=["status", "acknowledged_at", "updated_at"])
        _event(c, EventKind.ACKNOWLEDGE, actor=actor, at=now, note=note.strip())
        audit_log(
            actor=actor_user(actor), action="complaint_acknowledge", obj=c, changes={"status": ["received", c.status]}
        )
    return c


def suggested_assignee(complaint: Complaint) -> str:
    """From the allegations' categories (data/categories.toml): agency, district, or both when they differ."""
    if complaint.about == About.PROGRAM and not complaint.allegations.exists():
        return AssignedTo.DISTRICT
    wanted = {categories()[a.category].assign for a in complaint.allegations.all() if a.category in categories()}
    if not wanted:
        return AssignedTo.AGENCY
    if len(wanted) == 1:
        return wanted.pop()
    return AssignedTo.BOTH


def complaint_assign(
    *,
    actor: Actor | None,
    complaint: Complaint,
    assigned_to: str,
    agency: LawEnforcementAgency | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Complaint:
    """Agency internal affairs for officer conduct, the district for program matters, both for boundary questions."""
    _require(actor, complaint, "assign")
    if assigned_to not in {AssignedTo.AGENCY, AssignedTo.DISTRICT, AssignedTo.BOTH}:
        raise InvalidInput.single("assigned_to", "choose agency, district or both")
    if assigned_to in {AssignedTo.AGENCY, AssignedTo.BOTH} and agency is None:
        raise InvalidInput.single("agency", "choose the agency whose internal affairs investigates")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        before = c.status
        c.status = next_status("assign", c.status)
        c.assigned_to = assigned_to
        c.agency = agency if assigned_to != AssignedTo.DISTRICT else None
        c.assigned_at = now
        clean_or_raise(c)
        c.save(update_fields=["status", "assigned_to", "agency", "assigned_at", "updated_at"])
        _event(c, EventKind.ASSIGN, actor=actor, at=now, note=note.strip())
        audit_log(
            actor=actor_user(actor),
            action="complaint_assign",
            obj=c,
            changes={"status": [before, c.status], "assigned_to": assigned_to, "agency": c.agency_id},
        )
    return c


def complaint_start_investigation(
    *, actor: Actor | None, complaint: Complaint, now: dt.datetime | None = None
) -> Complaint:
    _require(actor, complaint, "start_investigation")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        before = c.status
        c.status = next_status("start_investigation", c.status)
        if not c.allegations.exists():
            raise InvalidInput.single("allegations", "add at least one allegation before the investigation starts")
        c.save(update_fields=["status", "updated_at"])
        _event(c, EventKind.START_INVESTIGATION, actor=actor, at=now)
        audit_log(
            actor=actor_user(actor),
            action="complaint_start_investigation",
            obj=c,
            changes={"status": [before, c.status]},
        )
    return c


def allegation_add(
    *,
    actor: Actor | None,
    complaint: Complaint,
    category: str,
    officer: User | None = None,
    agency: LawEnforcementAgency | None = None,
    now: dt.datetime | None = None,
) -> Allegation:
    _require(actor, complaint, "add_allegation")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        next_status("add_allegation", c.status)
        allegation = _allegation(c, category=category, officer=officer, agency=agency)
        _event(c, EventKind.ADD_ALLEGATION, actor=actor, at=now, note=f"{category}", shown=False)
        audit_log(
            actor=actor_user(actor),
            action="allegation_add",
            obj=allegation,
            changes={"complaint": c.pk, "category": category, "officer": allegation.officer_id},
        )
    return allegation


def allegation_decide(
    *,
    actor: Actor | None,
    allegation: Allegation,
    finding: str,
    note: str = "",
    action_taken: str = "",
    now: dt.datetime | None = None,
) -> Allegation:
    """Decide one allegation; when it is the last one open, the complaint becomes `decided`."""
    complaint = allegation.complaint
    _require(actor, complaint, "decide_allegation")
    if finding not in Finding.values or not finding:
        raise InvalidInput.single("finding", f"one of {', '.join(v for v in Finding.values if v)}")
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInput.single("note", f"at most {NOTE_MAX_CHARS} characters")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        next_status("decide_allegation", c.status)
        a = Allegation.objects.select_for_update().get(pk=allegation.pk, complaint=c)
        if a.finding:
            raise InvalidInput.single("finding", "this allegation is already decided")
        a.finding = finding
        a.decided_on = timezone.localdate(now)
        a.decided_by = actor_user(actor)
        a.finding_note = note.strip()
        a.action_taken = action_taken.strip()
        clean_or_raise(a)
        a.save()
        _event(
            c,
            EventKind.DECIDE_ALLEGATION,
            actor=actor,
            at=now,
            note=f"{a.category}: {finding}. {a.finding_note}".strip(),
            shown=False,
        )
        audit_log(
            actor=actor_user(actor),
            action="allegation_decide",
            obj=a,
            changes={"complaint": c.pk, "category": a.category, "finding": finding},
        )
        if not c.allegations.filter(finding="").exists():
            c.status = "decided"
            c.decided_at = now
            c.save(update_fields=["status", "decided_at", "updated_at"])
            _event(c, EventKind.ALL_DECIDED, actor=actor, at=now)
            audit_log(
                actor=actor_user(actor),
                action="complaint_decided",
                obj=c,
                changes={"status": ["investigating", "decided"]},
            )
    return a


def complaint_record_action(
    *, actor: Actor | None, complaint: Complaint, action_taken: str, now: dt.datetime | None = None
) -> Complaint:
    _require(actor, complaint, "record_action")
    text = action_taken.strip()
    if not text:
        raise InvalidInput.single("action_taken", 'say what was done ("no action" is an answer)')
    if len(text) > NOTE_MAX_CHARS:
        raise InvalidInput.single("action_taken", f"at most {NOTE_MAX_CHARS} characters")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        before = c.status
        c.status = next_status("record_action", c.status)
        c.action_taken = text
        c.save(update_fields=["status", "action_taken", "updated_at"])
        _event(c, EventKind.RECORD_ACTION, actor=actor, at=now, note=text, shown=False)
        audit_log(
            actor=actor_user(actor), action="complaint_record_action", obj=c, changes={"status": [before, c.status]}
        )
    return c


def complaint_notify_outcome(
    *, actor: Actor | None, complaint: Complaint, letter: str, now: dt.datetime | None = None
) -> Complaint:
    """What the complainant is told (shown on their status page, and sent by their chosen contact)."""
    _require(actor, complaint, "notify_outcome")
    text = letter.strip()
    if not text:
        raise InvalidInput.single("letter", "write what the complainant is told")
    if len(text) > NOTE_MAX_CHARS:
        raise InvalidInput.single("letter", f"at most {NOTE_MAX_CHARS} characters")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        before = c.status
        c.status = next_status("notify_outcome", c.status)
        c.outcome_letter = text
        c.outcome_told_at = now
        c.save(update_fields=["status", "outcome_letter", "outcome_told_at", "updated_at"])
        _event(c, EventKind.NOTIFY_OUTCOME, actor=actor, at=now, public_note=text)
        audit_log(
            actor=actor_user(actor), action="complaint_notify_outcome", obj=c, changes={"status": [before, c.status]}
        )
    return c


def complaint_close(
    *, actor: Actor | None, complaint: Complaint, note: str = "", now: dt.datetime | None = None
) -> Complaint:
    _require(actor, complaint, "close")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        before = c.status
        c.status = next_status("close", c.status)
        c.closed_at = now
        c.save(update_fields=["status", "closed_at", "updated_at"])
        _event(c, EventKind.CLOSE, actor=actor, at=now, note=note.strip())
        audit_log(actor=actor_user(actor), action="complaint_close", obj=c, changes={"status": [before, c.status]})
    return c


LINKABLE: dict[str, type[Model]] = {"incident": Incident, "contact": Contact, "review": Review}


def complaint_link(
    *, actor: Actor | None, complaint: Complaint, kind: str, pk: int, now: dt.datetime | None = None
) -> Complaint:
    """Link an incident, an SRO contact or a boundary review of the complaint's district."""
    _require(actor, complaint, "link")
    model = LINKABLE.get(kind)
    if model is None:
        raise InvalidInput.single("kind", "one of incident, contact, review")
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        next_status("link", c.status)
        obj = model._default_manager.filter(pk=pk, school__district_id=c.district_id).first()
        if obj is None:
            raise NotFound(kind.capitalize())
        getattr(c, f"{kind}s").add(obj)
        _event(c, EventKind.LINK, actor=actor, at=now, note=f"{kind} {pk}", shown=False)
        audit_log(actor=actor_user(actor), action="complaint_link", obj=c, changes={"kind": kind, "pk": pk})
    return c


def complaint_add_information(*, complaint: Complaint, text: str, now: dt.datetime | None = None) -> ComplaintEvent:
    """The complainant adds information through the private status link; investigators see it in the history."""
    body = text.strip()
    if not body:
        raise InvalidInput.single("text", _("write the information to add"))
    if len(body) > NOTE_MAX_CHARS:
        raise InvalidInput.single(
            "text", _("at most %(max)s characters (it has %(n)s)") % {"max": NOTE_MAX_CHARS, "n": len(body)}
        )
    now = now or timezone.now()
    with transaction.atomic():
        c = _locked(complaint)
        next_status("add_information", c.status)
        event = _event(c, EventKind.INFORMATION_ADDED, actor=None, at=now, note=body, from_complainant=True)
        audit_log(actor=None, action="complaint_add_information", obj=c, changes={"chars": len(body)})
    return event
