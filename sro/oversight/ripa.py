"""RIPA stop data in the DOJ public column layout (2018-2023 files): the code lists, a reader
(a CSV, one county workbook, the DOJ's yearly zip of workbooks or CSVs, or a Parquet directory
written by ``sro ingest ripa``) and the ingest to Parquet. One row is one person stopped.

Nothing published is dropped. A row the DOJ's Read Me lists as a known error (age 445, a blank
race, a student over 22, K-12 grounds without a school...), or with any cell that is not what the
layout says, is kept and carries its reasons in ``DOUBT`` (``;``-separated, empty when none); the
reports then include or exclude such rows and say which. A file is refused only when it is not a
RIPA file at all (its first row lacks the layout's columns). See docs/metrics.md.
"""

# SQL here is assembled from the constant column schema; paths and names go through _q (quoted literals).
# ruff: noqa: S608

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from sro.incidents.ripa_layout import COLUMN_ALIASES, OPTIONAL_SCHEMA, SCHEMA, Col, Layout, layout_of, layouts
from sro.incidents.ripa_layout import FORCE_FLAGS as FORCE_FLAGS  # re-exported: the K-12 report's force flags
from sro.incidents.ripa_layout import RIPA_COLUMNS as RIPA_COLUMNS
from sro.oversight.validation import MAX_SHOWN, InputError, Problem, ReadSummary, progress_items, run_with_progress

# The code lists of the DOJ's "RIPA Dataset Read Me" (2021, value column of RAE_FULL, G_FULL,
# PD_FULL, REASON_FOR_STOP), as published; sro/oversight/tests/test_ripa_layout.py checks them
# against a transcription of the Read Me. Race keeps the short names the reports and the
# enrolment files use (Black for "Black/African American", Hispanic for "Hispanic/Latino").
RACE = {1: "Asian", 2: "Black", 3: "Hispanic", 4: "Middle Eastern/South Asian", 5: "Native American",
        6: "Pacific Islander", 7: "White", 8: "Multiracial"}  # fmt: skip
# 2024 (data/ripa_layouts.toml): 1 cisgender man, 2 cisgender woman, 5 nonbinary person, 6 multigender.
GENDER = {1: "Male", 2: "Female", 3: "Transgender man/boy", 4: "Transgender woman/girl",
          5: "Gender nonconforming or nonbinary", 6: "Multigender"}  # fmt: skip
DISABILITY = {0: "No disability", 1: "Deafness", 2: "Speech impairment", 3: "Blind", 4: "Mental health condition",
              5: "Development", 6: "Hyperactivity", 7: "Other", 8: "Multiple disability"}  # fmt: skip
REASON = {1: "Traffic violation", 2: "Reasonable suspicion", 3: "Parole/probation/PRCS/mandatory supervision",
          4: "Knowledge of outstanding arrest/wanted person", 5: "Investigation to determine whether person was truant",
          6: "Consensual encounter resulting in search", 7: "Possible conduct under Education Code",
          8: "Determine whether student violated school policy"}  # fmt: skip
#: Age groups of the K-12 report: the Read Me's AGE_GROUP 1-4 (2018-2022), then 25 and older
#: (its groups 5-9). Derived from AGE, since the 2023 files group ages differently.
AGE_GROUPS = ((0, 9, "0-9"), (10, 14, "10-14"), (15, 17, "15-17"), (18, 24, "18-24"), (25, 200, "25+"))
#: The label of a blank (or unreadable) code in the reports.
NOT_RECORDED = "Not recorded"

#: The Read Me's known errors that the columns read can show: (reason, SQL on the typed row,
#: the column a message names). Letters are the items of the 2021 Read Me's list.
KNOWN_ERRORS: tuple[tuple[str, str, str], ...] = (
    ("student not on K-12 grounds", "STOP_STUDENT = 1 AND K12_SCHOOL_GROUNDS = 0", "K12_SCHOOL_GROUNDS"),  # c
    ("student over 22", "STOP_STUDENT = 1 AND AGE > 22", "AGE"),  # d
    ("K-12 grounds without a school", "K12_SCHOOL_GROUNDS = 1 AND SCHOOL_NAME IS NULL", "SCHOOL_NAME"),  # e
    ("hyperactivity but not a student", "PD_FULL = 6 AND STOP_STUDENT = 0", "PD_FULL"),  # m
    ("school seizure basis but not a student", "BPS_VIOLATE_SCHOOL = 1 AND STOP_STUDENT = 0", "BPS_VIOLATE_SCHOOL"),
    (
        "school referral but not a student",  # gg (counsellor; the administrator is the same rule)
        "(ROS_REFERRAL_SCHOOL_COUNSELOR = 1 OR ROS_REFERRAL_SCHOOL_ADMIN = 1) AND STOP_STUDENT = 0",
        "ROS_REFERRAL_SCHOOL_COUNSELOR",
    ),
)
EXCEL = {".xlsx", ".xlsm"}


