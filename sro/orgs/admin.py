"""The organisations and people in the Django admin (`sro.core.admin` says which base does what).

Schools, districts, cities and agencies are reference data a steward corrects here (audited).
People and their roles are managed on the People pages (`/people/`: invite, grant, end a role),
which keep the rules (one organisation per person, the administrator's own organisation only);
here they are shown read-only, with each person's account state.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# Two-step sign-in devices (django-otp's own admin pages): the administrator removes a lost
# authenticator here; each change or removal is written to the audit trail like the rest.
class AuditedTOTPDeviceAdmin(AuditedAdmin, TOTPDeviceAdmin):  # type: ignore[misc]  # django-otp is untyped
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # each person sets up their own, on the Two-step sign-in page


class AuditedStaticDeviceAdmin(AuditedAdmin, StaticDeviceAdmin):  # type: ignore[misc]  # django-otp is untyped
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


for _model, _admin in ((TOTPDevice, AuditedTOTPDeviceAdmin), (StaticDevice, AuditedStaticDeviceAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
