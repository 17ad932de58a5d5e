"""Complaints about an SRO, an incident or the program; their allegations and case history.

A complaint is received (the public form, or staff entering one received by phone, letter or in
person), then moves through the steps in `sro.complaints.workflow`. Each allegation names one
category (data/categories.toml) and, once decided, one finding. The case history
(`ComplaintEvent`) is shown to staff in full and to the complainant without private details.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.core.limits import TEXT_MAX_CHARS
from sro.core.models import BaseModel
from sro.incidents.models import Contact, Incident, Review
from sro.orgs.models import District, LawEnforcementAgency, School, User

NARRATIVE_MAX_CHARS = TEXT_MAX_CHARS
NOTE_MAX_CHARS = 5000


def token_digest(token: str) -> str:
    """The stored form of a status token: its SHA-256. The token itself is shown once, to the complainant."""
    return hashlib.sha256(token.encode()).hexdigest()


class About(models.TextChoices):
    OFFICER = "officer", _("A school resource officer")
    INCIDENT = "incident", _("An incident")
    PROGRAM = "program", _("The SRO program")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("E-mail")


class Relation(models.TextChoices):
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent or guardian")
    STAFF = "staff", _("School staff")
    OTHER = "other", _("Other")


class ContactMethod(models.TextChoices):
    NONE = "none", _("No contact")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    MAIL = "mail", _("Post")


class Language(models.TextChoices):
    EN = "en", _("English")
    ES = "es", _("Español")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    INVESTIGATING = "investigating", _("Being investigated")
    DECIDED = "decided", _("Allegations decided")
    ACTION_RECORDED = "action_recorded", _("Action recorded")
    OUTCOME_TOLD = "outcome_told", _("Complainant told the outcome")
    CLOSED = "closed", _("Closed")


class AssignedTo(models.TextChoices):
    NONE = "", "Not assigned"
    AGENCY = "agency", _("Agency internal affairs")
    DISTRICT = "district", _("District")
    BOTH = "both", _("Agency and district")


class Finding(models.TextChoices):
    NONE = "", "Not decided"
    SUSTAINED = "sustained", _("Sustained")
    NOT_SUSTAINED = "not_sustained", _("Not sustained")
    EXONERATED = "exonerated", _("Exonerated")
    UNFOUNDED = "unfounded", _("Unfounded")
    POLICY_FAILURE = "policy_failure", _("Policy failure")
    TRAINING_FAILURE = "training_failure", _("Training failure")


class Complaint(BaseModel):
    case_number = models.CharField(max_length=20, unique=True, help_text="e.g. C-2026-0007")
    status_token_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the complainant's private status link token."
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="complaints")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints", help_text="Empty: program"
    )
    about = models.CharField(max_length=12, choices=About.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    received_at = models.DateTimeField()
    occurred_on = models.DateField(null=True, blank=True)
    narrative = models.TextField(max_length=NARRATIVE_MAX_CHARS)
    # The complainant. Anonymous: no name and no contact.
    anonymous = models.BooleanField(default=False)
    complainant_name = models.CharField(max_length=120, blank=True)
    complainant_relation = models.CharField(max_length=10, choices=Relation.choices)
    contact_method = models.CharField(max_length=8, choices=ContactMethod.choices, default=ContactMethod.NONE)
    contact_address = models.CharField(max_length=254, blank=True, help_text="E-mail, phone number or postal address")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    officer_description = models.TextField(
        max_length=2000, blank=True, help_text="Who was involved, when the officer is not known by name"
    )
    # The workflow (sro.complaints.workflow) and its deadlines (data/workflow.toml).
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    acknowledge_by = models.DateField()
    assign_by = models.DateField(null=True, blank=True)
    decide_by = models.DateField(null=True, blank=True)
    tell_by = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_told_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.CharField(max_length=8, choices=AssignedTo.choices, blank=True, default="")
    agency = models.ForeignKey(
        LawEnforcementAgency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        help_text="The agency investigating (internal affairs) when assigned to the agency or both",
    )
    action_taken = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)
    outcome_letter = models.TextField(
        blank=True, max_length=NOTE_MAX_CHARS, help_text="What the complainant was told (shown on the status page)"
    )
    address_hash = models.CharField(max_length=64, blank=True, help_text="Online form only: for the rate limit")
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    incidents = models.ManyToManyField(Incident, blank=True, related_name="complaints")
    contacts = models.ManyToManyField(Contact, blank=True, related_name="complaints")
    reviews = models.ManyToManyField(Review, blank=True, related_name="complaints")

    allegations: models.Manager[Allegation]
    events: models.Manager[ComplaintEvent]

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "acknowledge_by"]),
            models.Index(fields=["address_hash", "created_at"], name="complaint_rate_limit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="complaint_status_known"),
            models.CheckConstraint(condition=Q(about__in=About.values), name="complaint_about_known"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="complaint_channel_known"),
            models.CheckConstraint(condition=Q(assigned_to__in=AssignedTo.values), name="complaint_assignee_known"),
            models.CheckConstraint(condition=~Q(narrative=""), name="complaint_has_narrative"),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(complainant_name="", contact_address="", contact_method="none"),
                name="complaint_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=Q(contact_method="none") | ~Q(contact_address=""),
                name="complaint_contact_has_address",
            ),
            models.CheckConstraint(
                condition=~Q(assigned_to__in=["agency", "both"]) | Q(agency__isnull=False),
                name="complaint_agency_assignment_names_agency",
            ),
            models.CheckConstraint(
                condition=Q(status="received") | Q(status="acknowledged") | ~Q(assigned_to=""),
                name="complaint_assigned_after_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class Allegation(BaseModel):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="allegations")
    officer = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="complaint_allegations"
    )
    agency = models.ForeignKey(
        LawEnforcementAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="complaint_allegations"
    )
    category = models.CharField(max_length=40, help_text="A key of data/categories.toml")
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    finding_note = models.TextField(blank=True, max_length=NOTE_MAX_CHARS, help_text="Internal: the reasons")
    action_taken = models.TextField(blank=True, max_length=NOTE_MAX_CHARS)

    class Meta:
        ordering = ["complaint", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(finding__in=Finding.values), name="allegation_finding_known"),
            models.CheckConstraint(
                condition=Q(finding="", decided_on__isnull=True) | (~Q(finding="") & Q(decided_on__isnull=False)),
                name="allegation_finding_dated",
            ),
            models.CheckConstraint(condition=~Q(category=""), name="allegation_has_category"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint}: {self.category} ({self.finding or 'open'})"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    ASSIGN = "assign", _("Assigned")
    START_INVESTIGATION = "start_investigation", _("Investigation started")
    DECIDE_ALLEGATION = "decide_allegation", _("Allegation decided")
    ALL_DECIDED = "all_decided", _("All allegations decided")
    RECORD_ACTION = "record_action", _("Action recorded")
    NOTIFY_OUTCOME = "notify_outcome", _("Complainant told the outcome")
    CLOSE = "close", _("Closed")
    ADD_ALLEGATION = "add_allegation", _("Allegation added")
    LINK = "link", _("Record linked")
    INFORMATION_ADDED = "information_added", _("Complainant added information")


EVENT_KINDS = EventKind.values


class ComplaintEvent(BaseModel):
    """One step of the case: a workflow action, a link, or information the complainant added.

    `public_note` is what the complainant's status page shows; `note` is internal and never
    leaves the staff pages."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_complainant = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=NARRATIVE_MAX_CHARS, help_text="Internal (staff only)")
    public_note = models.TextField(blank=True, max_length=NOTE_MAX_CHARS, help_text="Shown on the status page")
    shown_to_complainant = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EVENT_KINDS), name="complaint_event_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind} at {self.at:%Y-%m-%d}"
