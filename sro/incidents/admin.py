"""Incidents and SRO contacts in the Django admin: read-only, and opening one is an audited read
of a student record (`sro.core.admin.StudentRecordAdmin`). They are recorded and changed only on
the pages and the API, which apply the routing policy and the boundary check."""

from __future__ import annotations

from django.contrib import admin

from sro.core.admin import StudentRecordAdmin
from sro.incidents.models import Contact, Incident


@admin.register(Incident)
class IncidentAdmin(StudentRecordAdmin):
    list_display = ("pk", "school", "occurred_at", "route")
    list_filter = ("route",)
    list_select_related = ("school",)


@admin.register(Contact)
class ContactAdmin(StudentRecordAdmin):
    list_display = ("pk", "school", "agency", "occurred_at")
    list_select_related = ("school", "agency")
