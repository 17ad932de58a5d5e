"""A campus's total enrolment: set by the district's administrator (or the command line), audited."""

from __future__ import annotations

from typing import Any

import pytest

from sro.core.errors import Forbidden, InvalidInput
from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for
from sro.orgs.models import School
from sro.orgs.services import school_enrolment_set


def test_the_district_administrator_sets_the_campus_total_with_its_source(org: dict[str, Any]) -> None:
    school = org["schools"]["Palm Springs High"]
    school_enrolment_set(
        actor=actor_for(org["users"]["director"]), school=school, enrolment=2013, source="CDE Census Day 2026-27"
    )
    assert school.enrolment == 2013 and School.objects.get(pk=school.pk).enrolment == 2013
    event = AuditEvent.objects.get(action="school_enrolment_set")
    assert event.actor_username == "director"
    assert event.changes == {"enrolment": [2000, 2013], "source": "CDE Census Day 2026-27"}
    school_enrolment_set(actor=None, school=school, enrolment=2013, source="again")  # no change, no event
    assert AuditEvent.objects.filter(action="school_enrolment_set").count() == 1


def test_others_may_not_and_a_bad_figure_is_refused(org: dict[str, Any]) -> None:
    school = org["schools"]["Palm Springs High"]
    with pytest.raises(Forbidden):
        school_enrolment_set(actor=actor_for(org["users"]["boardmember"]), school=school, enrolment=1, source="x")
    with pytest.raises(InvalidInput) as exc:
        school_enrolment_set(actor=None, school=school, enrolment=-1, source=" ")
    assert {e.field for e in exc.value.errors} == {"enrolment", "source"}
    assert School.objects.get(pk=school.pk).enrolment == 2000
