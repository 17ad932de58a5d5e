"""Enrolment by student group: the denominators of the published group rates.

Campus totals live on `orgs.School.enrolment`; this table holds the same enrolment split by
race or ethnicity, sex, disability and English-learner status, per school year, with its source.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.core.models import BaseModel
from sro.orgs.models import School


class GroupEnrolment(BaseModel):
    class Dimension(models.TextChoices):
        RACE = "race", _("Race or ethnicity")
        SEX = "sex", _("Sex")
        DISABILITY = "disability", _("Disability (IDEA or Section 504)")
        ENGLISH_LEARNER = "english_learner", _("English learner")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="group_enrolments")
    school_year = models.CharField(max_length=7, help_text="e.g. 2026-27 (1 July to 30 June)")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    group = models.CharField(max_length=8, help_text="A group code of sro.public.groups, e.g. HI, F, yes")
    enrolled = models.PositiveIntegerField()
    source = models.CharField(max_length=250, help_text="Where the figure comes from; shown beside the rates.")
    illustrative = models.BooleanField(
        default=False, help_text="Invented for the demo; pages say so next to every rate that uses it."
    )

    class Meta:
        ordering = ["school", "school_year", "dimension", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "dimension", "group"], name="group_enrolment_once"
            ),
            models.CheckConstraint(
                condition=Q(school_year__regex=r"^[0-9]{4}-[0-9]{2}$"), name="group_enrolment_school_year_format"
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=["race", "sex", "disability", "english_learner"]),
                name="group_enrolment_dimension_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.school_year} {self.dimension}={self.group}: {self.enrolled}"
