"""CRDC files in their published layouts, with the published files' quirks, against hand-counted figures.

The headers come from the 2017-18 CRDC File Structure workbook (``crdc_layouts/``) and, for
2020-21, from the columns CBS News reads from the real 2020-21 files; never from ``synth.py``.
"""

from __future__ import annotations

import math
from io import StringIO
from pathlib import Path

import ibis
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from sro.oversight.crdc import (
    LAYOUT_COMBINED,
    LAYOUT_MODULE,
    PERTURBED_NOTE,
    crdc_files_report,
    crdc_report,
    load_crdc,
)
from sro.oversight.metrics import Settings
from sro.oversight.validation import InputError

LAYOUTS = Path(__file__).parent / "crdc_layouts"
EVERYTHING = Settings(per=100, cell_min=1, n_min=1)  # no suppression: every figure is checked


def _header(name: str) -> list[str]:
    return (LAYOUTS / f"{name}.txt").read_text().split()


REF_ARR_2017 = _header("2017-18-referrals-and-arrests")
ENROLLMENT_2017 = _header("2017-18-enrollment")
SUPPORT_2017 = _header("2017-18-school-support")

# 2020-21: the columns CBS News's cleaning script reads from the real 2020-21 Referrals and Arrests
# file (cbs-news-data/crdc-le-referral-data, src/constants.py INDEX_COLS, REF_COLS, ARR_COLS).
# Its Section 504 columns are not in that list, so this file has none.
_RACES = ("AM", "AS", "BL", "WH", "HI", "HP", "TR")
REF_ARR_2020 = [
    "COMBOKEY", "LEA_STATE", "LEAID", "LEA_NAME", "SCHID", "SCH_NAME", "JJ",
    *(f"SCH_DISCWDIS_{k}_IDEA_{r}_{s}" for k in ("ARR", "REF") for r in _RACES for s in ("F", "M")),
    *(f"SCH_DISCWODIS_{k}_{r}_{s}" for k in ("ARR", "REF") for r in _RACES for s in ("F", "M")),
    "TOT_DISCWDIS_ARR_IDEA_F", "TOT_DISCWDIS_ARR_IDEA_M", "TOT_DISCWODIS_ARR_F", "TOT_DISCWODIS_ARR_M",
    "TOT_DISCWDIS_REF_IDEA_F", "TOT_DISCWDIS_REF_IDEA_M", "TOT_DISCWODIS_REF_F", "TOT_DISCWODIS_REF_M",
]  # fmt: skip


def _school(leaid: str, schid: str, name: str) -> dict[str, object]:
    return {"LEA_STATE": "CA", "LEAID": leaid, "SCHID": schid, "COMBOKEY": leaid + schid, "SCH_NAME": name}


SCHOOLS = {
    "A": _school("0600001", "00001", "Palm High"),
    "B": _school("0600001", "00002", "Escuela Peña"),  # "ñ" is byte 0xF1 in the published Latin-1 files
    "C": _school("0600001", "00003", "Desert Middle"),
    "D": _school("0600002", "00004", "Mesa Elementary"),
}

# Referrals and arrests per school; every other count is 0.
COUNTS = {
    "A": {"SCH_DISCWODIS_REF_BL_M": 10, "SCH_DISCWODIS_ARR_BL_M": 3,
          "SCH_DISCWODIS_REF_WH_F": 20, "SCH_DISCWODIS_ARR_WH_F": 2,
          "SCH_DISCWDIS_REF_IDEA_HI_M": 5, "SCH_DISCWDIS_ARR_IDEA_HI_M": 1,
          "SCH_DISCWDIS_REF_504_M": 5},
    # -9 (not applicable / skipped) in one cell: that cell is missing, the rest is read.
    "B": {"SCH_DISCWODIS_REF_HI_F": 10, "SCH_DISCWODIS_REF_BL_M": 10, "SCH_DISCWODIS_ARR_BL_M": 1,
          "SCH_DISCWODIS_REF_AS_F": -9, "SCH_DISCWODIS_ARR_AS_F": -9},
    # Perturbed: 1 referral, 2 arrests.
    "C": {"SCH_DISCWODIS_REF_WH_M": 1, "SCH_DISCWODIS_ARR_WH_M": 2},
    # -3 (skip logic failure) in every arrest column, as the 2017-18 Data Notes describe for the module.
    "D": {"SCH_DISCWODIS_REF_HI_M": 4, **{c: -3 for c in REF_ARR_2017 if "_ARR_" in c}},
}  # fmt: skip

