"""The engine finds a planted disparity and none that is not there; commands end to end."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from sro.oversight import bench, synth
from sro.oversight.metrics import Settings
from sro.oversight.reports import k12_from_table


def _report(directory: synth.Directory, disparity: dict[str, float], seed: int) -> pa.Table:
    spec = synth.SynthSpec(rows=60_000, seed=seed, k12_share=0.5, disparity=disparity)
    table = pa.concat_tables(list(synth.generate(directory, spec)))
    report, _ = k12_from_table(table, settings=Settings(per=100))
    return report


def test_planted_disparity_is_found(directory: synth.Directory) -> None:
    df = _report(directory, {"Black": 2.0}, seed=11).to_pandas()
    race = df[(df.dimension == "race") & (df.group == "Black")].set_index("outcome")
    for outcome in ("arrest", "searched", "handcuffed", "referral_admin"):
        assert race.loc[outcome, "rr_lo"] > 1.3, outcome
    assert race.loc["arrest", "rr"] == pytest.approx(2.0 / (1 + 0.15 * (2.0 - 1)) / 1.0, rel=0.25)


def test_null_simulation_has_few_false_positives(directory: synth.Directory) -> None:
    df = _report(directory, {}, seed=12).to_pandas()
    race = df[(df.dimension == "race") & (df.group != "All") & ~df.suppressed & df.rr_lo.notna()]
    race = race[race.outcome != "discipline_stop"]
    # Outcomes independent of race: a 95% interval excludes 1 about 5% of the time.
    false_pos = ((race.rr_lo > 1) | (race.rr_hi < 1)).mean()
    assert len(race) >= 30
    assert false_pos <= 0.12


def test_cli_synth_ingest_report(tmp_path: Path, directory: synth.Directory) -> None:
    csv_path, out = tmp_path / "r.csv", tmp_path / "pq"
    buf = StringIO()
    call_command(
        "synth", "ripa", "--rows", "3000", "--seed", "5", "--out", str(csv_path), "--disparity", "Black=3", stdout=buf
    )
    assert "wrote 3,000 rows" in buf.getvalue()
    buf = StringIO()
    call_command("ingest", "ripa", str(csv_path), "--out", str(out), "--json", stdout=buf)
    summary = json.loads(buf.getvalue())
    assert (summary["rows_read"], summary["rows_rejected"], summary["rows_written"]) == (3000, 0, 3000)
    report = tmp_path / "k12.parquet"
    call_command("report", "k12", "--ripa", str(out), "--by", "month", "--format", "parquet", "--out", str(report))
    t = pq.read_table(report).to_pandas()
    total = t[(t.breakdown == "statewide") & (t.dimension == "race") & (t.group == "All") & (t.outcome == "arrest")]
    stops = pq.read_table(out).to_pandas()
    k12 = stops[(stops.STOP_STUDENT == 1) | (stops.K12_SCHOOL_GROUNDS == 1)]
    assert int(total.denominator.iloc[0]) == len(k12)
    arrests = int(((k12.ROS_CUSTODIAL_WARRANT == 1) | (k12.ROS_CUSTODIAL_WITHOUT_WARRANT == 1)).sum())
    assert int(total["count"].iloc[0]) == arrests
    assert set(t.breakdown) == {"statewide", "month"}


def test_cli_disparity_csv(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("group,enrolled,arrests\nAll,16762957,715\nBlack,2570755,349\nWhite,7846286,188\n")
    buf = StringIO()
    call_command("report", "disparity", "--counts", str(p), "--per", "10000", "--format", "json", stdout=buf)
    rows = {r["group"]: r for r in json.loads(buf.getvalue())}
    assert rows["All"]["rate"] == pytest.approx(0.4265, abs=5e-5)
    assert rows["Black"]["rr"] == pytest.approx(5.2642, abs=5e-5)


@pytest.mark.slow  # the benchmark smoke test
@pytest.mark.xdist_group("cpu-heavy")
def test_tiny_bench_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DIR", str(tmp_path))
    results = bench.main(rows=20_000)
    assert results["identical"], results["differences"]
    assert results["ingest"]["rows"] == 20_000
    assert results["ingest_floor"]["rows"] == 20_000
    assert results["ingest_polars"]["rows"] == 20_000 and results["ratios"]["ingest_over_polars_ingest"] > 0
    assert set(results["report"]) == {"sql", "engine", "pandas", "polars"}
    assert not list((tmp_path / "data").glob("ingest-polars-*"))  # the Polars ingest's Parquet is deleted
    assert results["ratios"]["ingest_over_floor"] > 0
    assert results["ingest_2024_layout"]["rows"] == 20_000 and results["ratios"]["ingest_2024_over_floor"] > 0
    assert not list((tmp_path / "data").glob("ingest-floor-*"))  # the floor's Parquet is deleted
    engine = pd.read_parquet(tmp_path / "data" / "result-engine.parquet")
    assert list(engine.columns) == bench.COLUMNS
    assert engine["rr_lo"].notna().any() and engine["suppressed"].any()
    steps = bench.ingest_breakdown(tmp_path / "data" / "ripa-20000.csv")
    assert list(steps) == ["read", "read, typed and checked"] and all(v > 0 for v in steps.values())


def _published() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "breakdown": ["statewide", "statewide", "statewide"],
            "agency": [None, None, None],
            "school": [None, None, None],
            "month": [None, None, None],
            "dimension": ["race", "race", "race"],
            "group": ["All", "Black", "Asian"],
            "outcome": ["arrest", "arrest", "arrest"],
            "count": [120.0, 40.0, None],
            "denominator": [1000, 200, 25],
            "rate": [12.0, 20.0, None],
            "rate_lo": [10.1, 14.9, None],
            "rate_hi": [14.2, 26.2, None],
            "rr": [None, 1.98, None],
            "rr_lo": [None, 1.4, None],
            "rr_hi": [None, 2.8, None],
            "rd": [None, 9.9, None],
            "suppressed": [False, False, True],
            "reason": [None, None, "n-size"],
        }
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("count", 41.0),
        ("denominator", 201),
        ("rate", 20.0 * (1 + 1e-6)),
        ("rate_lo", 14.8),  # an interval bound
        ("rate_hi", None),  # null against a number
        ("rr", 1.99),
        ("rr_lo", 1.41),
        ("rr_hi", 2.81),
        ("rd", -9.9),
        ("suppressed", True),
        ("reason", "complementary"),
    ],
)
def test_bench_compare_checks_every_published_column(column: str, value: float | str | None) -> None:
    engine = _published()
    other = engine.copy()
    other.loc[1, column] = value
    issues = bench.compare({"engine": engine, "sql": engine.copy(), "pandas": other})
    assert len(issues) == 1, issues
    assert issues[0].startswith(f"pandas: {column} differs on 1 rows, e.g. breakdown=statewide dimension=race")


def test_bench_compare_tolerance_nulls_and_rows() -> None:
    engine = _published()
    close = engine.copy()
    close["rr_lo"] = close["rr_lo"] * (1 + 1e-12)  # rounding noise is not a difference
    assert bench.compare({"engine": engine, "sql": close, "pandas": engine.copy()}) == []
    number = engine.copy()
    number.loc[2, "rate"] = 5.0  # a number where the engine withholds one
    short = engine.iloc[:2]
    issues = bench.compare({"engine": engine, "sql": number, "pandas": short})
    assert issues == [
        "sql: rate differs on 1 rows, e.g. breakdown=statewide dimension=race group=Asian outcome=arrest: "
        "engine null, sql 5.0",
        "pandas: 1 rows only in the engine's result, e.g. breakdown=statewide dimension=race group=Asian "
        "outcome=arrest",
    ]


@pytest.mark.slow  # a statistical check over several synthetic years
@pytest.mark.xdist_group("cpu-heavy")
def test_consecutive_years_flag_finds_a_planted_disparity_only(tmp_path: Path, directory: synth.Directory) -> None:
    csv_path, out = tmp_path / "r.csv", tmp_path / "flags.json"
    call_command(
        "synth", "ripa", "--rows", "60000", "--seed", "8", "--k12-share", "0.5", "--out", str(csv_path),
        "--disparity", "Black=3", stdout=StringIO(),
    )  # fmt: skip
    call_command(
        "report", "k12", "--ripa", str(csv_path), "--by", "year", "--by", "agency", "--flag-years", "3",
        "--flag-threshold", "1.5", "--format", "json", "--out", str(out), stdout=StringIO(),
    )  # fmt: skip
    rows = pd.DataFrame(json.loads(out.read_text()))
    race = rows[(rows.breakdown == "year") & (rows.dimension == "race") & (rows.outcome == "arrest")]
    black = race[race.group == "Black"].set_index("year")
    # Five years (2019-2023), a ratio near 2.3 in each: flagged from the third year on.
    assert black["flagged"].to_dict() == {"2019": False, "2020": False, "2021": True, "2022": True, "2023": True}
    others = race[~race.group.isin(["Black", "All"])]
    assert len(others) > 10 and not others["flagged"].any()
    # Rows of breakdowns without a year carry no flag at all.
    assert rows.loc[rows.breakdown.isin(["statewide", "agency"]), "flagged"].isna().all()


def test_flag_years_needs_a_breakdown_by_year(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    call_command("synth", "ripa", "--rows", "500", "--seed", "2", "--out", str(p), stdout=StringIO())
    with pytest.raises(CommandError, match="needs a breakdown by year"):
        call_command("report", "k12", "--ripa", str(p), "--by", "agency", "--flag-years", "3", stdout=StringIO())
    with pytest.raises(CommandError, match="not a whole number of years"):
        call_command("report", "k12", "--ripa", str(p), "--by", "year", "--flag-years", "0", stdout=StringIO())
