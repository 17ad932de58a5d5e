"""Agenda items (a contract version before a council or board meeting) and residents' comments on them.

Bodies and meetings live in sro.contracts; an agenda item links one meeting to the contract
version it considers and, once one is scheduled, to that meeting's vote on the version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sro.contracts.models import ContractVersion, Meeting, Vote
from sro.core.limits import COMMENT_MAX_CHARS as COMMENT_MAX_CHARS  # re-exported: forms and services read it here
from sro.core.models import BaseModel


class Language(models.TextChoices):
    """The languages the public site speaks (settings.LANGUAGES); a comment records which one it is in."""

    EN = "en", _("English")
    ES = "es", _("Español")


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    version = models.ForeignKey(ContractVersion, on_delete=models.PROTECT, related_name="agenda_items")
    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_item")
    number = models.CharField(max_length=20, help_text="The item's number on the printed agenda, e.g. 7.2")
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    # Spanish for residents; empty: the public site shows the English text, labelled as English.
    title_es = models.CharField("title in Spanish", max_length=250, blank=True)
    summary_es = models.TextField("summary in Spanish", blank=True)
    comments_open = models.BooleanField(
        default=True, help_text="Residents may comment until the meeting day, unless comments are closed earlier."
    )

    comments: models.Manager[PublicComment]

    class Meta:
        ordering = ["meeting__date", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="agenda_item_once_per_meeting_version"),
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: item {self.number} {self.title}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class PublicComment(BaseModel):
    """A resident's comment. Shown to the public only once a moderator publishes it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="comments")
    name = models.CharField(max_length=120, blank=True, help_text="Optional; shown with the comment.")
    neighbourhood = models.CharField(max_length=120, blank=True, help_text="Optional; shown with the comment.")
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.EN)
    body = models.TextField(max_length=COMMENT_MAX_CHARS)
    status = models.CharField(max_length=12, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    address_hash = models.CharField(
        max_length=64, help_text="Keyed hash of the sender's network address, for the rate limit only."
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderation_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["address_hash", "created_at"], name="comment_rate_limit_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CommentStatus.values), name="comment_status_known"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="comment_language_known"),
            models.CheckConstraint(condition=~Q(body=""), name="comment_has_body"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(moderated_at__isnull=False), name="comment_moderation_dated"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(moderation_note=""), name="comment_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.item} ({self.status})"