ENROLMENT = {  # SCH_ENR_* of school A; the others get 30 in every cell
    "SCH_ENR_BL_M": 100, "SCH_ENR_BL_F": 100, "SCH_ENR_WH_M": 150, "SCH_ENR_WH_F": 200,
    "SCH_ENR_HI_M": 50, "SCH_ENR_HI_F": 50, "SCH_ENR_IDEA_M": 30, "SCH_ENR_IDEA_F": 20,
    "SCH_ENR_504_M": 10, "SCH_ENR_504_F": 10,
}  # fmt: skip
OFFICERS = {"A": "1.0", "B": "0", "C": "0.5", "D": "-9"}


def _write(path: Path, columns: list[str], rows: list[dict[str, object]], encoding: str = "latin-1") -> Path:
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(str(row.get(c, "No" if c == "JJ" else 0)) for c in columns))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _rows(columns: list[str], extra: dict[str, dict[str, object]] | None = None) -> list[dict[str, object]]:
    rows = []
    for name, keys in SCHOOLS.items():
        counts = {c: v for c, v in COUNTS[name].items() if c in columns}
        rows.append({**keys, **counts, **(extra or {}).get(name, {})})
    return rows


def _module(tmp_path: Path, encoding: str = "latin-1") -> Path:
    return _write(tmp_path / "Referrals and Arrests.csv", REF_ARR_2017, _rows(REF_ARR_2017), encoding)


def _enrolment(tmp_path: Path) -> Path:
    rows = []
    for name, keys in SCHOOLS.items():
        values = ENROLMENT if name == "A" else {c: 30 for c in ENROLLMENT_2017 if c.startswith("SCH_ENR_")}
        rows.append({**keys, **values})
    return _write(tmp_path / "Enrollment.csv", ENROLLMENT_2017, rows)


def _support(tmp_path: Path) -> Path:
    rows: list[dict[str, object]] = [{**keys, "SCH_FTESECURITY_LEO": OFFICERS[n]} for n, keys in SCHOOLS.items()]
    return _write(tmp_path / "School Support.csv", SUPPORT_2017, rows)


def _row(table: pd.DataFrame, level: str, key: str, dimension: str, outcome: str, group: str) -> pd.Series:
    sel = table[(table.level == level) & (table.key == key) & (table.dimension == dimension)]
    sel = sel[(sel.outcome == outcome) & (sel.group == group)]
    assert len(sel) == 1, (level, key, dimension, outcome, group)
    return sel.iloc[0]


def test_published_headers_are_the_file_structure_columns() -> None:
    # Spot checks against the 2017-18 File Structure workbook (columns I, AS, CF of Referrals and Arrests).
    assert REF_ARR_2017[8] == "SCH_DISCWODIS_REF_HI_M"
    assert REF_ARR_2017[44] == "SCH_DISCWDIS_REF_504_M"
    assert REF_ARR_2017[-1] == "SCH_DISCWDIS_ARR_504_F"
    assert "SCH_FTESECURITY_LEO" in SUPPORT_2017 and "SCH_ENR_504_F" in ENROLLMENT_2017


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8-sig", "utf-8"])
def test_latin1_and_utf8_names_are_read(tmp_path: Path, encoding: str) -> None:
    path = _module(tmp_path, encoding)
    if encoding == "latin-1":
        with pytest.raises(UnicodeDecodeError):
            path.read_text(encoding="utf-8")  # what aborted the run before
    f = load_crdc(path)
    assert f.layout == LAYOUT_MODULE and f.schools == 4
    assert f.encoding.startswith("UTF-8" if encoding.startswith("utf") else "Windows-1252")


def test_reserve_codes_are_missing_and_tallied(tmp_path: Path) -> None:
    f = load_crdc(_module(tmp_path))
    b = f.cells[(f.cells.COMBOKEY == "060000100002") & (f.cells.race == "AS") & (f.cells.sex == "F")]
    b = b[b.category == "Without disabilities"]
    assert b.referrals.isna().all() and b.arrests.isna().all()
    arrest_columns = sum(1 for c in REF_ARR_2017 if c.startswith("SCH_DISCW") and "_ARR_" in c and "_LEP_" not in c)
    assert f.reserve_codes == {-9: 2, -3: arrest_columns}
    assert f.summary()["reserve_codes"]["-3 (skip logic failure)"] == arrest_columns


def test_perturbed_school_is_flagged_not_refused(tmp_path: Path) -> None:
    f = load_crdc(_module(tmp_path))
    assert f.perturbed == ["060000100003"]
    assert f.cells[f.cells.COMBOKEY == "060000100003"].perturbed.all()
    assert not f.cells[f.cells.COMBOKEY != "060000100003"].perturbed.any()


