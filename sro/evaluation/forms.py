"""Forms of the evaluation pages and of the public survey."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sro.core.antispam import honeypot_field
from sro.evaluation.models import Respondent
from sro.orgs.models import School


class DraftForm(forms.Form):
    year = forms.IntegerField(
        label=_("Contract year"), min_value=1, help_text=_("1 is the year from the term's first day.")
    )


class NarrativeForm(forms.Form):
    findings = forms.CharField(label=_("Findings (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    findings_es = forms.CharField(
        label=_("Findings (Spanish)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "lang": "es"})
    )
    recommendations = forms.CharField(
        label=_("Recommendations (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    recommendations_es = forms.CharField(
        label=_("Recommendations (Spanish)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "lang": "es"})
    )


class SurveyWindowForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on (included)"), widget=forms.DateInput(attrs={"type": "date"}))


class LinksForm(forms.Form):
    respondent = forms.ChoiceField(label=_("For"), choices=[])
    school = forms.ModelChoiceField(label=_("Campus"), queryset=School.objects.none())
    count = forms.IntegerField(label=_("How many links"), min_value=1, max_value=2000)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["respondent"].choices = [  # type: ignore[attr-defined]
            (Respondent.STUDENT, _("Students")),
            (Respondent.PARENT, _("Parents and guardians")),
            (Respondent.STAFF, _("School staff")),
        ]


class RenewalForm(forms.Form):
    term_end = forms.DateField(label=_("The renewed term ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


LIKERT_CHOICES = [
    (1, _("1 — Strongly disagree")),
    (2, _("2 — Disagree")),
    (3, _("3 — Neither agree nor disagree")),
    (4, _("4 — Agree")),
    (5, _("5 — Strongly agree")),
]


def _likert(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LIKERT_CHOICES, coerce=int, widget=forms.RadioSelect)


class SurveyForm(forms.Form):
    feels_safe = _likert(_("I feel safe at my school."))
    trusts_sro = _likert(_("I trust the school resource officer at my school."))
    knows_how_to_complain = _likert(_("I know how to make a complaint about the school resource officer."))
    comment = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please do not write names. At most 1,000 characters."),
    )
    website = honeypot_field()
