"""Every formula against hand-computed values, and suppression that does not leak."""

from __future__ import annotations

import functools
import os
import uuid
from typing import Any

import duckdb
import ibis
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro.oversight.metrics import Settings, disparity, disparity_wide, flag_consecutive, long_counts, wilson_interval

CRDC = pd.DataFrame(
    {
        "group": ["All", "Black", "White", "Hispanic"],
        "enrolled": [16_762_957, 2_570_755, 7_846_286, 4_546_838],
        "referrals": [11_072, 3_763, 3_785, 2_235],
        "arrests": [715, 349, 188, 125],
    }
)


def run(df: pd.DataFrame, settings: Settings, outcomes: list[str], backend: Any = None) -> Any:
    t = ibis.memtable(df) if backend is None else backend
    long = long_counts(t, keys=[], group="group", denominator="enrolled", outcomes=outcomes)
    return disparity(long, settings=settings).to_pandas().set_index(["outcome", "group"])


def test_crdc_2017_18_worked_figures() -> None:
    r = run(CRDC, Settings(per=10_000, reference="White"), ["referrals", "arrests"])
    assert r.loc[("arrests", "All"), "rate"] == pytest.approx(0.426536, abs=1e-6)  # 715 / 16,762,957 x 10,000
    black = r.loc[("arrests", "Black")]
    assert black["rate"] == pytest.approx(1.357578, abs=1e-6)  # 349 / 2,570,755 x 10,000
    # Against all others: (349/2,570,755) / (366/14,192,202)
    assert black["rr"] == pytest.approx(5.264213, abs=1e-6)
    assert black["rr_ref"] == pytest.approx(5.665928, abs=1e-6)  # against White 188/7,846,286
    assert black["rd"] == pytest.approx(1.357578 - 0.257890, abs=1e-5)
    assert r.loc[("referrals", "Black"), "rr_ref"] == pytest.approx(3.034393, abs=1e-6)
    assert r.loc[("arrests", "White"), "rr_ref"] == pytest.approx(1.0)


def test_wilson_interval_matches_textbook() -> None:
    lo, hi = wilson_interval(3, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.1078, 0.6032)
    df = pd.DataFrame({"group": ["A", "B"], "enrolled": [100, 100], "x": [30, 40]})
    r = run(df, Settings(per=100, cell_min=1, n_min=1), ["x"])
    assert r.loc[("x", "A"), "rate_lo"] == pytest.approx(21.895, abs=0.001)
    assert r.loc[("x", "A"), "rate_hi"] == pytest.approx(39.585, abs=0.001)


def test_katz_interval_by_hand() -> None:
    # a=30/100 vs c=40/100: RR 0.75; se = sqrt(1/30 - 1/100 + 1/40 - 1/100) = 0.19579
    df = pd.DataFrame({"group": ["A", "B"], "enrolled": [100, 100], "x": [30, 40]})
    a = run(df, Settings(per=100, cell_min=1, n_min=1), ["x"]).loc[("x", "A")]
    assert a["rr"] == pytest.approx(0.75)
    assert a["rr_lo"] == pytest.approx(0.51098, abs=1e-4)
    assert a["rr_hi"] == pytest.approx(1.10083, abs=1e-4)
    assert a["rd"] == pytest.approx(-10.0)


def test_zero_count_gives_null_ratio_not_nan() -> None:
    df = pd.DataFrame({"group": ["A", "B"], "enrolled": [100, 100], "x": [0, 40]})
    a = run(df, Settings(per=100, cell_min=0, n_min=1), ["x"]).loc[("x", "A")]
    assert a["rate"] == 0
    assert pd.isna(a["rr"]) and a["suppressed"] == False  # noqa: E712


def test_complementary_suppression_blocks_recovery_from_total() -> None:
    # Naively only A (5 < 11) is hidden: 305 - 100 - 200 = 5 recovers it.
    df = pd.DataFrame({"group": ["A", "B", "C"], "enrolled": [100, 1000, 2000], "x": [5, 100, 200]})
    r = run(df, Settings(), ["x"])
    assert r.loc[("x", "All"), "count"] == 305
    assert r.loc[("x", "A"), "reason"] == "cell"
    assert r.loc[("x", "B"), "reason"] == "complementary"
    assert pd.isna(r.loc[("x", "A"), "count"]) and pd.isna(r.loc[("x", "B"), "count"])
    assert r.loc[("x", "C"), "count"] == 200
    published = r[r["suppressed"] == False]  # noqa: E712
    assert published.loc[published.index.get_level_values("group") != "All", "count"].sum() == 200


def test_n_size_and_reference_suppression() -> None:
    df = pd.DataFrame({"group": ["A", "B", "C"], "enrolled": [20, 1000, 2000], "x": [12, 100, 200]})
    r = run(df, Settings(reference="A"), ["x"])
    assert r.loc[("x", "A"), "reason"] == "n-size"
    assert pd.isna(r.loc[("x", "C"), "rr_ref"])  # would reveal A's count
    assert r.loc[("x", "C"), "reason"] == "reference suppressed"
    assert r.loc[("x", "C"), "rr"] == pytest.approx((200 / 2000) / (112 / 1020))


