"""The one import pipeline: parse, validate every row, report every error by line,
then apply atomically (or not at all), with a dry run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.field}: {self.message}"


@dataclass
class ImportReport:
    rows_read: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False
    stopped_at: int | None = None  # the line where reading stopped after MAX_PROBLEMS problems

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
        if self.stopped_at is not None:
            lines.append(f"reading stopped at line {self.stopped_at} after {len(self.errors)} problems")
        if self.dry_run:
            lines.append("dry run: nothing was saved")
        elif not self.applied:
            lines.append("nothing was saved (fix the rows above, or skip them with --skip-bad-rows)")
        return lines


class CsvFormatError(Exception):
    """The file as a whole is unreadable (missing columns, wrong encoding)."""


# Bounds: a file is read a line at a time, never whole, so memory stays bounded whatever it is.
SNIFF_BYTES = 64 * 1024  # the head read to tell a text file from anything else
MAX_LINE_BYTES = 1024 * 1024  # no line of a real directory or CDE file comes near
MAX_PROBLEMS = 1000  # an import stops listing (and reading) after this many problems


class TextFileError(Exception):
    """The file is not text of the kind expected; `line` is None for the file as a whole."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def text_lines(path: Path, *, fallback: Sequence[str] = ()) -> Iterator[str]:
    """The lines of a text file, read one at a time (each with its line ending).

    Refused within the first 64 KiB: anything that is not a regular file (a device, a pipe, a
    folder), a ZIP archive or workbook, and binary content (NUL bytes). UTF-8 (with or without a
    byte-order mark) and UTF-16 with its mark are read; a line that is not UTF-8 is decoded with
    the `fallback` encodings in order, or refused with its line number. A line over 1 MiB is
    refused, so a file with no line breaks cannot fill the memory.
    """
    if not path.is_file():
        what = "no such file" if not path.exists() else "not a regular file (a folder, a device or a pipe)"
        raise TextFileError(None, f"cannot read the file: {what}")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise TextFileError(None, f"cannot read the file ({exc.strerror or exc})") from None
    with handle:
        head = handle.read(SNIFF_BYTES)
        handle.seek(0)
        if head.startswith(b"PK\x03\x04"):
            raise TextFileError(None, "a ZIP archive or an Excel workbook, not a text file")
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" saved by a spreadsheet
            yield from _utf16_lines(handle)
            return
        if head.count(b"\x00") > 4:  # a stray NUL is named by its line below
            raise TextFileError(None, "not a text file (it holds binary data)")
        number = 0
        while raw := handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(raw) > MAX_LINE_BYTES:
                raise TextFileError(number, "longer than 1 MiB: not a file of the expected layout")
            if b"\x00" in raw:
                raise TextFileError(number, "contains the NUL character (\\x00)")
            yield _decode(raw, number, fallback)


def _decode(raw: bytes, number: int, fallback: Sequence[str]) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        for encoding in fallback:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise TextFileError(number, f"not UTF-8 text (byte {exc.start + 1} of the line)") from None
    return text.removeprefix("\ufeff") if number == 1 else text


def _utf16_lines(handle: BinaryIO) -> Iterator[str]:
    stream = io.TextIOWrapper(handle, encoding="utf-16", newline="")
    number = 0
    try:
        while line := stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise TextFileError(number, "longer than 1 MiB: not a file of the expected layout")
            yield line
    except UnicodeDecodeError:
        raise TextFileError(number + 1, "not valid UTF-16 text") from None
    finally:
        stream.detach()


def csv_error_text(exc: csv.Error) -> str:
    """Python's csv messages, in words for the person who saved the file."""
    text = str(exc)
    if "unexpected end of data" in text or "EOF" in text:
        return 'a quoted field is never closed (a " without its partner): the rest of the file would be one cell'
    if "new-line character seen in unquoted field" in text:
        return "a line break inside a cell that is not quoted (lines ending in CR only?)"
    if "field larger than field limit" in text:
        return "a cell longer than 128 KiB: not a file of the expected layout"
    return text


def read_csv_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; the header is line 1. Streams the file."""
    reader = csv.DictReader(text_lines(path), strict=True)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not any(header):
            raise CsvFormatError(f"{path}: the file is empty")
        missing = [c for c in required if c not in header]
        if missing:
            found = ", ".join(header[:15]) + (", ..." if len(header) > 15 else "")
            columns = ", ".join(missing)
            raise CsvFormatError(f"{path}: line 1: missing column(s) {columns}; found {found or 'no header'}")
        reader.fieldnames = header
        for row in reader:
            extra = row.get(None)  # DictReader's key for surplus cells
            if extra and any(str(v).strip() for v in extra):
                raise CsvFormatError(
                    f"{path}: line {reader.line_num}: {len(header) + len(extra)} cells where the header has "
                    f"{len(header)} (a comma inside a cell that is not quoted?)"
                )
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
    except TextFileError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise CsvFormatError(f"{path}: {where}{exc.message}") from None
    except csv.Error as exc:
        raise CsvFormatError(f"{path}: line {reader.line_num}: {csv_error_text(exc)}") from None