def _q(path: Path | str) -> str:
    """A path as an SQL string literal (DuckDB's COPY target cannot be a parameter)."""
    return "'" + str(path).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _raw(name: str) -> str:
    return _ident("_r_" + name)


@dataclass(frozen=True)
class Member:
    """One table of an input: a CSV file, a workbook's first sheet, or a zip member."""

    name: str  # as messages name it: the file, or "zip file: member name"
    path: Path  # the CSV that holds it (a workbook is converted)
    unit: str = "line"  # "row" for a workbook
    # (harmonised column, the header names in the file it is read from), once read
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    header: tuple[str, ...] = ()  # every name in the first row (made unique), once read
    layout: Layout | None = None  # the published layout its first row has, once read
    county: str | None = None  # from the DOJ's file name ("RIPA Stop Data _ Riverside 2022.xlsx")
    encoding: str = "utf-8"  # "latin-1" for a CSV saved in a Windows code page, once read

    def raw_sql(self, c: Col) -> str:
        """The cell's trimmed text (NULL when blank or when the file lacks an optional column).

        A flag read from several columns of the file (a 2024 column split in two) is '1' when any
        is 1 and '0' when all are 0 or blank; a cell that is neither is passed on to be flagged.
        """
        for col, headers in self.columns:
            if col != c.name:
                continue
            texts = [f"nullif(trim(CAST({_ident(h)} AS VARCHAR)), '')" for h in headers]
            if len(texts) == 1:
                alias = COLUMN_ALIASES.get(headers[0].strip().upper())
                blank = alias.blank if alias else None
                return f"coalesce({texts[0]}, {_q(blank)})" if blank is not None else texts[0]
            valid = " AND ".join(f"coalesce({t}, '0') IN ('0', '1')" for t in texts)
            one = " OR ".join(f"{t} = '1'" for t in texts)
            bad = ", ".join(f"CASE WHEN {t} NOT IN ('0', '1') THEN {t} END" for t in texts)
            return f"CASE WHEN {valid} THEN CASE WHEN {one} THEN '1' ELSE '0' END ELSE coalesce({bad}) END"
        return "NULL::VARCHAR"


def _cell(value: object) -> object:
    """A workbook cell as CSV text: dates ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _excel_to_csv(source: Path, target: Path, name: str = "") -> Path:
    """The first sheet as CSV, read with calamine (a Rust reader about ten times faster than
    openpyxl on the DOJ's million-row county workbooks). The sheet's dimension record is not
    trusted (streaming writers leave it out or get it wrong) and short rows, whose trailing blank
    cells were not written, are padded. Blank rows at the end are dropped; others keep the row
    numbers, so a message's row is the sheet's.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0)
        rows = sheet.iter_rows()
        width = 0
        pending = 0
        with target.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            for row in rows:
                cells = [_cell(v) for v in row]
                while cells and cells[-1] == "":
                    cells.pop()
                if not width:
                    width = len(cells)
                if not cells:
                    pending += 1
                    continue
                for _ in range(pending):
                    writer.writerow([""] * width)
                pending = 0
                writer.writerow((cells + [""] * (width - len(cells))) if len(cells) < width else cells)
    except (CalamineError, OSError, ValueError) as exc:
        problem = Problem(0, "", f"not a readable Excel workbook ({exc})", name or source.name, "row")
        raise InputError(name or str(source), [problem]) from exc
    return target


_NAMED = re.compile(r"^\s*RIPA[ _]+Stop[ _]+Data[ _]*(?P<rest>.*)$", re.IGNORECASE)


