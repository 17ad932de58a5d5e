"""Page forms. They only shape input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from sro.incidents.catalogue import offence_choices
from sro.incidents.codes import ripa_codes
from sro.incidents.models import IncidentStudent
from sro.incidents.policy import FACT_LABELS
from sro.incidents.workflow import ACTION_LABELS
from sro.orgs.models import LawEnforcementAgency, School

DT_FORMAT = "%Y-%m-%dT%H:%M"


def _dt_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DT_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
    )


def _codes(table: str, *, multi: bool, required: bool = True, label: str = "") -> forms.Field:
    choices = ripa_codes().choices(table)
    if multi:
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=int, required=required, label=label, widget=forms.CheckboxSelectMultiple
        )
    return forms.TypedChoiceField(
        choices=[("", "—"), *choices], coerce=int, empty_value=None, required=required, label=label
    )


class IncidentForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none())
    occurred_at = _dt_field("Date and time")
    location = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    offences = forms.MultipleChoiceField(choices=offence_choices, widget=forms.CheckboxSelectMultiple)
    facts = forms.MultipleChoiceField(
        choices=list(FACT_LABELS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, schools: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class StudentForm(forms.Form):
    local_student_id = forms.CharField(max_length=32, label="Local student id")
    name = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=IncidentStudent.Role.choices)
    race = forms.ChoiceField(choices=IncidentStudent.Race.choices, label="Race/ethnicity")
    sex = forms.ChoiceField(choices=IncidentStudent.Sex.choices)
    grade = forms.IntegerField(min_value=-1, max_value=12, required=False)
    idea = forms.BooleanField(required=False, label="IDEA")
    section_504 = forms.BooleanField(required=False, label="Section 504")
    english_learner = forms.BooleanField(required=False)


StudentFormSet = forms.formset_factory(StudentForm, extra=3, max_num=30)


class ContactForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="Campus")
    occurred_at = _dt_field("Date and time")
    duration_minutes = forms.IntegerField(min_value=1, label="Duration (minutes)")
    reason = _codes("reason", multi=False, label="Reason for contact")
    ed_code_section = _codes("ed_code_section", multi=False, required=False, label="Education Code section (reason 7)")
    ed_code_subdivision = _codes("ed_code_subdivision", multi=False, required=False, label="48900 subdivision")
    race = _codes("race", multi=True, label="Perceived race/ethnicity")
    gender = _codes("gender", multi=False, label="Perceived gender")
    age = forms.IntegerField(min_value=1, max_value=99, label="Perceived age")
    disability = _codes("disability", multi=True, required=False, label="Perceived disability")
    limited_english = forms.BooleanField(required=False, label="Perceived limited English fluency")
    actions = _codes("action", multi=True, required=False, label="Actions taken")
    search_basis = _codes("search_basis", multi=True, required=False, label="Basis for search")
    seizure_basis = _codes("seizure_basis", multi=True, required=False, label="Basis for property seizure")
    contraband = _codes("contraband", multi=True, required=False, label="Contraband or evidence found")
    results = _codes("result", multi=True, label="Results")
    incident_id = forms.IntegerField(required=False, label="Related incident number")
    emergency = forms.BooleanField(required=False, label="I acted on an imminent threat (emergency)")
    emergency_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, schools: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class NotificationDoneForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=LawEnforcementAgency.objects.all(), label="Agency notified")
    case_number = forms.CharField(max_length=60, required=False)


class ReferForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why refer to law enforcement")


class ReviewActForm(forms.Form):
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    corrective_action = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
