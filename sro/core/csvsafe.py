"""Writing CSV that a spreadsheet opens as data, never as formulas (CSV or formula injection).

A spreadsheet treats a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, so a published comment `=HYPERLINK(...)` would run in the reader's spreadsheet.
Following OWASP ("CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection, and
ASVS 5.0 requirement 1.2.10), every such text cell is written with a single quote in front
(`'=HYPERLINK(...)`), which spreadsheets show as text; the csv module already doubles embedded
quotes and quotes cells holding separators. Line breaks inside a text cell are written as `\n`,
so the cell is always quoted and cannot be split into a new row that begins with a formula.

The trade-off OWASP notes: the quote also lands in the file for programs that read the CSV as
plain data. So only text is neutralised, and text that is purely a number (`-5`, `+1.5`,
`-2.5e3`) is written as it is: it cannot hold a formula and stays a number. Numbers, dates and
booleans (int, float, Decimal, date, time) are never changed, so numeric columns keep negative
numbers; anything else is written as its text (a model's `str()`, a lazy translation) and
neutralised like text.

The public site's downloads (`sro.public.downloads`) and `sro export ripa` (`sro.incidents.ripa`)
write through `writer` and `DictWriter`. Not yet: the oversight reports' CSV
(`sro report ... --format csv`, also behind `sro report program`), written by pyarrow in
`sro.oversight.output.emit`.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_TEXT = (int, float, Decimal, dt.date, dt.time)  # bool is an int; datetime is a date
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """`value`, with a single quote in front when it is text a spreadsheet would read as a formula,
    and its line breaks written as `\n` (see `_one_newline`)."""
    if value is None or isinstance(value, _NOT_TEXT):
        return value
    text = str(value)  # what the csv module would write: a model's or a lazy translation's text too
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        text = "'" + text
    return _one_newline(text)


def _one_newline(text: str) -> str:
    """Line breaks as `\n`. The csv module quotes a cell only for the characters of its own line
    ending; with `lineterminator="\n"` a bare carriage return would stay unquoted, a spreadsheet
    would start a new row there, and the rest of the cell (`=...`) would be a live formula again."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class SafeWriter:
    """`csv.writer` whose rows are neutralised cell by cell."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])


def writer(out: IO[str], **options: Any) -> SafeWriter:
    """Like `csv.writer(out, **options)`, every text cell neutralised."""
    return SafeWriter(out, **options)


class DictWriter(csv.DictWriter):  # type: ignore[type-arg] # generic only in the stubs
    """`csv.DictWriter` whose rows are neutralised cell by cell (the header row is ours, not data)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        # csv.DictWriter.writerows would go straight to the inner writer, past `writerow`.
        for row in rowdicts:
            self.writerow(row)
