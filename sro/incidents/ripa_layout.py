"""The DOJ public RIPA stop-data layout (2018-2023 files): each column, its kind and its range.

One definition for both directions: the oversight reader (`sro.oversight.ripa`) validates DOJ
files and `sro ingest` output against it, and the application's own export (`sro export ripa`,
`sro.incidents.ripa`) writes exactly `RIPA_COLUMNS` first, so the reader reads the export back.
Plain Python (no Django), so the statewide readers can use it without a database.
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
    "AGE": (0, 120),
    "REASON_FOR_STOP": (1, 10),
    "RAE_FULL": (1, 8),
    "G_FULL": (1, 6),
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
    "ADS_SEARCHED_PER",
    "ADS_SEARCHED_PROP",
    "ADS_PROP_SEIZE",
    "ADS_WRITTEN_STATEMENT",
    "BFS_SCHOOL_POLICY",
    "BPS_VIOLENT_SCHOOL",
    "ROS_CITATION",
    "ROS_IN_FIELD_CITE_RELEASE",
    "ROS_CUSTODIAL_WARRANT",
    "ROS_CUSTODIAL_WITHOU_WARRANT",
    "ROS_REFFERAL_SCHOOL_ADMIN",
    "ROS_REFFERAL_SCHOOL_COUNSELOR",
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
