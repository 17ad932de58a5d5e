from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sro.complaints.models import NARRATIVE_MAX_CHARS, NOTE_MAX_CHARS, About, Channel, ContactMethod, Language, Relation
from sro.complaints.rules import categories
from sro.core.antispam import honeypot_field
from sro.core.forms import GuidedForm
from sro.orgs.models import LawEnforcementAgency, School

ABOUT_CHOICES = [
    (About.OFFICER, _("A school resource officer")),
    (About.INCIDENT, _("Something that happened at a school")),
    (About.PROGRAM, _("The SRO program in general")),
]
RELATION_CHOICES = [
    (Relation.STUDENT, _("I am a student")),
    (Relation.PARENT, _("I am a parent or guardian")),
    (Relation.STAFF, _("I work at a school")),
    (Relation.OTHER, _("Other")),
]
CONTACT_CHOICES = [
    (ContactMethod.NONE, _("Do not contact me (I will follow the case with the private link)")),
    (ContactMethod.EMAIL, _("E-mail")),
    (ContactMethod.PHONE, _("Phone")),
    (ContactMethod.MAIL, _("Post")),
]
LANGUAGE_CHOICES = [(Language.EN, "English"), (Language.ES, "Español")]


class ComplaintForm(GuidedForm):
    """The public complaint form (and, with `channel`, the staff intake form)."""

    about = forms.ChoiceField(
        label=_("What is your complaint about?"),
        choices=ABOUT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your complaint is about")},
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("— Not about one school —"),
        help_text=_("Required unless the complaint is about the program in general."),
    )
    occurred_on = forms.DateField(
        label=_("Date it happened (if you know it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    narrative = forms.CharField(
        label=_("What happened?"),
        max_length=NARRATIVE_MAX_CHARS,
        error_messages={"required": _("Say what happened")},
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Say what happened, where, and who was there. You can add more later with your private link."),
    )
    officer_description = forms.CharField(
        label=_("Who was involved?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The officer's name or badge number if you know it, or a description."),
    )
    relation = forms.ChoiceField(
        label=_("Who are you?"),
        choices=RELATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you are: a student, a parent, staff or someone else")},
    )
    anonymous = forms.BooleanField(
        label=_("I want to stay anonymous"),
        required=False,
        help_text=_(
            "We will not ask for your name or contact. Keep your private link: it is the only way to follow the case."
        ),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=CONTACT_CHOICES,
        initial=ContactMethod.NONE,
        widget=forms.RadioSelect,
    )
    contact_address = forms.CharField(
        label=_("E-mail address, phone number or postal address"),
        max_length=254,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language for our letters to you"), choices=LANGUAGE_CHOICES)
    website = honeypot_field()

    def __init__(self, *args: Any, schools: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]  # ModelChoiceField


class IntakeForm(ComplaintForm):
    """Staff entering a complaint received by phone, letter, e-mail or in person."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (Channel.PHONE, _("Phone")),
            (Channel.LETTER, _("Letter")),
            (Channel.IN_PERSON, _("In person")),
            (Channel.EMAIL, _("E-mail")),
        ],
    )
    category = forms.ChoiceField(label=_("First allegation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["category"].choices = [("", "—"), *((c.key, c.title) for c in categories().values())]  # type: ignore[attr-defined]  # ChoiceField


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Information to add"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The investigators will see it. Please do not name students who are not involved."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (staff only)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    assigned_to = forms.ChoiceField(
        label=_("Investigated by"),
        choices=[
            ("agency", _("Agency internal affairs")),
            ("district", _("District")),
            ("both", _("Agency and district")),
        ],
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=LawEnforcementAgency.objects.all(), required=False)
    note = forms.CharField(label=_("Note (staff only)"), required=False, max_length=NOTE_MAX_CHARS)


class AllegationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    officer = forms.ModelChoiceField(label=_("Officer (if known)"), queryset=School.objects.none(), required=False)

    def __init__(self, *args: Any, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.key, c.title) for c in categories().values()]  # type: ignore[attr-defined]  # ChoiceField
        if officers is not None:
            self.fields["officer"].queryset = officers  # type: ignore[attr-defined]  # ModelChoiceField


class DecideForm(forms.Form):
    allegation = forms.IntegerField(widget=forms.HiddenInput)
    finding = forms.ChoiceField(
        label=_("Finding"),
        choices=[
            ("sustained", _("Sustained")),
            ("not_sustained", _("Not sustained")),
            ("exonerated", _("Exonerated")),
            ("unfounded", _("Unfounded")),
            ("policy_failure", _("Policy failure")),
            ("training_failure", _("Training failure")),
        ],
    )
    note = forms.CharField(
        label=_("Reasons (staff only)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action_taken = forms.CharField(label=_("Action for this allegation"), required=False, max_length=NOTE_MAX_CHARS)


class ActionForm(forms.Form):
    action_taken = forms.CharField(
        label=_("Action taken"), max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(forms.Form):
    letter = forms.CharField(
        label=_("What the complainant is told"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown on the complainant's status page. Do not name an officer unless the finding is public by law."
        ),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for closing"), max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Record"),
        choices=[("incident", _("Incident")), ("contact", _("SRO contact")), ("review", _("Boundary review"))],
    )
    pk = forms.IntegerField(label=_("Number"), min_value=1)
