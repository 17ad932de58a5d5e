"""Reader for the California Department of Education's Census Day enrollment files (CDEnroll).

Source of the layout: CDE, "File Structure: Census Day Enrollment Data",
https://www.cde.ca.gov/ds/ad/fsenrcensus.asp. From that page:

- the files hold Census Day (the first Wednesday in October) TK/K-12 enrollment from the CALPADS
  Fall 1 submission, at four aggregate levels: T state, C county, D district, S school;
- County Code is two digits; a school's 14-digit CDS code is its county (2), district (5) and
  school (7) digits, leading zeros kept (the CDS code as CDE's other file structures define it);
- cells may be suppressed with ``*``, "based on a combination of factors, including but not
  limited to the cell sizes at the school-level and within selected student populations that
  are 10 or fewer, not including race/ethnicity or age range";
- districts and charter schools that did not certify their Fall 1 submission are not in the file.

The stored copy of that page we could read ends before its table of reporting categories, so the
column spellings and category codes below were checked against public code that reads the live
files: almartin82/caschooldata (``R/process_enrollment.R``, ``R/tidy_enrollment.R`` and the
output of its ``data-quality-qa`` article, which lists the file's categories: TA, RE_*, GN_*,
SG_*, ELAS_*, AR_*), and against CDE's own "File Structure: ELAS, LTEL, and At-Risk by Grade"
(fsltel.asp), whose AcademicYear, CountyCode, DistrictCode, SchoolCode, CountyName,
DistrictName, SchoolName and Charter columns are spelt the same. docs/public-site.md says which
codes map to which sro groups and why.

Columns read (the header is matched ignoring case, spaces and underscores, since the page writes
"Academic Year" where the file has AcademicYear): AcademicYear, AggregateLevel, CountyCode,
DistrictCode, SchoolCode, SchoolName, ReportingCategory, TOTAL_ENR. The others (CountyName,
DistrictName, Charter, GR_TK to GR_12) may be present and are not used.

Only school rows (AggregateLevel S) are kept. Every row is checked, whatever its level, and every
problem is reported with the file, line and column; with any problem nothing is returned.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from sro.core.importing import MAX_PROBLEMS, TextFileError, csv_error_text, text_lines
from sro.public.groups import NOT_REPORTED

SOURCE_TITLE = "CDE, File Structure: Census Day Enrollment Data"
SOURCE_URL = "https://www.cde.ca.gov/ds/ad/fsenrcensus.asp"

ACADEMIC_YEAR = "AcademicYear"
AGGREGATE_LEVEL = "AggregateLevel"
COUNTY_CODE = "CountyCode"
DISTRICT_CODE = "DistrictCode"
SCHOOL_CODE = "SchoolCode"
SCHOOL_NAME = "SchoolName"
REPORTING_CATEGORY = "ReportingCategory"
TOTAL_ENR = "TOTAL_ENR"
REQUIRED = (
    ACADEMIC_YEAR,
    AGGREGATE_LEVEL,
    COUNTY_CODE,
    DISTRICT_CODE,
    SCHOOL_CODE,
    SCHOOL_NAME,
    REPORTING_CATEGORY,
    TOTAL_ENR,
)
CODE_DIGITS = {COUNTY_CODE: 2, DISTRICT_CODE: 5, SCHOOL_CODE: 7}
AGGREGATE_LEVELS = {"T": "state", "C": "county", "D": "district", "S": "school"}
SCHOOL_LEVEL = "S"
SUPPRESSED = "*"

# Reporting categories sro reads, and the sro group each one counts in (sro.public.groups).
TOTAL = "TA"
RACE = {
    "RE_H": "HI",  # Hispanic or Latino
    "RE_B": "BL",  # African American
    "RE_W": "WH",  # White
    "RE_A": "AS",  # Asian
    "RE_F": "AS",  # Filipino: within Asian, as in the federal (CRDC) categories sro counts in
    "RE_I": "AM",  # American Indian or Alaska Native
    "RE_P": "HP",  # Pacific Islander
    "RE_T": "TR",  # Two or more races
    "RE_D": NOT_REPORTED,  # Not reported
}
SEX = {"GN_F": "F", "GN_M": "M", "GN_X": "X", "GN_Z": NOT_REPORTED}  # Z: gender missing
DISABILITY = "SG_DS"  # students with disabilities
ENGLISH_LEARNER = "SG_EL"  # English learners
# Categories of the file that sro does not read.
UNUSED = {"SG_SD", "SG_MG", "SG_FS", "SG_HM"}  # socioeconomically disadvantaged, migrant, foster, homeless
UNUSED_FAMILIES = ("ELAS_", "AR_")  # English language acquisition status, age range
PARTITIONS = {"race": RACE, "sex": SEX}  # every student is in exactly one category of each
SUBGROUPS = {"disability": DISABILITY, "english_learner": ENGLISH_LEARNER}  # yes; "no" is the rest
KNOWN = {TOTAL, *RACE, *SEX, DISABILITY, ENGLISH_LEARNER, *UNUSED}

_YEAR = re.compile(r"[0-9]{4}-[0-9]{2}")
_COUNT = re.compile(r"[0-9]+")
_MAX_SHOWN = 20
_MAX_DIGITS = 8  # the state total is about six million


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CensusDayError(Exception):
    """The file cannot be used: every problem, each with the file's name, line and column."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        shown = [f"{file}: {p}" for p in problems[:_MAX_SHOWN]]
        if len(problems) > _MAX_SHOWN:
            shown.append(f"{file}: ... and {len(problems) - _MAX_SHOWN} more problems")
        super().__init__("\n".join(shown))


