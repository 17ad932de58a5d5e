"""Showing a service's refusal on a Django form, the same way on every page; and messages that say
what to do when a field is left empty."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.utils import pretty_name
from django.utils.translation import gettext

from sro.core.errors import DomainError


def add_service_error(form: forms.BaseForm, exc: DomainError, *, renames: Mapping[str, str] | None = None) -> None:
    """Put a service error (`sro.core.errors`) on `form`.

    Each field error goes beside the form field it names; one naming no field of the form goes
    at the top, prefixed with the field it is about (unless it is about the whole object). An
    error without field errors (a refusal, a conflict) shows its summary at the top.
    `renames` maps the service's field-name prefixes to the form's: `{"scores.": "score_"}`.
    """
    if not exc.errors:
        form.add_error(None, exc.detail)
    for err in exc.errors:
        name = err.field
        for service_prefix, form_prefix in (renames or {}).items():
            if name.startswith(service_prefix):
                name = form_prefix + name.removeprefix(service_prefix)
        if name in form.fields:
            form.add_error(name, err.message)
        elif err.field in ("", "__all__"):
            form.add_error(None, err.message)
        else:
            form.add_error(None, f"{err.field}: {err.message}")


class GuidedForm(forms.Form):
    """A form whose empty required fields say what to do, naming the field ("Choose the campus",
    "Enter the last name"), as the GOV.UK error message pattern asks, instead of Django's
    "This field is required". A field with its own `required` message keeps it: give one where the
    label is a question or a sentence ("What happened?")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        for name, field in self.fields.items():
            label = str(field.label or pretty_name(name)).rstrip(":").strip()
            if not label or field.error_messages.get("required") != default:
                continue
            named = label[:1].lower() + label[1:]
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = (
                gettext("Choose the %(field)s") if choose else gettext("Enter the %(field)s")
            ) % {"field": named}