def county_of(file_name: str) -> str | None:
    """The county (or "CHP") a DOJ workbook's name gives, as in ``RIPA Stop Data _ Riverside
    2022.xlsx``, ``RIPA Stop Data_Riverside 2024_final.xlsx`` or ``RIPA Stop Data _ Los Angeles
    2023 Q1 final.xlsx``; None for a name without one (the 2018 statewide CSV, a saved copy)."""
    found = _NAMED.match(Path(file_name).stem)
    if not found:
        return None
    rest = re.sub(r"[ _]*final$", "", found.group("rest").strip(" _"), flags=re.IGNORECASE)
    rest = re.sub(r"\s+Q[1-4]$", "", rest.strip(" _"), flags=re.IGNORECASE)
    rest = re.sub(r"\s*\b(19|20)\d\d$", "", rest.strip(" _")).strip(" _")
    return rest or None


def _wanted(county: str | None, counties: Sequence[str] | None) -> bool:
    return not counties or (county is not None and county.casefold() in {c.casefold() for c in counties})


@contextmanager
def ripa_members(path: Path, counties: Sequence[str] | None = None) -> Iterator[list[Member]]:
    """The tables behind a source: a CSV, a workbook, or a zip's CSV and workbook members,
    each named as published (workbooks converted to CSV in a temporary folder). With
    ``counties``, only the members whose file names name one of them (others are not even read).
    """
    suffix = path.suffix.lower()
    found: list[str | None] = []

    def refuse_if_none_kept(members: list[Member]) -> None:
        if members or not counties:
            return
        named = sorted({c for c in found if c})
        have = f"the counties its file names give: {', '.join(named)}" if named else (
            "its file names give no county (the DOJ names its county workbooks 'RIPA Stop Data _ <County> <year>'); "
            "use --agency-ori or --district instead"
        )  # fmt: skip
        raise InputError(str(path), [Problem(0, "", f"no part for --county {', '.join(counties)}; {have}")])

    if suffix != ".zip" and suffix not in EXCEL:
        found.append(county_of(path.name))
        kept = [Member(path.name, path, county=found[0])] if _wanted(found[0], counties) else []
        refuse_if_none_kept(kept)
        yield kept
        return
    tmp = Path(tempfile.mkdtemp(prefix="ripa-"))
    try:
        if suffix in EXCEL:
            found.append(county_of(path.name))
            refuse_if_none_kept([] if not _wanted(found[0], counties) else [Member(path.name, path)])
            yield [Member(path.name, _excel_to_csv(path, tmp / "0.csv", path.name), "row", county=found[0])]
            return
        members: list[Member] = []
        with zipfile.ZipFile(path) as zf:
            infos = [m for m in zf.infolist() if not m.is_dir()]
            for i, info in enumerate(progress_items(infos, f"Unpacking {path.name}")):
                inner = Path(info.filename)
                if inner.name.startswith(("~$", "._")) or "__MACOSX" in inner.parts:
                    continue  # Excel lock files and macOS resource forks
                kind = inner.suffix.lower()
                if kind != ".csv" and kind not in EXCEL:
                    continue
                county = county_of(inner.name)
                found.append(county)
                if not _wanted(county, counties):
                    continue
                target = tmp / f"{i:03d}{kind}"
                with zf.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                name = f"{path.name}: {info.filename}"
                if kind in EXCEL:
                    members.append(
                        Member(name, _excel_to_csv(target, tmp / f"{i:03d}.csv", name), "row", county=county)
                    )
                    target.unlink()
                else:
                    members.append(Member(name, target, county=county))
        if not found:
            raise InputError(str(path), [Problem(0, "", "the zip holds no CSV or Excel file")])
        refuse_if_none_kept(members)
        yield members
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read(member: Member) -> str:
    """The member's cells as text, under the names of its first row: a row with more fields than
    the header is an error with its line, not a reason to guess another layout."""
    if not member.header:
        return f"read_csv({_q(member.path)}, all_varchar=true, header=true)"
    columns = "{" + ", ".join(f"{_q(n)}: 'VARCHAR'" for n in member.header) + "}"
    options = "auto_detect=false, header=true, delim=',', quote='\"', escape='\"'"
    if member.encoding != "utf-8":
        options += f", encoding={_q(member.encoding)}"
    return f"read_csv({_q(member.path)}, {options}, columns={columns})"


