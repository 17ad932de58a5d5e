from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sro.orgs.importers import import_schools
from sro.orgs.models import District, School

DIRECTORY = Path(settings.SRO_SCHOOLS_CSV)
HEADER = "CDS_Code,Status,County,District,schoolname\n"


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "schools.csv"
    p.write_text(HEADER + body, encoding="utf-8")
    return p


@pytest.mark.skipif(not DIRECTORY.is_file(), reason="the California school directory is not beside the project")
@pytest.mark.usefixtures("db")
def test_full_directory_accounts_for_every_row_and_reimport_changes_nothing() -> None:
    first = import_schools(DIRECTORY)
    assert first.ok and first.applied
    assert first.rows_read == 18141
    district_rows = first.count("district rows: created")
    school_rows = first.count("school rows: created")
    assert district_rows + school_rows == 18141
    assert District.objects.count() == district_rows + first.count("districts implied by school rows: created")
    assert School.objects.count() == school_rows
    psusd = District.objects.get(cds_code="3367173")
    assert psusd.name == "Palm Springs Unified"
    assert School.objects.get(cds_code="33671733335130").district == psusd

    second = import_schools(DIRECTORY)
    assert second.rows_read == 18141
    assert {k for k, v in second.counts.items() if v} <= {
        "district rows: unchanged",
        "school rows: unchanged",
        "districts implied by school rows: unchanged",
    }
    assert second.count("district rows: unchanged") + second.count("school rows: unchanged") == 18141


@pytest.mark.usefixtures("db")
def test_bad_rows_are_reported_by_line_and_nothing_is_saved(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "33671730000000,Active,Riverside,Palm Springs Unified,No Data\n"
        "33671733335130,Active,Riverside,Palm Springs Unified,Palm Springs High\n"
        "3367173333513X,Active,Riverside,Palm Springs Unified,Bad Code High\n"
        "33671733335130,Active,Riverside,Palm Springs Unified,Palm Springs High again\n"
        "99671733335131,Open,Riverside,Palm Springs Unified,\n",
    )
    report = import_schools(path)
    assert not report.applied
    where = {(e.line, e.field) for e in report.errors}
    assert where == {(4, "CDS_Code"), (5, "CDS_Code"), (6, "CDS_Code"), (6, "Status"), (6, "schoolname")}
    assert "duplicate of line 3" in " ".join(e.message for e in report.errors)
    assert District.objects.count() == 0 and School.objects.count() == 0
    err = StringIO()
    with pytest.raises(CommandError, match="3 bad row"):
        call_command("import_schools", str(path), stderr=err, stdout=StringIO())
    assert "line 4, column CDS_Code" in err.getvalue()


@pytest.mark.usefixtures("db")
def test_skip_bad_rows_loads_the_good_ones(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "33671733335130,Active,Riverside,Palm Springs Unified,Palm Springs High\n12,Active,Riverside,X,Y\n",
    )
    report = import_schools(path, skip_bad_rows=True)
    assert report.applied and School.objects.count() == 1
    assert report.count("rows skipped (bad)") == 1
    # a district with no row of its own is created from the school row
    assert District.objects.get(cds_code="3367173").name == "Palm Springs Unified"


@pytest.mark.usefixtures("db")
def test_changed_names_are_updated_and_dry_run_saves_nothing(tmp_path: Path) -> None:
    import_schools(_write(tmp_path, "33671733335130,Active,Riverside,Palm Springs Unified,PS High\n"))
    path = _write(tmp_path, "33671733335130,Closed,Riverside,Palm Springs Unified,Palm Springs High\n")
    dry = import_schools(path, dry_run=True)
    assert dry.count("school rows: updated") == 1
    assert School.objects.get().name == "PS High"
    import_schools(path)
    s = School.objects.get()
    assert (s.name, s.status) == ("Palm Springs High", "Closed")


@pytest.mark.usefixtures("db")
def test_missing_column_is_named(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("CDS_Code,County\n1,2\n")
    with pytest.raises(CommandError, match=r"line 1: missing column\(s\) Status, District, schoolname"):
        call_command("import_schools", str(p))
