"""RIPA files as the DOJ publishes them: built here from the Read Me's column table (all 142
columns, ``README_2021_COLUMNS``), not from the synthetic generator, with the quirks of the
real files: a yearly zip with real member names, county workbooks (one written by a streaming
writer: no dimension record, trailing blank cells left out), a CSV saved from a workbook
(dates MM/DD/YYYY), a school code stored as a number, and one known-error row of each kind
the Read Me lists. Counts are checked against counts made by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from sro.oversight.ripa import ingest
from sro.oversight.tests.test_ripa_layout import README_2021_COLUMNS
from sro.oversight.validation import InputError

SCHOOL = "01100170112607"


def _row(record: str, **cells: Any) -> list[Any]:
    """One person stopped, 0 in every flag the row does not set; the demographics of a clean K-12 stop."""
    base: dict[str, Any] = dict.fromkeys(README_2021_COLUMNS, 0)
    for blank in ("STOP_DURATION", "CLOSEST_CITY", "RFS_TRAFFIC_VIOLATION_TYPE", "RFS_TRAFFIC_VIOLATION_CODE",
                  "RFS_RS_CODE", "RFS_EC_DISCIPLINE_CODE", "RFS_EC_DISCIPLINE", "ROS_WARNING_CDS",
                  "ROS_CITATION_CDS", "ROS_IN_FIELD_CITE_RELEASE_CDS", "ROS_CUSTODIAL_WOUT_WARRANT_CDS"):  # fmt: skip
        base[blank] = None
    base.update(
        DOJ_RECORD_ID=record, PERSON_NUMBER=1, AGENCY_ORI="CA0330000", AGENCY_NAME="RIVERSIDE CO SO",
        TIME_OF_STOP=dt.time(10, 30), DATE_OF_STOP=dt.datetime(2022, 3, 15), STOP_DURATION=10,
        CLOSEST_CITY="RIVERSIDE", SCHOOL_CODE=SCHOOL, SCHOOL_NAME="Alameda High", STOP_STUDENT=1,
        K12_SCHOOL_GROUNDS=1, RAE_FULL=2, G_FULL=1, AGE=15, AGE_GROUP=3, PD_FULL=0, PD_NONE_DISABILITY=1,
        PD_MULTI=0, REASON_FOR_STOP=2,
    )  # fmt: skip
    base.update(cells)
    return [base[c] for c in README_2021_COLUMNS]


# Persons stopped (K-12: a student, or on K-12 grounds). Hand counts are in the tests.
RIVERSIDE = [
    _row("R1", REASON_FOR_STOP=7, ADS_SEARCH_PERSON=1, ROS_REFERRAL_SCHOOL_ADMIN=1),  # clean, Black
    _row(
        "R1",
        PERSON_NUMBER=2,
        G_FULL=2,
        PD_FULL=6,
        AGE=16,
        REASON_FOR_STOP=8,
        ADS_HANDCUFFED=1,
        ROS_CUSTODIAL_WITHOUT_WARRANT=1,
    ),  # clean, Black, hyperactivity
    _row("R2", RAE_FULL=7, AGE=14, ADS_SEARCH_PROPERTY=1, BPS_VIOLATE_SCHOOL=1, SCHOOL_CODE=int(SCHOOL)),  # clean
    _row("R3", RAE_FULL=3, STOP_STUDENT=0, AGE=445),  # Read Me (k): age 445
    _row("R4", RAE_FULL=None),  # (f): no race
]
LOS_ANGELES = [
    _row("L1", G_FULL=None),  # (g): no gender
    _row("L2", RAE_FULL=7, PD_FULL=None),  # (l): no disability
    _row("L3", RAE_FULL=3, PERSON_NUMBER=0),  # PERSON_NUMBER 0
    _row("L4", AGE=30, ADS_SEARCH_PERSON=1),  # (d): a student over 22; Black, searched
    _row("L5", RAE_FULL=7, STOP_STUDENT=0, SCHOOL_NAME=None, SCHOOL_CODE=None),  # (e): K-12 grounds, no school
]
ALAMEDA = [  # a CSV saved from a workbook: dates MM/DD/YYYY
    _row(
        "A1",
        STOP_STUDENT=0,
        K12_SCHOOL_GROUNDS=0,
        SCHOOL_NAME=None,
        SCHOOL_CODE=None,
        RAE_FULL=7,
        AGE=40,
        PD_FULL=6,
        DATE_OF_STOP="06/01/2022",
    ),  # (m): hyperactivity, not a student (not a K-12 stop)
    _row(
        "A2",
        STOP_STUDENT=0,
        K12_SCHOOL_GROUNDS=0,
        SCHOOL_NAME=None,
        SCHOOL_CODE=None,
        AGE=35,
        ROS_REFERRAL_SCHOOL_COUNSELOR=1,
        DATE_OF_STOP="06/02/2022",
    ),  # (gg): school referral, not a student
    _row(
        "A3", RAE_FULL=3, K12_SCHOOL_GROUNDS=0, AGE=16, SCHOOL_NAME=None, SCHOOL_CODE=None, DATE_OF_STOP="12/31/2022"
    ),  # (c): a student, not on K-12 grounds
    _row(
        "A4",
        STOP_STUDENT=0,
        K12_SCHOOL_GROUNDS=0,
        SCHOOL_NAME=None,
        SCHOOL_CODE=None,
        RAE_FULL=3,
        AGE=30,
        DATE_OF_STOP="1/5/2022",
    ),  # clean, not a K-12 stop
]
REASONS = {
    "AGE invalid": 1, "RAE_FULL blank": 1, "G_FULL blank": 1, "PD_FULL blank": 1, "PERSON_NUMBER invalid": 1,
    "student over 22": 1, "K-12 grounds without a school": 1, "hyperactivity but not a student": 1,
    "school referral but not a student": 1, "student not on K-12 grounds": 1,
}  # fmt: skip


def _streamed_workbook(path: Path, rows: list[list[Any]]) -> Path:
    """As streaming writers write them: no <dimension> record, trailing blank cells left out."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("RIPA Stop Data")
    ws.append(list(README_2021_COLUMNS))
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        ws.append(cells)
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        assert b"<dimension" not in zf.read("xl/worksheets/sheet1.xml")
    return path


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(README_2021_COLUMNS))
    for row in rows:
        ws.append(row)
    ws.append([None] * 3)  # a formatted but empty row at the end, as Excel leaves them
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(README_2021_COLUMNS)
        for row in rows:
            w.writerow(["" if v is None else v.strftime("%H:%M:%S") if isinstance(v, dt.time) else v for v in row])
    return path


