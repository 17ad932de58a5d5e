"""Districts, schools, cities, law enforcement agencies, people and their roles."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.core.models import BaseModel
from sro.orgs.roles import AGENCY_ROLES, DISTRICT_ROLES, SCHOOL_ROLES, Role
from sro.orgs.validators import (
    validate_district_code,
    validate_school_cds_code,
)


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    title = models.CharField(max_length=120, blank=True, help_text="e.g. Executive Security Director")

    memberships: models.Manager[Membership]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class District(BaseModel):
    cds_code = models.CharField(
        "CDS district code",
        max_length=7,
        unique=True,
        validators=[validate_district_code],
        help_text="County (2) + district (5) digits, e.g. 3367173 for Palm Springs Unified.",
    )
    name = models.CharField(max_length=200)
    county = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, default="Active")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class City(BaseModel):
    name = models.CharField(max_length=120)
    county = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"
        constraints = [models.UniqueConstraint(fields=["name", "county"], name="city_unique_name_county")]

    def __str__(self) -> str:
        return self.name


class School(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "Active"
        CLOSED = "Closed"
        MERGED = "Merged"
        PENDING = "Pending"

    cds_code = models.CharField(
        "CDS code",
        max_length=14,
        unique=True,
        validators=[validate_school_cds_code],
        help_text="14-digit County-District-School code from the California school directory.",
    )
    name = models.CharField(max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    county = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="schools")
    grade_low = models.SmallIntegerField(null=True, blank=True, help_text="-1 = TK, 0 = K, 1-12")
    grade_high = models.SmallIntegerField(null=True, blank=True)
    enrolment = models.PositiveIntegerField(null=True, blank=True)
    in_program = models.BooleanField(
        "SRO program campus",
        default=False,
        help_text="A campus that an SRO contract covers or is negotiating to cover.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_low__isnull=True) | Q(grade_low__gte=-1, grade_low__lte=12),
                name="school_grade_low_range",
            ),
            models.CheckConstraint(
                condition=Q(grade_high__isnull=True) | Q(grade_high__gte=-1, grade_high__lte=12),
                name="school_grade_high_range",
            ),
            models.CheckConstraint(
                condition=Q(grade_low__isnull=True)
                | Q(grade_high__isnull=True)
                | Q(grade_low__lte=models.F("grade_high")),
                name="school_grade_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_span(self) -> str:
        def g(v: int | None) -> str:
            return "?" if v is None else {-1: "TK", 0: "K"}.get(v, str(v))

        if self.grade_low is None and self.grade_high is None:
            return ""
        return f"{g(self.grade_low)}-{g(self.grade_high)}"


class LawEnforcementAgency(BaseModel):
    class Kind(models.TextChoices):
        CITY_POLICE = "city_police", _("City police department")
        COUNTY_SHERIFF = "county_sheriff", _("County sheriff")
        SCHOOL_POLICE = "school_police", _("School district police")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ori = models.CharField("ORI", max_length=9, blank=True, help_text="Originating agency identifier")
    cities = models.ManyToManyField(City, related_name="agencies", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "law enforcement agency"
        verbose_name_plural = "law enforcement agencies"

    def __str__(self) -> str:
        return self.name


def _role_q(roles: frozenset[Role]) -> Q:
    return Q(role__in=sorted(r.value for r in roles))


class Membership(BaseModel):
    """A user's role in one organisation. Site admins hold one per school."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    agency = models.ForeignKey(
        LawEnforcementAgency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    _role_q(DISTRICT_ROLES) & Q(district__isnull=False, school__isnull=True, agency__isnull=True)
                )
                | (_role_q(SCHOOL_ROLES) & Q(district__isnull=False, school__isnull=False, agency__isnull=True))
                | (_role_q(AGENCY_ROLES) & Q(district__isnull=True, school__isnull=True, agency__isnull=False)),
                name="membership_role_matches_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(school__isnull=True, agency__isnull=True),
                name="membership_unique_district_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_school_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_agency_role",
            ),
        ]

    def __str__(self) -> str:
        org = self.school or self.agency or self.district
        return f"{self.user} - {self.get_role_display()} - {org}"

    @property
    def organisation_name(self) -> str:
        return str(self.school or self.agency or self.district or "")


class ApiToken(BaseModel):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "sro_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)  # the last day it works; set on every new token

    objects: ClassVar[models.Manager[ApiToken]]

    def is_live(self, today: dt.date) -> bool:
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= today)

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
