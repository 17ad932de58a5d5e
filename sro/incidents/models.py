"""Incidents and their students, notification tasks, SRO contacts and boundary reviews."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.models import BaseModel
from sro.incidents.policy import routed_to_law_enforcement
from sro.orgs.models import LawEnforcementAgency, School, User


class Route(models.TextChoices):
    # A pupil's voluntary disclosure of drug, alcohol or tobacco use to seek help (AB 2711, 2024):
    # not discipline, not police (data/policy.toml, voluntary-disclosure-support).
    SUPPORT_REFERRAL = "support_referral", _("Support referral")
    SCHOOL_DISCIPLINE = "school_discipline", _("School discipline")
    DISCRETIONARY_REFERRAL = "discretionary_referral", _("Discretionary referral")
    MANDATORY_NOTIFICATION = "mandatory_notification", _("Mandatory notification")
    EMERGENCY = "emergency", _("Emergency")


class Incident(BaseModel):
    """An incident recorded by site staff. `route` and `rule_ids` come from the policy on entry."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    description = models.TextField()
    offences = models.JSONField(default=list, help_text="Offence codes from the catalogue")
    facts = models.JSONField(default=list, blank=True)
    route = models.CharField(max_length=32, choices=Route.choices)
    rule_ids = models.JSONField(default=list)
    policy_version = models.CharField(max_length=40)
    deadline_kind = models.CharField(max_length=32, blank=True)
    referral_made = models.BooleanField(default=False)
    referral_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents_recorded"
    )

    students: models.Manager[IncidentStudent]

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(route__in=Route.values), name="incident_route_known"),
            models.CheckConstraint(
                condition=Q(referral_made=False) | ~Q(referral_reason=""),
                name="incident_referral_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(referral_made=False) | Q(route="discretionary_referral"),
                name="incident_referral_only_discretionary",
            ),
        ]
        indexes = [models.Index(fields=["school", "occurred_at"])]

    def __str__(self) -> str:
        return f"Incident {self.pk} at {self.school} ({self.occurred_at:%Y-%m-%d})"

    @property
    def routed_to_law_enforcement(self) -> bool:
        """Mandatory notification, emergency, or a discretionary referral that was made (the policy's rule)."""
        return routed_to_law_enforcement(route=self.route, referral_made=self.referral_made)


