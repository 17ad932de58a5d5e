"""The force report form, the supervisor's review, the URSUS elements, flags and joint reviews."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sro.core.forms import GuidedForm
from sro.force.models import BodyCamera, JointReview, Recorded, ReviewOutcome
from sro.force.rules import Element, force_lists, ursus_elements
from sro.force.services import ForceReportData
from sro.incidents.models import IncidentStudent
from sro.orgs.models import School

DT_FORMAT = "%Y-%m-%dT%H:%M"
CHOOSE = ("", _("Choose…"))
GRADES = [("", _("Not recorded")), ("-1", _("TK")), ("0", _("K"))] + [(str(g), str(g)) for g in range(1, 13)]


def _required(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    """A choice that starts blank: the officer picks, "Not recorded" included; never a default."""
    return forms.ChoiceField(
        label=label, choices=[CHOOSE, *choices], error_messages={"required": _("Choose one (or Not recorded).")}
    )


class ForceReportForm(GuidedForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("Campus"))
    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DT_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
        error_messages={"required": _("Enter the date and time"), "invalid": _("Enter a date and a time")},
    )
    student_age = forms.IntegerField(label=_("Student's age"), min_value=3, max_value=25)
    grade = forms.ChoiceField(label=_("Grade"), choices=GRADES, required=False)
    race = _required(_("Race or ethnicity (the school's records)"), list(IncidentStudent.Race.choices))
    sex = _required(_("Sex (the school's records)"), list(IncidentStudent.Sex.choices))
    idea = _required(_("Student with an IEP (IDEA)"), list(Recorded.choices))
    section_504 = _required(_("Student with a Section 504 plan"), list(Recorded.choices))
    english_learner = _required(_("English learner"), list(Recorded.choices))
    force_types = forms.MultipleChoiceField(
        label=_("Types of force or restraint"), widget=forms.CheckboxSelectMultiple, choices=[]
    )
    deescalation = forms.MultipleChoiceField(
        label=_("De-escalation tried first"), widget=forms.CheckboxSelectMultiple, choices=[]
    )
    deescalation_narrative = forms.CharField(
        label=_("What you tried, and why force was still needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you tried, and why force was still needed")},
    )
    student_injured = forms.BooleanField(label=_("The student was injured"), required=False)
    student_injury = forms.CharField(
        label=_("The student's injury"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    officer_injured = forms.BooleanField(label=_("An officer was injured"), required=False)
    officer_injury = forms.CharField(
        label=_("The officer's injury"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    medical_aid = forms.ChoiceField(label=_("Medical aid"), choices=[])
    serious_bodily_injury = forms.BooleanField(
        label=_("Serious bodily injury or death (Gov. Code 12525.2: also reported to the DOJ, URSUS)"), required=False
    )
    firearm_discharged = forms.BooleanField(label=_("A firearm was discharged"), required=False)
    body_camera = _required(_("Body camera"), list(BodyCamera.choices))
    witnesses = forms.CharField(
        label=_("Witnesses (staff and adults; no other student's name)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what happened")},
    )
    incident_id = forms.IntegerField(label=_("Related incident number"), required=False, min_value=1)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lists = force_lists()
        fields: Any = self.fields
        fields["school"].queryset = schools
        fields["force_types"].choices = [(t.key, t.label) for t in lists.types]
        fields["deescalation"].choices = [(c.key, c.label) for c in lists.deescalation]
        fields["medical_aid"].choices = [CHOOSE, *[(c.key, c.label) for c in lists.medical_aid]]

    def data_for_service(self) -> ForceReportData:
        d = self.cleaned_data
        return ForceReportData(
            school=d["school"],
            occurred_at=d["occurred_at"],
            student_age=d["student_age"],
            grade=int(d["grade"]) if d["grade"] not in ("", None) else None,
            race=d["race"],
            sex=d["sex"],
            idea=d["idea"],
            section_504=d["section_504"],
            english_learner=d["english_learner"],
            force_types=list(d["force_types"]),
            medical_aid=d["medical_aid"],
            deescalation=list(d["deescalation"]),
            deescalation_narrative=d["deescalation_narrative"],
            body_camera=d["body_camera"],
            narrative=d["narrative"],
            student_injured=d["student_injured"],
            student_injury=d["student_injury"],
            officer_injured=d["officer_injured"],
            officer_injury=d["officer_injury"],
            witnesses=d["witnesses"],
            serious_bodily_injury=d["serious_bodily_injury"],
            firearm_discharged=d["firearm_discharged"],
            incident_id=d["incident_id"],
        )


class ReviewForm(forms.Form):
    outcome = _required(_("Outcome"), list(ReviewOutcome.choices))
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


def _element_field(e: Element) -> forms.Field:
    choices = [(c, c) for c in e.choices]
    if e.multi:
        return forms.MultipleChoiceField(
            label=e.label, choices=choices, required=not e.optional, widget=forms.CheckboxSelectMultiple
        )
    return forms.ChoiceField(label=e.label, choices=[CHOOSE, *choices], required=not e.optional)


class UrsusForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for e in ursus_elements():
            if e.entered:
                self.fields[e.name] = _element_field(e)


class CloseFlagForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class JointReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[CHOOSE, *JointReview.Decision.choices], required=False)
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