def text_encoding(path: Path, sample: int = 1 << 20) -> str:
    """ "utf-8", or "latin-1" when the first megabyte is not UTF-8 (a CSV saved by Excel in a
    Windows code page: a school name with "ñ" is one byte there). Latin-1 reads any byte, so a
    file that is not text at all is then refused for its header, not its encoding."""
    with path.open("rb") as fh:
        head = fh.read(sample)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the sample
            return "latin-1"
    return "utf-8"


def _first_row(member: Member, source: str) -> tuple[str, ...]:
    """The names in the first row, blank ones named after their column and repeats made unique."""
    encoding = "utf-8-sig" if member.encoding == "utf-8" else member.encoding
    try:
        with member.path.open(newline="", encoding=encoding) as fh:
            row = next(csv.reader(fh), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        problem = Problem(1, "", f"not a RIPA stop-data file (not CSV text: {exc})", member.name, member.unit)
        raise InputError(source, [problem]) from exc
    names: list[str] = []
    for i, raw in enumerate(row):
        name = raw.strip() or f"column{i + 1}"
        while name in names:
            name += "_"
        names.append(name)
    return tuple(names)


def read_headers(members: Sequence[Member], source: str) -> list[Member]:
    """Match each member's first row to a published layout (``data/ripa_layouts.toml``; the
    published aliases too) and each harmonised column to the file's columns; refuse a member whose
    first row lacks the layout's columns, naming the file, the member and what is missing."""
    wanted = [*SCHEMA, *OPTIONAL_SCHEMA]
    out = []
    for given in members:
        m = replace(given, encoding=text_encoding(given.path))
        names = _first_row(m, source)
        found: dict[str, str] = {}
        for header in names:
            key = header.strip().upper()
            alias = COLUMN_ALIASES.get(key)
            found.setdefault(alias.column if alias else key, header)
        layout = layout_of(set(found))
        sources = {c.name: layout.sources(c.name) for c in wanted}
        missing = [f for c in SCHEMA for f in sources[c.name] if f not in found]
        if all(f not in found for c in SCHEMA for f in sources[c.name]):
            msg = f"not a RIPA stop-data file: no recognisable header (none of {', '.join(RIPA_COLUMNS[:4])}, ...)"
            raise InputError(source, [Problem(1, "", msg, m.name, m.unit)])
        if missing:
            msg = f"missing column (the {layout.name} layout has it)"
            raise InputError(source, [Problem(1, c, msg, m.name, m.unit) for c in dict.fromkeys(missing)])
        cols = tuple(
            (c.name, tuple(found[f] for f in sources[c.name]))
            for c in wanted
            if all(f in found for f in sources[c.name])
        )
        out.append(replace(m, columns=cols, header=names, layout=layout))
    return out


def _typed(c: Col) -> str:
    """The typed value of a column from its raw text (never raises: what cannot be read is NULL
    for codes and dates, 0 for a flag, and is flagged in DOUBT)."""
    r = _raw(c.name)
    if c.kind == "flag":  # a required flag left blank is 0; an optional one the file lacks is NULL
        return f"coalesce(try_cast({r} AS UTINYINT), 0)" if c.required else f"try_cast({r} AS UTINYINT)"
    if c.kind == "int":
        return f"try_cast({r} AS SMALLINT)"
    if c.kind == "date":
        return f"coalesce(try_cast({r} AS DATE), try_strptime({r}, '%m/%d/%Y')::DATE, try_cast({r} AS TIMESTAMP)::DATE)"
    if c.kind == "cds":  # a code stored as a number in a workbook loses its leading zero
        return f"CASE WHEN regexp_full_match({r}, '[0-9]{{13}}') THEN '0' || {r} ELSE {r} END"
    return r


def cell_checks(layout: Layout | None = None) -> list[tuple[str, str, str, str]]:
    """(column, failing condition on the raw text, reason, message) for each harmonised column,
    with the accepted codes of ``layout`` (by default the first, 2018-2023)."""
    lay = layout or layouts()[0]
    out = []
    for c in (lay.col(x) for x in (*SCHEMA, *OPTIONAL_SCHEMA)):
        r = _raw(c.name)
        blank = f"{r} IS NULL"
        if c.required and c.kind in {"id", "int", "date"}:
            out.append((c.name, blank, f"{c.name} blank", "blank"))
        if c.kind == "flag":
            out.append((c.name, f"{r} NOT IN ('0', '1')", f"{c.name} invalid", "expected 0 or 1"))
        elif c.kind == "int":
            bad = f"coalesce(try_cast({r} AS INTEGER) NOT BETWEEN {c.low} AND {c.high}, true)"
            out.append((c.name, f"{r} IS NOT NULL AND {bad}", f"{c.name} invalid", f"expected {c.low}-{c.high}"))
        elif c.kind == "date":
            out.append((c.name, f"{r} IS NOT NULL AND {_typed(c)} IS NULL", f"{c.name} invalid",
                        "not a date (YYYY-MM-DD or MM/DD/YYYY)"))  # fmt: skip
        elif c.kind == "cds":
            out.append((c.name, f"NOT regexp_full_match({r}, '[0-9]{{13,14}}')", f"{c.name} invalid",
                        "not a 14-digit CDS code"))  # fmt: skip
    return out


def _typed_names() -> str:
    return ", ".join(f"{_typed(c)} AS {_ident(c.name)}" for c in (*SCHEMA, *OPTIONAL_SCHEMA))


def _checked_sql(member: Member, where: str = "") -> str:
    """Raw text and typed values of every row of one member (``_line``: its line or sheet row)."""
    raws = ", ".join(f"{member.raw_sql(c)} AS {_raw(c.name)}" for c in (*SCHEMA, *OPTIONAL_SCHEMA))
    inner = f"SELECT row_number() OVER () + 1 AS _line, {raws} FROM {_read(member)}"
    return f"SELECT * FROM (SELECT *, {_typed_names()} FROM ({inner})){f' WHERE {where}' if where else ''}"


@dataclass(frozen=True)
class RipaFilter:
    """The slice of a file to keep: counties (by the DOJ's file names), agencies (ORI), schools
    (14-digit CDS codes) and districts (the first 7 digits of a school's CDS code). Each kind
    given must match (any of its values); an empty filter keeps everything."""

    counties: tuple[str, ...] = ()
    agency_oris: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()

    def rows_sql(self) -> str:
        """The row condition on the typed columns ("" when no row filter is given)."""
        parts = []
        if self.agency_oris:
            parts.append(f"upper(AGENCY_ORI) IN ({', '.join(_q(a.strip().upper()) for a in self.agency_oris)})")
        if self.schools:
            parts.append(f"SCHOOL_CODE IN ({', '.join(_q(c) for c in self.schools)})")
        if self.districts:
            parts.append(f"substr(SCHOOL_CODE, 1, 7) IN ({', '.join(_q(d[:7]) for d in self.districts)})")
        return " AND ".join(f"coalesce({p}, false)" for p in parts)

    def describe(self) -> str:
        given = [("county", self.counties), ("agency", self.agency_oris), ("school", self.schools),
                 ("district", self.districts)]  # fmt: skip
        return "; ".join(f"{name} {', '.join(values)}" for name, values in given if values)

    @staticmethod
    def check_code(value: str, digits: tuple[int, ...], option: str) -> str:
        """A CDS code as given on the command line: digits only, of one of the accepted lengths."""
        code = value.strip().replace("-", "").replace(" ", "")
        if not code.isdigit() or len(code) not in digits:
            lengths = " or ".join(str(d) for d in digits)
            raise ValueError(f"{option} {value!r}: expected a CDS code of {lengths} digits")
        return code[:7] if option == "--district" else code


def _doubt_sql(layout: Layout | None) -> str:
    """The DOUBT text: every reason that applies to the row, ``;``-separated; NULL when none."""
    parts = [f"CASE WHEN {cond} THEN {_q(reason)} END" for _, cond, reason, _ in cell_checks(layout)]
    parts += [f"CASE WHEN {cond} THEN {_q(reason)} END" for reason, cond, _ in KNOWN_ERRORS]
    return f"nullif(concat_ws(';', {', '.join(parts)}), '')"


def _text(value: str | None) -> str:
    return "NULL::VARCHAR" if value is None else _q(value)


def member_sql(member: Member, where: str = "") -> str:
    """SQL for the typed rows of one member, with ``SOURCE_FILE``, ``COUNTY`` (from the file's
    name), ``LAYOUT`` (the published layout read) and ``DOUBT``; ``where`` filters the typed rows."""
    raws = ", ".join(f"{member.raw_sql(c)} AS {_raw(c.name)}" for c in (*SCHEMA, *OPTIONAL_SCHEMA))
    typed = f"SELECT *, {_typed_names()} FROM (SELECT {raws} FROM {_read(member)})"
    cols = ", ".join(_ident(c.name) for c in (*SCHEMA, *OPTIONAL_SCHEMA))
    layout = member.layout.name if member.layout else None
    extra = f"{_q(member.name)} AS SOURCE_FILE, {_text(member.county)} AS COUNTY, {_text(layout)} AS LAYOUT"
    filtered = f" WHERE {where}" if where else ""
    return f"SELECT {cols}, {extra}, {_doubt_sql(member.layout)} AS DOUBT FROM ({typed}){filtered}"


def _source_sql(files: Sequence[Path]) -> str:
    """DuckDB's own typed CSV read of the layout's columns, unchecked (the benchmark's floor)."""
    types = {c.name: ("INTEGER" if c.kind in {"int", "flag"} else "VARCHAR") for c in SCHEMA}
    typed = "{" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in types.items()) + "}"
    lst = "[" + ", ".join(_q(f) for f in files) + "]"
    return f"read_csv({lst}, header=true, union_by_name=true, types={typed})"