def _yearly_zip(tmp_path: Path) -> Path:
    parts = tmp_path / "parts"
    parts.mkdir()
    members = {
        "RIPA Stop Data _ Riverside 2022.xlsx": _streamed_workbook(parts / "a.xlsx", RIVERSIDE),
        "RIPA Stop Data _ Los Angeles 2022 Q1.xlsx": _workbook(parts / "b.xlsx", LOS_ANGELES),
        "RIPA Stop Data _ Alameda 2022.csv": _csv(parts / "c.csv", ALAMEDA),
    }
    z = tmp_path / "RIPA Stop Data 2022.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, path in members.items():
            zf.write(path, name)
        zf.writestr("RIPA Dataset Read Me 2022.pdf", b"%PDF-1.4")  # not a table: passed over
    return z


def test_ingest_keeps_every_row_and_counts_doubts_by_reason_and_member(tmp_path: Path) -> None:
    z = _yearly_zip(tmp_path)
    s = ingest(z, tmp_path / "out")
    assert (s.rows_read, s.rows_written, s.rows_rejected, s.rows_doubtful) == (14, 14, 0, 10)
    assert s.doubtful_by_reason == REASONS
    zname = "RIPA Stop Data 2022.zip"
    old = "2018-2023"
    assert s.by_member == {
        f"{zname}: RIPA Stop Data _ Riverside 2022.xlsx": {
            "rows": 5, "doubtful": 2, "written": 5, "layout": old, "county": "Riverside"},
        f"{zname}: RIPA Stop Data _ Los Angeles 2022 Q1.xlsx": {
            "rows": 5, "doubtful": 5, "written": 5, "layout": old, "county": "Los Angeles"},
        f"{zname}: RIPA Stop Data _ Alameda 2022.csv": {
            "rows": 4, "doubtful": 3, "written": 4, "layout": old, "county": "Alameda"},
    }  # fmt: skip
    shown = {str(p) for p in s.problems}
    # Members by their real names; workbook rows (header = row 1) and CSV lines.
    assert f"{zname}: RIPA Stop Data _ Riverside 2022.xlsx, row 5, column AGE: expected 1-119" in shown
    assert f"{zname}: RIPA Stop Data _ Los Angeles 2022 Q1.xlsx, row 3, column PD_FULL: blank" in shown
    assert f"{zname}: RIPA Stop Data _ Alameda 2022.csv, line 3, column ROS_REFERRAL_SCHOOL_COUNSELOR: " \
           "school referral but not a student" in shown  # fmt: skip
    t = pq.read_table(tmp_path / "out").to_pandas().set_index(["DOJ_RECORD_ID", "PERSON_NUMBER"])
    assert set(t.YEAR.astype(int)) == {2022}
    assert t.loc[("R2", 1), "SCHOOL_CODE"] == SCHOOL  # stored as a number: the leading zero is back
    assert t.loc[("A3", 1), "DATE_OF_STOP"] == dt.date(2022, 12, 31)  # MM/DD/YYYY
    assert t.loc[("A4", 1), "DATE_OF_STOP"] == dt.date(2022, 1, 5)
    assert t.loc[("R3", 1), "AGE"] == 445 and t.loc[("R3", 1), "DOUBT"] == "AGE invalid"
    assert t.loc[("L4", 1), "DOUBT"] == "student over 22" and t.loc[("R1", 2), "PD_FULL"] == 6
    assert t.DOUBT.isna().sum() == 4 and (t.SOURCE_FILE.str.startswith(zname)).all()


