"""The Django admin (`/admin/`, for the server's administrator and data stewards): the base classes
every app's `admin.py` uses, and the audit trail, read-only.

- `AuditedAdmin`: reference data a steward may correct (schools, districts, agencies, bodies,
  meetings, officers). Each save or delete made here is written to the audit trail in the same
  transaction (`admin_create`, `admin_change` with the changed fields, `admin_delete`), as the
  services do for the pages.
- `ReadOnlyAdmin`: records whose history is the audit trail, or that only the product's services
  may write (contracts and votes, memberships, tokens): listed and shown, never added, changed or
  deleted here.
- `StudentRecordAdmin`: a read-only admin for student records (incidents, contacts); opening one
  is a read of a student record, audited like the pages' (`read`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from sro.core.audit import audit_log, audit_read, model_changes
from sro.core.models import AuditEvent


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Changes made in the admin go into the audit trail with the fields that changed."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        fields = [f for f in form.changed_data if f in {x.name for x in obj._meta.concrete_fields}]
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_log(
                actor=request.user,
                action="admin_change" if change else "admin_create",
                obj=obj,
                changes=model_changes(obj, fields),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            label, pk = obj._meta.label, str(obj.pk)
            super().delete_model(request, obj)
            audit_log(actor=request.user, action="admin_delete", object_type=label, object_id=pk)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Shown, never added, changed or deleted in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StudentRecordAdmin(ReadOnlyAdmin):
    """Read-only, and opening one is an audited read of a student record."""

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and response.status_code == 200:
            audit_read(actor=request.user, obj=obj, fields=["admin"])
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_username", "role", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_id", "request_id")
    ordering = ("-seq",)