def test_report_figures_by_hand(tmp_path: Path) -> None:
    r = crdc_report(ibis.memtable(load_crdc(_module(tmp_path)).cells), EVERYTHING).to_pandas()
    # School C (perturbed) is left out; school D has no arrest counts (-3), so no cell of it is used.
    assert set(r[r.level == "school"].key) == {"060000100001", "060000100002"}
    # Race (no Section 504): A 10 Black + 20 White + 5 Hispanic (IDEA), B 10 Hispanic + 10 Black = 55.
    everyone = _row(r, "state", "CA", "race", "referrals", "All")
    assert (everyone["count"], everyone.denominator, everyone.rate) == (55, 55, 100.0)  # not 55 / 385
    black = _row(r, "state", "CA", "race", "referrals", "Black")
    assert (black["count"], black.denominator) == (20, 55) and math.isclose(black.rate, 100 * 20 / 55)
    arrests = _row(r, "state", "CA", "race", "arrests", "All")
    assert arrests["count"] == 7 and math.isclose(arrests.rate, 100 * 7 / 55)
    assert math.isclose(_row(r, "state", "CA", "race", "arrests", "Black").rate, 100 * 4 / 20)
    # Disability: without 50 (6 arrests), IDEA 5 (1), Section 504 5 (0); all 60 (7).
    dis = _row(r, "state", "CA", "disability", "referrals", "All")
    assert (dis["count"], dis.denominator, dis.rate) == (60, 60, 100.0)
    assert math.isclose(_row(r, "state", "CA", "disability", "arrests", "All").rate, 100 * 7 / 60)
    assert math.isclose(_row(r, "state", "CA", "disability", "referrals", "Section 504").rate, 100 * 5 / 60)
    assert math.isclose(_row(r, "state", "CA", "disability", "arrests", "Without disabilities").rate, 100 * 6 / 50)
    # Every All row of the referrals outcome is 100 % at every level.
    alls = r[(r.outcome == "referrals") & (r.group == "All") & (r.denominator > 0)]
    assert (alls["count"] == alls.denominator).all() and (alls.rate == 100.0).all()
    assert not r.select_dtypes("float").isin([math.inf]).any().any()


def test_enrolment_and_officers_by_hand(tmp_path: Path) -> None:
    rep = crdc_files_report(_module(tmp_path), EVERYTHING, enrolment=_enrolment(tmp_path), support=_support(tmp_path))
    assert rep.summary["schools_left_out_perturbed"] == 1
    assert rep.summary["per_enrolment_left_out"] == {
        PERTURBED_NOTE: 1,  # C
        "a reserve code in the referral or arrest columns": 2,  # B (-9) and D (-3)
    }
    assert rep.per_enrolment is not None and rep.officers is not None
    e = rep.per_enrolment.to_pandas()
    assert set(e.key) == {"CA", "0600001", "060000100001"}  # only school A is complete
    # Per 1,000 enrolled at school A: 650 students; 50 IDEA; 20 Section 504.
    black = _row(e, "state", "CA", "race", "referrals", "Black")
    assert (black["count"], black.denominator, black.rate) == (10, 200, 50.0)
    assert math.isclose(_row(e, "state", "CA", "race", "arrests", "Black").rate, 15.0)
    everyone = _row(e, "state", "CA", "race", "referrals", "All")
    assert (everyone["count"], everyone.denominator) == (35, 650)
    male = _row(e, "state", "CA", "sex", "referrals", "Male")
    assert (male["count"], male.denominator) == (20, 300)
    assert _row(e, "state", "CA", "disability", "referrals", "IDEA").rate == 100.0
    assert _row(e, "state", "CA", "disability", "referrals", "Section 504").rate == 250.0
    without = _row(e, "state", "CA", "disability", "referrals", "Without disabilities")
    assert (without["count"], without.denominator) == (30, 580)

    o = rep.officers.to_pandas().set_index(["level", "key"])
    ca = o.loc[("state", "CA")]
    assert (ca.schools, ca.schools_no_data, ca.schools_with_officers, ca.officer_fte) == (4, 1, 2, 1.5)
    # With officers: A (C is perturbed, left out of the sums); without: B.
    assert (ca.referrals_with_officers, ca.arrests_with_officers) == (40, 6)
    assert (ca.referrals_without_officers, ca.arrests_without_officers) == (20, 1)
    assert o.loc[("district", "0600002")].schools_no_data == 1


def test_2015_16_combined_file_carries_enrolment_and_officers(tmp_path: Path) -> None:
    enr = [c for c in ENROLLMENT_2017 if c.startswith(("SCH_ENR_", "TOT_ENR_"))]
    columns = [*REF_ARR_2017, *enr, "SCH_FTESECURITY_LEO"]
    extra: dict[str, dict[str, object]] = {
        n: ({**ENROLMENT} if n == "A" else {}) | {"SCH_FTESECURITY_LEO": OFFICERS[n]} for n in SCHOOLS
    }
    for n in SCHOOLS:
        if n != "A":
            extra[n] |= dict.fromkeys(enr, 30)
    path = _write(tmp_path / "CRDC-2015-16-School-Data.csv", columns, _rows(columns, extra))
    rep = crdc_files_report(path, EVERYTHING)
    assert rep.summary["layout"] == LAYOUT_COMBINED
    assert rep.per_enrolment is not None and rep.officers is not None
    e = rep.per_enrolment.to_pandas()
    assert _row(e, "state", "CA", "race", "referrals", "Black").rate == 50.0