def typed_relation_sql(members: Sequence[Member], where: str = "") -> str:
    """SQL for the typed rows of every member (see ``member_sql``)."""
    return " UNION ALL ".join(f"({member_sql(m, where)})" for m in members)


def find_problems(
    con: duckdb.DuckDBPyConnection, members: Sequence[Member | Path], limit: int = 1000, where: str = ""
) -> tuple[int, list[Problem]]:
    """Every row with a reason to doubt it: (how many, the first problems with line and column)."""
    total_bad = 0
    problems: list[Problem] = []
    wrapped = [m if isinstance(m, Member) else Member(m.name, m) for m in members]
    for m in read_headers(wrapped, ", ".join(x.name for x in wrapped)):
        checks = [(col, cond, msg) for col, cond, _, msg in cell_checks(m.layout)]
        checks += [(col, cond, reason) for reason, cond, col in KNOWN_ERRORS]
        any_bad = " OR ".join(f"coalesce({cond}, false)" for _, cond, _ in checks)
        flags = ", ".join(f"coalesce({cond}, false)" for _, cond, _ in checks)
        src = f"({_checked_sql(m, where)})"
        rows = con.execute(f"SELECT _line, {flags} FROM {src} WHERE {any_bad} ORDER BY _line LIMIT {int(limit)}")
        for row in rows.fetchall():
            problems += [
                Problem(int(row[0]), checks[i][0], checks[i][2], m.name, m.unit) for i, bad in enumerate(row[1:]) if bad
            ]
        n = con.execute(f"SELECT count(*) FROM {src} WHERE {any_bad}").fetchone()
        total_bad += int(n[0]) if n else 0
    return total_bad, problems


