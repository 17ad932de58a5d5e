"""The organisations and people in the Django admin (`sro.core.admin` says which base does what).

Schools, districts, cities and agencies are reference data a steward corrects here (audited).
People and their roles are managed on the People pages (`/people/`: invite, grant, end a role),
which keep the rules (one organisation per person, the administrator's own organisation only);
here they are shown read-only, with each person's account state.
"""

from __future__ import annotations

from django.contrib import admin

from sro.core.admin import AuditedAdmin, ReadOnlyAdmin
from sro.orgs.models import ApiToken, City, District, LawEnforcementAgency, Membership, School, User


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ("name", "cds_code", "county", "status")
    search_fields = ("name", "cds_code")


@admin.register(City)
class CityAdmin(AuditedAdmin):
    list_display = ("name", "county")
    search_fields = ("name",)


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ("name", "cds_code", "district", "city", "in_program", "status")
    list_filter = ("in_program", "status")
    search_fields = ("name", "cds_code")
    list_select_related = ("district", "city")


@admin.register(LawEnforcementAgency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "ori")
    search_fields = ("name", "ori")
    filter_horizontal = ("cities",)


@admin.register(User)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "last_login")
    search_fields = ("username", "first_name", "last_name", "email")
    list_filter = ("is_active",)
    exclude = ("password",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "district", "school", "agency")
    list_filter = ("role",)
    search_fields = ("user__username",)
    list_select_related = ("user", "district", "school", "agency")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("key_prefix", "user", "name", "created_at", "last_used_at", "expires_on", "revoked_at")
    search_fields = ("key_prefix", "user__username")
    exclude = ("key_hash",)
