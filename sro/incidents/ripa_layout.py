"""The DOJ public RIPA stop-data layout (2018-2023 files): each column, its kind and its range.

One definition for both directions: the oversight reader (`sro.oversight.ripa`) validates DOJ
files and `sro ingest` output against it, and the application's own export (`sro export ripa`,
`sro.incidents.ripa`) writes exactly `RIPA_COLUMNS` first, so the reader reads the export back.
Plain Python (no Django), so the statewide readers can use it without a database.

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

from dataclasses import dataclass


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
#: them. The application's own RIPA export writes exactly these columns first.
RIPA_COLUMNS: tuple[str, ...] = tuple(c.name for c in SCHEMA)

#: Columns read when a file has them and left empty when it does not (none of the reports needs them).
OPTIONAL_SCHEMA: tuple[Col, ...] = (Col("PD_MULTI", "int", 0, 2, required=False),)


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
