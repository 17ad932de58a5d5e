"""A CSV import refuses the NUL character, naming the line, whatever the database (issue 14, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sro.core.importing import CsvFormatError, read_csv_rows


def test_a_nul_in_an_imported_file_is_refused_naming_its_line(tmp_path: Path) -> None:
    p = tmp_path / "schools.csv"
    p.write_text("CDS_Code,schoolname\n1,Palm Springs High\n2,Cathedral\x00City High\n", encoding="utf-8")
    with pytest.raises(CsvFormatError, match=r"schools\.csv: line 3: contains the NUL character \(\\x00\)"):
        list(read_csv_rows(p, ["CDS_Code", "schoolname"]))
