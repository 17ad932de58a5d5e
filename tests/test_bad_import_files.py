"""Every importer refuses a bad file with a message naming the file (and the line), saves
nothing, and never shows a traceback; memory stays bounded whatever the file (issue 14, item 5)."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sro.incidents.models import Contact
from sro.orgs.models import District, School
from sro.public.models import GroupEnrolment

SCHOOLS_HEADER = "CDS_Code,Status,County,District,schoolname\n"
CDE_HEADER = (
    "AcademicYear\tAggregateLevel\tCountyCode\tDistrictCode\tSchoolCode\tCountyName\tDistrictName\t"
    "SchoolName\tCharter\tReportingCategory\tTOTAL_ENR\n"
)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("schools.csv", SCHOOLS_HEADER)
    return buf.getvalue()


# name -> (bytes, the words the message must contain)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty"),
    "random bytes": (os.urandom(200_000), "not a text file"),
    "zip archive": (_zip(), "ZIP archive"),
    "html error page": (b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n", "line 1"),
    "json": (b'{"schools": [1, 2, 3]}\n', "line 1"),
    "one line of 3 MB": (b"x" * 3_000_000, "longer than 1 MiB"),
    "carriage returns only": (SCHOOLS_HEADER.replace("\n", "\r").encode() * 3, "line"),
}
SCHOOLS_ONLY: dict[str, tuple[bytes, str]] = {
    "nul in line 3": (
        (SCHOOLS_HEADER + "33671730000000,Active,Riverside,Palm Springs Unified,\n3367\x00\n").encode(),
        "line 3",
    ),
    "header only": (SCHOOLS_HEADER.encode(), "no rows under the header"),
    "latin-1 text": (
        (SCHOOLS_HEADER + "33671733336878,Active,Riverside,Palm Springs,Pe\xf1a\n").encode("latin-1"),
        "line 2: not UTF-8",
    ),
    "unterminated quote": (
        (
            SCHOOLS_HEADER + '33671733336878,Active,Riverside,"Palm Springs Unified,Palm Springs High\n'
            "33671733330000,Active,Riverside,Palm Springs Unified,Other High\n"
        ).encode(),
        "quoted field is never closed",
    ),
    "extra cells": (
        (SCHOOLS_HEADER + "33671733336878,Active,Riverside,Palm Springs, Unified,PSHS\n").encode(),
        "6 cells",
    ),
    "semicolons": (SCHOOLS_HEADER.replace(",", ";").encode(), "missing column"),
}
CDE_ONLY: dict[str, tuple[bytes, str]] = {
    "nul in line 2": ((CDE_HEADER + "2024-25\tS\t33\x00\n").encode(), "line 2"),
    "header only": (CDE_HEADER.encode(), "no data rows"),
    "comma separated": (CDE_HEADER.replace("\t", ",").encode(), "not tab-delimited"),
}


def _state() -> tuple[Any, ...]:
    return (
        District.objects.count(),
        tuple(School.objects.order_by("pk").values_list("pk", "name", "enrolment")),
        GroupEnrolment.objects.count(),
        Contact.objects.count(),
    )


def _schools(path: Path) -> None:
    call_command("import_schools", str(path))


def _enrolment(path: Path) -> None:
    call_command("import_enrolment", str(path))


def _ripa_agency(path: Path) -> None:
    call_command("import_ripa_agency", str(path), "--agency", "Palm Springs Police Department")


RIPA_HEADER = "DOJ_RECORD_ID,PERSON_NUMBER,AGENCY_ORI,DATE_OF_STOP,TIME_OF_STOP,STOP_DURATION,SCHOOL_CODE,AGE,"
RIPA_HEADER += "REASON_FOR_STOP,G_FULL,RAE_FULL,OFFICER_ID\n"
RIPA_ONLY: dict[str, tuple[bytes, str]] = {
    "nul in line 2": ((RIPA_HEADER + "S1,1,\x00\n").encode(), "line 2"),
    "semicolons": (RIPA_HEADER.replace(",", ";").encode(), "missing column"),
    "extra cells": (
        (RIPA_HEADER + "S1,1,X,2026-01-05,10:00,5,33671733336878,15,2,1,3,P1,extra\n").encode(),
        "13 cells",
    ),
}

IMPORTERS: dict[str, tuple[Callable[[Path], None], dict[str, tuple[bytes, str]]]] = {
    "import-schools": (_schools, {**BAD_FILES, **SCHOOLS_ONLY}),
    "import-enrolment": (_enrolment, {**BAD_FILES, **CDE_ONLY}),
    "import-ripa-agency": (_ripa_agency, {**BAD_FILES, **RIPA_ONLY}),
}
CASES = [(cmd, name) for cmd, (_, files) in IMPORTERS.items() for name in files]


@pytest.mark.parametrize(("command", "name"), CASES, ids=[f"{c}: {n}" for c, n in CASES])
def test_a_bad_file_is_refused_by_name_and_line_and_nothing_is_saved(
    org: dict[str, Any], tmp_path: Path, command: str, name: str
) -> None:
    run, files = IMPORTERS[command]
    content, words = files[name]
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = _state()
    with pytest.raises(CommandError) as caught:  # a CommandError is a message, never a traceback
        run(path)
    message = str(caught.value)
    assert "input.txt" in message or "bad row" in message
    assert words in message
    assert _state() == before


@pytest.mark.parametrize("command", sorted(IMPORTERS))
@pytest.mark.parametrize("where", ["/dev/urandom", "a folder", "missing.csv"])
def test_devices_folders_and_missing_paths_are_refused_at_once(
    org: dict[str, Any], tmp_path: Path, command: str, where: str
) -> None:
    path = Path(where) if where.startswith("/") else tmp_path if where == "a folder" else tmp_path / where
    with pytest.raises(CommandError, match="cannot read the file"):
        IMPORTERS[command][0](path)


@pytest.mark.parametrize("command", sorted(IMPORTERS))
def test_memory_stays_bounded_for_a_large_file(org: dict[str, Any], tmp_path: Path, command: str) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as out:  # 40 MB of lines that are text but not the layout
        line = b"z" * 999 + b"\n"
        for _ in range(40_000):
            out.write(line)
    tracemalloc.start()
    try:
        with pytest.raises(CommandError):
            IMPORTERS[command][0](path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while refusing a 40 MB file"