def _k12(path: Path, *extra: str) -> tuple[dict[tuple[str, str, str], Any], str]:
    out, err = StringIO(), StringIO()
    call_command(
        "report", "k12", "--ripa", str(path), "--cell-min", "1", "--n-min", "1", "--format", "json", *extra,
        stdout=out, stderr=err,
    )  # fmt: skip
    rows = json.loads(out.getvalue())
    got = {(r["dimension"], r["group"], r["outcome"]): r for r in rows if r["breakdown"] == "statewide"}
    return got, err.getvalue()


def test_k12_report_includes_doubtful_rows_by_default_and_says_so(tmp_path: Path) -> None:
    z = _yearly_zip(tmp_path)
    got, note = _k12(z)
    # K-12 stops: the 5 Riverside rows, the 5 Los Angeles rows and Alameda's A3 (a student) = 11.
    # Race: Black R1 (two persons), L1, L4 = 4; White R2, L2, L5 = 3; Hispanic R3, L3, A3 = 3; blank R4 = 1.
    den = {k[1]: v["denominator"] for k, v in got.items() if k[0] == "race" and k[2] == "searched"}
    assert den == {"All": 11, "Black": 4, "White": 3, "Hispanic": 3, "Not recorded": 1}
    assert got[("race", "Black", "searched")]["count"] == 2  # R1 (person), L4 (person)
    assert got[("race", "White", "searched")]["count"] == 1  # R2 (property)
    assert got[("race", "Black", "arrest")]["count"] == 1  # R1 person 2, custodial without warrant
    assert got[("disability", "Hyperactivity", "arrest")]["denominator"] == 1
    assert got[("gender", "Not recorded", "arrest")]["denominator"] == 1  # L1
    assert got[("race", "All", "referral_admin")]["count"] == 1
    assert got[("race", "All", "school_policy_search_seizure")]["count"] == 1  # R2: BPS_VIOLATE_SCHOOL
    assert "RIPA rows read: 14; flagged doubtful: 10, included (--exclude-doubtful leaves them out)" in note
    assert "AGE invalid 1" in note


