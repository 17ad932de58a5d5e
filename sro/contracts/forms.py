from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sro.contracts.catalogue import catalogue
from sro.contracts.models import Body, Meeting
from sro.contracts.services import ClauseIn
from sro.core.errors import DomainError, FieldError
from sro.core.limits import BODY_MAX_SEATS
from sro.core.nul import NUL_MESSAGE
from sro.orgs.models import City, District, LawEnforcementAgency, School


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


# ---------------------------------------------------------------- creating contracts, versions, bodies, meetings

DATE_INPUT = {"type": "date"}


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


def _date_field(label: Any, required_message: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        error_messages={
            "required": required_message,
            "invalid": _("Enter the date as year-month-day, e.g. 2026-08-01"),
        },
        **kwargs,
    )


class ContractForm(forms.Form):
    """A contract's terms (new, or a draft's changes). `district` is asked only of someone who
    administers several districts; the view fixes it otherwise."""

    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        label=_("District"),
        error_messages=_required(_("Choose the district")),
    )
    title = forms.CharField(
        max_length=250, label=_("Title"), error_messages=_required(_("Enter the agreement's title"))
    )
    title_es = forms.CharField(
        max_length=250,
        required=False,
        label=_("Title in Spanish"),
        help_text=_("Shown to Spanish readers of the public site; empty: they see the English title."),
    )
    agency = forms.ModelChoiceField(
        queryset=LawEnforcementAgency.objects.none(),
        label=_("Law enforcement agency"),
        error_messages=_required(_("Choose the agency")),
    )
    city = forms.ModelChoiceField(
        queryset=City.objects.none(),
        label=_("City"),
        help_text=_("The city the agency serves, whose council votes on the agreement."),
        error_messages=_required(_("Choose the city")),
    )
    campuses = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Campuses"),
        error_messages={
            "required": _("Choose at least one campus"),
            "invalid_choice": _("Choose only campuses of the district"),
            "invalid_pk_value": _("Choose only campuses of the district"),
        },
    )
    positions = forms.IntegerField(
        min_value=1,
        initial=1,
        label=_("SRO positions"),
        error_messages={**_required(_("Enter the number of SRO positions")), "invalid": _("Enter a whole number")},
    )
    term_start = _date_field(_("Term start"), _("Enter the first day of the term"))
    term_end = _date_field(_("Term end"), _("Enter the last day of the term"))
    annual_cost = forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label=_("Annual cost (USD)"),
        help_text=_("The program's total cost for a year under this agreement, e.g. 182000.00"),
        error_messages={**_required(_("Enter the annual cost")), "invalid": _("Enter an amount, e.g. 182000.00")},
    )
    district_share_percent = forms.DecimalField(
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
        label=_("District's share (percent)"),
        help_text=_("Leave empty when the district pays all; the city pays the rest."),
        error_messages={"invalid": _("Enter a percentage between 0 and 100")},
    )
    renewal_terms = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Renewal terms"))

    def __init__(
        self,
        *args: Any,
        districts: Any,
        campuses: Any,
        agencies: Any,
        cities: Any,
        ask_district: bool,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if ask_district:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        else:
            del self.fields["district"]
        self.fields["campuses"].queryset = campuses  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["city"].queryset = cities  # type: ignore[attr-defined]


class ClauseForm(forms.Form):
    """One clause of a version. A row left as it was offered (or emptied) is not part of the text."""

    number = forms.CharField(max_length=20, required=False, label=_("Number"))
    title = forms.CharField(max_length=200, required=False, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Text"))
    categories = forms.MultipleChoiceField(
        choices=lambda: [(e.key, e.title) for e in catalogue()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Covers"),
        help_text=_("The elements of the clause catalogue this clause covers (the rubric counts them)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def is_used(self) -> bool:
        """Whether this row is part of the text: not left out, and written in (or changed from what was offered)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("DELETE"):
            return False
        if str(data.get("text", "")).strip():
            return True
        content = any(data.get(f) for f in ("number", "title", "categories"))
        return content and self.has_changed()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_used():
            for name, message in (
                ("number", _("Enter the clause's number, e.g. 4")),
                ("title", _("Enter the clause's title")),
                ("text", _("Enter the clause's text")),
                ("categories", _("Choose at least one element of the catalogue the clause covers")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def clause(self) -> ClauseIn:
        d = self.cleaned_data
        return ClauseIn(number=d["number"], title=d["title"], text=d["text"], categories=list(d["categories"]))


if TYPE_CHECKING:
    _ClauseFormSetBase = forms.BaseFormSet[ClauseForm]
else:
    _ClauseFormSetBase = forms.BaseFormSet


class BaseClauseFormSet(_ClauseFormSetBase):
    """The clauses of a version: the rows written in, in order; `required` asks for at least one."""

    required = False

    def add_fields(self, form: ClauseForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Leave this clause out")

    def clean(self) -> None:
        super().clean()
        if self.required and not any(f.is_used() for f in self.forms if hasattr(f, "cleaned_data")):
            raise forms.ValidationError(_("Write at least one clause: a version is its text."))

    def clauses(self) -> list[tuple[int, ClauseIn]]:
        """(row index, clause) for each row written in; call after is_valid()."""
        return [(i, f.clause()) for i, f in enumerate(self.forms) if f.is_used()]

    def add_service_errors(self, exc: DomainError, rows: list[int]) -> list[FieldError]:
        """Put the service's `clauses[i].field` errors beside the row's field and its `clauses` errors
        (about the text as a whole) above the clauses; the others are returned."""
        rest = []
        for err in exc.errors:
            m = re.fullmatch(r"clauses\[(\d+)\]\.(\w+)", err.field)
            if m and int(m[1]) < len(rows) and m[2] in self.forms[rows[int(m[1])]].fields:
                self.forms[rows[int(m[1])]].add_error(m[2], err.message)
            elif err.field == "clauses":
                self.non_form_errors().append(err.message[:1].upper() + err.message[1:] + ".")
            else:
                rest.append(err)
        return rest


ClauseFormSet = cast(
    type[BaseClauseFormSet],
    forms.formset_factory(ClauseForm, formset=BaseClauseFormSet, extra=2, can_delete=True, max_num=60),
)
CLAUSES_PREFIX = "clauses"


class VersionForm(forms.Form):
    note = forms.CharField(
        max_length=500,
        required=False,
        label=_("Note"),
        help_text=_("What this version changes, e.g. “Adds the separation protocol”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BodyForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label=_("Name"),
        error_messages=_required(_("Enter the body's name, e.g. Palm Springs City Council")),
    )
    kind = forms.ChoiceField(
        choices=Body.Kind.choices,
        widget=forms.RadioSelect,
        label=_("Kind"),
        error_messages=_required(_("Choose whether it is a city council or the school board")),
    )
    city = forms.ModelChoiceField(
        queryset=City.objects.none(),
        required=False,
        label=_("City"),
        help_text=_("For a city council: its city."),
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        required=False,
        label=_("District"),
        help_text=_("For the school board: its district."),
    )
    seats = forms.IntegerField(
        min_value=1,
        max_value=BODY_MAX_SEATS,
        label=_("Seats"),
        error_messages={**_required(_("Enter the number of seats")), "invalid": _("Enter a whole number")},
    )
    voting_rule = forms.ChoiceField(
        choices=Body.Rule.choices,
        initial=Body.Rule.MAJORITY_OF_SEATS,
        widget=forms.RadioSelect,
        label=_("Voting rule"),
        error_messages=_required(_("Choose the voting rule")),
    )

    def __init__(
        self, *args: Any, cities: Any, districts: Any, ask_district: bool, editing: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if editing:  # a body keeps its kind and its city or district: only name, seats and rule change
            for name in ("kind", "city", "district"):
                del self.fields[name]
            return
        self.fields["city"].queryset = cities  # type: ignore[attr-defined]
        if ask_district:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        else:
            del self.fields["district"]


class MeetingForm(forms.Form):
    date = _date_field(_("Date"), _("Enter the meeting's date"))
    title = forms.CharField(
        max_length=200, required=False, label=_("Title"), help_text=_("Optional, e.g. Regular meeting.")
    )
    minutes_url = forms.URLField(
        required=False,
        label=_("Minutes link"),
        assume_scheme="https",
        error_messages={"invalid": _("Enter the minutes' web address, e.g. https://example.org/minutes.pdf")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        label=_("Meeting"),
        help_text=_("A meeting of the city council or the school board the version is before."),
        error_messages=_required(_("Choose the meeting")),
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
