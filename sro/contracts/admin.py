"""Contracts in the Django admin: councils, boards and their meetings are corrected here (audited);
contracts, versions and votes move only through their workflow on the pages and the API, so they
are shown read-only (`sro.core.admin`)."""

from __future__ import annotations

from django.contrib import admin

from sro.contracts.models import Body, Contract, Meeting, Vote
from sro.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "seats", "voting_rule")
    list_filter = ("kind",)


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ("body", "date", "title")
    list_filter = ("body",)
    date_hierarchy = "date"


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("title", "district", "agency", "status")
    list_filter = ("status",)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "version", "outcome", "ayes", "noes", "abstentions", "absent")
    list_filter = ("outcome",)
