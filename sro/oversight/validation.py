"""What readers report: problems with their line and column, and progress on long reads."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

MAX_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. Line 1 is the header row.

    ``where`` names the part of the input (a zip member, a workbook) when there are several;
    ``unit`` is "line" in a CSV and "row" in a workbook's sheet.
    """

    line: int
    column: str
    message: str
    where: str = ""
    unit: str = "line"

    def __str__(self) -> str:
        at = f"{self.unit} {self.line}" if self.line > 0 else "file"
        col = f", column {self.column}" if self.column else ""
        part = f"{self.where}, " if self.where else ""
        return f"{part}{at}{col}: {self.message}"


class InputError(Exception):
    """The input was rejected; ``problems`` lists every problem found (in file order)."""

    def __init__(self, source: str, problems: Sequence[Problem], total: int | None = None) -> None:
        self.source = source
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self.describe())

    def describe(self, limit: int = MAX_SHOWN) -> str:
        head = f"{self.source}: rejected, {self.total} problem(s)"
        lines = [f"  {p}" for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"  ... and {self.total - limit} more")
        return "\n".join([head, *lines])


@dataclass
class ReadSummary:
    """What a reader did: rows read, rejected and written, the rows kept but flagged as doubtful
    (by reason and by member of the input), and the first problems.
    """

    source: str
    rows_read: int = 0
    rows_rejected: int = 0
    rows_written: int = 0
    rows_doubtful: int = 0
    doubtful_by_reason: dict[str, int] = field(default_factory=dict)
    by_member: dict[str, dict[str, int | str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
            "rows_written": self.rows_written,
            "rows_doubtful": self.rows_doubtful,
            "doubtful_by_reason": self.doubtful_by_reason,
            "by_member": self.by_member,
            "first_problems": [str(p) for p in self.problems[:MAX_SHOWN]],
        }


def show_progress() -> bool:
    """Progress bars only on an interactive terminal."""
    return sys.stderr.isatty()


def _bar(description: str) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not show_progress(),
    )


@contextmanager
def progress_open(path: Path, description: str) -> Iterator[Any]:
    """Open a text file for reading with a progress bar on its bytes (none when not a TTY)."""
    if not show_progress():
        with path.open(newline="", encoding="utf-8-sig") as fh:
            yield fh
        return
    import rich.progress

    with rich.progress.open(path, "r", newline="", encoding="utf-8-sig", description=description, transient=True) as fh:
        yield fh


def progress_items(items: Sequence[Any], description: str) -> Iterator[Any]:
    """Each item in turn, with a bar counting them and naming the one being read (none when not a TTY)."""
    if not show_progress():
        yield from items
        return
    with _bar(description) as bar:
        task = bar.add_task(description, total=len(items))
        for item in items:
            bar.update(task, description=f"{description}: {getattr(item, 'filename', item)}")
            yield item
            bar.advance(task)


def run_with_progress(con: Any, sql: str, params: Sequence[Any] | None, description: str) -> Any:
    """Run one DuckDB statement, showing DuckDB's own progress estimate on a rich bar."""
    if not show_progress():
        return con.execute(sql, params or []).fetchall()
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["rows"] = con.execute(sql, params or []).fetchall()
        except Exception as exc:  # re-raised in the caller's thread
            result["error"] = exc

    with _bar(description) as bar:
        task = bar.add_task(description, total=100)
        thread = threading.Thread(target=work)
        thread.start()
        while thread.is_alive():
            thread.join(0.2)
            pct = con.query_progress()
            if pct is not None and pct >= 0:
                bar.update(task, completed=pct)
    if "error" in result:
        raise result["error"]
    return result["rows"]
