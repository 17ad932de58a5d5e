"""URSUS (Gov. Code 12525.2): the elements recorded for serious bodily injury or a firearm
discharged, and the agency's CSV export with the source's element names."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from sro.core.errors import Forbidden, InvalidInput
from sro.force.rules import ursus_elements
from sro.force.services import ursus_record
from sro.force.tests.conftest import PSHS, at, file
from sro.force.ursus import age_range
from sro.orgs.actors import actor_for

DAY = dt.date(2026, 9, 14)
ENTERED = {
    "arrest_made": "true",
    "crime_report_filed": "true",
    "contact_reason": "Call for Service",
    "received_force_location": ["Arms/hands", "Head"],
    "injury_type": ["Bone fracture"],
    "injury_from_preexisting_condition": "false",
    "mental_status": ["None"],
    "assaulted_officer": "false",
    "perceived_armed": "false",
    "confirmed_armed": "false",
    "resisted": "true",
    "resistance_type": "Active Resistance",
    "custody_status": "In custody (other)",
}


@pytest.mark.parametrize(("age", "label"), [(9, "0-9"), (10, "10-17"), (17, "10-17"), (18, "18-20"), (22, "21-25")])
def test_ages_fall_in_ursus_ranges(age: int, label: str) -> None:
    assert age_range(age) == label


def test_a_serious_injury_is_recorded_for_ursus_and_exported_with_the_sources_names(
    demo: dict[str, Any], signed_in: Any
) -> None:
    u = demo["users"]
    report = file(u["officer.pspd"], demo["schools"][PSHS], at(DAY), force_types=["takedown"],
                  serious_bodily_injury=True, student_injured=True, student_injury="Broken wrist.",
                  medical_aid="facility_released")  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        ursus_record(actor=actor_for(u["officer.pspd"]), report=report, values={**ENTERED, "custody_status": "Jailed"})
    assert {e.field for e in exc.value.errors} == {"custody_status"}
    with pytest.raises(Forbidden):
        ursus_record(actor=actor_for(u["director"]), report=report, values=ENTERED)
    ursus_record(actor=actor_for(u["lt.pspd"]), report=report, values=ENTERED)
    r = signed_in("lt.pspd").get("/force/ursus.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    (row,) = [x for x in rows if x["sro_report_id"] == str(report.pk)]
    assert list(rows[0])[2:] == [e.name for e in ursus_elements()]
    assert row["incident_date_str"] == "09/14/2026" and row["incident_time_str"] == "1000"
    assert row["received_force_type"] == "Other control hold/takedown"
    assert row["injury_level"] == "Serious bodily injury" and row["gender"] == "Female" and row["race"] == "Hispanic"
    assert row["received_force_location"] == "Arms/hands; Head" and row["on_k12_campus"] == "true"
    assert row["medical_aid"] == "Medical assistance - treated at facility and released"
    assert row["city"] == demo["schools"][PSHS].city.name
    # The demo's report (handcuffs, no injury) is not URSUS's: not exported.
    assert all(x["sro_report_id"] != str(report.pk - 1) or x["injury_level"] for x in rows)
    assert signed_in("lt.ccpd").get("/force/ursus.csv").content.decode().count("\n") == 1  # another agency: header only


def test_a_report_without_serious_injury_or_a_firearm_has_no_ursus_details(demo: dict[str, Any]) -> None:
    report = file(demo["users"]["officer.pspd"], demo["schools"][PSHS], at(DAY))
    with pytest.raises(InvalidInput):
        ursus_record(actor=actor_for(demo["users"]["officer.pspd"]), report=report, values=ENTERED)
