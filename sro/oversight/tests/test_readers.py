"""Readers reject malformed files and name the line and column of every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from sro.oversight import synth
from sro.oversight.counts import read_counts, read_enrolment
from sro.oversight.crdc import cell_columns, load_crdc
from sro.oversight.ripa import RIPA_COLUMNS, ingest
from sro.oversight.validation import InputError


def test_counts_reports_every_problem(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("group,enrolled,arrests\nAll,100,5\nBlack,0,1\nWhite,50,-2\nAsian,10,x\nLatino,5,9\n")
    with pytest.raises(InputError) as err:
        read_counts(p)
    got = {(q.line, q.column) for q in err.value.problems}
    assert got == {(3, "enrolled"), (4, "arrests"), (5, "arrests"), (6, "arrests")}
    assert "line 4, column arrests: negative count: -2" in str(err.value)


def test_counts_missing_column(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("group,arrests\nAll,5\n")
    with pytest.raises(InputError, match="line 1, column enrolled: missing column"):
        read_counts(p)


def test_enrolment_rejects_bad_codes(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("school_code,group,enrolled\n123,Black,10\n01100170109835,White,0\n")
    with pytest.raises(InputError) as err:
        read_enrolment(p)
    assert {(q.line, q.column) for q in err.value.problems} == {(2, "school_code"), (3, "enrolled")}


def _crdc_file(tmp_path: Path, overrides: dict[tuple[int, str], str]) -> Path:
    cols = ["LEA_STATE", "LEAID", "COMBOKEY", "SCH_FTESECURITY_LEO"] + [c for cell in cell_columns() for c in cell[:2]]
    rows = []
    for i in range(2):
        row = dict.fromkeys(cols, "1") | {"LEA_STATE": "CA", "LEAID": "0600001", "COMBOKEY": f"06000010000{i}"}
        row["SCH_DISCWODIS_REF_BL_M"] = "-9"  # reserve code: missing, not a number
        for (line, col), v in overrides.items():
            if line == i + 2:
                row[col] = v
        rows.append(",".join(row[c] for c in cols))
    p = tmp_path / "crdc.csv"
    p.write_text(",".join(cols) + "\n" + "\n".join(rows) + "\n")
    return p


def test_crdc_reserve_codes_are_missing(tmp_path: Path) -> None:
    df = load_crdc(_crdc_file(tmp_path, {})).cells
    cell = df[(df.race == "BL") & (df.sex == "M") & (df.category == "Without disabilities")]
    assert cell.referrals.isna().all()
    assert int(df.referrals.sum()) == 2 * (len(cell_columns()) - 1)


def test_crdc_arrests_over_referrals_and_junk(tmp_path: Path) -> None:
    # More arrests than referrals is the CRDC's deliberate perturbation: flagged, not a problem.
    p = _crdc_file(tmp_path, {(3, "SCH_DISCWODIS_ARR_WH_F"): "4", (2, "SCH_DISCWDIS_REF_504_M"): "abc"})
    with pytest.raises(InputError) as err:
        load_crdc(p)
    got = {(q.line, q.column) for q in err.value.problems}
    assert got == {(2, "SCH_DISCWDIS_REF_504_M")}
    df = load_crdc(_crdc_file(tmp_path, {(3, "SCH_DISCWODIS_ARR_WH_F"): "4"})).cells
    assert set(df[df.perturbed].COMBOKEY) == {"060000100001"}


def _bad_ripa(tmp_path: Path, directory: synth.Directory) -> Path:
    p = tmp_path / "r.csv"
    synth.write(directory, synth.SynthSpec(rows=50, seed=3), p)
    lines = p.read_text().splitlines()
    header = lines[0].replace('"', "").split(",")
    rfs, g = header.index("REASON_FOR_STOP"), header.index("G_FULL")
    row = lines[5].split(",")
    row[rfs] = "42"
    lines[5] = ",".join(row)  # line 6
    row = lines[9].split(",")
    row[g] = "x"
    lines[9] = ",".join(row)  # line 10
    p.write_text("\n".join(lines) + "\n")
    return p


def test_ripa_keeps_bad_rows_flagged_naming_lines(tmp_path: Path, directory: synth.Directory) -> None:
    # Every published row is kept and flagged, never the whole file refused: the doubtful cells
    # are named with line and column, and nothing is dropped.
    p = _bad_ripa(tmp_path, directory)
    s = ingest(p, tmp_path / "out")
    assert {(q.line, q.column) for q in s.problems} == {(6, "REASON_FOR_STOP"), (10, "G_FULL")}
    assert all(q.where == "r.csv" for q in s.problems)
    assert (s.rows_read, s.rows_rejected, s.rows_written, s.rows_doubtful) == (50, 0, 50, 2)
    assert s.doubtful_by_reason == {"G_FULL invalid": 1, "REASON_FOR_STOP invalid": 1}
    assert (tmp_path / "out").is_dir() and not (tmp_path / "out.partial").exists()


def test_ripa_missing_column(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text(",".join(c for c in RIPA_COLUMNS if c != "AGE") + "\n")
    with pytest.raises(InputError, match="line 1, column AGE: missing column"):
        ingest(p, tmp_path / "out")
