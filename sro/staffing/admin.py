"""Officers in the Django admin: a steward corrects an officer's name, badge, rank or RIPA id here
(audited). Their status, assignments, nominations and training move through the staffing pages,
which apply the deployment gate (`sro.core.admin`)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sro.core.admin import AuditedAdmin
from sro.staffing.models import Officer


@admin.register(Officer)
class OfficerAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "badge_number", "agency", "status")
    list_filter = ("status", "agency")
    search_fields = ("last_name", "first_name", "badge_number")
    readonly_fields = ("agency", "user", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # added through the staffing pages (a candidate's nomination)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