class IncidentStudent(BaseModel):
    class Role(models.TextChoices):
        OFFENDER = "offender", _("Offender")
        VICTIM = "victim", _("Victim")
        WITNESS = "witness", _("Witness")

    class Race(models.TextChoices):
        HI = "HI", _("Hispanic/Latino of any race")
        AM = "AM", _("American Indian/Alaska Native")
        AS = "AS", _("Asian")
        HP = "HP", _("Native Hawaiian/Pacific Islander")
        BL = "BL", _("Black or African American")
        WH = "WH", _("White")
        TR = "TR", _("Two or more races")
        # The school's records do not say (CDE's "not reported"): kept with the group code the
        # public figures use for it (sro.public.groups.NOT_REPORTED), never published as a group.
        NR = "NR", _("Not recorded")

    class Sex(models.TextChoices):
        M = "M", _("Male")
        F = "F", _("Female")
        X = "X", _("Nonbinary (X)")
        NR = "NR", _("Not recorded")  # CDE's "missing" gender; sro.public.groups.NOT_REPORTED

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="students")
    local_student_id = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices)
    race = models.CharField(max_length=2, choices=Race.choices)
    sex = models.CharField(max_length=2, choices=Sex.choices)
    idea = models.BooleanField("IDEA", default=False)
    section_504 = models.BooleanField("Section 504", default=False)
    english_learner = models.BooleanField(default=False)
    grade = models.SmallIntegerField(null=True, blank=True, help_text="-1 = TK, 0 = K, 1-12")

    class Meta:
        ordering = ["incident", "role", "local_student_id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "local_student_id"], name="incident_student_once"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=-1, grade__lte=12), name="incident_student_grade"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_student_id} ({self.role})"


class NotificationTask(BaseModel):
    """A notification the law or the contract requires, with its deadline.

    Two kinds: the principal's notification of law enforcement about an incident (Ed. Code 48902;
    `notify` lists every recipient the rules name, `notified` those confirmed, and a student with
    exceptional needs adds the 48902(e) records step), and the notification of a student's parent
    or guardian after an SRO contact (questioning, search, citation, arrest, release to an officer;
    see sro/incidents/rights.py), with every attempt recorded as a `NotificationAttempt`.
    """

    class Kind(models.TextChoices):
        LAW_ENFORCEMENT = "law_enforcement", _("Notify law enforcement")
        PARENT = "parent", _("Notify the parent or guardian")

    class Responsible(models.TextChoices):
        SCHOOL = "school", _("The school")
        AGENCY = "agency", _("The law enforcement agency")

    class Method(models.TextChoices):
        PHONE = "phone", _("Telephone")
        IN_PERSON = "in_person", _("In person")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LAW_ENFORCEMENT)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="notification_tasks")
    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )
    contact = models.OneToOneField(
        "Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="parent_notification"
    )
    deadline_kind = models.CharField(max_length=32)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_notified = models.ForeignKey(
        LawEnforcementAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_number = models.CharField(max_length=60, blank=True)
    # Law enforcement: the recipients the rules name (policy RECIPIENTS keys) and those notified.
    notify = models.JSONField(default=list, blank=True)
    notified = models.JSONField(default=list, blank=True)
    # Ed. Code 48902(e): a pupil with exceptional needs; the records go with the report.
    records_required = models.BooleanField(default=False)
    records_sent_at = models.DateTimeField(null=True, blank=True)
    records_sent_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Parent or guardian: who the student is, what happened, who notifies, in which language, how.
    student_name = models.CharField(max_length=200, blank=True)
    triggers = models.JSONField(default=list, blank=True, help_text="What happened: rights.TRIGGERS keys")
    citation = models.TextField(blank=True)
    responsible = models.CharField(max_length=10, choices=Responsible.choices, default=Responsible.SCHOOL)
    responsible_basis = models.TextField(blank=True)
    family_language = models.CharField(max_length=60, blank=True)
    method = models.CharField(max_length=12, choices=Method.choices, blank=True)

    attempts: models.Manager[NotificationAttempt]

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["law_enforcement", "parent"]), name="notification_kind_known"),
            models.CheckConstraint(
                condition=Q(kind="parent") | Q(incident__isnull=False), name="notification_le_has_incident"
            ),
            models.CheckConstraint(
                condition=Q(kind="law_enforcement") | Q(contact__isnull=False), name="notification_parent_has_contact"
            ),
            models.CheckConstraint(
                condition=Q(kind="parent") | Q(done_at__isnull=True) | Q(agency_notified__isnull=False),
                name="notification_done_names_agency",
            ),
            models.CheckConstraint(
                condition=Q(kind="law_enforcement") | Q(done_at__isnull=True) | ~Q(method=""),
                name="notification_parent_done_has_method",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(records_required=False) | Q(records_sent_at__isnull=False),
                name="notification_done_has_records_48902e",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PARENT:
            return f"Notify the parent after contact {self.contact_id} by {self.due_on}"
        return f"Notify law enforcement for incident {self.incident_id} by {self.due_on}"

    # What "overdue" means, once: still open after its due date. `overdue_q` is the same rule as a
    # query (dashboard panels), `overdue` the same for templates. Both kinds of task use it.
    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.done_at is None and (today or timezone.localdate()) > self.due_on

    @staticmethod
    def overdue_q(today: dt.date) -> Q:
        return Q(done_at__isnull=True, due_on__lt=today)

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def records_pending(self) -> bool:
        """48902(e): the records must go with the report and have not been sent yet."""
        return self.records_required and self.records_sent_at is None


class NotificationAttempt(BaseModel):
    """One attempt to reach a student's parent or guardian: when, how, by whom, whether reached."""

    task = models.ForeignKey(NotificationTask, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField()
    method = models.CharField(max_length=12, choices=NotificationTask.Method.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reached = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["task", "attempted_at", "pk"]

    def __str__(self) -> str:
        return f"Attempt {self.pk} on task {self.task_id} ({'reached' if self.reached else 'not reached'})"


class Counsel(models.TextChoices):
    """W&I Code 625.6: how the youth consulted counsel before a custodial interrogation, or why not."""

    IN_PERSON = "in_person", _("Consulted counsel in person")
    PHONE = "phone", _("Consulted counsel by telephone")
    VIDEO = "video", _("Consulted counsel by video conference")
    EXCEPTION = "exception", _("No consultation: the imminent-threat exception, 625.6(c)")
    NONE = "none", _("No consultation took place")


class ContactSource(models.TextChoices):
    """Where a contact was recorded: in sro, or in the agency's own RIPA system and imported."""

    SRO = "sro", _("Recorded in sro")
    AGENCY = "agency", _("Imported from the agency's RIPA system")


class Contact(BaseModel):
    """An SRO's contact with a student, in RIPA terms. Codes are validated against the RIPA code
    lists in force on the contact's date (data/ripa_codes_<version>.toml); `codes_version` says which."""

    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sro_contacts")
    agency = models.ForeignKey(LawEnforcementAgency, on_delete=models.PROTECT, related_name="sro_contacts")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sro_contacts")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    reason = models.PositiveSmallIntegerField()
    ed_code_section = models.PositiveSmallIntegerField(null=True, blank=True)
    ed_code_subdivision = models.PositiveSmallIntegerField(null=True, blank=True)
    race = models.JSONField(default=list)
    gender = models.PositiveSmallIntegerField()
    age = models.PositiveSmallIntegerField()
    disability = models.JSONField(default=list, blank=True)
    limited_english = models.BooleanField(default=False)
    actions = models.JSONField(default=list, blank=True)
    search_basis = models.JSONField(default=list, blank=True)
    seizure_basis = models.JSONField(default=list, blank=True)
    contraband = models.JSONField(default=list, blank=True)
    results = models.JSONField(default=list)
    # 2024 lists: how consent to a search was given (verbal, written, implied), perceived LGB+.
    consent_type = models.JSONField(default=list, blank=True)
    perceived_lgb = models.BooleanField(default=False, help_text="Perceived LGB+ (2018-2023 lists: LGBT)")
    codes_version = models.CharField(max_length=8, help_text="The RIPA code lists the contact was recorded under")
    source = models.CharField(max_length=8, choices=ContactSource.choices, default=ContactSource.SRO)
    agency_stop_id = models.CharField(
        max_length=40, blank=True, help_text="The stop's id in the agency's RIPA system (DOJ_RECORD_ID)"
    )
    agency_person_number = models.PositiveSmallIntegerField(null=True, blank=True)
    emergency = models.BooleanField(default=False, help_text="The officer acted on an imminent threat")
    emergency_note = models.TextField(blank=True)
    boundary_crossing = models.BooleanField(default=False)
    boundary_rule_ids = models.JSONField(default=list, blank=True)
    # Students' rights (sro/incidents/rights.py): what the parent is told of, and W&I Code 625.6.
    questioned = models.BooleanField(default=False)
    released_to_officer = models.BooleanField(default=False, help_text="Released by the school to the officer")
    custodial_interrogation = models.BooleanField(default=False)
    counsel = models.CharField(max_length=12, choices=Counsel.choices, blank=True)
    counsel_note = models.TextField(blank=True)
    # The deployment gate's reasons why the officer was not cleared for the campus that day; [] = cleared.
    gate_reasons = models.JSONField(default=list, blank=True)
    # The id the officer's device gave the contact when it was filled in (the phone form, offline
    # or not): sending it again returns the same contact instead of recording a second one.
    client_id = models.UUIDField(
        null=True, blank=True, help_text="The id the form gave the contact; a repeat send returns the same contact"
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=7) | Q(ed_code_section__isnull=False), name="contact_reason7_has_section"
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="contact_duration_positive"),
            models.CheckConstraint(condition=Q(age__gte=1, age__lte=99), name="contact_age_range"),
            models.CheckConstraint(
                condition=Q(emergency=False) | ~Q(emergency_note=""), name="contact_emergency_explained"
            ),
            models.CheckConstraint(
                condition=~Q(counsel="exception") | ~Q(counsel_note=""), name="contact_counsel_exception_stated"
            ),
            models.CheckConstraint(condition=Q(source__in=ContactSource.values), name="contact_source_known"),
            models.CheckConstraint(condition=~Q(codes_version=""), name="contact_codes_version_given"),
            models.CheckConstraint(
                condition=~Q(source="agency") | (~Q(agency_stop_id="") & Q(agency_person_number__isnull=False)),
                name="contact_agency_source_has_stop_id",
            ),
            models.UniqueConstraint(
                fields=["agency", "agency_stop_id", "agency_person_number"],
                condition=~Q(agency_stop_id=""),
                name="contact_agency_stop_person_unique",
            ),
            models.UniqueConstraint(
                fields=["officer", "client_id"],
                condition=Q(client_id__isnull=False),
                name="contact_officer_client_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["agency", "occurred_at"])]

    def __str__(self) -> str:
        return f"Contact {self.pk} by {self.officer} at {self.school}"


class Review(BaseModel):
    """A review of a contact, opened automatically for the district admin and agency supervisor: a
    boundary crossing, a custodial interrogation without counsel (W&I Code 625.6), or a contact on a
    day the deployment gate did not clear the officer. Each finding names its rule."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UNDER_REVIEW = "under_review", _("Under review")
        SUBSTANTIATED = "substantiated", _("Closed: substantiated")
        UNFOUNDED = "unfounded", _("Closed: unfounded")
        JUSTIFIED_EMERGENCY = "justified_emergency", _("Closed: justified emergency")

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="review")
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="boundary_reviews")
    agency = models.ForeignKey(LawEnforcementAgency, on_delete=models.PROTECT, related_name="boundary_reviews")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="boundary_reviews")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    findings = models.JSONField(default=list, help_text="[{rule, citation, reason, detail}]")
    contract_citation = models.TextField()
    corrective_action = models.TextField(blank=True)
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["status", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "under_review", "substantiated", "unfounded", "justified_emergency"]),
                name="review_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="substantiated") | ~Q(corrective_action=""),
                name="review_substantiated_needs_corrective_action",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} ({self.status}) of contact {self.contact_id}"

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.SUBSTANTIATED, self.Status.UNFOUNDED, self.Status.JUSTIFIED_EMERGENCY}