@dataclass
class CensusSchool:
    """One school's rows: reporting category -> count (None where CDE withheld it with '*')."""

    cds_code: str
    name: str
    cells: dict[str, int | None] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CensusDay:
    file: str  # the path as given
    school_year: str
    schools: dict[str, CensusSchool]
    rows: int  # data rows in the file, every year and level
    other_levels: int  # rows of the year at state, county or district level, not used


@dataclass(frozen=True)
class GroupSplit:
    """A campus's enrolment by sro group, worked out from its categories.

    ``total`` is None when the campus cannot be used (``skipped`` says why). ``withheld`` holds
    the dimensions that cannot be worked out for it, with why; ``notes`` what was worked out.
    """

    total: int | None
    counts: dict[str, dict[str, int]]
    withheld: dict[str, str]
    notes: list[str]
    skipped: str = ""


def read_census_day(path: Path, *, school_year: str | None = None, keep: Collection[str] | None = None) -> CensusDay:
    """Read a Census Day enrollment file; only the school rows of one school year are kept.

    ``school_year`` (e.g. "2024-25") chooses the year; without it the file must hold one.
    ``keep`` limits the schools kept to these CDS codes (every row is still checked).
    """
    name = str(path)
    reader = csv.reader(text_lines(path, fallback=("cp1252", "latin-1")), delimiter="\t", quoting=csv.QUOTE_NONE)
    problems: list[Problem] = []
    years: dict[str, dict[str, CensusSchool]] = {}
    rows = 0
    other_levels: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise CensusDayError(name, [Problem(None, "", "the file is empty")])
        index = _header_index(name, header)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            line = reader.line_num
            if len(problems) >= MAX_PROBLEMS:
                problems.append(Problem(line, "", f"reading stopped here after {MAX_PROBLEMS} problems"))
                break
            found = _row(line, row, index, len(header), problems)
            if found is None:
                continue
            year, level, category, count, cds, school_name = found
            schools = years.setdefault(year, {})
            if level != SCHOOL_LEVEL:
                other_levels[year] = other_levels.get(year, 0) + 1
                continue
            if keep is not None and cds not in keep:
                continue
            school = schools.setdefault(cds, CensusSchool(cds, school_name))
            if category in school.cells:
                if school.cells[category] != count:
                    problems.append(
                        Problem(
                            line,
                            REPORTING_CATEGORY,
                            f"a second {category} row for school {cds}, with another count than line "
                            f"{school.lines[category]}",
                        )
                    )
                continue
            school.cells[category] = count
            school.lines[category] = line
    except TextFileError as exc:
        whole = ": the Census Day file is tab-delimited text (download the .txt file)"
        message = exc.message + (whole if exc.message.startswith(("a ZIP", "not a text")) else "")
        raise CensusDayError(name, [*problems, Problem(exc.line, "", message)]) from None
    except csv.Error as exc:
        message = f"not readable as tab-delimited text ({csv_error_text(exc)})"
        raise CensusDayError(name, [*problems, Problem(reader.line_num, "", message)]) from None
    if problems:
        raise CensusDayError(name, problems)
    year = _choose_year(name, school_year, sorted(years))
    return CensusDay(name, year, years.get(year, {}), rows, other_levels.get(year, 0))


