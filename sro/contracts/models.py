"""Agreements between the district and a law enforcement agency, their versions, clauses and votes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.core.models import BaseModel
from sro.orgs.models import City, District, LawEnforcementAgency, School


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATING = "negotiating", _("In negotiation")
    COUNCIL_REVIEW = "council_review", _("Awaiting city council vote")
    BOARD_REVIEW = "board_review", _("Awaiting school board approval")
    APPROVED = "approved", _("Approved (waiting for its term)")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Being negotiated")
    COUNCIL_REVIEW = "council_review", _("Before the city council")
    BOARD_REVIEW = "board_review", _("Before the school board")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Replaced before a vote")


class Body(BaseModel):
    """A voting body: a city council or the school board."""

    class Kind(models.TextChoices):
        CITY_COUNCIL = "city_council", _("City council")
        SCHOOL_BOARD = "school_board", _("School board")

    class Rule(models.TextChoices):
        MAJORITY_OF_SEATS = "majority_of_seats", _("Majority of all seats")
        MAJORITY_OF_VOTES = "majority_of_votes", _("Majority of members voting")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    seats = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    voting_rule = models.CharField(max_length=30, choices=Rule.choices, default=Rule.MAJORITY_OF_SEATS)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="city_council", city__isnull=False, district__isnull=True)
                    | Q(kind="school_board", district__isnull=False, city__isnull=True)
                ),
                name="body_kind_matches_organisation",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="body_has_seats"),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    minutes_url = models.URLField(blank=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.body} — {self.date:%Y-%m-%d}"


class Contract(BaseModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="contracts")
    agency = models.ForeignKey(LawEnforcementAgency, on_delete=models.PROTECT, related_name="contracts")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(max_length=250)
    # Spanish for residents; empty: the public site shows the English title, labelled as English.
    title_es = models.CharField("title in Spanish", max_length=250, blank=True)
    status = models.CharField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    campuses = models.ManyToManyField(School, related_name="contracts")
    positions = models.PositiveSmallIntegerField("SRO positions", default=1, validators=[MinValueValidator(1)])
    term_start = models.DateField()
    term_end = models.DateField()
    annual_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Total annual cost of the program under this contract (USD).",
    )
    district_share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="District's share of the cost in percent; the city pays the rest. Empty: the district pays all.",
    )
    renewal_terms = models.TextField(blank=True)
    in_force = models.ForeignKey(
        "ContractVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The version adopted by the school board.",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="contract_term_end_after_start"
            ),
            models.CheckConstraint(condition=Q(annual_cost__gte=0), name="contract_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(district_share_percent__isnull=True)
                | Q(district_share_percent__gte=0, district_share_percent__lte=100),
                name="contract_share_is_percent",
            ),
            models.CheckConstraint(condition=Q(status__in=ContractStatus.values), name="contract_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def in_term(self, on: dt.date) -> bool:
        return self.term_start <= on <= self.term_end

    @property
    def district_annual_cost(self) -> Decimal:
        share = self.district_share_percent if self.district_share_percent is not None else Decimal(100)
        return (self.annual_cost * share / Decimal(100)).quantize(Decimal("0.01"))

    @property
    def city_annual_cost(self) -> Decimal:
        return self.annual_cost - self.district_annual_cost


class ContractVersion(BaseModel):
    """One text of a contract. Text never changes in place: every change is a new version."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    is_amendment = models.BooleanField(default=False)
    # A renewal is an amendment that carries the term on: once the board adopts it, the contract's
    # term ends on this day instead (docs/evaluation.md). Empty for every other version.
    renewal_term_end = models.DateField(
        "renewed term ends", null=True, blank=True, help_text="A renewal: the last day of the renewed term."
    )
    note = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    clauses: models.Manager[Clause]

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="version_number_unique"),
            models.UniqueConstraint(fields=["contract"], condition=Q(state="in_force"), name="one_version_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"


class Clause(models.Model):
    version = models.ForeignKey(ContractVersion, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    text = models.TextField()
    categories = models.JSONField(default=list, help_text="Keys from the clause catalogue.")

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="clause_position_unique"),
            models.UniqueConstraint(fields=["version", "number"], name="clause_number_unique"),
        ]

    def __str__(self) -> str:
        return f"§{self.number} {self.title}"

    @property
    def citation(self) -> str:
        return f"{self.version.contract.title}, version {self.version.number}, §{self.number} {self.title}"


class Vote(BaseModel):
    class Outcome(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    class MemberVote(models.TextChoices):
        """A named member's vote in `member_votes`."""

        AYE = "aye", _("Aye")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstained")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    version = models.ForeignKey(ContractVersion, on_delete=models.PROTECT, related_name="votes")
    ayes = models.PositiveSmallIntegerField(null=True, blank=True)
    noes = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    absent = models.PositiveSmallIntegerField(null=True, blank=True)
    member_votes = models.JSONField(
        default=list, blank=True, help_text='Optional named votes: [{"member": "...", "vote": "aye"}]'
    )
    minutes_url = models.URLField(blank=True)
    outcome = models.CharField(
        max_length=10,
        choices=Outcome.choices,
        default=Outcome.SCHEDULED,
        help_text="Computed from the tally and the body's rule.",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting__date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_vote_per_meeting_version"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.version} ({self.outcome})"

    @property
    def contract(self) -> Contract:
        return self.version.contract
