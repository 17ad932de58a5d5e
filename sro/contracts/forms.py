from __future__ import annotations

from django import forms

from sro.contracts.models import Meeting


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