def group_split(school: CensusSchool) -> tuple[GroupSplit, list[Problem]]:
    """Map a school's categories onto sro's groups; problems if its counts do not add up.

    Race and sex categories each divide the total: a category withheld ('*') or without a row is
    worked out as TOTAL_ENR minus the others when it is the only one (or the others missing count
    in the same group); otherwise their students are counted as not reported and the groups they
    count in are left out for this campus. Disability and
    English learners are TOTAL_ENR split by SG_DS and SG_EL; without that count the dimension is
    withheld for the campus.
    """
    if TOTAL not in school.cells:
        return GroupSplit(None, {}, {}, [], skipped="no TA (total) row"), []
    total = school.cells[TOTAL]
    if total is None:
        return GroupSplit(None, {}, {}, [], skipped="TOTAL_ENR withheld by CDE (*)"), []
    counts: dict[str, dict[str, int]] = {}
    withheld: dict[str, str] = {}
    notes: list[str] = []
    problems: list[Problem] = []
    line = school.lines[TOTAL]
    for dim, mapping in PARTITIONS.items():
        groups, note, problem = _partition(dim, mapping, school, total)
        if problem:
            problems.append(Problem(line, TOTAL_ENR, problem))
            continue
        counts[dim] = groups
        if note:
            notes.append(note)
    for dim, code in SUBGROUPS.items():
        if code not in school.cells:
            withheld[dim] = f"no {code} row"
            continue
        n = school.cells[code]
        if n is None:
            withheld[dim] = f"{code} withheld by CDE (*)"
        elif n > total:
            problems.append(
                Problem(school.lines[code], TOTAL_ENR, f"{code} {n} is more than the school's TOTAL_ENR {total}")
            )
        else:
            counts[dim] = {"yes": n, "no": total - n}
    return GroupSplit(total, counts, withheld, notes), problems


def census_splits(census: CensusDay) -> dict[str, GroupSplit]:
    """Every school's split; CensusDayError if any school's counts do not add up."""
    out: dict[str, GroupSplit] = {}
    problems: list[Problem] = []
    for cds, school in census.schools.items():
        split, found = group_split(school)
        out[cds] = split
        problems.extend(found)
    if problems:
        raise CensusDayError(census.file, sorted(problems, key=lambda p: p.line or 0))
    return out


def _partition(dim: str, mapping: dict[str, str], school: CensusSchool, total: int) -> tuple[dict[str, int], str, str]:
    known = {c: n for c in mapping if (n := school.cells.get(c)) is not None}
    unknown = [c for c in mapping if c not in known]
    rest = total - sum(known.values())
    label = f"{dim} categories of {school.name} ({school.cds_code})"
    if rest < 0:
        return {}, "", f"the {label} add up to {sum(known.values())}, more than its TOTAL_ENR {total}"
    if not unknown and rest:
        return {}, "", f"the {label} add up to {sum(known.values())}, not its TOTAL_ENR {total}"
    why = ", ".join(f"{c} {'withheld (*)' if c in school.cells else 'has no row'}" for c in unknown)
    groups: dict[str, int] = {NOT_REPORTED: 0}
    unknown_groups = {mapping[c] for c in unknown}
    lost: set[str] = set()
    note = ""
    if len(unknown_groups) == 1:  # e.g. only GN_X, or RE_A and RE_F (both Asian): exact
        groups[unknown_groups.pop()] = rest
        note = f"{dim}: {why}: worked out as TOTAL_ENR minus the other categories ({rest})"
    elif unknown:
        lost = unknown_groups - {NOT_REPORTED}
        groups[NOT_REPORTED] = rest
    for code, n in known.items():
        group = NOT_REPORTED if mapping[code] in lost else mapping[code]
        groups[group] = groups.get(group, 0) + n
    if lost:
        note = (
            f"{dim}: {why}: {groups[NOT_REPORTED]} students counted as not reported, "
            f"and no {', '.join(sorted(lost))} figure for this campus"
        )
    return groups, note, ""


def _key(column: str) -> str:
    return re.sub(r"[\s_]+", "", column).lower()


