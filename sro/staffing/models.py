"""Officers, joint hiring (nominations, panels, scoresheets), training, assignments and notices.

Assignments are never deleted: an assignment ended early keeps its start and its new end,
and the audit trail keeps the original. Rules live in the services, not in `save()`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.contracts.models import Contract
from sro.core.models import BaseModel
from sro.orgs.models import LawEnforcementAgency, School, User


class OfficerStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    APPROVED = "approved", _("Jointly approved")
    ASSIGNED = "assigned", _("Assigned to a campus")
    INACTIVE = "inactive", _("Inactive")


class Officer(BaseModel):
    """A sworn officer of an agency, as a candidate for or holder of an SRO position."""

    agency = models.ForeignKey(LawEnforcementAgency, on_delete=models.PROTECT, related_name="officers")
    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officer",
        help_text="The officer's own account (role: school resource officer).",
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    badge_number = models.CharField(max_length=20)
    rank = models.CharField(max_length=60, blank=True)
    sworn_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=OfficerStatus.choices, default=OfficerStatus.CANDIDATE)
    ripa_officer_id = models.CharField(
        max_length=20,
        blank=True,
        help_text="The officer's unique identifier in the agency's RIPA stop reports (11 CCR 999.226(a)), "
        "to match the agency's own records on import.",
    )

    class Meta:
        ordering = ["agency__name", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "ripa_officer_id"],
                condition=~Q(ripa_officer_id=""),
                name="officer_ripa_id_unique_in_agency",
            ),
            models.UniqueConstraint(fields=["agency", "badge_number"], name="officer_badge_unique_in_agency"),
            models.CheckConstraint(condition=Q(status__in=OfficerStatus.values), name="officer_status_known"),
            models.CheckConstraint(condition=~Q(badge_number=""), name="officer_badge_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.rank + ' ' if self.rank else ''}{self.first_name} {self.last_name} (#{self.badge_number})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Nomination(BaseModel):
    """An agency supervisor puts an officer forward for a contract's SRO position."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Before the panel")
        APPROVED = "approved", _("Jointly approved")
        REJECTED = "rejected", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="nominations")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="nominations")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOMINATED)
    note = models.TextField(blank=True)
    nominated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "contract"],
                condition=Q(status__in=["nominated", "approved"]),
                name="nomination_one_open_per_officer_contract",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["nominated", "approved", "rejected", "withdrawn"]),
                name="nomination_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} for {self.contract}"


class Side(models.TextChoices):
    DISTRICT = "district", _("District")
    AGENCY = "agency", _("Agency")


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend")
    DO_NOT_RECOMMEND = "do_not_recommend", _("Do not recommend")
    VETO = "veto", _("Veto")


class Panel(BaseModel):
    """The selection panel for one nomination, with members from both sides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Scoring")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved by both sides")
        REJECTED = "rejected", _("Not approved")

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="panel")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    rubric_version = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    members: models.Manager[PanelMember]

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome="") | Q(status="decided", outcome__in=["approved", "rejected"]),
                name="panel_outcome_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Panel for {self.nomination}"


class PanelMember(BaseModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="panel_seats")
    side = models.CharField(max_length=10, choices=Side.choices)

    class Meta:
        ordering = ["panel", "side", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_member_once"),
            models.CheckConstraint(condition=Q(side__in=["district", "agency"]), name="panel_member_side_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.side})"


class Scoresheet(BaseModel):
    """One panelist's scores on every rubric criterion, recommendation and reason."""

    member = models.OneToOneField(PanelMember, on_delete=models.PROTECT, related_name="scoresheet")
    scores = models.JSONField(help_text="{criterion key: score on the rubric's scale}")
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    reason = models.TextField()

    class Meta:
        ordering = ["member__panel", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="scoresheet_has_reason")]

    def __str__(self) -> str:
        return f"{self.member}: {self.recommendation}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.scores.values())


class ContractTraining(BaseModel):
    """The courses a contract requires (no row: every course in the catalogue)."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="training_requirement")
    courses = models.JSONField(default=list, help_text="Course keys from the catalogue.")

    def __str__(self) -> str:
        return f"Training required by {self.contract}"


class TrainingRecord(BaseModel):
    """A completed course, entered by the agency; counts only once the district confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting district confirmation")
        CONFIRMED = "confirmed", _("Confirmed by the district")
        REJECTED = "rejected", _("Not accepted by the district")

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="training_records")
    course = models.CharField(max_length=60, help_text="Course key from the catalogue.")
    completed_on = models.DateField()
    provider = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    evidence = models.CharField(max_length=500, help_text="Certificate file reference or URL.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["officer", "course", "-completed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "rejected"]), name="training_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer}: {self.course} on {self.completed_on}"


class StandingAssignments(models.Manager["Assignment"]):
    """Assignments that stand: one cancelled before it began counts for nothing.

    It is the default manager, so every count, overlap check and campus answer leaves
    cancelled assignments out; ``Assignment.with_cancelled`` sees them too (lists, history).
    """

    def get_queryset(self) -> models.QuerySet[Assignment]:
        return super().get_queryset().filter(cancelled_on__isnull=True)


class Assignment(BaseModel):
    """An officer posted to a campus under a contract, for an inclusive date range."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="assignments")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="assignments")
    start_date = models.DateField()
    end_date = models.DateField()
    end_reason = models.TextField(blank=True, help_text="Why the assignment ended early or was cancelled.")
    cancelled_on = models.DateField(
        null=True, blank=True, help_text="The day it was called off, before its first day; it then counts for nothing."
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = StandingAssignments()
    with_cancelled: models.Manager[Assignment] = models.Manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        default_manager_name = "objects"
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="assignment_range_ordered"),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True) | Q(cancelled_on__lt=models.F("start_date")),
                name="assignment_cancelled_before_start",
            ),
        ]
        indexes = [models.Index(fields=["school", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.officer} at {self.school}, {self.start_date} to {self.end_date}"


class AssignmentProblem(BaseModel):
    """A reason an assignment is no longer valid, found by the daily check; one open per code."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="problems")
    code = models.CharField(max_length=40)
    message = models.TextField()
    found_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-found_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "code"], condition=Q(resolved_on__isnull=True), name="problem_one_open_per_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.code}"


class Notice(BaseModel):
    """A message on a person's home page (also e-mailed)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    problem = models.ForeignKey(
        AssignmentProblem, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "problem"], name="notice_once_per_problem"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.recipient}"
