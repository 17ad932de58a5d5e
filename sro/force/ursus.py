"""The URSUS export: one row per force report Gov. Code 12525.2(a) covers, one column per element of
data/ursus.toml, named as in the URSUS tool's source (the file says where each list comes from)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from sro.force.models import ForceReport
from sro.force.rules import Element, force_lists, ursus_elements

# The URSUS tool's civilian age ranges (bayesimpact/bridge-uof, constants/involved_civilian.rb AGES).
AGE_RANGES = ((0, 9, "0-9"), (10, 17, "10-17"), (18, 20, "18-20"), (21, 25, "21-25"))
# The school's race codes (CRDC) onto URSUS's race list (constants/involved_person.rb RACES); two
# or more races and "not recorded" have no URSUS value of their own: "Other" and blank.
RACE = {
    "HI": "Hispanic",
    "AM": "American Indian",
    "AS": "Asian / Pacific Islander",
    "HP": "Asian / Pacific Islander",
    "BL": "Black",
    "WH": "White",
    "TR": "Other",
    "NR": "",
}
# URSUS's genders are Female, Male, Transgender; a nonbinary student or one not recorded is blank.
SEX = {"M": "Male", "F": "Female", "X": "", "NR": ""}


def age_range(age: int) -> str:
    return next((label for low, high, label in AGE_RANGES if low <= age <= high), "")


def _report_value(report: ForceReport, name: str) -> Any:
    at = timezone.localtime(report.occurred_at)
    lists = force_lists()
    if name == "date":
        return at.strftime("%m/%d/%Y")
    if name == "time":
        return at.strftime("%H%M")
    if name == "sex":
        return SEX.get(report.sex, "")
    if name == "race":
        return RACE.get(report.race, "")
    if name == "age_range":
        return age_range(report.student_age)
    if name == "ursus_force_types":
        return list(dict.fromkeys(t.ursus for t in lists.types if t.key in report.force_types))
    if name == "student_injured":
        return "true" if report.student_injured or report.serious_bodily_injury else "false"
    if name == "injury_level":
        if report.serious_bodily_injury:
            return "Serious bodily injury"
        return "Injury" if report.student_injured else ""
    if name == "medical_aid":
        return next((c.label for c in lists.medical_aid if c.key == report.medical_aid), "")
    raise KeyError(name)


def element_value(report: ForceReport, e: Element) -> str:
    kind, _sep, arg = e.fill.partition(":")
    if kind == "const":
        value: Any = arg
    elif kind == "school":
        school = report.school
        value = school.city.name if arg == "city" and school.city is not None else getattr(school, arg, "")
    elif kind == "report":
        value = _report_value(report, arg)
    else:
        value = report.ursus.get(e.name, "")
    return "; ".join(value) if isinstance(value, list) else str(value or "")


def ursus_rows(reports: Sequence[ForceReport]) -> tuple[list[str], list[list[str]]]:
    elements = ursus_elements()
    header = ["sro_report_id", "ori", *[e.name for e in elements]]
    rows = [[str(r.pk), r.agency.ori, *[element_value(r, e) for e in elements]] for r in reports]
    return header, rows
