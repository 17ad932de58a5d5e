"""Demo enrolment by group for the four campuses: ILLUSTRATIVE figures, not CDE counts.

The demo schools carry a total enrolment only (also illustrative). These splits let the public
site show group rates; every page that uses them says they are invented for the demo.
"""

from __future__ import annotations

from django.utils import timezone

from sro.incidents.demo import FIRST_DAY
from sro.orgs.models import School
from sro.public.figures import school_year_of
from sro.public.services import group_enrolment_set

SOURCE = "Illustrative demo figures invented for the Palm Springs Unified scenario (not CDE or CALPADS counts)"

# Shares per 1,000 students; the last group of each dimension takes the rounding remainder.
RACE = {"PSHS": {"HI": 640, "WH": 190, "BL": 50, "AS": 50, "AM": 5, "HP": 5, "TR": 60},
        "CCHS": {"HI": 820, "WH": 70, "BL": 30, "AS": 35, "AM": 5, "HP": 5, "TR": 35},
        "DHSHS": {"HI": 750, "WH": 110, "BL": 80, "AS": 20, "AM": 10, "HP": 5, "TR": 25},
        "RMHS": {"HI": 580, "WH": 270, "BL": 40, "AS": 55, "AM": 5, "HP": 5, "TR": 45}}  # fmt: skip
SEX = {"F": 488, "X": 4, "M": 508}
DISABILITY = {"yes": 150, "no": 850}
ENGLISH_LEARNER = {"yes": 190, "no": 810}
SHORT = {
    "Palm Springs High": "PSHS",
    "Cathedral City High": "CCHS",
    "Desert Hot Springs High": "DHSHS",
    "Rancho Mirage High": "RMHS",
}


def split(total: int, shares: dict[str, int]) -> dict[str, int]:
    groups = list(shares)
    out = {g: total * shares[g] // 1000 for g in groups[:-1]}
    out[groups[-1]] = total - sum(out.values())
    return out


def load() -> list[tuple[str, str, str, str]]:
    first, last = school_year_of(FIRST_DAY), school_year_of(max(FIRST_DAY, timezone.localdate()))
    years = [f"{y}-{str(y + 1)[2:]}" for y in range(int(first[:4]), int(last[:4]) + 1)]
    for school in School.objects.filter(name__in=SHORT, in_program=True):
        total = school.enrolment or 0
        for year in years:
            _set(school, year, total)
    return []


def _set(school: School, year: str, total: int) -> None:
    group_enrolment_set(
        actor=None,
        school=school,
        school_year=year,
        counts={
            "race": split(total, RACE[SHORT[school.name]]),
            "sex": split(total, SEX),
            "disability": split(total, DISABILITY),
            "english_learner": split(total, ENGLISH_LEARNER),
        },
        source=SOURCE,
        illustrative=True,
    )