def test_2020_21_module_without_504_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "Referrals and Arrests.csv", REF_ARR_2020, _rows(REF_ARR_2020))
    f = load_crdc(path)
    assert not f.section_504 and f.perturbed == ["060000100003"]
    r = crdc_report(ibis.memtable(f.cells), EVERYTHING).to_pandas()
    dis = _row(r, "state", "CA", "disability", "referrals", "All")
    assert (dis["count"], dis.denominator) == (55, 55)  # no Section 504 referrals in this layout
    assert "Section 504" not in set(r.group)


def test_not_a_crdc_file(tmp_path: Path) -> None:
    p = tmp_path / "stops.csv"
    p.write_text("DOJ_RECORD_ID,AGENCY_ORI,PERSON_NUMBER\nX1,CA0330000,1\n")
    with pytest.raises(InputError) as err:
        load_crdc(p)
    text = str(err.value)
    assert str(p) in text and "line 1: not a CRDC Referrals and Arrests file" in text
    assert "DOJ_RECORD_ID" in text


def test_enrolment_file_that_is_not_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a CRDC Enrollment file"):
        crdc_files_report(_module(tmp_path), EVERYTHING, enrolment=_support(tmp_path))


def test_missing_column_names_file_line_and_column(tmp_path: Path) -> None:
    columns = [c for c in REF_ARR_2017 if c != "SCH_DISCWODIS_ARR_TR_F"]
    p = _write(tmp_path / "ra.csv", columns, _rows(columns))
    with pytest.raises(InputError) as err:
        load_crdc(p)
    assert f"{p}: rejected" in str(err.value)
    assert "line 1, column SCH_DISCWODIS_ARR_TR_F: missing column" in str(err.value)


def test_text_in_a_count_and_a_ragged_row(tmp_path: Path) -> None:
    p = _write(tmp_path / "ra.csv", REF_ARR_2017, _rows(REF_ARR_2017, {"B": {"SCH_DISCWDIS_ARR_504_F": "n/a"}}))
    with pytest.raises(InputError) as err:
        load_crdc(p)
    assert [(q.line, q.column) for q in err.value.problems] == [(3, "SCH_DISCWDIS_ARR_504_F")]
    assert "line 3, column SCH_DISCWDIS_ARR_504_F: not a whole number: 'n/a'" in str(err.value)
    lines = _module(tmp_path).read_bytes().split(b"\r\n")
    lines[3] += b",extra,cells"
    p.write_bytes(b"\r\n".join(lines))
    with pytest.raises(InputError, match=r"line 4: malformed CSV row"):
        load_crdc(p)


def test_cli_says_what_it_left_out(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "report", "crdc", "--crdc", str(_module(tmp_path)), "--enrolment", str(_enrolment(tmp_path)),
        "--support", str(_support(tmp_path)), "--format", "table", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert f"1 schools left out: {PERTURBED_NOTE}" in text
    assert "per 1,000 enrolled" in text and "sworn law enforcement officers" in text
    assert "per-enrolment rates: 2 schools left out: a reserve code" in text
    csv_out, err = StringIO(), StringIO()
    call_command("report", "crdc", "--crdc", str(_module(tmp_path)), "--format", "csv", stdout=csv_out, stderr=err)
    assert PERTURBED_NOTE in err.getvalue() and PERTURBED_NOTE not in csv_out.getvalue()
    assert pd.read_csv(StringIO(csv_out.getvalue())).shape[0] > 0


def test_cli_bad_file_is_one_message(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match=r"x\.csv: rejected, 1 problem.*\n  line 1: not a CRDC"):
        call_command("report", "crdc", "--crdc", str(p), stdout=StringIO())


def test_a_school_given_twice_is_named_with_both_lines(tmp_path: Path) -> None:
    """Two module files pasted together, or a copied row: each school is one row in the CRDC."""
    lines = _module(tmp_path).read_bytes().split(b"\r\n")
    p = tmp_path / "twice.csv"
    p.write_bytes(b"\r\n".join([*lines[:3], lines[1], *lines[3:]]))
    with pytest.raises(InputError) as err:
        load_crdc(p)
    assert [(q.line, q.column) for q in err.value.problems] == [(4, "COMBOKEY")]
    assert "line 4, column COMBOKEY: school" in str(err.value) and "repeated (first on line 2)" in str(err.value)
