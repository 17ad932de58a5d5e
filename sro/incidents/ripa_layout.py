"""The DOJ public RIPA stop-data layouts: sro's harmonised columns (the 2018-2023 names), each
column's kind and range, and how each published layout (2018-2023, 2024) maps onto them.

One definition for both directions: the oversight reader (`sro.oversight.ripa`) validates DOJ
files and `sro ingest` output against it; the application's own export (`sro export ripa`,
`sro.incidents.ripa`) writes the DOJ's published layout of each contact's era, which this reader
reads back like a DOJ file (docs/contacts.md).
No models: the statewide readers use it without a database.

The 2024 layout (posted December 2025) renamed and split columns; `data/ripa_layouts.toml` says,
with a source for each mapping, which of its columns each harmonised column is read from
(`Layout`, `layouts()`, `layout_of()`).

Sources of the column names (checked by hand, not from memory):

* the DOJ's "RIPA Dataset Read Me" for 2021 ("Data Element and Values Defined: Statewide Data
  January 1, 2021 - December 30, 2021", last updated 1/12/2023; a copy is
  `RIPA Dataset Read Me 2021 Final.pdf` in the GitHub repository rkiddy/ca_ripa_importing):
  every name below with its column letter, e.g. A `DOJ_RECORD_ID`, M `RAE_FULL`, V `G_FULL`,
  AG `PD_FULL`, AQ `REASON_FOR_STOP`, BD `RFS_EC_DISCIPLINE_CODE`, BE `RFS_EC_DISCIPLINE`,
  BK `ADS_HANDCUFFED`, BX `ADS_SEARCH_PERSON`, BZ `ADS_SEARCH_PROPERTY`, CS `BFS_SCHOOL_POLICY`,
  DJ `BPS_VIOLATE_SCHOOL`, EA `ROS_CUSTODIAL_WITHOUT_WARRANT`, EG `ROS_REFERRAL_SCHOOL_ADMIN`,
  EH `ROS_REFERRAL_SCHOOL_COUNSELOR`;
* HRDAG's ripadb (`individual/RIPA-statewide/clean/hand/schema.yaml`, the union of the headers
  read from the real 2018-2024 workbooks): the same spellings for 2018-2023, and
  `PD_DISAB_MULTI` in place of `PD_MULTI` in the 2018-2020 files (blank there means no
  disability), hence `COLUMN_ALIASES`.

Where the Read Me and the files differ in a column this layout does not read (the Read Me's
`G_GENDER_NONCOMFORMING`, `PD_ DEVEL_DISAB`, `ROS_NON_CRIMINAL_TRANSPORT` against the files'
`G_GENDER_NONCONFORMING`, `PD_DEVEL_DISAB`, `ROS_NONCRIMINAL_TRANSPORT`), the files win.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sro.core.datafiles import Problem, TomlDocument, read_toml

LAYOUTS_PATH = Path(__file__).resolve().parent / "data" / "ripa_layouts.toml"


@dataclass(frozen=True)
class Col:
    name: str
    kind: str  # "id", "text", "int", "flag", "date", "cds"
    low: int = 0
    high: int = 1
    required: bool = True


_INT = {
    "PERSON_NUMBER": (1, 999),
    # The Read Me's known errors include ages 120 and 445: outside 1-119 a row is flagged.
    "AGE": (1, 119),
    # 1-8 in the 2018-2023 Read Me; 9 (probable cause) and 10 (W&I 5150) are the 2024 codes,
    # which the application's own contacts use too.
    "REASON_FOR_STOP": (1, 10),
    "RAE_FULL": (1, 8),
    "G_FULL": (1, 5),  # the 2021 Read Me has no code 6
    "PD_FULL": (0, 8),
}
_OPTIONAL_INT = {"RFS_EC_DISCIPLINE_CODE": (1, 5), "RFS_EC_DISCIPLINE": (1, 19)}
FORCE_FLAGS = (
    "ADS_REMOVED_VEHICLE_PHYCONTACT",
    "ADS_FIREARM_POINT",
    "ADS_FIREARM_DISCHARGE",
    "ADS_ELECT_DEVICE",
    "ADS_IMPACT_DISCHARGE",
    "ADS_CANINE_BITE",
    "ADS_BATON",
    "ADS_CHEM_SPRAY",
    "ADS_OTHER_CONTACT",
)
_FLAGS = (
    "STOP_STUDENT",
    "K12_SCHOOL_GROUNDS",
    "ADS_HANDCUFFED",
    *FORCE_FLAGS,
    "ADS_SEARCH_PERSON",
    "ADS_SEARCH_PROPERTY",
    "ADS_PROP_SEIZE",
    "ADS_WRITTEN_STATEMENT",
    "BFS_SCHOOL_POLICY",
    "BPS_VIOLATE_SCHOOL",
    "ROS_CITATION",
    "ROS_IN_FIELD_CITE_RELEASE",
    "ROS_CUSTODIAL_WARRANT",
    "ROS_CUSTODIAL_WITHOUT_WARRANT",
    "ROS_REFERRAL_SCHOOL_ADMIN",
    "ROS_REFERRAL_SCHOOL_COUNSELOR",
)

SCHEMA: tuple[Col, ...] = (
    Col("DOJ_RECORD_ID", "id"),
    Col("PERSON_NUMBER", "int", *_INT["PERSON_NUMBER"]),
    Col("AGENCY_ORI", "id"),
    Col("AGENCY_NAME", "text", required=False),
    Col("DATE_OF_STOP", "date"),
    Col("TIME_OF_STOP", "text", required=False),
    Col("SCHOOL_CODE", "cds", required=False),
    Col("SCHOOL_NAME", "text", required=False),
    *(Col(n, "int", lo, hi) for n, (lo, hi) in _INT.items() if n != "PERSON_NUMBER"),
    *(Col(n, "int", lo, hi, required=False) for n, (lo, hi) in _OPTIONAL_INT.items()),
    *(Col(n, "flag") for n in _FLAGS),
)

#: The DOJ public columns the oversight reader needs, in the order the synthetic generator writes
#: them. The application's own RIPA export holds each of them (under its era's names).
RIPA_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA)

#: The contraband or evidence found (the Read Me's CED_ columns but "none"), in both layouts.
CONTRABAND_COLUMNS = (
    "CED_FIREARM",
    "CED_AMMUNITION",
    "CED_WEAPON",
    "CED_DRUGS",
    "CED_ALCOHOL",
    "CED_MONEY",
    "CED_DRUG_PARAPHERNALIA",
    "CED_STOLEN_PROP",
    "CED_ELECT_DEVICE",
    "CED_OTHER_CONTRABAND",
)

#: Columns read when a file has them and left empty (NULL) when it does not. ``CONTRABAND_FOUND``
#: is sro's own: 1 when any ``CONTRABAND_COLUMNS`` is 1 (the hit rate's numerator);
#: ``NFA_TERRY_FRISK`` exists in the 2024 layout only (and counts as a search there).
OPTIONAL_SCHEMA: tuple[Col, ...] = (
    Col("PD_MULTI", "int", 0, 2, required=False),
    Col("ROS_WARNING", "flag", required=False),
    Col("CONTRABAND_FOUND", "flag", required=False),
    Col("NFA_TERRY_FRISK", "flag", required=False),
)
HARMONISED: dict[str, Col] = {c.name: c for c in (*SCHEMA, *OPTIONAL_SCHEMA)}


@dataclass(frozen=True)
class Alias:
    """Another name a published file gives a column; ``blank`` is what an empty cell means there."""

    name: str
    column: str
    blank: str | None
    source: str


#: Other published names of the layout's columns, by the name in the file.
COLUMN_ALIASES: dict[str, Alias] = {
    a.name: a
    for a in (
        Alias(
            "PD_DISAB_MULTI",
            "PD_MULTI",
            "0",
            "2018 statewide CSV and the 2018-2020 workbooks (HRDAG ripadb, "
            "individual/RIPA-statewide/clean/hand/schema.yaml: values 1, 2, blank = none)",
        ),
    )
}


@dataclass(frozen=True)
class Layout:
    """One published layout: the columns that identify it and where each harmonised column is."""

    name: str
    marker: tuple[str, ...]
    source: str
    columns: dict[str, tuple[str, ...]]  # harmonised column -> the file's columns (any one 1 means 1)
    ranges: dict[str, tuple[int, int]]

    def sources(self, column: str) -> tuple[str, ...]:
        """The file columns a harmonised column is read from (by default, its own name)."""
        if column == "CONTRABAND_FOUND" and column not in self.columns:
            return CONTRABAND_COLUMNS
        return self.columns.get(column, (column,))

    def col(self, c: Col) -> Col:
        """The column with this layout's accepted range."""
        lo_hi = self.ranges.get(c.name)
        return replace(c, low=lo_hi[0], high=lo_hi[1]) if lo_hi else c

    def recognises(self, header: set[str]) -> bool:
        return all(m in header for m in self.marker)


