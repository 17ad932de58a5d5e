"""Half of a surrogate pair (`"\\ud800"` in JSON) is refused naming the field, never a 500.

Neither SQLite nor PostgreSQL can store it as UTF-8; before this rule every free-text field of the
API answered 500 to it (found by tests/test_hostile_text.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.community.models import AgendaItem, PublicComment
from sro.core.errors import InvalidInput
from sro.core.nul import SURROGATE_MESSAGE, surrogate_path
from sro.orgs.models import School


def _item() -> AgendaItem:
    item = AgendaItem.objects.filter(comments_open=True, meeting__date__gte=timezone.localdate()).first()
    assert item is not None
    return item


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\uD83D"])
def test_a_lone_surrogate_in_a_comment_is_a_422_naming_the_field(site: dict[str, Any], escape: str) -> None:
    before = PublicComment.objects.count()
    body = '{"body": "Publish the data ' + escape + '", "name": "Ana"}'
    r = Client().post(f"/api/v1/agenda-items/{_item().pk}/comments", body, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "body", "message": SURROGATE_MESSAGE}]
    assert PublicComment.objects.count() == before


def test_a_whole_surrogate_pair_is_one_character_and_is_kept(site: dict[str, Any]) -> None:
    body = '{"body": "Thank you \\ud83d\\ude00"}'
    r = Client().post(f"/api/v1/agenda-items/{_item().pk}/comments", body, content_type="application/json")
    assert r.status_code == 202
    assert PublicComment.objects.filter(body="Thank you 😀").exists()


def test_a_nested_field_and_a_key_are_named() -> None:
    assert surrogate_path({"students": [{"name": "ok"}, {"name": "x\udc80"}]}) == "students.1.name"
    assert surrogate_path({"a\ud800": 1}) == "a\\ud800"
    assert surrogate_path({"name": "Peña 😀"}) is None


def test_a_save_from_the_command_line_with_a_lone_surrogate_is_refused(org: dict[str, Any]) -> None:
    school = School.objects.first()
    assert school is not None
    school.name = "Escuela \udcff"  # what a non-UTF-8 command-line argument becomes in Python
    with pytest.raises(InvalidInput) as caught:
        school.save()
    assert caught.value.errors[0].field == "name"
