"""Search rates and contraband hit rates by group (``sro report searches``), on small hand-built
tables whose every expected number is counted by hand in the comments."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from sro.oversight.metrics import Settings, wilson_interval
from sro.oversight.reports import searches_from_table
from sro.oversight.searches import REASON_NO_CONTRABAND, REASON_SEARCHES

OPEN = Settings(per=100, cell_min=1, n_min=1)  # nothing withheld


def _people(
    n: int,
    *,
    race: int | None,
    searched: int = 0,
    found: int = 0,
    first_id: int = 0,
    prefix: str = "S",
    **cells: Any,
) -> list[dict[str, Any]]:
    """``n`` persons stopped, each alone in a stop; the first ``searched`` searched, the first
    ``found`` of those with contraband found."""
    assert found <= searched <= n
    rows = []
    for i in range(n):
        row: dict[str, Any] = {
            "DOJ_RECORD_ID": f"{prefix}{first_id + i}",
            "PERSON_NUMBER": 1,
            "AGENCY_ORI": "CA0330000",
            "SCHOOL_CODE": "01100170112607",
            "DATE_OF_STOP": dt.date(2023, 5, 1),
            "STOP_STUDENT": 0,
            "K12_SCHOOL_GROUNDS": 0,
            "RAE_FULL": race,
            "G_FULL": 1,
            "PD_FULL": 0,
            "AGE": 30,
            "ADS_SEARCH_PERSON": int(i < searched),
            "ADS_SEARCH_PROPERTY": 0,
            "CONTRABAND_FOUND": int(i < found),
        }
        row.update(cells)
        rows.append(row)
    return rows


def _frame(*groups: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([r for g in groups for r in g])


def _rows(report: pa.Table, dimension: str = "race", breakdown: str = "statewide") -> dict[str, dict[str, Any]]:
    return {r["group"]: r for r in report.to_pylist() if r["dimension"] == dimension and r["breakdown"] == breakdown}


# Black: 200 stopped, 60 searched, 12 found.  White: 400 stopped, 40 searched, 16 found.
# Search rates 30 and 10 per 100; hit rates 20% and 40%: searched more, found less.
BLACK = _people(200, race=2, searched=60, found=12, prefix="B")
WHITE = _people(400, race=7, searched=40, found=16, prefix="W")


def test_a_group_searched_more_and_found_less() -> None:
    result = searches_from_table(_frame(BLACK, WHITE), settings=Settings(per=100, reference="White"))
    got = _rows(result.report)
    black, white, total = got["Black"], got["White"], got["All"]
    assert (black["people"], black["stops"], black["searched"], black["found"]) == (200, 200, 60, 12)
    assert (total["people"], total["stops"], total["searched"], total["found"]) == (600, 600, 100, 28)
    assert black["search_rate"] == pytest.approx(30.0) and white["search_rate"] == pytest.approx(10.0)
    assert black["hit_rate"] == pytest.approx(20.0) and white["hit_rate"] == pytest.approx(40.0)
    lo, hi = wilson_interval(60, 200)
    assert (black["search_rate_lo"], black["search_rate_hi"]) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    lo, hi = wilson_interval(12, 60)  # the hit rate's interval is over persons searched
    assert (black["hit_rate_lo"], black["hit_rate_hi"]) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    lo, hi = wilson_interval(28, 100)
    assert (total["hit_rate_lo"], total["hit_rate_hi"]) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    # Searched 3 times as often as White, found with contraband half as often: the outcome test's signal.
    assert black["search_rr_ref"] == pytest.approx(3.0) and black["search_rr_ref_lo"] > 1
    assert black["hit_rr_ref"] == pytest.approx(0.5) and black["hit_rr_ref_hi"] < 1
    # Against all others (here the others are White): the same ratios.
    assert black["search_rr"] == pytest.approx(3.0) and black["hit_rr"] == pytest.approx(0.5)
    assert white["search_rr_ref"] == pytest.approx(1.0) and white["hit_rr_ref"] == pytest.approx(1.0)
    assert total["search_rr"] is None and total["hit_rr_ref"] is None
    assert not any(r["search_suppressed"] or r["hit_suppressed"] for r in got.values())
    assert all(r["hit_reason"] is None and r["search_reason"] is None for r in got.values())


def test_a_stop_of_two_people_is_one_stop_in_each_group_and_once_in_all() -> None:
    two = [
        *_people(1, race=2, searched=1, found=1, prefix="T"),  # T0, person 1: Black
        *_people(1, race=7, prefix="T", PERSON_NUMBER=2),  # T0, person 2: White
        *_people(1, race=2, prefix="T", PERSON_NUMBER=2, G_FULL=2),  # T0, person 3: Black
    ]
    two[2]["PERSON_NUMBER"] = 3
    alone = _people(2, race=7, searched=1, prefix="U")  # U0, U1: White, one searched
    result = searches_from_table(_frame(two, alone), settings=OPEN)
    race = _rows(result.report)
    assert {g: (r["people"], r["stops"]) for g, r in race.items()} == {
        "All": (5, 3),  # T0, U0, U1: not 2 + 3
        "Black": (2, 1),  # two persons in one stop
        "White": (3, 3),  # T0 (with the Black persons), U0, U1
    }
    assert race["All"]["searched"] == 2 and race["All"]["found"] == 1
    gender = _rows(result.report, "gender")
    assert {g: (r["people"], r["stops"]) for g, r in gender.items()} == {
        "All": (5, 3),
        "Male": (4, 3),
        "Female": (1, 1),
    }
    age = _rows(result.report, "age_group")
    assert set(age) == {"All", "25+"}


def test_a_hit_rate_with_few_searches_is_withheld_and_its_complement_too() -> None:
    # Asian: 100 stopped, 5 searched (under n_min 30), 2 found: its hit rate is withheld (n-size);
    # the search count 5 is under cell_min 11: withheld too, and then so is its hit rate.
    # Black and White as above. In the search partition one group (Asian) is withheld, so the
    # smallest published one is withheld as its complement (the All row would give Asian away).
    asian = _people(100, race=1, searched=5, found=2, prefix="A")
    result = searches_from_table(_frame(asian, BLACK, WHITE), settings=Settings(per=100))
    got = _rows(result.report)
    asian_row = got["Asian"]
    assert asian_row["search_suppressed"] and asian_row["search_reason"] == "cell"
    assert asian_row["searched"] is None and asian_row["search_rate"] is None
    assert asian_row["hit_suppressed"] and asian_row["hit_reason"] == REASON_SEARCHES
    assert asian_row["found"] is None and asian_row["hit_rate"] is None
    assert asian_row["people"] == 100 and asian_row["stops"] == 100  # persons stopped stay published
    # Searches 60 (Black) and 40 (White): White, the smaller, is withheld as the complement; its
    # hit rate goes with it (found / hit rate would give its search count away).
    assert got["White"]["search_reason"] == "complementary" and not got["Black"]["search_suppressed"]
    assert got["White"]["hit_reason"] == REASON_SEARCHES and got["White"]["found"] is None
    # Two hit rates are withheld (Asian, White), so no complement is needed for Black's.
    assert got["Black"]["hit_rate"] == pytest.approx(20.0) and got["Black"]["found"] == 12
    assert got["All"]["searched"] == 105 and got["All"]["found"] == 30
    assert got["All"]["hit_rate"] == pytest.approx(100 * 30 / 105)


def test_a_hit_rate_is_withheld_when_searches_are_under_the_n_size() -> None:
    # Hispanic: 300 stopped, 20 searched (published: at least cell_min 11, of 300 >= n_min 30),
    # 15 found: the hit rate's denominator 20 is under n_min 30, so it is withheld.
    hispanic = _people(300, race=3, searched=20, found=15, prefix="H")
    result = searches_from_table(_frame(hispanic, BLACK, WHITE), settings=Settings(per=100))
    got = _rows(result.report)
    row = got["Hispanic"]
    assert row["searched"] == 20 and not row["search_suppressed"]
    assert row["hit_suppressed"] and row["hit_reason"] == "n-size" and row["hit_rate"] is None
    # It is the only hit rate withheld, and All is published (found 43 of 120): the smallest
    # published found, Black's 12 (White 16), is withheld as its complement.
    assert got["Black"]["hit_reason"] == "complementary" and got["Black"]["hit_rate"] is None
    assert got["Black"]["search_rate"] == pytest.approx(30.0)  # the search rate stays published
    assert got["White"]["hit_rate"] == pytest.approx(40.0)
    assert (got["All"]["found"], got["All"]["searched"]) == (43, 120)


def test_without_contraband_data_hit_rates_are_empty_not_zero() -> None:
    frame = _frame(BLACK, WHITE).drop(columns=["CONTRABAND_FOUND"])
    result = searches_from_table(frame, settings=OPEN)
    got = _rows(result.report)
    assert got["Black"]["search_rate"] == pytest.approx(30.0)
    for row in got.values():
        assert row["found"] is None and row["hit_rate"] is None and row["hit_rate_lo"] is None
        assert row["hit_reason"] == REASON_NO_CONTRABAND
    assert result.coverage.contraband_recorded == 0
    assert any("No contraband data" in line for line in result.notes())
    # An all-empty column says the same as no column.
    nulls = _frame(BLACK, WHITE).assign(CONTRABAND_FOUND=pd.array([None] * 600, dtype="Int64"))
    again = _rows(searches_from_table(nulls, settings=OPEN).report)
    assert again["Black"]["hit_rate"] is None and again["Black"]["hit_reason"] == REASON_NO_CONTRABAND


def test_k12_scope_and_breakdowns() -> None:
    # At school: 40 Black students, 10 searched, 4 found; elsewhere the Black and White adults above.
    school = _people(40, race=2, searched=10, found=4, prefix="K", STOP_STUDENT=1, K12_SCHOOL_GROUNDS=1, AGE=15)
    frame = _frame(school, BLACK, WHITE)
    k12 = searches_from_table(frame, settings=OPEN, k12_only=True, by=[(), ("agency",), ("year",)])
    got = _rows(k12.report)
    assert set(got) == {"All", "Black"} and got["Black"]["people"] == 40 and got["Black"]["hit_rate"] == 40.0
    assert _rows(k12.report, "age_group").keys() == {"All", "15-17"}
    by_agency = _rows(k12.report, breakdown="agency")
    assert by_agency["Black"]["agency"] == "CA0330000" and by_agency["Black"]["searched"] == 10
    assert _rows(k12.report, breakdown="year")["All"]["year"] == "2023"
    assert "K-12 grounds (--k12)" in k12.notes()[0]
    everyone = _rows(searches_from_table(frame, settings=OPEN).report)
    assert everyone["Black"]["people"] == 240 and everyone["Black"]["searched"] == 70


def test_unknown_reference_group_is_refused() -> None:
    with pytest.raises(ValueError, match="--reference 'Whte': no such group"):
        searches_from_table(_frame(BLACK), settings=Settings(reference="Whte"))


def test_report_columns() -> None:
    report = searches_from_table(_frame(BLACK, WHITE), settings=Settings(per=100, reference="White")).report
    assert report.column_names == [
        "breakdown", "agency", "school", "month", "year", "dimension", "group", "people", "stops",
        "searched", "search_rate", "search_rate_lo", "search_rate_hi", "search_rr", "search_rr_lo", "search_rr_hi",
        "search_rr_ref", "search_rr_ref_lo", "search_rr_ref_hi", "search_suppressed", "search_reason",
        "found", "hit_rate", "hit_rate_lo", "hit_rate_hi", "hit_rr", "hit_rr_lo", "hit_rr_hi",
        "hit_rr_ref", "hit_rr_ref_lo", "hit_rr_ref_hi", "hit_suppressed", "hit_reason",
    ]  # fmt: skip
    first = report.slice(0, 1).to_pylist()[0]
    assert (first["breakdown"], first["dimension"], first["group"]) == ("statewide", "age_group", "All")


def test_sqlite_gives_the_same_report() -> None:
    """Portable Ibis: the same numbers from a database (SQLite) as from DuckDB, suppression included."""
    shared = _people(3, race=3, searched=2, found=1, prefix="B")  # B0-B2 join Black persons' stops
    frame = _frame(_people(100, race=1, searched=5, found=2, prefix="A"), BLACK, WHITE, shared)
    settings, by = Settings(per=100, reference="White"), [(), ("year",), ("agency", "year")]
    on_duckdb = searches_from_table(frame, settings=settings, by=by).report.to_pandas()
    raw = sqlite3.connect(":memory:")
    frame.to_sql("ripa", raw, index=False, dtype={"DATE_OF_STOP": "DATE"})
    con: Any = ibis.sqlite.from_connection(raw)
    on_sqlite = searches_from_table(con.table("ripa"), settings=settings, by=by).report.to_pandas()
    assert on_duckdb["search_suppressed"].any() and on_duckdb["hit_rate"].notna().any()
    pd.testing.assert_frame_equal(on_duckdb, on_sqlite, check_dtype=False, check_exact=False, rtol=1e-12)