def test_flag_three_consecutive_years() -> None:
    rows = []
    for year, rr in [(2019, 2.5), (2020, 2.6), (2021, 2.1), (2022, 1.5)]:
        rows.append({"year": year, "outcome": "x", "group": "A", "rr": rr})
    for year, rr in [(2019, 3.0), (2021, 3.0), (2022, 3.0)]:  # a gap: never 3 consecutive
        rows.append({"year": year, "outcome": "x", "group": "B", "rr": rr})
    out = flag_consecutive(ibis.memtable(pd.DataFrame(rows)), threshold=2.0, years=3).to_pandas()
    flagged = out[out.flagged][["group", "year"]].values.tolist()
    assert flagged == [["A", 2021]]


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="DATABASE_URL is not a PostgreSQL URL; the DuckDB/PostgreSQL comparison needs one",
)
def test_postgres_gives_identical_results() -> None:
    con: Any = ibis.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1))
    name = f"oversight_test_{uuid.uuid4().hex[:10]}"
    try:
        pg = con.create_table(name, CRDC)
        settings = Settings(per=10_000, reference="White")
        on_pg = run(CRDC, settings, ["referrals", "arrests"], backend=pg).sort_index()
        on_duck = run(CRDC, settings, ["referrals", "arrests"]).sort_index()
        pd.testing.assert_frame_equal(on_pg, on_duck, check_dtype=False, check_exact=False, rtol=1e-12)
    finally:
        con.raw_sql(f'DROP TABLE IF EXISTS "{name}"').close()
        con.disconnect()


GROUPS = ["A", "B", "C", "D"]


@st.composite
def wide_counts(draw: st.DrawFn) -> pd.DataFrame:
    """Partitions of groups with counts near the suppression minimums, some with their own All row."""
    rows = []
    for k in draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=1, max_size=3, unique=True)):
        groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4, unique=True))
        for g in groups:
            den = draw(st.integers(0, 80))
            rows.append(
                {"k": k, "group": g, "enrolled": den, "x": draw(st.integers(0, 20)), "y": draw(st.integers(0, 40))}
            )
        if draw(st.booleans()):  # a published total that need not equal the sum of the groups
            rows.append({"k": k, "group": "All", "enrolled": draw(st.integers(0, 300)),
                         "x": draw(st.integers(0, 60)), "y": draw(st.integers(0, 120))})  # fmt: skip
    return pd.DataFrame(rows)


COUNTS = ibis.schema({"k": "string", "group": "string", "enrolled": "int64", "x": "int64", "y": "int64"})


@functools.cache
def _compiled(reference: str | None, by_key: bool) -> tuple[str, str]:
    """The long and the wide calculation as DuckDB SQL over a table `counts`.

    The expressions depend on the settings and the schema only, never on the rows, so each is
    compiled once and run on every drawn example (compiling is most of the cost of a run)."""
    keys = ["k"] if by_key else []
    s = Settings(per=100, reference=reference)
    t = ibis.table(COUNTS, name="counts")
    long = disparity(long_counts(t, keys=keys, group="group", denominator="enrolled", outcomes=["x", "y"]),
                     keys=keys, settings=s)  # fmt: skip
    wide = disparity_wide(t, keys=keys, denominator="enrolled", outcomes=["x", "y"], settings=s)
    assert wide.columns == long.columns
    return str(ibis.to_sql(long, dialect="duckdb")), str(ibis.to_sql(wide, dialect="duckdb"))


_DUCKDB = duckdb.connect()


def _run(sql: str, counts: pd.DataFrame) -> pd.DataFrame:
    _DUCKDB.register("counts", counts.astype({"k": str, "group": str}))
    out: pd.DataFrame = _DUCKDB.sql(sql).df()
    return out.sort_values(["k", "outcome", "group"]).reset_index(drop=True) if "k" in out else out


@pytest.mark.slow
@pytest.mark.xdist_group("cpu-heavy")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=wide_counts(), reference=st.sampled_from([None, "A", "C"]), by_key=st.booleans())
def test_wide_path_matches_long_path(df: pd.DataFrame, reference: str | None, by_key: bool) -> None:
    """The K-12 report's wide calculation publishes exactly what the long one does, suppression included."""
    if not by_key:
        df = df[df.k == df.k.iloc[0]]
    long_sql, wide_sql = _compiled(reference, by_key)
    pd.testing.assert_frame_equal(_run(wide_sql, df), _run(long_sql, df), check_dtype=False)


def test_wide_path_ties_withhold_the_first_label() -> None:
    # A is withheld (5 < 11); B and C tie as the smallest shown group: B, the first label, goes too.
    df = pd.DataFrame({"group": ["C", "B", "A"], "enrolled": [100, 100, 100], "x": [40, 40, 5]})
    out = disparity_wide(ibis.memtable(df), denominator="enrolled", outcomes=["x"]).to_pyarrow().to_pylist()
    reasons = {r["group"]: r["reason"] for r in out}
    assert reasons == {"All": None, "A": "cell", "B": "complementary", "C": None}
