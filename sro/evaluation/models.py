"""The yearly evaluation of a contract, its community survey, and the reminders before a term ends."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.contracts.models import Contract
from sro.core.models import BaseModel
from sro.orgs.models import School, User


class Evaluation(BaseModel):
    """One contract year's evaluation: the figures gathered (a snapshot, refreshed while a draft) and
    the district's narrative in English and Spanish."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField(help_text="Contract year: 1 is the year from the term's first day.")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(default=dict, blank=True, help_text="The figures gathered (sro/evaluation/figures.py)")
    computed_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(blank=True)
    findings_es = models.TextField("findings in Spanish", blank=True)
    recommendations = models.TextField(blank=True)
    recommendations_es = models.TextField("recommendations in Spanish", blank=True)

    class Meta:
        ordering = ["contract", "year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="evaluation_once_per_contract_year"),
            models.CheckConstraint(condition=Q(year__gte=1), name="evaluation_year_from_one"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="evaluation_end_after_start"),
            models.CheckConstraint(condition=Q(status__in=["draft", "final"]), name="evaluation_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: year {self.year} ({self.start} to {self.end})"


class Respondent(models.TextChoices):
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent or guardian")
    STAFF = "staff", _("School staff")


class Survey(BaseModel):
    """The community survey of one contract year, open from `opens_on` to `closes_on` (both included)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="survey")
    opens_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"Survey of {self.evaluation}"

    def is_open(self, on: object) -> bool:
        return bool(self.opens_on <= on <= self.closes_on)  # type: ignore[operator]


class SurveyLink(BaseModel):
    """A single-use link the district hands to one person. Only the token's SHA-256 is stored; the link
    records who it is for (a respondent group and a campus) and whether it has been used (the day only:
    nothing ties a response to its link)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    respondent = models.CharField(max_length=8, choices=Respondent.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "respondent", "school", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent__in=["student", "parent", "staff"]), name="survey_link_respondent_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Survey link {self.pk} ({self.respondent}, {self.school_id})"


LIKERT = (1, 2, 3, 4, 5)


class SurveyResponse(BaseModel):
    """One anonymous answer: the group and campus come from the link, never from the person."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    respondent = models.CharField(max_length=8, choices=Respondent.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    feels_safe = models.PositiveSmallIntegerField()
    trusts_sro = models.PositiveSmallIntegerField()
    knows_how_to_complain = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=1000)
    language = models.CharField(max_length=2, default="en")
    address_hash = models.CharField(max_length=64, blank=True, help_text="For the rate limit only")

    class Meta:
        ordering = ["survey", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(feels_safe__gte=1, feels_safe__lte=5)
                & Q(trusts_sro__gte=1, trusts_sro__lte=5)
                & Q(knows_how_to_complain__gte=1, knows_how_to_complain__lte=5),
                name="survey_response_likert_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Survey response {self.pk}"


class RenewalReminder(BaseModel):
    """A notice that a contract's term ends in 120, 60 or 30 days, once per person, term and step."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="renewal_reminders")
    term_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="renewal_reminders")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["read_at", "term_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "term_end", "days_before", "recipient"], name="renewal_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} ends {self.term_end} ({self.days_before} days) -> {self.recipient}"
