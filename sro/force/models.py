"""Force reports, their notices and supervisor review, early-intervention flags and joint reviews."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sro.core.models import BaseModel
from sro.incidents.models import Contact, Incident, IncidentStudent
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.staffing.models import Officer


class Recorded(models.TextChoices):
    """A yes/no fact about the student that the school's records may not hold: never a default."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class BodyCamera(models.TextChoices):
    ON = "on", _("On, recording")
    OFF = "off", _("Worn but not recording")
    NONE = "none", _("Not worn")


class ReviewOutcome(models.TextChoices):
    WITHIN_POLICY = "within_policy", _("Within policy")
    NOT_WITHIN_POLICY = "not_within_policy", _("Not within policy")
    TRAINING = "training", _("Within policy, training needed")
    REFERRED = "referred", _("Referred for investigation")


class ForceReport(BaseModel):
    """One use of force or physical restraint by an SRO on one student, filed the same day."""

    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="force_reports")
    agency = models.ForeignKey(LawEnforcementAgency, on_delete=models.PROTECT, related_name="force_reports")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="force_reports")
    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="force_report"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="force_reports"
    )
    occurred_at = models.DateTimeField()
    # The student: no name is kept here (the contact and the incident hold who it was).
    student_age = models.PositiveSmallIntegerField()
    grade = models.SmallIntegerField(null=True, blank=True, help_text="-1 = TK, 0 = K, 1-12; empty: not recorded")
    race = models.CharField(max_length=2, choices=IncidentStudent.Race.choices)
    sex = models.CharField(max_length=2, choices=IncidentStudent.Sex.choices)
    idea = models.CharField(_("IDEA (special education)"), max_length=12, choices=Recorded.choices)
    section_504 = models.CharField(_("Section 504 plan"), max_length=12, choices=Recorded.choices)
    english_learner = models.CharField(_("English learner"), max_length=12, choices=Recorded.choices)
    # What happened.
    force_types = models.JSONField(default=list, help_text="Keys of data/force_types.toml [[type]]")
    student_injured = models.BooleanField(default=False)
    student_injury = models.TextField(blank=True)
    officer_injured = models.BooleanField(default=False)
    officer_injury = models.TextField(blank=True)
    medical_aid = models.CharField(max_length=24, help_text="Key of data/force_types.toml [[medical_aid]]")
    deescalation = models.JSONField(default=list, help_text="Keys of data/force_types.toml [[deescalation]]")
    deescalation_narrative = models.TextField()
    body_camera = models.CharField(max_length=8, choices=BodyCamera.choices)
    witnesses = models.TextField(blank=True)
    narrative = models.TextField()
    # Gov. Code 12525.2(a): the report also goes to the DOJ (URSUS).
    serious_bodily_injury = models.BooleanField(default=False, help_text="Serious bodily injury or death")
    firearm_discharged = models.BooleanField(default=False)
    ursus = models.JSONField(default=dict, blank=True, help_text="URSUS elements entered: data/ursus.toml")
    filed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The supervisor's review.
    review_due_on = models.DateField()
    review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    notices: models.Manager[ForceNotice]

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(student_age__gte=3, student_age__lte=25), name="force_student_age"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=-1, grade__lte=12), name="force_grade"
            ),
            models.CheckConstraint(condition=~Q(race=""), name="force_race_given"),
            models.CheckConstraint(condition=~Q(sex=""), name="force_sex_given"),
            models.CheckConstraint(
                condition=Q(student_injured=False) | ~Q(student_injury=""), name="force_injury_described"
            ),
            models.CheckConstraint(
                condition=Q(review_outcome="") | Q(reviewed_at__isnull=False), name="force_review_outcome_dated"
            ),
            models.CheckConstraint(
                condition=Q(review_outcome__in=["", *ReviewOutcome.values]), name="force_review_outcome_known"
            ),
        ]
        indexes = [models.Index(fields=["school", "occurred_at"]), models.Index(fields=["officer", "occurred_at"])]

    def __str__(self) -> str:
        return f"Force report {self.pk} at {self.school} ({timezone.localtime(self.occurred_at):%Y-%m-%d})"

    @property
    def ursus_reportable(self) -> bool:
        """Gov. Code 12525.2(a)(1), (3): serious bodily injury or death, or a firearm discharged."""
        return self.serious_bodily_injury or self.firearm_discharged

    @property
    def reviewed(self) -> bool:
        return bool(self.review_outcome)

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return not self.reviewed and (today or timezone.localdate()) > self.review_due_on


class ForceNotice(BaseModel):
    """A notice on a person's queue until they mark it read: a force report to the principal and the
    district's security director the same day, or an early-intervention flag to the supervisor and district."""

    class Kind(models.TextChoices):
        FORCE_REPORT = "force_report", _("Use of force reported")
        EARLY_INTERVENTION = "early_intervention", _("Early intervention")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, null=True, blank=True, related_name="notices")
    flag = models.ForeignKey(
        "EarlyInterventionFlag", on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="force_notices")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["read_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="force_report", report__isnull=False, flag__isnull=True)
                | Q(kind="early_intervention", flag__isnull=False, report__isnull=True),
                name="force_notice_kind_matches",
            ),
            models.UniqueConstraint(fields=["report", "recipient"], name="force_notice_once_per_report"),
            models.UniqueConstraint(fields=["flag", "recipient"], name="force_notice_once_per_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.recipient}"


class EarlyInterventionFlag(BaseModel):
    """An early-intervention rule met by an officer (data/rules.toml), open until the district closes it."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="ei_flags")
    rule = models.CharField(max_length=40)
    raised_on = models.DateField()
    count = models.PositiveSmallIntegerField()
    reason = models.TextField()
    events = models.JSONField(default=list, help_text="What was counted: [{kind, id, on}]")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    close_note = models.TextField(blank=True)

    notices: models.Manager[ForceNotice]

    class Meta:
        ordering = ["closed_at", "-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "rule"], condition=Q(closed_at__isnull=True), name="ei_flag_one_open_per_rule"
            ),
            models.CheckConstraint(condition=Q(closed_at__isnull=True) | ~Q(close_note=""), name="ei_flag_close_noted"),
        ]

    def __str__(self) -> str:
        return f"Early intervention {self.rule} for {self.officer} ({self.raised_on})"


class JointReview(BaseModel):
    """A sustained finding in a category the contract names: the district and the agency review the
    officer together before the next assignment. The deployment gate says so until both have signed."""

    class Decision(models.TextChoices):
        MAY_SERVE = "may_serve", _("May continue to serve as an SRO")
        MAY_NOT_SERVE = "may_not_serve", _("May not serve as an SRO")

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="joint_reviews")
    category = models.CharField(max_length=60, help_text="The finding's category")
    clause_category = models.CharField(max_length=60, help_text="The clause catalogue category the contract names")
    source = models.CharField(max_length=40, help_text="force_report or allegation")
    source_id = models.PositiveIntegerField()
    required_on = models.DateField()
    reason = models.TextField()
    district_signed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district_signed_at = models.DateTimeField(null=True, blank=True)
    agency_signed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_signed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-required_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="joint_review_once_per_finding"),
            models.CheckConstraint(
                condition=Q(district_signed_at__isnull=True) | ~Q(decision=""), name="joint_review_signed_has_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"Joint review {self.pk} of {self.officer}"

    @property
    def cleared(self) -> bool:
        return self.district_signed_at is not None and self.agency_signed_at is not None
