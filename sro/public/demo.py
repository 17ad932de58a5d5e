"""Demo enrolment by group for the four campuses: ILLUSTRATIVE figures, not CDE counts.

The figures are in `data/demo_census_day_enrollment.txt`, a small file in the layout of the
CDE's Census Day enrollment file (`sro.public.cde`), loaded the way a district loads the real
one (`sro import-enrolment`), but marked illustrative: the counts are invented for the Palm
Springs Unified scenario (each campus's TOTAL_ENR is the demo's campus total), and every page
that uses them says so.
"""

from __future__ import annotations

from pathlib import Path

from sro.orgs.models import District
from sro.public.services import census_day_import

DATA = Path(__file__).resolve().parent / "data" / "demo_census_day_enrollment.txt"
SOURCE = (
    f"Illustrative demo figures invented for the Palm Springs Unified scenario, in the layout of the CDE "
    f"Census Day enrollment file ({DATA.name}); not CDE or CALPADS counts"
)


def load() -> list[tuple[str, str, str, str]]:
    district = District.objects.filter(cds_code="3367173").first()
    if district is not None:
        census_day_import(actor=None, path=DATA, district=district, source=SOURCE, illustrative=True)
    return []