def _header_index(name: str, header: list[str]) -> dict[str, int]:
    if len(header) == 1:
        hint = " (a comma-separated file?)" if "," in header[0] else ""
        message = f"not tab-delimited text: the header has no tab{hint}; the Census Day file is tab-delimited"
        raise CensusDayError(name, [Problem(1, "", message)])
    index: dict[str, int] = {}
    for i, column in enumerate(header):
        index.setdefault(_key(column), i)
    missing = [c for c in REQUIRED if _key(c) not in index]
    if missing:
        found = ", ".join(h.strip() for h in header[:15]) + (", ..." if len(header) > 15 else "")
        message = f"missing column(s) {', '.join(missing)}: not the Census Day enrollment layout (found {found})"
        raise CensusDayError(name, [Problem(1, "", message)])
    return {c: index[_key(c)] for c in REQUIRED}


def _row(
    line: int, row: list[str], index: dict[str, int], width: int, problems: list[Problem]
) -> tuple[str, str, str, int | None, str, str] | None:
    """(year, level, category, count, CDS code, school name), or None with the row's problems added."""
    if len(row) < width or any(cell.strip() for cell in row[width:]):
        problems.append(Problem(line, "", f"{len(row)} fields where the header has {width}"))
        return None
    cell = {c: row[i].strip() for c, i in index.items()}
    found: list[Problem] = []
    year = cell[ACADEMIC_YEAR]
    if not _is_school_year(year):
        found.append(Problem(line, ACADEMIC_YEAR, f"'{year}' is not a school year such as 2024-25"))
    level = cell[AGGREGATE_LEVEL]
    if level not in AGGREGATE_LEVELS:
        levels = ", ".join(f"{k} ({v})" for k, v in AGGREGATE_LEVELS.items())
        found.append(Problem(line, AGGREGATE_LEVEL, f"'{level}' is not one of {levels}"))
    category = cell[REPORTING_CATEGORY]
    if not _is_category(category):
        found.append(Problem(line, REPORTING_CATEGORY, _unknown_category(category)))
    raw = cell[TOTAL_ENR]
    count: int | None = None
    if raw == SUPPRESSED:
        count = None
    elif _COUNT.fullmatch(raw) and len(raw) <= _MAX_DIGITS:
        count = int(raw)
    else:
        found.append(Problem(line, TOTAL_ENR, f"'{raw}' is not a count: a whole number, or * where CDE withheld it"))
    if level == SCHOOL_LEVEL:
        for column, digits in CODE_DIGITS.items():
            value = cell[column]
            if not (value.isascii() and value.isdigit() and len(value) == digits):
                hint = " (leading zeros lost? use the file as downloaded, not saved from a spreadsheet)"
                short = value.isascii() and value.isdigit() and len(value) < digits
                found.append(
                    Problem(line, column, f"'{value}' is not {digits} digits{hint if short else ''}"),
                )
    if found:
        problems.extend(found)
        return None
    cds = cell[COUNTY_CODE] + cell[DISTRICT_CODE] + cell[SCHOOL_CODE]
    return year, level, category, count, cds, cell[SCHOOL_NAME]


def _is_school_year(value: str) -> bool:
    return bool(_YEAR.fullmatch(value)) and (int(value[:4]) + 1) % 100 == int(value[5:])


def _is_category(code: str) -> bool:
    return code in KNOWN or any(code.startswith(f) and len(code) > len(f) for f in UNUSED_FAMILIES)


def _unknown_category(code: str) -> str:
    families = "TA, RE_x (race or ethnicity), GN_x (gender), SG_x (student groups), ELAS_x, AR_x"
    for prefix, known in (("RE_", RACE), ("GN_", SEX), ("SG_", {DISABILITY, ENGLISH_LEARNER, *UNUSED})):
        if code.startswith(prefix):
            return f"unknown reporting category '{code}'; the file's {prefix}x codes are {', '.join(sorted(known))}"
    return f"'{code}' is not a reporting category of the Census Day file ({families}): is this another CDE file?"


def _choose_year(name: str, wanted: str | None, years: list[str]) -> str:
    if not years:
        raise CensusDayError(name, [Problem(None, "", "no data rows under the header")])
    if wanted is not None:
        if wanted not in years:
            message = f"no rows for {wanted}; the file holds {', '.join(years)}"
            raise CensusDayError(name, [Problem(None, ACADEMIC_YEAR, message)])
        return wanted
    if len(years) > 1:
        message = f"the file holds several school years ({', '.join(years)}): choose one with --year"
        raise CensusDayError(name, [Problem(None, ACADEMIC_YEAR, message)])
    return years[0]
