from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sro.contracts.models import Meeting
from sro.core.nul import NUL_MESSAGE


class VoteForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), help_text="The meeting that votes.")
    ayes = forms.IntegerField(min_value=0, required=False, help_text="Leave the tally empty to schedule the vote.")
    noes = forms.IntegerField(min_value=0, required=False)
    abstentions = forms.IntegerField(min_value=0, required=False, initial=0)
    absent = forms.IntegerField(min_value=0, required=False, initial=0)
    minutes_url = forms.URLField(required=False, label="Minutes link", assume_scheme="https")

    def __init__(self, *args: object, meetings: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if meetings is not None:
            self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("ayes") is None) != (data.get("noes") is None):
            raise forms.ValidationError("Give both ayes and noes to record a vote, or neither to schedule it.")
        return data


class ReasonForm(forms.Form):
    """The reason for a step with consequences (confirmation pages): required, kept in the audit trail.

    `required_message` says what is missing in the page's own words ("Give the reason for
    terminating the agreement"); `label` and `help_text` may be given the same way. Staffing's
    confirmation pages use this form too.
    """

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Say why. The reason is recorded in the audit trail with your name and the time."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(
        self,
        *args: Any,
        required_message: str = "",
        label: str = "",
        help_text: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.error_messages = {
            **field.error_messages,
            "required": required_message or _("Give the reason."),
            "null_characters_not_allowed": _("The reason %(problem)s.") % {"problem": NUL_MESSAGE},
        }
        if label:
            field.label = label
        if help_text:
            field.help_text = help_text
