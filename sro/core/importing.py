"""The one import pipeline: parse, validate every row, report every error by line,
then apply atomically (or not at all), with a dry run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    rows_read: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        lines = [f"rows read: {self.rows_read}"]
        lines += [f"{k}: {v}" for k, v in sorted(self.counts.items())]
        lines.append(f"bad rows: {len({e.line for e in self.errors})}")
        if self.dry_run:
            lines.append("dry run: nothing was saved")
        elif not self.applied:
            lines.append("nothing was saved (fix the rows above, or skip them with --skip-bad-rows)")
        return lines


class CsvFormatError(Exception):
    """The file as a whole is unreadable (missing columns, wrong encoding)."""


def read_csv_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; the header is line 1."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:  # PostgreSQL cannot store it, SQLite would: refused on both (sro.core.nul)
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CsvFormatError(f"{path}: line {line}: contains the NUL character (\\x00)")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvFormatError(
            f"{path}: line 1: missing column(s) {', '.join(missing)}; found {', '.join(header) or 'no header'}"
        )
    reader.fieldnames = header
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
