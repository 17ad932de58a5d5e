"""The Census Day enrollment reader and `sro import-enrolment`, tested on files written from CDE's column table.

CDE, "File Structure: Census Day Enrollment Data" (https://www.cde.ca.gov/ds/ad/fsenrcensus.asp): tab-delimited
text, one row per aggregate level (T state, C county, D district, S school), school and reporting category, the
count in TOTAL_ENR and by grade in GR_TK to GR_12, '*' where CDE withheld a count. The files below are written
row by row here (not by the project's demo file), and every expected figure is counted by hand from those rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sro.core.errors import Forbidden, InvalidInput
from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for
from sro.orgs.models import School
from sro.public.cde import CensusDayError, census_splits, read_census_day
from sro.public.models import GroupEnrolment
from sro.public.services import census_day_import, group_enrolment_set

HEADER = [
    "AcademicYear", "AggregateLevel", "CountyCode", "DistrictCode", "SchoolCode", "CountyName", "DistrictName",
    "SchoolName", "Charter", "ReportingCategory", "TOTAL_ENR", "GR_TK", "GR_KN", "GR_01", "GR_02", "GR_03",
    "GR_04", "GR_05", "GR_06", "GR_07", "GR_08", "GR_09", "GR_10", "GR_11", "GR_12",
]  # fmt: skip
PSHS, RMHS = "33671733335130", "33671730127316"  # Rancho Mirage High's school code starts with a zero
PENA = "01611190130229"  # county 01: a leading zero in the county code


def row(level: str, cds: str, name: str, category: str, total: object, year: str = "2026-27") -> str:
    county, district, school = cds[:2], cds[2:7], cds[7:]
    grades = ["*"] * 14 if total == "*" else ["0"] * 10 + [str(total), "0", "0", "0"]  # not read by sro
    county_name = "Alameda" if county == "01" else "Riverside"
    fields = [year, level, county, district, school, county_name, "Palm Springs Unified", name, "N", category]
    return "\t".join([*fields, str(total), *grades])


def school_rows(cds: str, name: str, cells: Mapping[str, object], year: str = "2026-27") -> list[str]:
    return [row("S", cds, name, category, n, year) for category, n in cells.items()]


# Palm Springs High: every category present; GN_X withheld, so it is TOTAL_ENR minus the others.
PSHS_CELLS: dict[str, object] = {
    "TA": 2013,
    "RE_A": 60, "RE_B": 95, "RE_D": 7, "RE_F": 25, "RE_H": 1300, "RE_I": 9, "RE_P": 8, "RE_T": 110, "RE_W": 399,
    "GN_F": 990, "GN_M": 1015, "GN_X": "*", "GN_Z": 0,
    "SG_DS": 301, "SG_EL": 402, "SG_SD": 1500, "SG_MG": "*",
    "ELAS_EL": 402, "ELAS_EO": 900, "AR_0418": 2013,
}  # fmt: skip
# Rancho Mirage High: no RE_D row (worked out: 0), GN_X and GN_Z both withheld, SG_DS withheld.
RMHS_CELLS: dict[str, object] = {
    "TA": 1488,
    "RE_A": 70, "RE_B": 55, "RE_F": 12, "RE_H": 860, "RE_I": 6, "RE_P": 5, "RE_T": 70, "RE_W": 410,
    "GN_F": 730, "GN_M": 750, "GN_X": "*", "GN_Z": "*",
    "SG_DS": "*", "SG_EL": 300,
}  # fmt: skip
EXPECTED = {
    PSHS: {
        # AS = RE_A 60 + RE_F 25; NR = RE_D 7; X = 2013 - 990 - 1015 - 0
        "race": {"HI": 1300, "BL": 95, "WH": 399, "AS": 85, "AM": 9, "HP": 8, "TR": 110, "NR": 7},
        "sex": {"F": 990, "M": 1015, "X": 8, "NR": 0},
        "disability": {"yes": 301, "no": 1712},
        "english_learner": {"yes": 402, "no": 1611},
    },
    RMHS: {
        # AS = 70 + 12; RE_D has no row: 1488 - 1488 = 0; GN_X and GN_Z withheld: 1488 - 730 - 750 = 8 not reported
        "race": {"HI": 860, "BL": 55, "WH": 410, "AS": 82, "AM": 6, "HP": 5, "TR": 70, "NR": 0},
        "sex": {"F": 730, "M": 750, "NR": 8},
        "english_learner": {"yes": 300, "no": 1188},
    },
}


def census_file(
    tmp_path: Path,
    lines: list[str] | None = None,
    *,
    name: str = "cdenroll2627.txt",
    encoding: str = "utf-8",
    newline: str = "\n",
    header: list[str] | None = None,
) -> Path:
    if lines is None:
        lines = [
            row("T", "00000000000000", "", "TA", 5800000),
            row("T", "00000000000000", "", "RE_H", 3300000),
            row("C", "33000000000000", "", "TA", 420000),
            row("D", "33671730000000", "", "TA", 19000),
            row("D", "33671730000000", "", "GN_X", "*"),
            *school_rows(PSHS, "Palm Springs High", PSHS_CELLS),
            *school_rows(RMHS, "Rancho Mirage High", RMHS_CELLS),
            *school_rows(PENA, "Escuela Secundaria Peña", {"TA": 400, "RE_H": 400, "GN_F": 200, "GN_M": 200}),
        ]
    path = tmp_path / name
    path.write_bytes((newline.join(["\t".join(header or HEADER), *lines]) + newline).encode(encoding))
    return path


def stored(school: School, year: str = "2026-27") -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for r in GroupEnrolment.objects.filter(school=school, school_year=year):
        out.setdefault(r.dimension, {})[r.group] = r.enrolled
    return out


# The reader: no database.


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "utf-16"])
def test_only_school_rows_are_kept_with_their_leading_zeros_and_names(tmp_path: Path, encoding: str) -> None:
    census = read_census_day(census_file(tmp_path, encoding=encoding, newline="\r\n"))
    assert census.school_year == "2026-27" and census.file == str(tmp_path / "cdenroll2627.txt")
    assert set(census.schools) == {PSHS, RMHS, PENA}  # state, county and district rows are not schools
    assert census.other_levels == 5 and census.rows == 5 + len(PSHS_CELLS) + len(RMHS_CELLS) + 4
    pena = census.schools[PENA]
    assert pena.name == "Escuela Secundaria Peña" and pena.cells == {"TA": 400, "RE_H": 400, "GN_F": 200, "GN_M": 200}
    rmhs = census.schools[RMHS]
    assert rmhs.cells["SG_DS"] is None and rmhs.cells["GN_Z"] is None and "RE_D" not in rmhs.cells
    assert rmhs.lines["TA"] == 7 + len(PSHS_CELLS)  # header, 5 aggregate rows, Palm Springs High's rows


def test_categories_map_onto_the_groups_and_withheld_cells_are_worked_out_or_left_out(tmp_path: Path) -> None:
    splits = census_splits(read_census_day(census_file(tmp_path), keep={PSHS, RMHS}))
    assert {cds: s.counts for cds, s in splits.items()} == EXPECTED
    assert splits[PSHS].withheld == {} and splits[PSHS].total == 2013
    assert splits[RMHS].withheld == {"disability": "SG_DS withheld by CDE (*)"}
    assert splits[RMHS].notes == [
        "race: RE_D has no row: worked out as TOTAL_ENR minus the other categories (0)",
        "sex: GN_X withheld (*), GN_Z withheld (*): 8 students counted as not reported, "
        "and no X figure for this campus",
    ]


def test_the_header_may_be_spelt_as_the_documentation_writes_it(tmp_path: Path) -> None:
    spaced = [h.replace("Code", " Code").replace("Name", " Name").replace("Year", " Year") for h in HEADER]
    spaced = [
        h.replace("AggregateLevel", "Aggregate Level").replace("ReportingCategory", "Reporting Category")
        for h in spaced
    ]
    assert "Academic Year" in spaced and "Reporting Category" in spaced
    census = read_census_day(census_file(tmp_path, header=spaced))
    assert census.schools[PSHS].cells["TA"] == 2013


def test_a_campus_without_a_total_is_skipped_not_guessed(tmp_path: Path) -> None:
    lines = school_rows(PSHS, "Palm Springs High", {"TA": "*", "RE_H": 9}) + school_rows(RMHS, "Rancho", {"RE_H": 9})
    splits = census_splits(read_census_day(census_file(tmp_path, lines)))
    assert (splits[PSHS].total, splits[PSHS].skipped) == (None, "TOTAL_ENR withheld by CDE (*)")
    assert (splits[RMHS].total, splits[RMHS].skipped) == (None, "no TA (total) row")


def _error(path: Path, **kwargs: Any) -> str:
    with pytest.raises(CensusDayError) as exc:
        census_splits(read_census_day(path, **kwargs))
    return str(exc.value)


def test_a_file_not_in_the_layout_is_refused_with_the_file_and_line(tmp_path: Path) -> None:
    csv = tmp_path / "schools.csv"
    csv.write_text("CDS_Code,Status,County,District,schoolname\n33671733335130,Active,Riverside,PSUSD,PSHS\n")
    assert _error(csv) == (
        f"{csv}: line 1: not tab-delimited text: the header has no tab (a comma-separated file?); "
        "the Census Day file is tab-delimited"
    )
    no_total = census_file(tmp_path, header=[*HEADER[:10], "Total", *HEADER[11:]])
    assert "line 1: missing column(s) TOTAL_ENR: not the Census Day enrollment layout" in _error(no_total)
    xlsx = tmp_path / "cdenroll.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + bytes(100))
    assert "a ZIP archive or an Excel workbook, not a text file: the Census Day file is tab-delimited" in _error(xlsx)
    binary = tmp_path / "cdenroll.txt"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    assert "not a text file" in _error(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert _error(empty) == f"{empty}: the file is empty"
    assert _error(census_file(tmp_path, [])).endswith("no data rows under the header")
    assert "cannot read the file" in _error(tmp_path / "missing.txt")


def test_every_bad_cell_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = census_file(
        tmp_path,
        [
            row("S", PSHS, "Palm Springs High", "TA", 2013),  # line 2: fine
            row("S", PSHS, "Palm Springs High", "RE_H", "1,300"),
            row("S", PSHS, "Palm Springs High", "RE_Q", 5),
            row("S", PSHS, "Palm Springs High", "RB", 5),
            "\t".join(
                ["2026-27", "S", "1", "61119", "0130229", "Alameda", "Oakland", "Peña", "N", "TA", "4"] + ["0"] * 14
            ),
            row("X", PSHS, "Palm Springs High", "TA", 2013),
            row("S", PSHS, "Palm Springs High", "TA", 2013, year="2026"),
            "2026-27\tS\t33\t67173\t3335130",
        ],
    )
    message = _error(path)
    name = str(path)
    assert message.splitlines() == [
        f"{name}: line 3, column TOTAL_ENR: '1,300' is not a count: a whole number, or * where CDE withheld it",
        f"{name}: line 4, column ReportingCategory: unknown reporting category 'RE_Q'; the file's RE_x codes are "
        "RE_A, RE_B, RE_D, RE_F, RE_H, RE_I, RE_P, RE_T, RE_W",
        f"{name}: line 5, column ReportingCategory: 'RB' is not a reporting category of the Census Day file (TA, "
        "RE_x (race or ethnicity), GN_x (gender), SG_x (student groups), ELAS_x, AR_x): is this another CDE file?",
        f"{name}: line 6, column CountyCode: '1' is not 2 digits (leading zeros lost? use the file as downloaded, "
        "not saved from a spreadsheet)",
        f"{name}: line 7, column AggregateLevel: 'X' is not one of T (state), C (county), D (district), S (school)",
        f"{name}: line 8, column AcademicYear: '2026' is not a school year such as 2024-25",
        f"{name}: line 9: 5 fields where the header has 25",
    ]


def test_counts_that_do_not_add_up_are_refused_at_the_total_row(tmp_path: Path) -> None:
    cells = dict(PSHS_CELLS, RE_W=398)  # one fewer than the total
    path = census_file(tmp_path, school_rows(PSHS, "Palm Springs High", cells))
    assert _error(path) == (
        f"{path}: line 2, column TOTAL_ENR: the race categories of Palm Springs High (33671733335130) "
        "add up to 2012, not its TOTAL_ENR 2013"
    )
    cells = dict(PSHS_CELLS, GN_X=1, GN_M=1100)  # more than the total, even with GN_X
    path = census_file(tmp_path, school_rows(PSHS, "Palm Springs High", cells))
    assert "sex categories of Palm Springs High (33671733335130) add up to 2091, more than its TOTAL_ENR" in _error(
        path
    )


def test_one_school_year_at_a_time(tmp_path: Path) -> None:
    path = census_file(
        tmp_path,
        school_rows(PSHS, "Palm Springs High", {"TA": 2013}) + school_rows(PSHS, "PSHS", {"TA": 1990}, "2025-26"),
    )
    assert _error(path).endswith("the file holds several school years (2025-26, 2026-27): choose one with --year")
    assert read_census_day(path, school_year="2025-26").schools[PSHS].cells == {"TA": 1990}
    assert _error(path, school_year="2024-25").endswith(
        "column AcademicYear: no rows for 2024-25; the file holds 2025-26, 2026-27"
    )


def test_a_repeated_row_must_agree(tmp_path: Path) -> None:
    same = school_rows(PSHS, "Palm Springs High", {"TA": 2013}) * 2
    assert read_census_day(census_file(tmp_path, same)).schools[PSHS].cells == {"TA": 2013}
    other = same + school_rows(PSHS, "Palm Springs High", {"TA": 2014})
    assert "line 4, column ReportingCategory: a second TA row for school 33671733335130" in _error(
        census_file(tmp_path, other)
    )


# The import: the demo's organisations (four program campuses, no enrolment by group yet).


def test_import_writes_the_hand_counted_groups_and_the_campus_totals(org: dict[str, Any], tmp_path: Path) -> None:
    schools = org["schools"]
    pshs, rmhs = schools["Palm Springs High"], schools["Rancho Mirage High"]
    assert (pshs.enrolment, rmhs.enrolment) == (2000, 1500)
    out = StringIO()
    call_command("import_enrolment", str(census_file(tmp_path)), "--year", "2026-27", stdout=out)
    assert stored(pshs) == EXPECTED[PSHS] and stored(rmhs) == EXPECTED[RMHS]
    assert GroupEnrolment.objects.exclude(school__in=[pshs, rmhs]).count() == 0
    pshs.refresh_from_db()
    rmhs.refresh_from_db()
    assert (pshs.enrolment, rmhs.enrolment) == (2013, 1488)
    rows = GroupEnrolment.objects.all()
    assert {(r.source, r.illustrative) for r in rows} == {
        ("CDE Census Day enrollment 2026-27 (cdenroll2627.txt)", False)
    }
    total_set = AuditEvent.objects.get(action="school_enrolment_set", object_id=str(pshs.pk))
    assert total_set.changes["enrolment"] == [2000, 2013]
    assert AuditEvent.objects.filter(action="import", object_type="public.GroupEnrolment").count() == 1
    text = out.getvalue()
    assert text.splitlines()[:4] == [
        "CDE Census Day enrollment 2026-27 (cdenroll2627.txt)",
        f"rows read: {5 + len(PSHS_CELLS) + len(RMHS_CELLS) + 4}",
        "program campuses updated: 2",
        "  Palm Springs High (33671733335130): 2,013 enrolled; campus total 2,000 -> 2,013",
    ]
    assert "    disability: not loaded (SG_DS withheld by CDE (*))" in text
    assert text.endswith(
        "program campuses not in the file: 2\n"
        "  Cathedral City High (33671733330578)\n"
        "  Desert Hot Springs High (33671733330818)\n"
    )


def test_a_bad_file_saves_nothing_and_says_where(org: dict[str, Any], tmp_path: Path) -> None:
    lines = [*school_rows(PSHS, "Palm Springs High", PSHS_CELLS), row("S", RMHS, "Rancho Mirage High", "TA", "n/a")]
    path = census_file(tmp_path, lines)
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("import_enrolment", str(path))
    assert str(exc.value) == (
        f"{path}: line {len(lines) + 1}, column TOTAL_ENR: 'n/a' is not a count: a whole number, or * where CDE "
        "withheld it\nnothing was saved"
    )
    assert GroupEnrolment.objects.count() == 0 and AuditEvent.objects.count() == events
    assert School.objects.get(cds_code=PSHS).enrolment == 2000
    with pytest.raises(CommandError, match="not a 7-digit district CDS code"):
        call_command("import_enrolment", str(path), "--district", "33")
    with pytest.raises(CommandError, match="no such district 9999999"):
        call_command("import_enrolment", str(path), "--district", "9999999")
    with pytest.raises(CommandError, match="'2026' is not a school year"):
        call_command("import_enrolment", str(path), "--year", "2026")


def test_a_dry_run_and_another_district_change_nothing(org: dict[str, Any], tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_enrolment", str(census_file(tmp_path)), "--dry-run", stdout=out)
    assert out.getvalue().endswith("dry run: nothing was saved\n") and "program campuses updated: 2" in out.getvalue()
    assert GroupEnrolment.objects.count() == 0 and School.objects.get(cds_code=PSHS).enrolment == 2000
    out = StringIO()
    assert org["district"].cds_code == "3367173"
    call_command("import_enrolment", str(census_file(tmp_path)), "--district", "3367173", stdout=out)
    assert "program campuses updated: 2" in out.getvalue()


def test_an_older_year_keeps_the_campus_total_and_a_withheld_count_clears_the_old_figure(
    org: dict[str, Any], tmp_path: Path
) -> None:
    rmhs = org["schools"]["Rancho Mirage High"]
    cells = dict(RMHS_CELLS, SG_DS=200)
    call_command("import_enrolment", str(census_file(tmp_path, school_rows(RMHS, "RMHS", cells))), stdout=StringIO())
    assert stored(rmhs)["disability"] == {"yes": 200, "no": 1288}
    # The same year again, SG_DS now withheld: no disability figure is left from the first file.
    call_command(
        "import_enrolment", str(census_file(tmp_path, school_rows(RMHS, "RMHS", RMHS_CELLS))), stdout=StringIO()
    )
    assert "disability" not in stored(rmhs) and stored(rmhs) == EXPECTED[RMHS]
    # An older year: its groups add up to its own total, and the campus keeps the latest one.
    older = {"TA": 1400, "RE_H": 1000, "RE_W": 400, "GN_F": 700, "GN_M": 700, "SG_DS": 150, "SG_EL": 250}
    path = census_file(tmp_path, school_rows(RMHS, "RMHS", older, "2025-26"), name="cdenroll2526.txt")
    out = StringIO()
    call_command("import_enrolment", str(path), stdout=out)
    rmhs.refresh_from_db()
    assert rmhs.enrolment == 1488
    assert "campus total kept at 1,488 (enrolment by group for a later year is on file)" in out.getvalue()
    # Without rows for the other categories, nothing is assumed about them: no figure for those groups.
    assert stored(rmhs, "2025-26")["race"] == {"HI": 1000, "WH": 400, "NR": 0}
    assert stored(rmhs, "2025-26")["sex"] == {"F": 700, "M": 700, "NR": 0}


def test_only_the_district_administrator_may_import(org: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        census_day_import(actor=actor_for(org["users"]["boardmember"]), path=census_file(tmp_path))
    result = census_day_import(actor=actor_for(org["users"]["director"]), path=census_file(tmp_path))
    assert [c.school.cds_code for c in result.updated] == [PSHS, RMHS]
    assert AuditEvent.objects.filter(action="group_enrolment_set", actor_username="director").count() == 2


def test_not_reported_is_stored_but_is_no_group_of_its_own(org: dict[str, Any]) -> None:
    school = org["schools"]["Palm Springs High"]
    rows = group_enrolment_set(
        actor=None, school=school, school_year="2026-27", counts={"sex": {"F": 990, "M": 1002, "NR": 8}}, source="x"
    )
    assert sorted((r.group, r.enrolled) for r in rows) == [("F", 990), ("M", 1002), ("NR", 8)]
    with pytest.raises(InvalidInput, match="unknown groups ZZ"):
        group_enrolment_set(
            actor=None, school=school, school_year="2026-27", counts={"sex": {"F": 1000, "ZZ": 1000}}, source="x"
        )


def test_withheld_categories_of_one_group_are_still_worked_out(tmp_path: Path) -> None:
    cells = dict(PSHS_CELLS, RE_A="*", RE_F="*")  # both Asian: AS = 2013 - the other categories = 60 + 25
    splits = census_splits(read_census_day(census_file(tmp_path, school_rows(PSHS, "Palm Springs High", cells))))
    assert splits[PSHS].counts["race"] == EXPECTED[PSHS]["race"]
    assert splits[PSHS].notes[0] == (
        "race: RE_A withheld (*), RE_F withheld (*): worked out as TOTAL_ENR minus the other categories (85)"
    )
