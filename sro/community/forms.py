from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sro.community.models import COMMENT_MAX_CHARS, Language
from sro.community.moderation import REJECTION_REASONS
from sro.contracts.models import ContractVersion, Meeting
from sro.core.antispam import honeypot_field
from sro.core.forms import GuidedForm


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Please do not name students or other private people. Comments are read before publication."),
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=120, required=False)
    neighbourhood = forms.CharField(label=_("Neighbourhood (optional)"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language of your comment"), choices=Language.choices)
    # Honeypot: hidden from people by the stylesheet; robots fill it in.
    website = honeypot_field()


class ModerateForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", _("Publish")), ("reject", _("Do not publish"))])
    note = forms.ChoiceField(
        label=_("Reason (when not publishing)"),
        required=False,
        choices=[("", "—"), *REJECTION_REASONS.items()],
    )


class AgendaItemForm(GuidedForm):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Meeting"))
    version = forms.ModelChoiceField(queryset=ContractVersion.objects.none(), label=_("Contract version"))
    number = forms.CharField(max_length=20, label=_("Item number"))
    title = forms.CharField(max_length=250, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Summary"))
    title_es = forms.CharField(
        max_length=250,
        required=False,
        label=_("Title in Spanish"),
        help_text=_("Optional. Without it, Spanish readers see the English title, marked as English."),
        widget=forms.TextInput(attrs={"lang": "es"}),
    )
    summary_es = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}),
        required=False,
        label=_("Summary in Spanish"),
        help_text=_("Optional. Without it, Spanish readers see the English summary, marked as English."),
    )
    comments_open = forms.BooleanField(required=False, initial=True, label=_("Open for public comment"))

    def __init__(self, *args: Any, meetings: Any = None, versions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        if versions is not None:
            self.fields["version"].queryset = versions  # type: ignore[attr-defined]
