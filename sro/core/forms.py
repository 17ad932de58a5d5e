"""Showing a service's refusal on a Django form, the same way on every page."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

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
