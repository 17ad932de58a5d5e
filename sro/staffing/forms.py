"""Page forms. They only shape input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sro.contracts.forms import ReasonForm
from sro.contracts.models import Contract
from sro.core.forms import GuidedForm
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.staffing.catalogues import courses, rubric
from sro.staffing.models import Officer, Recommendation


def _date(label: Any = "", required: bool = True, missing: Any = "") -> forms.DateField:
    """A date picker; `missing` is the message when it is left empty (GOV.UK: say what to do)."""
    messages = {"required": missing, "invalid": _("Enter a real date, e.g. 2026-09-14")} if missing else {}
    return forms.DateField(
        label=label or None, required=required, widget=forms.DateInput(attrs={"type": "date"}), error_messages=messages
    )


def _account_label(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class OfficerForm(GuidedForm):
    agency = forms.ModelChoiceField(queryset=LawEnforcementAgency.objects.none(), label=_("Agency"))
    first_name = forms.CharField(max_length=80, label=_("First name"))
    last_name = forms.CharField(max_length=80, label=_("Last name"))
    badge_number = forms.CharField(max_length=20, label=_("Badge number"))
    ripa_officer_id = forms.CharField(
        max_length=20,
        required=False,
        label=_("RIPA officer id"),
        help_text=_("The officer's identifier in the agency's RIPA stop reports, to recognise their stops on import."),
    )
    rank = forms.CharField(max_length=60, required=False, label=_("Rank"))
    sworn_date = _date(_("Sworn date"), required=False)
    account = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("The officer's own SRO account"),
        help_text=_("Optional: an SRO account of the agency not yet linked to an officer. You can link it later."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Any], accounts: QuerySet[Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if accounts is None:
            del self.fields["account"]
        else:
            self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
            self.fields["account"].label_from_instance = _account_label  # type: ignore[attr-defined]


class LinkAccountForm(forms.Form):
    """Which SRO account is the officer's own."""

    account = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("SRO account"),
        help_text=_("An account holding the SRO role at the officer's agency, not linked to another officer."),
        error_messages={"required": _("Choose the officer's account.")},
    )

    def __init__(self, *args: Any, accounts: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["account"].label_from_instance = _account_label  # type: ignore[attr-defined]


class ContractTrainingForm(forms.Form):
    """The courses a contract requires; none ticked means the contract requires no course."""

    courses = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Required courses"),
        help_text=_(
            "An officer must hold every ticked course, confirmed and in date, to be posted under this contract."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].choices = [(c.key, f"{c.title} ({c.hours} h)") for c in courses()]  # type: ignore[attr-defined]


class NominationForm(forms.Form):
    contract = forms.ModelChoiceField(
        queryset=Contract.objects.none(),
        label=_("Contract"),
        help_text=_("The contract whose SRO position this is."),
        error_messages={"required": _("Choose the contract the officer is nominated for")},
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note"))

    def __init__(self, *args: Any, contracts: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]


class PanelForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Members"),
        help_text=_("At least one member from the district and one supervisor from the agency."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["members"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.title})"  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    """One field per rubric criterion (`score_<key>`), then the recommendation and its reason."""

    recommendation = forms.ChoiceField(choices=Recommendation.choices, widget=forms.RadioSelect)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        r = rubric()
        scale = [(n, str(n)) for n in r.scale]
        for c in r.criteria:
            self.fields[f"score_{c.key}"] = forms.TypedChoiceField(
                label=c.title, choices=scale, coerce=int, widget=forms.RadioSelect, help_text=c.guidance
            )
        self.order_fields([f"score_{c.key}" for c in r.criteria])

    def scores(self) -> dict[str, int]:
        return {k.removeprefix("score_"): v for k, v in self.cleaned_data.items() if k.startswith("score_")}


class TrainingForm(GuidedForm):
    course = forms.ChoiceField(
        choices=[], label=_("Course"), error_messages={"required": _("Choose the course the officer completed")}
    )
    completed_on = _date(_("Completed on"), missing=_("Enter the day the course was completed"))
    provider = forms.CharField(
        max_length=200,
        label=_("Provider"),
        error_messages={"required": _("Enter who gave the course, e.g. POST or the county office of education")},
    )
    hours = forms.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=0,
        label=_("Hours"),
        error_messages={
            "required": _("Enter the course's hours, e.g. 24"),
            "invalid": _("Enter the hours as a number, e.g. 24"),
        },
    )
    evidence = forms.CharField(
        max_length=500,
        label=_("Evidence"),
        help_text=_("Certificate file reference or URL."),
        error_messages={"required": _("Enter the certificate's reference or web address")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(c.key, f"{c.title} ({c.hours} h)") for c in courses()]  # type: ignore[attr-defined]


class AssignmentForm(GuidedForm):
    officer = forms.ModelChoiceField(queryset=Officer.objects.none(), label=_("Officer"))
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("Campus"))
    start_date = _date(_("First day"))
    end_date = _date(_("Last day"))

    def __init__(self, *args: Any, officers: QuerySet[Any], schools: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class EndAssignmentForm(ReasonForm):
    """Ending an assignment early: its new last day, and the reason (required, kept in the audit trail)."""

    on = _date(_("Last day"))
    field_order = ["on", "reason"]


# Cancelling an assignment, declining a training completion, withdrawing a nomination: the reason only.
CancelAssignmentForm = ReasonForm
