"""Several RIPA inputs read together (``--ripa`` repeated): years and the 2024 layout change, for
``sro report searches`` and ``sro report k12``; the command's errors. Counts are made by hand."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from sro.incidents.ripa_layout import OPTIONAL_SCHEMA, SCHEMA, Col
from sro.oversight.metrics import Settings
from sro.oversight.reports import k12_file_report, searches_file_report
from sro.oversight.tests.test_ripa_published import SCHOOL, _csv, _row

OPEN = Settings(per=100, cell_min=1, n_min=1)  # nothing withheld
_TYPES = {"id": pa.string(), "text": pa.string(), "cds": pa.string(), "int": pa.int16(), "flag": pa.uint8(),
          "date": pa.date32()}  # fmt: skip
_DEFAULTS = {"PERSON_NUMBER": 1, "AGENCY_ORI": "CA0330000", "SCHOOL_CODE": SCHOOL, "SCHOOL_NAME": "Alameda High",
             "AGE": 15, "REASON_FOR_STOP": 2, "RAE_FULL": 7, "G_FULL": 1, "PD_FULL": 0, "STOP_STUDENT": 1,
             "K12_SCHOOL_GROUNDS": 1}  # fmt: skip


def _column(c: Col) -> pa.Field:
    return pa.field(c.name, _TYPES[c.kind])


def _ingested(path: Path, rows: list[dict[str, Any]], *, optional: tuple[str, ...], layout: str | None) -> Path:
    """Typed rows as ``sro ingest ripa`` writes them: the harmonised columns (of the optional ones,
    only ``optional``), ``DOUBT``, ``SOURCE_FILE`` and, when given, ``LAYOUT``."""
    fields = [_column(c) for c in SCHEMA] + [_column(c) for c in OPTIONAL_SCHEMA if c.name in optional]
    fields += [pa.field("SOURCE_FILE", pa.string()), pa.field("DOUBT", pa.string())]
    if layout is not None:
        fields.append(pa.field("LAYOUT", pa.string()))
    full = []
    for row in rows:
        base: dict[str, Any] = {f.name: (0 if f.type == pa.uint8() else None) for f in fields}
        base.update(_DEFAULTS, SOURCE_FILE=path.name, LAYOUT=layout, **row)
        full.append({f.name: base[f.name] for f in fields})
    table = pa.Table.from_pylist(full, schema=pa.schema(fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def _people(
    prefix: str, n: int, *, race: int, day: dt.date, searched: int, found: int, frisked: int = 0
) -> list[dict[str, Any]]:
    """``n`` persons, each alone in a stop: the first ``searched`` searched (the first ``frisked``
    of them by a Terry frisk, which the 2024 reader counts in ADS_SEARCH_PERSON), the first
    ``found`` with contraband found."""
    return [
        {
            "DOJ_RECORD_ID": f"{prefix}{i}",
            "DATE_OF_STOP": day,
            "RAE_FULL": race,
            "ADS_SEARCH_PERSON": int(i < searched),
            "CONTRABAND_FOUND": int(i < found),
            "NFA_TERRY_FRISK": int(i < frisked),
        }
        for i in range(n)
    ]


D23, D24 = dt.date(2023, 4, 1), dt.date(2024, 3, 1)
# 2023 (2018-2023 layout): Black 40 stopped, 20 searched, 4 found; White 60, 10, 5.
ROWS_2023 = [*_people("B3-", 40, race=2, day=D23, searched=20, found=4),
             *_people("W3-", 60, race=7, day=D23, searched=10, found=5)]  # fmt: skip
# 2024 layout: Black 50 stopped, 25 searched (10 by a frisk), 5 found; White 50, 10 (2 frisks), 5.
ROWS_2024 = [*_people("B4-", 50, race=2, day=D24, searched=25, found=5, frisked=10),
             *_people("W4-", 50, race=7, day=D24, searched=10, found=5, frisked=2)]  # fmt: skip


def _race(report: pa.Table, breakdown: str) -> dict[tuple[str | None, str], dict[str, Any]]:
    return {
        (r["year"], r["group"]): r
        for r in report.to_pylist()
        if r["dimension"] == "race" and r["breakdown"] == breakdown
    }


def test_a_2018_2023_table_and_a_2024_table_read_together_by_year(tmp_path: Path) -> None:
    old = _ingested(tmp_path / "ripa-2023.parquet", ROWS_2023, optional=("CONTRABAND_FOUND",), layout="2018-2023")
    # As `sro ingest ripa` writes a directory: partitioned by YEAR, with NFA_TERRY_FRISK.
    new = _ingested(tmp_path / "ripa-2024" / "YEAR=2024" / "data_0.parquet", ROWS_2024,
                    optional=("CONTRABAND_FOUND", "NFA_TERRY_FRISK", "ROS_WARNING"), layout="2024")  # fmt: skip
    got = searches_file_report([old, new.parent.parent], by=[(), ("year",)], settings=OPEN)
    year = _race(got.report, "year")
    assert (year[("2023", "Black")]["search_rate"], year[("2023", "Black")]["hit_rate"]) == (50.0, 20.0)
    assert year[("2023", "White")]["search_rate"] == pytest.approx(100 / 6)
    assert (year[("2023", "White")]["hit_rate"], year[("2024", "White")]["search_rate"]) == (50.0, 20.0)
    assert (year[("2024", "Black")]["searched"], year[("2024", "Black")]["found"]) == (25, 5)
    assert (year[("2024", "All")]["people"], year[("2024", "All")]["stops"]) == (100, 100)
    state = _race(got.report, "statewide")
    assert (state[(None, "Black")]["people"], state[(None, "Black")]["searched"], state[(None, "Black")]["found"]) == (
        90, 45, 9)  # fmt: skip
    assert (state[(None, "All")]["searched"], state[(None, "All")]["found"]) == (65, 19)
    assert got.layouts == {"2018-2023": 100, "2024": 100}
    notes = got.notes()
    assert notes[0].startswith("RIPA rows read: 200; flagged doubtful: 0")
    assert "Layouts read: 2018-2023 100 rows; 2024 100 rows" in notes
    assert any("Terry frisk" in n and n.endswith("frisked (NFA_TERRY_FRISK): 12.") for n in notes)  # 10 + 2
    assert not any("CONTRABAND_FOUND is empty" in n for n in notes)
    # The K-12 report reads the same inputs (every person here is a student at school).
    k12 = k12_file_report([old, new.parent.parent], by=[("year",)], settings=OPEN)
    rows = [r for r in k12.report.to_pylist() if r["breakdown"] == "year" and r["outcome"] == "searched"]
    den = {(r["year"], r["group"]): (r["denominator"], r["count"]) for r in rows if r["dimension"] == "race"}
    assert den[("2023", "Black")] == (40, 20) and den[("2024", "White")] == (50, 10) and den[("2024", "All")] == (
        100, 35)  # fmt: skip
    assert k12.layouts == {"2018-2023": 100, "2024": 100}
    assert any("per person stopped" in n for n in k12.notes())


def test_an_input_without_contraband_columns_leaves_its_searches_out_of_the_hit_rates(tmp_path: Path) -> None:
    # An older ingest: no CONTRABAND_FOUND, no LAYOUT. Its 30 searches cannot count in a hit rate.
    old = _ingested(tmp_path / "old.parquet", ROWS_2023, optional=(), layout=None)
    new = _ingested(tmp_path / "new.parquet", ROWS_2024, optional=("CONTRABAND_FOUND", "NFA_TERRY_FRISK"),
                    layout="2024")  # fmt: skip
    got = searches_file_report([old, new], by=[(), ("year",)], settings=OPEN)
    year = _race(got.report, "year")
    assert year[("2023", "Black")]["searched"] == 20 and year[("2023", "Black")]["hit_rate"] is None
    assert year[("2023", "Black")]["hit_reason"] == "no contraband data"
    assert year[("2024", "Black")]["hit_rate"] == 20.0
    state = _race(got.report, "statewide")
    # Black: 45 searched, of whom the 25 of 2024 have contraband recorded, 5 found: 20%, not 5/45.
    assert state[(None, "Black")]["searched"] == 45 and state[(None, "Black")]["hit_rate"] == 20.0
    assert got.layouts == {"2024": 100, "not recorded": 100}
    assert any("CONTRABAND_FOUND is empty for 30 of 65 persons searched" in n for n in got.notes())
    # The old input alone: no contraband data at all.
    alone = searches_file_report(old, by=[()], settings=OPEN)
    assert all(r["hit_rate"] is None for r in alone.report.to_pylist())
    assert any(n.startswith("No contraband data") for n in alone.notes())
    assert alone.layouts == {}  # one input without LAYOUT: nothing to say
    assert not any(n.startswith("Layouts read") for n in alone.notes())


def _doj_csvs(tmp_path: Path) -> tuple[Path, Path]:
    """Two DOJ 2018-2023 CSVs (all 142 Read Me columns), 2022 and 2023."""
    a = _csv(tmp_path / "RIPA Stop Data 2022.csv", [
        _row("R1", ADS_SEARCH_PERSON=1, CED_DRUGS=1, CED_NONE_CONTRABAND=0),  # Black, found
        _row("R1", PERSON_NUMBER=2, RAE_FULL=7, ADS_SEARCH_PROPERTY=1, CED_NONE_CONTRABAND=1),  # White, same stop
        _row("R2"),  # Black, not searched
    ])  # fmt: skip
    b = _csv(tmp_path / "RIPA Stop Data 2023.csv", [
        # Black, nothing found; the identifier of a 2022 stop, on another date: another stop.
        _row("R2", DATE_OF_STOP="2023-02-01", ADS_SEARCH_PERSON=1, CED_NONE_CONTRABAND=1),
        _row("S2", DATE_OF_STOP="2023-02-02", RAE_FULL=7, ADS_SEARCH_PERSON=1, CED_WEAPON=1),  # White, found
        _row("S3", DATE_OF_STOP="2023-02-03", RAE_FULL=7),  # White, not searched
    ])  # fmt: skip
    return a, b


def _cli(kind: str, *args: str) -> tuple[list[dict[str, Any]], str]:
    out, err = StringIO(), StringIO()
    call_command("report", kind, *args, "--cell-min", "1", "--n-min", "1", "--format", "json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_cli_two_ripa_files_of_different_years(tmp_path: Path) -> None:
    a, b = _doj_csvs(tmp_path)
    rows, note = _cli("searches", "--ripa", str(a), "--ripa", str(b), "--by", "year", "--reference", "White")
    race = {(r["year"], r["group"]): r for r in rows if r["dimension"] == "race"}
    # 2022: R1 (Black searched, found; White searched, nothing), R2 (Black): 3 persons, 2 stops.
    assert (race[("2022", "All")]["people"], race[("2022", "All")]["stops"]) == (3, 2)
    assert (race[("2022", "Black")]["people"], race[("2022", "Black")]["stops"]) == (2, 2)
    assert (race[("2022", "White")]["stops"], race[("2022", "White")]["searched"]) == (1, 1)
    # White found 0, under --cell-min 1: withheld; Black's 1 found is then its complement.
    assert race[("2022", "White")]["found"] is None and race[("2022", "White")]["hit_reason"] == "cell"
    assert race[("2022", "Black")]["hit_rate"] is None and race[("2022", "Black")]["hit_reason"] == "complementary"
    assert race[("2022", "All")]["hit_rate"] == 50.0
    # 2023: R2 (again) Black searched, nothing; S2 White searched, weapon; S3 White.
    assert (race[("2023", "White")]["searched"], race[("2023", "White")]["people"]) == (1, 2)
    assert (race[("2023", "All")]["found"], race[("2023", "All")]["searched"]) == (1, 2)
    # Both years: 6 persons in 5 stops (R2 of 2022 and R2 of 2023 are two); Black 2 searched,
    # 1 found; White 2 searched, 1 found.
    assert (race[(None, "All")]["people"], race[(None, "All")]["stops"]) == (6, 5)
    assert race[(None, "Black")]["stops"] == 3
    assert (race[(None, "Black")]["search_rate"], race[(None, "Black")]["hit_rate"]) == (
        pytest.approx(200 / 3), 50.0)  # fmt: skip
    assert race[(None, "Black")]["hit_rr_ref"] == pytest.approx(1.0)
    assert "RIPA rows read: 6; flagged doubtful: 0, included" in note
    assert "Layouts read: 2018-2023 6 rows" in note
    assert "stops counts distinct stops" in note and "repeat" not in note
    # The K-12 report over the same two files: its columns as before, and the per-person note.
    k12, k12_note = _cli("k12", "--ripa", str(a), "--ripa", str(b), "--by", "year")
    searched = {(r["year"], r["group"]): r for r in k12 if r["dimension"] == "race" and r["outcome"] == "searched"}
    assert searched[("2022", "All")]["denominator"] == 3 and searched[(None, "All")]["count"] == 4
    assert "Counts are per person stopped" in k12_note and "Layouts read: 2018-2023 6 rows" in k12_note


def test_cli_the_same_file_twice_is_counted_and_said(tmp_path: Path) -> None:
    a, _ = _doj_csvs(tmp_path)
    rows, note = _cli("searches", "--ripa", str(a), "--ripa", str(a))
    total = next(r for r in rows if r["dimension"] == "race" and r["group"] == "All")
    assert (total["people"], total["stops"]) == (6, 2)
    assert "3 rows repeat the DOJ_RECORD_ID, DATE_OF_STOP and PERSON_NUMBER of another row read" in note


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "county"], "--by 'county': unknown county; choose from agency, school, month, year"),
        (["--ripa", "{tmp}/missing.zip"], "--ripa {tmp}/missing.zip: no such file or directory"),
        (["--ripa", "{tmp}/empty"], "{tmp}/empty"),
        (["--reference", "Whte"], "--reference 'Whte': no such group"),
    ],
)
def test_cli_errors_are_command_errors(tmp_path: Path, args: list[str], message: str) -> None:
    a, _ = _doj_csvs(tmp_path)
    (tmp_path / "empty").mkdir()
    given = [x.format(tmp=tmp_path) for x in args]
    with pytest.raises(CommandError, match=message.format(tmp=tmp_path).replace("(", r"\(")):
        call_command("report", "searches", "--ripa", str(a), *given, stdout=StringIO(), stderr=StringIO())
    if "--reference" not in args:  # the K-12 report has no --reference
        with pytest.raises(CommandError):
            call_command("report", "k12", "--ripa", str(a), *given, stdout=StringIO(), stderr=StringIO())


def test_cli_terminal_table_with_notes(tmp_path: Path) -> None:
    a, b = _doj_csvs(tmp_path)
    out = StringIO()
    call_command(
        "report", "searches", "--ripa", str(a), "--ripa", str(b), "--k12", "--cell-min", "1", "--n-min", "1", stdout=out
    )
    text = out.getvalue()
    assert "Search and hit rates" in text and "hit_rate" in text
    assert "Scope: persons stopped who are students or were stopped on K-12 grounds (--k12)." in text


def test_cli_doubtful_rows_are_included_unless_excluded(tmp_path: Path) -> None:
    a, _ = _doj_csvs(tmp_path)
    odd = _csv(tmp_path / "odd.csv", [_row("X1", AGE=445, ADS_SEARCH_PERSON=1)])  # Read Me (k): age 445
    rows, note = _cli("searches", "--ripa", str(a), "--ripa", str(odd))
    total = next(r for r in rows if r["dimension"] == "race" and r["group"] == "All")
    assert (total["people"], total["searched"]) == (4, 3)
    assert "RIPA rows read: 4; flagged doubtful: 1, included (--exclude-doubtful leaves them out)" in note
    assert note.splitlines()[0].endswith(": AGE invalid 1; student over 22 1")  # 445 is over 22 too
    rows, note = _cli("searches", "--ripa", str(a), "--ripa", str(odd), "--exclude-doubtful")
    total = next(r for r in rows if r["dimension"] == "race" and r["group"] == "All")
    assert (total["people"], total["searched"]) == (3, 2)
    assert "flagged doubtful: 1, excluded (--exclude-doubtful)" in note