def check_layouts(doc: TomlDocument) -> tuple[Layout, ...]:
    """The layouts of a parsed file; DataFileError lists every problem with its line and key."""
    problems: list[Problem] = []
    out: list[Layout] = []
    raw = doc.data.get("layout")
    if not isinstance(raw, list) or not raw:
        doc.fail([doc.problem(("layout",), "missing [[layout]] tables")])
    for i, entry in enumerate(raw):
        here: tuple[str | int, ...] = ("layout", i)
        if not isinstance(entry, dict):
            problems.append(doc.problem(here, "expected a table"))
            continue
        name, marker, source = entry.get("name"), entry.get("marker"), entry.get("source")
        for key, value, ok in (
            ("name", name, isinstance(name, str) and name),
            ("marker", marker, isinstance(marker, list) and marker and all(isinstance(m, str) for m in marker)),
            ("source", source, isinstance(source, str) and source),
        ):
            if not ok:
                problems.append(
                    doc.problem(
                        (*here, key),
                        f"{key}: expected {'a list of column names' if key == 'marker' else 'text'}, got {value!r}",
                    )
                )
        columns: dict[str, tuple[str, ...]] = {}
        for col, files in _table(entry, "columns").items():
            if col not in HARMONISED:
                problems.append(
                    doc.problem((*here, "columns", col), f"{col}: not a harmonised column (ripa_layout.py)")
                )
            elif not (isinstance(files, list) and files and all(isinstance(f, str) and f for f in files)):
                problems.append(
                    doc.problem((*here, "columns", col), f"{col}: expected a list of the file's column names")
                )
            elif len(files) > 1 and HARMONISED[col].kind != "flag":
                problems.append(
                    doc.problem((*here, "columns", col), f"{col}: only a 0/1 flag can be read from several columns")
                )
            else:
                columns[col] = tuple(files)
        ranges: dict[str, tuple[int, int]] = {}
        for col, bounds in _table(entry, "ranges").items():
            ok = isinstance(bounds, list) and len(bounds) == 2 and all(isinstance(b, int) for b in bounds)
            if col not in HARMONISED or HARMONISED[col].kind != "int" or not ok:
                problems.append(
                    doc.problem((*here, "ranges", col), f"{col}: expected a coded column = [lowest, highest]")
                )
            else:
                ranges[col] = (bounds[0], bounds[1])
        if not problems and isinstance(marker, list):
            out.append(Layout(str(name), tuple(marker), str(source), columns, ranges))
    doc.raise_problems(problems)
    return tuple(out)


def _table(entry: dict[str, Any], key: str) -> dict[str, Any]:
    value = entry.get(key, {})
    return value if isinstance(value, dict) else {}


def load_layouts(path: Path = LAYOUTS_PATH) -> tuple[Layout, ...]:
    return check_layouts(read_toml(path))


@functools.cache
def layouts() -> tuple[Layout, ...]:
    """The published layouts (data/ripa_layouts.toml), the 2018-2023 one first."""
    return load_layouts()


def layout_of(header: set[str]) -> Layout:
    """The layout whose marker columns a file's first row has (the first layout when none has them)."""
    known = layouts()
    return next((lay for lay in reversed(known) if lay.recognises(header)), known[0])
