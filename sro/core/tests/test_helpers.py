"""The shared helpers: dates from parameters, service errors on forms, full_clean to InvalidInput."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.http import QueryDict

from sro.core.errors import Conflict, FieldError, InvalidInput
from sro.core.forms import add_service_error
from sro.core.params import date_param, option_date, parse_date
from sro.core.services import clean_errors, clean_or_raise


def test_a_date_parameter_reads_iso_dates_and_blank_as_none() -> None:
    assert date_param(QueryDict("on=2025-03-04"), "on") == dt.date(2025, 3, 4)
    assert date_param(QueryDict("on="), "on") is None
    assert date_param(QueryDict(""), "on") is None


def test_a_bad_date_is_an_error_naming_the_parameter() -> None:
    with pytest.raises(InvalidInput) as caught:
        date_param(QueryDict("from=2025-02-30"), "from")
    assert caught.value.errors == [FieldError("from", "'2025-02-30' is not a date (YYYY-MM-DD)")]
    assert caught.value.detail == "from: '2025-02-30' is not a date (YYYY-MM-DD)"
    with pytest.raises(CommandError, match=r"^--today: 'soon' is not a date \(YYYY-MM-DD\)$"):
        option_date("soon", flag="--today")
    assert parse_date("2024-02-29", name="on") == dt.date(2024, 2, 29)


class _Form(forms.Form):
    name = forms.CharField()
    score_clarity = forms.IntegerField()


def _errors_of(exc: Any, **kw: Any) -> dict[str, list[str]]:
    form = _Form({"name": "x", "score_clarity": "1"})
    assert form.is_valid()
    add_service_error(form, exc, **kw)
    return {k: [str(m) for m in v] for k, v in form.errors.items()}


def test_service_errors_go_beside_their_fields_and_the_rest_at_the_top_named() -> None:
    exc = InvalidInput.many([("name", "is taken"), ("school", "is not served"), ("__all__", "dates overlap")])
    assert _errors_of(exc) == {"name": ["is taken"], "__all__": ["school: is not served", "dates overlap"]}


def test_a_refusal_without_field_errors_shows_its_summary_and_renames_map_service_fields() -> None:
    assert _errors_of(Conflict("The campus already has an officer.")) == {
        "__all__": ["The campus already has an officer."]
    }
    exc = InvalidInput.single("scores.clarity", "is required")
    assert _errors_of(exc, renames={"scores.": "score_"}) == {"score_clarity": ["is required"]}


class _Thing:
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        self.excluded: list[str] | None = None

    def full_clean(self, exclude: list[str] | None = None) -> None:
        self.excluded = exclude
        if self.errors:
            raise ValidationError(self.errors)


def test_full_clean_problems_become_field_errors_or_invalid_input() -> None:
    thing = _Thing({"hours": ["must be positive"]})
    assert clean_errors(thing, prefix="rows.0.", exclude=["x"]) == [FieldError("rows.0.hours", "must be positive")]
    assert thing.excluded == ["x"]
    with pytest.raises(InvalidInput) as caught:
        clean_or_raise(thing)
    assert caught.value.detail == "hours: must be positive"
    assert caught.value.errors == [FieldError("hours", "must be positive")]
    clean_or_raise(_Thing({}))
    assert clean_errors(_Thing({})) == []