def reading_error(exc: duckdb.Error, members: Sequence[Member], source: str) -> InputError:
    """What DuckDB could not read (a row with more fields than the header, say), with the member
    named as published (not its temporary file) and the line DuckDB gives."""
    text = str(exc)
    where, line = "", 0
    for m in members:
        if f"file = {m.path}" in text or str(m.path) in text.splitlines()[0]:
            where = m.name
    found = re.search(r"CSV Error on Line: (\d+)", text)
    if found:
        line = int(found.group(1))
    lines = [x.strip() for x in text.splitlines() if x.strip() and not x.strip().startswith("Original Line")]
    message = "; ".join(lines[:2]) if found else lines[0]
    for m in members:
        message = message.replace(str(m.path), m.name)
    return InputError(source, [Problem(line, "", message, where)])


def ripa_table_sql(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """SQL for the typed rows of a Parquet directory or file made by ``sro ingest ripa``."""
    if path.is_dir():
        sql = f"SELECT * FROM read_parquet({_q(path / '**' / '*.parquet')}, hive_partitioning=true, union_by_name=true)"
    else:
        sql = f"SELECT * FROM read_parquet({_q(path)})"
    have = {str(r[0]) for r in con.execute(f"DESCRIBE {sql}").fetchall()}
    missing = [c for c in (*RIPA_COLUMNS, "DOUBT") if c not in have]
    if missing:
        msg = f"missing column (written by an older sro ingest? ingest the DOJ file again): {', '.join(missing[:6])}"
        raise InputError(str(path), [Problem(0, missing[0], msg)])
    return sql


@dataclass(frozen=True)
class Doubt:
    """How many RIPA rows a report read, how many were flagged doubtful and why, and what it did with them."""

    rows: int
    doubtful: int
    by_reason: dict[str, int]
    excluded: bool

    def describe(self) -> str:
        did = "excluded (--exclude-doubtful)" if self.excluded else "included (--exclude-doubtful leaves them out)"
        head = f"RIPA rows read: {self.rows:,}; flagged doubtful: {self.doubtful:,}, {did}"
        reasons = "; ".join(f"{r} {n:,}" for r, n in self.by_reason.items())
        return head + (f": {reasons}" if reasons else "")


def count_doubts(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, int, dict[str, int]]:
    """(rows, doubtful rows, doubtful rows by reason, most frequent first) of a relation with DOUBT."""
    totals = con.execute(f"SELECT count(*), count(DOUBT) FROM ({sql})").fetchone()
    reasons = con.execute(
        f"SELECT reason, count(*) AS n FROM (SELECT unnest(string_split(DOUBT, ';')) AS reason FROM ({sql}) "
        "WHERE DOUBT IS NOT NULL) GROUP BY reason ORDER BY n DESC, reason"
    ).fetchall()
    rows, doubtful = (int(totals[0]), int(totals[1])) if totals else (0, 0)
    return rows, doubtful, {str(r): int(n) for r, n in reasons}


def ingest(
    src: Path, out: Path, *, threads: int | None = None, keep: RipaFilter | None = None, quiet: bool = True
) -> ReadSummary:
    """Read a RIPA CSV, workbook or zip (either published layout) and write it as Parquet
    partitioned by year of stop, in the harmonised columns.

    Every row is written (or, with ``keep``, every row of the slice); doubtful rows carry their
    reasons in ``DOUBT`` (see the module doc). The output is written beside ``out`` and moved into
    place only when complete; a failed run leaves ``out`` as it was.
    """
    keep = keep or RipaFilter()
    summary = ReadSummary(source=str(src))
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    where = keep.rows_sql()
    with ripa_members(src, keep.counties) as raw_members:
        members = read_headers(raw_members, str(src))
        select = typed_relation_sql(members, where)
        copy = (
            f"COPY (SELECT *, year(DATE_OF_STOP) AS YEAR FROM ({select})) TO {_q(staging)} "
            "(FORMAT parquet, PARTITION_BY (YEAR), COMPRESSION snappy)"
        )
        try:
            rows = run_with_progress(con, copy, None, f"Ingesting {src.name} ({len(members)} part(s))")
            written = int(rows[0][0]) if rows else 0
            parquet = f"SELECT * FROM read_parquet({_q(staging / '**' / '*.parquet')}, hive_partitioning=true)"
            _, doubtful, by_reason = count_doubts(con, parquet) if written else (0, 0, {})
            if doubtful:
                _, summary.problems = find_problems(con, members, limit=MAX_SHOWN, where=where)
            per_member = {
                str(name): (int(n), int(d))
                for name, n, d in con.execute(
                    f"SELECT SOURCE_FILE, count(*), count(DOUBT) FROM ({parquet}) GROUP BY SOURCE_FILE"
                ).fetchall()
            } if written else {}  # fmt: skip
            read = {m.name: per_member.get(m.name, (0, 0))[0] for m in members}
            if where:  # the slice is smaller than the file: count what was read
                for m in members:
                    n = con.execute(f"SELECT count(*) FROM {_read(m)}").fetchone()
                    read[m.name] = int(n[0]) if n else 0
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, duckdb.Error):
                raise reading_error(exc, members, str(src)) from exc
            raise
    summary.rows_read = sum(read.values())
    summary.rows_written = written
    summary.rows_doubtful, summary.doubtful_by_reason = doubtful, by_reason
    summary.by_member = {
        m.name: {
            "rows": read[m.name],
            "doubtful": per_member.get(m.name, (0, 0))[1],
            "written": per_member.get(m.name, (0, 0))[0],
            "layout": m.layout.name if m.layout else "",
            "county": m.county or "",
        }
        for m in members
    }
    staging.mkdir(exist_ok=True)  # a file with a header and no rows writes no partition
    replace_directory(staging, out)
    return summary


def replace_directory(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``: the old one is moved aside first and removed only
    once the new one is in place, so ``target`` is never left half-written."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