def test_k12_report_can_exclude_doubtful_rows(tmp_path: Path) -> None:
    z = _yearly_zip(tmp_path)
    ingest(z, tmp_path / "pq")
    for source in (z, tmp_path / "pq"):  # the file itself and its ingested Parquet agree
        got, note = _k12(source, "--exclude-doubtful")
        den = {k[1]: v["denominator"] for k, v in got.items() if k[0] == "race" and k[2] == "searched"}
        assert den == {"All": 3, "Black": 2, "White": 1}  # R1 x2, R2
        assert got[("race", "Black", "searched")]["count"] == 1
        assert "flagged doubtful: 10, excluded (--exclude-doubtful)" in note


def test_a_single_county_workbook_is_read_as_a_workbook(tmp_path: Path) -> None:
    book = _streamed_workbook(tmp_path / "RIPA Stop Data _ Riverside 2021.xlsx", RIVERSIDE)
    got, _ = _k12(book)
    assert got[("race", "All", "searched")]["denominator"] == 5
    s = ingest(book, tmp_path / "out")
    assert (s.rows_written, s.rows_doubtful) == (5, 2)
    assert list(s.by_member) == ["RIPA Stop Data _ Riverside 2021.xlsx"]


def test_2018_statewide_csv_with_pd_disab_multi(tmp_path: Path) -> None:
    p = tmp_path / "RIPA Stop Data 2018.csv"
    rows = [_row("S1", PD_MULTI=None), _row("S2", PD_FULL=8, PD_MULTI=2)]
    _csv(p, rows)
    p.write_text(p.read_text().replace("PD_MULTI", "PD_DISAB_MULTI", 1))
    s = ingest(p, tmp_path / "out")
    assert (s.rows_written, s.rows_doubtful) == (2, 0)
    t = pq.read_table(tmp_path / "out").to_pandas().set_index("DOJ_RECORD_ID")
    assert t.PD_MULTI.to_dict() == {"S1": 0, "S2": 2}  # blank means no disability in PD_DISAB_MULTI


def test_a_file_that_is_not_ripa_is_refused_naming_the_member(tmp_path: Path) -> None:
    z = tmp_path / "RIPA Stop Data 2022.zip"
    missing_age = [c for c in README_2021_COLUMNS if c != "AGE"]
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("RIPA Stop Data _ Alpine 2022.csv", ",".join(missing_age) + "\n")
        zf.writestr("RIPA Stop Data _ Amador 2022.csv", "name,count\nx,1\n")
    with pytest.raises(InputError) as err:
        ingest(z, tmp_path / "out")
    assert "RIPA Stop Data 2022.zip: RIPA Stop Data _ Alpine 2022.csv, line 1, column AGE: missing column" in str(
        err.value
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("RIPA Stop Data _ Amador 2022.csv", "name,count\nx,1\n")
    with pytest.raises(CommandError, match=r"Amador 2022\.csv, line 1: not a RIPA stop-data file: no recognisable"):
        call_command("ingest", "ripa", str(z), "--out", str(tmp_path / "out"), stdout=StringIO())


def test_a_csv_duckdb_cannot_parse_is_named_as_published(tmp_path: Path) -> None:
    z = tmp_path / "RIPA Stop Data 2022.zip"
    good = _csv(tmp_path / "c.csv", ALAMEDA[:1]).read_text().splitlines()
    with zipfile.ZipFile(z, "w") as zf:  # a row with more fields than the header
        zf.writestr("RIPA Stop Data _ Alameda 2022.csv", "\n".join([good[0], good[1] + ",x,y"]) + "\n")
    with pytest.raises(InputError) as err:
        ingest(z, tmp_path / "out")
    message = str(err.value)
    assert "RIPA Stop Data 2022.zip: RIPA Stop Data _ Alameda 2022.csv" in message and "000.csv" not in message
    assert "RIPA Stop Data _ Alameda 2022.csv, line 2: " in message and "Expected Number of Columns: 142" in message
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists()
