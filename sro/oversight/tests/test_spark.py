"""The metrics and the K-12 report on Apache Spark give the same numbers as on DuckDB.

Spark is where a state's data would go once it outgrows one machine; Ibis compiles the
same expressions to Spark SQL. Runs a local two-core Spark (needs a Java runtime).
"""

from __future__ import annotations

import logging
import numbers
import shutil
from collections.abc import Iterator
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from sro.oversight import synth
from sro.oversight.k12 import KEY_COLUMNS, YearFlag
from sro.oversight.metrics import Settings, disparity, long_counts
from sro.oversight.reports import k12_from_table

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("cpu-heavy"),  # Spark takes both cores: nothing CPU-bound beside it
    pytest.mark.skipif(
        shutil.which("java") is None, reason="no Java runtime (install default-jre-headless) for the Spark tests"
    ),
]

CRDC = pd.DataFrame(
    {
        "group": ["All", "Black", "White", "Hispanic"],
        "enrolled": [16_762_957, 2_570_755, 7_846_286, 4_546_838],
        "referrals": [11_072, 3_763, 3_785, 2_235],
        "arrests": [715, 349, 188, 125],
    }
)


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    work = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sro-tests")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(work / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={work / 'derby'}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()
    # py4j logs from its objects' finalisers at interpreter exit, after pytest closed the streams.
    for name in ("py4j", "py4j.clientserver", "py4j.java_gateway"):
        logging.getLogger(name).disabled = True


def _view(con: Any, name: str, rows: pd.DataFrame | pa.Table) -> Any:
    """A Spark temporary view of the rows, built from Python values so a missing value stays null.

    (PySpark 4.0 turns a missing text value in a pandas 3 frame into the string "NaN".)
    """
    table = pa.Table.from_pandas(rows, preserve_index=False) if isinstance(rows, pd.DataFrame) else rows
    con._session.createDataFrame(table.to_pylist()).createOrReplaceTempView(name)
    return con.table(name)


def _numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Counts as floats: Spark gives NaN for a withheld count, Ibis's DuckDB frames give None."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object and out[c].map(lambda v: v is None or isinstance(v, numbers.Number)).all():
            out[c] = pd.to_numeric(out[c]).astype("float64")
        elif c != "suppressed" and pd.api.types.is_numeric_dtype(out[c].dtype):
            out[c] = out[c].astype("float64")
    return out


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(_numbers(a), _numbers(b), check_dtype=False, check_exact=False, rtol=1e-12)


def _disparity(table: Any, keys: list[str], outcomes: list[str], settings: Settings) -> pd.DataFrame:
    long = long_counts(table, keys=keys, group="group", denominator="enrolled", outcomes=outcomes)
    out: pd.DataFrame = disparity(long, keys=keys, settings=settings).to_pandas()
    return out.sort_values([*keys, "outcome", "group"], na_position="first", ignore_index=True)


def test_crdc_figures_identical_on_spark(spark: Any) -> None:
    settings = Settings(per=10_000, reference="White")
    on_spark = _disparity(_view(spark, "crdc", CRDC), [], ["arrests"], settings)
    _same(on_spark, _disparity(ibis.memtable(CRDC), [], ["arrests"], settings))
    black = on_spark.set_index("group").loc["Black"]
    assert black["rr"] == pytest.approx(5.264213, abs=1e-6)  # the worked figure in docs/metrics.md


def test_null_partition_keys_and_suppression_on_spark(spark: Any) -> None:
    # Schools with no code form one partition, as on DuckDB; A at s1 is withheld, so is B there.
    df = pd.DataFrame(
        {
            "school": [None, None, None, "s1", "s1", "s1", "s2", "s2", "s2"],
            "group": ["A", "B", "C"] * 3,
            "enrolled": [120, 340, 560, 40, 300, 900, 15, 400, 700],
            "x": [12, 30, 55, 3, 40, 80, 2, 25, 60],
        }
    )
    settings = Settings(per=100)
    on_spark = _disparity(_view(spark, "schools", df), ["school"], ["x"], settings)
    _same(on_spark, _disparity(ibis.memtable(df), ["school"], ["x"], settings))
    s1 = on_spark[on_spark.school == "s1"].set_index("group")
    assert (s1.loc["A", "reason"], s1.loc["B", "reason"]) == ("cell", "complementary")


def test_k12_report_identical_on_spark(spark: Any, directory: synth.Directory) -> None:
    spec = synth.SynthSpec(rows=2_000, seed=4, k12_share=0.7, disparity={"Black": 2.0})
    table = pa.concat_tables(list(synth.generate(directory, spec))).drop_columns(["TIME_OF_STOP"])  # no time in Spark
    table = pa.table(
        {n: c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for n, c in zip(
            table.column_names, table.columns, strict=True)}
    )  # fmt: skip
    by, settings, flag = [("year",)], Settings(per=100, cell_min=5, n_min=10), YearFlag(1.2, 2)
    view = _view(spark, "ripa", table)
    keys = ["breakdown", *KEY_COLUMNS, "dimension", "group", "outcome"]

    def report(source: Any) -> pd.DataFrame:
        result, _ = k12_from_table(source, by=by, settings=settings, flag=flag)
        frame: pd.DataFrame = result.to_pandas()
        return frame.sort_values(keys, na_position="first", ignore_index=True)

    on_spark, on_duckdb = report(view), report(table)
    assert on_duckdb["rr_lo"].notna().sum() > 20 and on_duckdb["flagged"].any()
    _same(on_spark, on_duckdb)
    assert not [t for t in spark._session.catalog.listTables() if t.name.startswith("_k12_")]  # work views dropped
