"""Page forms. They only shape input; the services validate and decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sro.core.errors import DomainError, FieldError
from sro.core.limits import STUDENTS_PER_INCIDENT, TEXT_MAX_CHARS
from sro.incidents.catalogue import offence_choices
from sro.incidents.codes import ripa_codes
from sro.incidents.models import Counsel, IncidentStudent, NotificationTask
from sro.incidents.policy import FACT_LABELS, RECIPIENTS
from sro.incidents.services import StudentData
from sro.incidents.workflow import ACTION_LABELS
from sro.orgs.models import LawEnforcementAgency, School

DT_FORMAT = "%Y-%m-%dT%H:%M"
CHOOSE = _("Choose…")


def _dt_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DT_FORMAT],
        error_messages={
            "required": _("Enter the date and time"),
            "invalid": _("Enter the date and time as a date and a time, e.g. 2025-03-14 09:30"),
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
    )


def _codes(table: str, *, multi: bool, required: bool = True, label: Any = "") -> forms.Field:
    """A field offering the codes in force today; the service checks them against the lists in
    force on the contact's own date (an earlier date may need its earlier lists)."""
    choices = ripa_codes().choices(table)
    if multi:
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=int, required=required, label=label, widget=forms.CheckboxSelectMultiple
        )
    return forms.TypedChoiceField(
        choices=[("", "—"), *choices], coerce=int, empty_value=None, required=required, label=label
    )


