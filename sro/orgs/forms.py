"""Page forms for people, roles and API tokens. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sro.core.forms import GuidedForm
from sro.orgs.models import School, User
from sro.orgs.roles import Role

# The roles a district administrator grants (a site administrator at one of the district's schools),
# and those an agency supervisor grants.
DISTRICT_GRANTS = (Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.BOARD_MEMBER, Role.ANALYST, Role.SITE_ADMIN)
AGENCY_GRANTS = (Role.SRO, Role.AGENCY_SUPERVISOR)


class PersonForm(GuidedForm):
    """A new person and their role in the organisation the page is about."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("What they type to sign in: letters, digits and @ . + - _ only, e.g. jdoe.pspd."),
    )
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The link to set their password is sent here; it works once.")
    )
    title = forms.CharField(label=_("Job title"), max_length=120, required=False, help_text=_("e.g. Lieutenant"))
    role = forms.ChoiceField(label=_("Role"), choices=[], widget=forms.RadioSelect)
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        label=_("School"),
        help_text=_("Only for a site administrator (principal): the school they run."),
    )

    def __init__(self, *args: Any, roles: tuple[Role, ...], schools: QuerySet[School] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class RoleGrantForm(GuidedForm):
    """Another role, in the organisation the page is about, for someone who already holds one there."""

    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Person"),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose the person")},
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[], widget=forms.RadioSelect, error_messages={"required": _("Choose the role")}
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        label=_("School"),
        help_text=_("Only for a site administrator (principal): the school they run."),
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        roles: tuple[Role, ...],
        schools: QuerySet[School] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"  # type: ignore[attr-defined]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, so you know which to revoke later, e.g. nightly export."),
    )
    expires = forms.DateField(
        label=_("Last day it works"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for 90 days from today. A token may last at most a year."),
    )


class EndRoleForm(forms.Form):
    """The reason a role ends: required, kept in the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Say why, e.g. left the district. The reason is recorded in the audit trail."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason for ending the role.")},
    )


class ConfirmForm(forms.Form):
    """A confirmation page with nothing to fill in: the button is the answer."""
