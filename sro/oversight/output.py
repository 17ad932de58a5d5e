"""Writing report tables: a terminal table (rich), CSV, JSON or Parquet."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

FORMATS = ("table", "csv", "json", "parquet")
TABLE_ROWS = 200


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):  # never expected; shown loudly if it ever happens
            return "NaN!"
        return f"{value:,.4f}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _drop_empty(table: pa.Table) -> pa.Table:
    keep = [n for n in table.column_names if table.column(n).null_count < table.num_rows or table.num_rows == 0]
    return table.select(keep)


def emit(table: pa.Table, *, fmt: str, out: Path | None, stream: Any, title: str = "") -> None:
    """Write ``table`` in ``fmt`` to ``out`` (or the stream; Parquet needs ``out``)."""
    if fmt == "parquet":
        if out is None:
            raise ValueError("--format parquet needs --out PATH")
        pq.write_table(table, out)
    elif fmt == "csv":
        if out is None:
            sink = pa.BufferOutputStream()
            pacsv.write_csv(table, sink)
            stream.write(sink.getvalue().to_pybytes().decode())
        else:
            pacsv.write_csv(table, out)
    elif fmt == "json":
        text = json.dumps(table.to_pylist(), indent=1, default=str)
        if out is None:
            stream.write(text + "\n")
        else:
            out.write_text(text + "\n")
    elif fmt == "table":
        shown = _drop_empty(table)
        rich_table = Table(title=title or None, show_lines=False)
        for name in shown.column_names:
            rich_table.add_column(
                name, justify="right" if pa.types.is_floating(shown.schema.field(name).type) else "left"
            )
        for row in shown.slice(0, TABLE_ROWS).to_pylist():
            rich_table.add_row(*(_cell(v) for v in row.values()))
        console = Console(file=open(out, "w") if out else stream, width=250, force_terminal=False)  # noqa: SIM115
        console.print(rich_table)
        if table.num_rows > TABLE_ROWS:
            console.print(f"({table.num_rows - TABLE_ROWS:,} more rows; use --format csv or parquet with --out)")
        if out:
            console.file.close()
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
