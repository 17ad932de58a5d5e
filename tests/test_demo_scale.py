"""`sro demo --scale N`: the demo district N times over, its audit trail intact."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sro.core.audit import verify_chain
from sro.core.demo import DemoRefused, scale_demo
from sro.incidents.models import Contact, Incident, Review
from sro.orgs.models import School


def test_scaling_copies_every_campus_with_its_records_and_audits_each_row(demo: dict[str, Any]) -> None:
    before = {m: m.objects.count() for m in (Incident, Contact, Review)}
    campuses = School.objects.filter(in_program=True).count()
    added = scale_demo(3)
    assert School.objects.filter(in_program=True).count() == 3 * campuses
    assert {m: m.objects.count() for m in before} == {m: 3 * n for m, n in before.items()}
    assert added > 3 * sum(before.values()) - sum(before.values())
    result = verify_chain()
    assert result.ok
    copy = School.objects.get(name="Palm Springs High · 2")
    assert (
        copy.contracts.count() == 1
        and copy.sro_contacts.count() == demo["schools"]["Palm Springs High"].sro_contacts.count()
    )


def test_scaling_is_refused_twice_and_out_of_range_with_a_clear_message(demo: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="--scale must be from 2 to 200"):
        call_command("demo", "--if-empty", "--scale", "0")
    scale_demo(2)
    with pytest.raises(DemoRefused, match="already been scaled"):
        scale_demo(2)


def test_scaling_an_empty_database_asks_for_the_demo_first(db: Any) -> None:
    with pytest.raises(DemoRefused, match="load the demo first"):
        scale_demo(2)