def _choose(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A select that starts at no choice: nothing is assumed, the person recording chooses."""
    return [("", CHOOSE), *choices]


def _required(message: str | Promise) -> dict[str, Any]:
    return {"required": message}


class IncidentForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("School"), error_messages=_required(_("Choose the school"))
    )
    occurred_at = _dt_field(_("Date and time"))
    location = forms.CharField(
        max_length=200, label=_("Location"), error_messages=_required(_("Enter where the incident happened"))
    )
    description = forms.CharField(
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Description"),
        error_messages=_required(_("Describe what happened")),
    )
    offences = forms.MultipleChoiceField(
        choices=offence_choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Offences"),
        error_messages=_required(_("Choose at least one offence")),
    )
    facts = forms.MultipleChoiceField(
        choices=[(k, _(v)) for k, v in FACT_LABELS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Facts"),
    )

    def __init__(self, *args: Any, schools: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]


# Disability as the CRDC counts it: IDEA (an IEP), or Section 504 only. The school holds these
# records, so there is no "not recorded"; the choice is still never assumed.
NO_DISABILITY, IDEA, SECTION_504 = "none", "idea", "section_504"
DISABILITY_CHOICES = [
    (NO_DISABILITY, _("No IEP or Section 504 plan")),
    (IDEA, _("IEP (IDEA)")),
    (SECTION_504, _("Section 504 plan only")),
]
YES, NO = "yes", "no"


class StudentForm(forms.Form):
    """One student of an incident. Role and every group the public figures count are chosen, never
    preset; race and sex offer "Not recorded" for what the school's records do not say."""

    local_student_id = forms.CharField(
        max_length=32, label=_("Local student id"), error_messages=_required(_("Enter the student's local id"))
    )
    name = forms.CharField(max_length=200, label=_("Name"), error_messages=_required(_("Enter the student's name")))
    role = forms.ChoiceField(
        choices=_choose(IncidentStudent.Role.choices),
        label=_("Role in the incident"),
        error_messages=_required(_("Choose the student's role: offender, victim or witness")),
    )
    race = forms.ChoiceField(
        choices=_choose(IncidentStudent.Race.choices),
        label=_("Race/ethnicity"),
        error_messages=_required(_("Choose the student's race or ethnicity, or “Not recorded”")),
    )
    sex = forms.ChoiceField(
        choices=_choose(IncidentStudent.Sex.choices),
        label=_("Sex"),
        error_messages=_required(_("Choose the student's sex, or “Not recorded”")),
    )
    grade = forms.IntegerField(
        min_value=-1, max_value=12, required=False, label=_("Grade"), help_text=_("Optional. TK is -1, K is 0.")
    )
    disability = forms.ChoiceField(
        choices=_choose(DISABILITY_CHOICES),
        label=_("Disability"),
        error_messages=_required(_("Choose whether the student has an IEP or a Section 504 plan")),
    )
    english_learner = forms.ChoiceField(
        choices=_choose([(YES, _("Yes")), (NO, _("No"))]),
        label=_("English learner"),
        error_messages=_required(_("Choose whether the student is an English learner")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def student_data(self) -> StudentData:
        data = self.cleaned_data
        return StudentData(
            local_student_id=data["local_student_id"],
            name=data["name"],
            role=data["role"],
            race=data["race"],
            sex=data["sex"],
            idea=data["disability"] == IDEA,
            section_504=data["disability"] == SECTION_504,
            english_learner=data["english_learner"] == YES,
            grade=data["grade"],
        )


# The service's name of a student's field -> the field of StudentForm that holds it.
STUDENT_FIELD_OF = {"idea": "disability", "section_504": "disability"}

if TYPE_CHECKING:
    _StudentFormSetBase = forms.BaseFormSet[StudentForm]
else:
    _StudentFormSetBase = forms.BaseFormSet


class BaseStudentFormSet(_StudentFormSetBase):
    """The students of an incident: as many rows as needed, at least one student.

    Every row may be left empty and is then ignored, the first one too (`empty_permitted`); a row
    with anything in it must be complete. The "Add another student" and "Remove student N" buttons
    are submit buttons (`ADD_ROW`, `REMOVE_ROW`), handled by `with_row_added_or_removed` when
    JavaScript is off; web/formset.js does the same in the page when it is on.
    """

    default_error_messages = {
        "too_few_forms": _("Add at least one student: the offender, a victim or a witness."),
        "too_many_forms": _("Record at most %(num)d students on one incident."),
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def students(self) -> list[tuple[int, StudentData]]:
        """(row index, student) for each row filled in; call after is_valid()."""
        return [(i, f.student_data()) for i, f in enumerate(self.forms) if f.has_changed()]

    @property
    def rows_and_template(self) -> list[StudentForm]:
        """Every row, then the empty row the page clones (inside a <template>)."""
        return [*self.forms, self.empty_form]

    def add_service_errors(self, exc: DomainError, rows: list[int]) -> list[FieldError]:
        """Put the service's errors about `students.{i}.{field}` beside the row's field; the others are returned.

        `rows[i]` is the row of the i-th student given to the service (empty rows are not given).
        """
        rest = []
        for err in exc.errors:
            head, _sep, field = err.field.partition(".")[2].partition(".")
            if err.field.startswith("students.") and head.isdigit() and int(head) < len(rows):
                form = self.forms[rows[int(head)]]
                name = STUDENT_FIELD_OF.get(field, field)
                message = err.message[:1].upper() + err.message[1:]
                form.add_error(name if name in form.fields else None, message)
            else:
                rest.append(err)
        return rest


StudentFormSet = cast(
    type[BaseStudentFormSet],
    forms.formset_factory(
        StudentForm,
        formset=BaseStudentFormSet,
        extra=0,
        min_num=1,
        validate_min=True,
        max_num=STUDENTS_PER_INCIDENT,
        validate_max=True,
    ),
)
STUDENTS_PREFIX = "students"
ADD_ROW, REMOVE_ROW = "add_student", "remove_student"


def with_row_added_or_removed(data: QueryDict, prefix: str = STUDENTS_PREFIX) -> QueryDict | None:
    """When `data` was sent by "Add another student" or "Remove student N" (JavaScript off), the same
    data with that row added or removed, for the page to show again; otherwise None."""
    total_key = f"{prefix}-TOTAL_FORMS"
    if total_key not in data or not (ADD_ROW in data or REMOVE_ROW in data):
        return None
    out = data.copy()
    total_text = str(data.get(total_key, ""))
    total = int(total_text) if total_text.isdigit() else 1
    if ADD_ROW in data:
        out[total_key] = str(min(total + 1, StudentFormSet.max_num))
        return out
    removed = str(data.get(REMOVE_ROW, ""))
    if not removed.isdigit() or int(removed) >= total or total < 2:
        return out
    gone = int(removed)
    rows = {}  # key -> (row, field) for the rows' fields
    for key in data:
        head, sep, field = key.removeprefix(f"{prefix}-").partition("-")
        if key.startswith(f"{prefix}-") and sep and head.isdigit():
            rows[key] = (int(head), field)
    for key, (row, _field) in rows.items():
        if row >= gone:
            del out[key]
    for key, (row, field) in rows.items():
        if row > gone:
            out.setlist(f"{prefix}-{row - 1}-{field}", data.getlist(key))
    out[total_key] = str(total - 1)
    return out


def without_errors(form: forms.BaseForm | BaseStudentFormSet) -> None:
    """Show bound data again without its errors (after a row is added or removed: nothing was sent to be saved)."""
    if isinstance(form, BaseStudentFormSet):
        form.non_form_errors().clear()
        for f in form.forms:
            without_errors(f)
    else:
        form.errors.clear()


class ContactForm(forms.Form):
    """The phone-first contact form (docs/contacts.md, *The contact form on a phone*).

    Fields in the order an officer answers them, after Cal-RIPA's steps (who, where and when,
    reason, actions, result): the person as perceived, the campus and time (prefilled), the
    reason, what was done, the result, then the notes and the student's rights. Short lists are
    radio or checkbox tiles; long ones show the officer's frequent choices first (`order_by`).
    """

    # Who: the person as the officer perceived them.
    race = _codes("race", multi=True, label=_("Perceived race/ethnicity"))
    gender = _codes("gender", multi=False, label=_("Perceived gender"))
    age = forms.IntegerField(
        min_value=1,
        max_value=99,
        label=_("Perceived age"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    disability = _codes("disability", multi=True, required=False, label=_("Perceived disability"))
    limited_english = forms.BooleanField(required=False, label=_("Perceived limited English fluency"))
    perceived_lgb = forms.BooleanField(required=False, label=_("Perceived sexual orientation: LGB+"))
    # Where and when: prefilled with the officer's campus today and now.
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("Campus"), empty_label=None)
    occurred_at = _dt_field(_("Date and time"))
    duration_minutes = forms.IntegerField(
        min_value=1,
        label=_("Duration (minutes)"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Why.
    reason = _codes("reason", multi=False, label=_("Reason for contact"))
    ed_code_section = _codes(
        "ed_code_section", multi=False, required=False, label=_("Education Code section (reason 7)")
    )
    ed_code_subdivision = _codes("ed_code_subdivision", multi=False, required=False, label=_("48900 subdivision"))
    # What was done.
    actions = _codes("action", multi=True, required=False, label=_("Actions taken"))
    search_basis = _codes("search_basis", multi=True, required=False, label=_("Basis for search"))
    consent_type = _codes(
        "consent_type", multi=True, required=False, label=_("How consent to the search was given (if consent)")
    )
    seizure_basis = _codes("seizure_basis", multi=True, required=False, label=_("Basis for property seizure"))
    contraband = _codes("contraband", multi=True, required=False, label=_("Contraband or evidence found"))
    # The result.
    results = _codes("result", multi=True, label=_("Results"))
    # Notes, links and the student's rights (not part of the RIPA record: docs/student-rights.md).
    incident_id = forms.IntegerField(
        required=False, label=_("Related incident number"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    emergency = forms.BooleanField(required=False, label=_("I acted on an imminent threat (emergency)"))
    emergency_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("The imminent threat (emergency)"),
        help_text=_("Say what happened, not who: no names, phone numbers, addresses, student ids or dates of birth."),
    )
    questioned = forms.BooleanField(required=False, label=_("I questioned the student"))
    released_to_officer = forms.BooleanField(
        required=False, label=_("The school released the student to me to take them off campus")
    )
    custodial_interrogation = forms.BooleanField(required=False, label=_("Custodial interrogation"))
    counsel = forms.ChoiceField(
        required=False,
        choices=[("", _("Not a custodial interrogation of a youth 17 or younger")), *Counsel.choices],
        label=_("Consultation with legal counsel before the interrogation (W&I Code 625.6)"),
        help_text=_(
            "Required for a custodial interrogation of a youth 17 or younger. It cannot be waived; the only "
            "exception is information needed to protect life or property from an imminent threat, with "
            "questions limited to it (625.6(c))."
        ),
    )
    counsel_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("For the 625.6(c) exception: the imminent threat, and how the questions were limited to it"),
    )
    student_name = forms.CharField(
        required=False,
        max_length=200,
        label=_("Student's name (for the parent notification)"),
        help_text=_(
            "Needed when a student under 18 was questioned, searched, cited, arrested or released to you, so "
            "that the school can notify the parent. Kept on the notification task only, not in the RIPA record."
        ),
    )
    family_language = forms.CharField(required=False, max_length=60, label=_("Family's language, if known"))
    personal_data_confirmed = forms.BooleanField(required=False, label=_("I checked the notes: keep them as written"))
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    RIGHTS = (
        "questioned",
        "released_to_officer",
        "custodial_interrogation",
        "counsel",
        "counsel_note",
        "student_name",
        "family_language",
    )
    #: Free-text fields checked for personal data before saving (sro/core/personal_data.py).
    NARRATIVE = ("emergency_note", "counsel_note")
    #: What "same as the previous person" copies: never the perceived race, gender, age or disability.
    SAME_AS_PREVIOUS = (
        "school",
        "occurred_at",
        "duration_minutes",
        "reason",
        "ed_code_section",
        "ed_code_subdivision",
        "actions",
        "search_basis",
        "consent_type",
        "seizure_basis",
        "results",
        "incident_id",
    )
    #: The fields shown as radio tiles rather than a select.
    TILES = ("gender", "reason", "ed_code_section")
    #: Those ordered by the officer's frequent choices (selectors.contact_frequent_choices).
    FREQUENT = {"reason": "reason", "actions": "actions", "results": "results"}
    #: Lists longer than SHOWN + 2 show the first SHOWN (frequent first) and the rest under "More"
    #: (incidents/_tiles.html).
    SHOWN = 6

    def __init__(
        self, *args: Any, schools: Any = None, frequent: dict[str, list[int]] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        for name in self.TILES:
            field = cast(forms.TypedChoiceField, self.fields[name])
            field.widget = forms.RadioSelect(choices=_options(field))
        pinned = {"actions": sorted(ripa_codes().group("action.none"))}  # "None" is always the first action
        for name, key in self.FREQUENT.items():
            field = cast(forms.TypedChoiceField, self.fields[name])
            first = pinned.get(name, []) + [c for c in (frequent or {}).get(key, []) if c not in pinned.get(name, [])]
            rank = {code: i for i, code in enumerate(first)}
            field.choices = sorted(_options(field), key=lambda c: rank.get(int(c[0]), len(rank)))


def _options(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    """A choice field's options without the empty one."""
    return [c for c in cast(list[tuple[Any, Any]], list(cast(Iterable[Any], field.choices))) if c[0] != ""]


class AgencyImportForm(forms.Form):
    """The agency supervisor's upload of the agency's own RIPA records (docs/contacts.md)."""

    agency = forms.ModelChoiceField(
        queryset=LawEnforcementAgency.objects.none(),
        label=_("Agency"),
        error_messages=_required(_("Choose the agency")),
    )
    file = forms.FileField(
        label=_("The agency's RIPA records (CSV in the DOJ column layout, with OFFICER_ID)"),
        error_messages=_required(_("Choose the file to import")),
    )
    check_only = forms.BooleanField(
        required=False, initial=True, label=_("Check only: show what would happen and save nothing")
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]  # ModelChoiceField


class NotificationDoneForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=LawEnforcementAgency.objects.all(), label=_("Agency notified"))
    case_number = forms.CharField(max_length=60, required=False)
    recipients = forms.MultipleChoiceField(
        required=False,
        choices=[(k, _(v)) for k, v in RECIPIENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        label=_("Recipients notified (each one the law names)"),
    )

    def __init__(self, *args: Any, task: NotificationTask | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if task is not None:
            field = cast(forms.MultipleChoiceField, self.fields["recipients"])
            field.choices = [(r, _(RECIPIENTS[r])) for r in task.notify]
            field.initial = list(task.notify) if len(task.notify) == 1 else []


class AttemptForm(forms.Form):
    method = forms.ChoiceField(
        choices=_choose(NotificationTask.Method.choices),
        label=_("How"),
        error_messages=_required(_("Choose how the parent was contacted")),
    )
    reached = forms.BooleanField(required=False, label=_("The parent or guardian was reached"))
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Note (required when not reached: no answer, message left…)"),
    )
    family_language = forms.CharField(required=False, max_length=60, label=_("Family's language"))


class ReferForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why refer to law enforcement")


class ReviewActForm(forms.Form):
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    corrective_action = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
