"""`sro export ripa`: an agency's SRO contacts in the DOJ's public RIPA stop-data layout of their
era, one row per person, column for column; and `ripa_parse`, which reads such a file back.

The DOJ changed its layout with the code lists on 1 January 2024, so a contact is written in the
layout of the lists it was recorded under (`Contact.codes_version`): the 2018-2023 layout (142
columns in the DOJ's files: `ADS_` actions, `G_MALE`, `LGBT`...) or the 2024 layout (`NFA_`/`OFA_`
actions, split warnings, `CTP_` consent, `G_CISGENDER_MAN`, `SOR_LGB`...). One file holds one era.

The columns, their order and their spelling are HRDAG's ripadb target schema
(individual/RIPA-statewide/clean/hand/schema.yaml: the union of the headers of the DOJ's real
2018-2024 county workbooks, with the era of each column that exists in one era only, and the
renames between eras). Columns sro does not record (type of stop, reasonable-suspicion details,
closest city, CJIS offence codes...) are written empty; the oversight reader
(`sro.oversight.ripa`) reads the export back as it reads the DOJ's files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from sro.core import csvsafe
from sro.incidents.codes import RipaCodes, codes_for, codes_version
from sro.incidents.contacts import ContactData
from sro.incidents.models import Contact

# The columns in HRDAG's order, each with the era it exists in ("" both; "2018": the 2018-2023
# files only; "2024": the 2024 files only) and, where it was renamed, its 2018-2023 name.
_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("DOJ_RECORD_ID", "", ""),
    ("PERSON_NUMBER", "", ""),
    ("AGENCY_ORI", "", ""),
    ("AGENCY_NAME", "", ""),
    ("NON_REPORTING_AGENCY", "2024", ""),
    ("TIME_OF_STOP", "", ""),
    ("DATE_OF_STOP", "", ""),
    ("STOP_DURATION", "", ""),
    ("LOC_CLOSEST_CITY", "", "CLOSEST_CITY"),
    ("SCHOOL_CODE", "", ""),
    ("SCHOOL_NAME", "", ""),
    ("STOP_STUDENT", "", ""),
    ("K12_SCHOOL_GROUNDS", "", ""),
    ("RAE_FULL", "", ""),
    *((c, "", "") for c in ("RAE_ASIAN", "RAE_BLACK_AFRICAN_AMERICAN")),
    ("RAE_HISPANIC_LATINEX", "", "RAE_HISPANIC_LATINO"),
    *((c, "", "") for c in ("RAE_MIDDLE_EASTERN_SOUTH_ASIAN", "RAE_NATIVE_AMERICAN", "RAE_PACIFIC_ISLANDER")),
    ("RAE_WHITE", "", ""),
    ("RAE_MULTIRACIAL", "", ""),
    ("G_FULL", "", ""),
    ("G_CISGENDER_MAN", "", "G_MALE"),
    ("G_CISGENDER_WOMAN", "", "G_FEMALE"),
    ("G_TRANSGENDER_MAN", "", ""),
    ("G_TRANSGENDER_WOMAN", "", ""),
    ("G_NONBINARY_PERSON", "", "G_GENDER_NONCONFORMING"),
    ("G_MULTIGENDER", "2024", ""),
    ("SOR_LGB", "", "LGBT"),
    ("SOR_STRAIGHT", "2024", ""),  # derived by HRDAG for 2018-2023, published from 2024
    ("AGE", "", ""),
    ("AGE_GROUP", "", ""),
    ("LIMITED_ENGLISH_FLUENCY", "", ""),
    ("PD_FULL", "", ""),
    *(
        (c, "", "")
        for c in (
            "PD_DEAFNESS_HEARING",
            "PD_SPEECH_IMPAIR",
            "PD_BLIND",
            "PD_MENTAL_HEALTH",
            "PD_DEVEL_DISAB",
            "PD_HYPERACTIVITY_DISABILITY",
            "PD_OTHER",
            "PD_NONE_DISABILITY",
            "PD_MULTI",
        )
    ),
    *(
        (c, "2024", "")
        for c in (
            "PERSON_UNHOUSED",
            "PASSENGER_IN_VEHICLE",
            "INSIDE_RESIDENCE",
            "WELFARE_WELLNESS_CHECK",
            "TOS_VEHICULAR",
            "TOS_BICYCLE",
            "TOS_PEDESTRIAN",
        )
    ),
    *((c, "", "") for c in ("CALL_FOR_SERVICE", "REASON_FOR_STOP", "RFS_TRAFFIC_VIOLATION_TYPE")),
    ("RFS_TRAFFIC_VIOLATION_CODE", "", ""),
    *(
        (f"RFS_RS_{c}", "", "")
        for c in (
            "OFF_WITNESS",
            "MATCH_SUSPECT",
            "WITNESS_ID",
            "CARRY_SUS_OBJECT",
            "ACTIONS_INDICATIVE",
            "SUSPECT_LOOK",
            "DRUG_TRANS",
            "VIOLENT_CRIME",
            "REASON_SUSP",
        )
    ),
    ("RFS_RS_MATCH_VEHICLE", "2024", ""),
    ("RFS_RS_CODE", "", ""),
    ("RFS_EC_DISCIPLINE_CODE", "", ""),
    ("RFS_EC_DISCIPLINE", "", ""),
    *(
        (f"RFS_PC_{c}", "2024", "")
        for c in (
            "OFF_WITNESS",
            "MATCH_SUSPECT",
            "WITNESS_ID",
            "CARRY_SUS_OBJECT",
            "ACTIONS_INDICATIVE",
            "SUSPECT_LOOK",
            "DRUG_TRANS",
            "VIOLENT_CRIME",
            "REASON_SUSP",
            "MATCH_VEHICLE",
            "CODE",
        )
    ),
    *(
        (f"RFS_RG_{c}", "2024", "")
        for c in (
            "TRAFFIC_MOVING",
            "TRAFFIC_EQUIPMENT",
            "TRAFFIC_NON_MOVING",
            "OFF_WITNESS",
            "MATCH_SUSPECT",
            "MATCH_VEHICLE",
            "WITNESS_ID",
            "CARRY_SUS_OBJECT",
            "ACTIONS_INDICATIVE",
            "SUSPECT_LOOK",
            "DRUG_TRANS",
            "VIOLENT_CRIME",
            "REASON_SUSP",
            "PROBABLE_CAUSE",
            "WELFARE_AND_INST",
            "KNOWN_PAROLE",
            "OUTSTANDING_WARRANT",
            "TRUANT",
            "CONSENSUAL_SEARCH",
            "DISCIPLINE",
            "SCHOOL_POLICY",
            "NOT_COMMUNICATED",
        )
    ),
    *(
        (f"ADS_{c}", "2018", "")
        for c in (
            "REMOVED_VEHICLE_ORDER",
            "REMOVED_VEHICLE_PHYCONTACT",
            "SOBRIETY_TEST",
            "CURB_DETENT",
            "HANDCUFFED",
            "PATCAR_DETENT",
            "CANINE_SEARCH",
            "FIREARM_POINT",
            "FIREARM_DISCHARGE",
            "ELECT_DEVICE",
            "IMPACT_DISCHARGE",
            "CANINE_BITE",
            "BATON",
            "CHEM_SPRAY",
            "OTHER_CONTACT",
            "PHOTO",
            "ASKED_SEARCH_PER",
            "SEARCH_PERSON",
            "ASKED_SEARCH_PROP",
            "SEARCH_PROPERTY",
            "PROP_SEIZE",
            "VEHICLE_IMPOUND",
            "WRITTEN_STATEMENT",
            "NO_ACTIONS",
            "SEARCH_PERS_CONSEN",
            "SEARCH_PROP_CONSEN",
        )
    ),
    *(
        (f"NFA_{c}", "2024", "")
        for c in (
            "WRITTEN_STATEMENT",
            "ASKED_SEARCH_PER",
            "ASKED_SEARCH_PROP",
            "ASKED_ID_PASSENGER",
            "ASKED_PAROLE",
            "CURB_DETENT",
            "SOBRIETY_TEST",
            "PATCAR_DETENT",
            "CANINE_SEARCH",
            "PHOTO",
            "REMOVED_VEHICLE_ORDER",
            "PROP_SEIZE",
            "RAN_NAME_PASSENGER",
            "SEARCH_PERSON",
            "SEARCH_PROPERTY",
            "TERRY_FRISK",
            "VEHICLE_IMPOUND",
            "NONE",
            "SEARCH_PERS_CONSENT",
            "SEARCH_PROP_CONSENT",
        )
    ),
    *(
        (f"OFA_{c}", "2024", "")
        for c in (
            "HANDCUFFED",
            "BATON_DRAWN",
            "BATON_USED",
            "CHEM_SPRAY",
            "ELECT_DEVICE_POINT",
            "ELECT_DEVICE_STUN",
            "ELECT_DEVICE_DART",
            "FIREARM_UNHOLSTERED",
            "FIREARM_POINT",
            "FIREARM_DISCHARGE",
            "IMPACT_PROJECTILE_POINT",
            "IMPACT_PROJECTILE_DISCHARGE",
            "CANINE_COMPLIANCE",
            "CANINE_BITE",
            "REMOVED_VEHICLE_PHYCONTACT",
            "PHYSICAL_COMPLIANCE",
            "USE_VEHICLE",
            "NONE",
        )
    ),
    *(
        (f"BFS_{c}", "", "")
        for c in (
            "CONSENT_GIVEN",
            "OFFICER_SAFETY",
            "SEARCH_WARRANT",
            "PAROLE",
            "SUSPECT_WEAPON",
            "VISIBLE_CONTRABAND",
            "ODOR_CONTRABAND",
            "CANINE_DETECT",
            "EVIDENCE",
            "INCIDENT",
            "EXIGENT_CIRCUM",
            "VEHICLE_INVENT",
            "SCHOOL_POLICY",
        )
    ),
    *((f"CTP_{c}", "2024", "") for c in ("VERBAL", "WRITTEN", "IMPLIED")),
    *(
        (f"CED_{c}", "", "")
        for c in (
            "NONE_CONTRABAND",
            "FIREARM",
            "AMMUNITION",
            "WEAPON",
            "DRUGS",
            "ALCOHOL",
            "MONEY",
            "DRUG_PARAPHERNALIA",
            "STOLEN_PROP",
            "ELECT_DEVICE",
            "OTHER_CONTRABAND",
        )
    ),
    *(
        (f"BPS_{c}", "", "")
        for c in ("SAFEKEEPING", "CONTRABAND", "EVIDENCE", "IMPOUND_VEHICLE", "ABANDON_PROP", "VIOLATE_SCHOOL")
    ),
    *(
        (f"TPS_{c}", "", "")
        for c in (
            "FIREARM",
            "AMMUNITION",
            "WEAPON",
            "DRUGS",
            "ALCOHOL",
            "MONEY",
            "DRUG_PARAPHERNALIA",
            "STOLEN_PROP",
            "CELLPHONE",
            "VEHICLE",
            "CONTRABAND",
        )
    ),
    ("ROS_NO_ACTION", "", ""),
    ("ROS_WARNING", "2018", ""),
    ("ROS_WRITTEN_WARNING", "2024", ""),
    ("ROS_VERBAL_WARNING", "2024", ""),
    *(
        (f"ROS_{c}", "", "")
        for c in (
            "CITATION",
            "IN_FIELD_CITE_RELEASE",
            "CUSTODIAL_WARRANT",
            "CUSTODIAL_WITHOUT_WARRANT",
            "FIELD_INTERVIEW_CARD",
            "NONCRIMINAL_TRANSPORT",
            "CONTACT_LEGAL_GUARDIAN",
            "PSYCH_HOLD",
            "US_HOMELAND",
            "REFERRAL_SCHOOL_ADMIN",
            "REFERRAL_SCHOOL_COUNSELOR",
        )
    ),
    ("ROS_WARNING_CDS", "2018", ""),
    ("ROS_VERBAL_WARNING_CDS", "2024", ""),
    ("ROS_WRITTEN_WARNING_CDS", "2024", ""),
    *((f"ROS_{c}", "", "") for c in ("CITATION_CDS", "IN_FIELD_CITE_RELEASE_CDS", "CUSTODIAL_WOUT_WARRANT_CDS")),
)

#: The layouts by their name in the code lists (`RipaCodes.layout`).
LAYOUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "2018-2023": tuple(old or name for name, era, old in _COLUMNS if era != "2024"),
    "2024": tuple(name for name, era, _ in _COLUMNS if era != "2018"),
}

# contact field -> code table whose flag columns carry it
FLAG_FIELDS = {
    "race": "race",
    "disability": "disability",
    "actions": "action",
    "search_basis": "search_basis",
    "seizure_basis": "seizure_basis",
    "contraband": "contraband",
    "results": "result",
    "consent_type": "consent_type",
}
# AGE_GROUP of the DOJ files (2018-2022 and 2024 bins: HRDAG schema.yaml, age_group_bins).
AGE_EDGES = (10, 15, 18, 25, 35, 45, 55, 65)


def ripa_columns(codes: RipaCodes) -> list[str]:
    """The columns of the DOJ layout of the era of `codes`, in order."""
    return list(LAYOUT_COLUMNS[codes.layout])


def agency_ori(contact: Contact) -> str:
    """The agency's ORI, or a local placeholder when none is on file (the reader needs a value)."""
    return contact.agency.ori or f"LOCAL{contact.agency_id:05d}"


def _full(codes: list[int], multiple: int, none: int | None = None) -> int | None:
    if not codes:
        return none
    return codes[0] if len(codes) == 1 else multiple


def _flag(on: bool) -> str:
    return "1" if on else "0"


def ripa_row(contact: Contact, codes: RipaCodes) -> dict[str, str]:
    """One person's row in the layout of `codes` (the lists the contact was recorded under)."""
    local = timezone.localtime(contact.occurred_at)
    cols = ripa_columns(codes)
    row = dict.fromkeys(cols, "")
    disability = codes.table("disability")
    public_pd = sorted(disability[c].public or c for c in contact.disability if c in disability)
    new = codes.layout == "2024"
    row.update(
        {
            "DOJ_RECORD_ID": contact.agency_stop_id or f"SRO{contact.pk}",
            "PERSON_NUMBER": str(contact.agency_person_number or 1),
            "AGENCY_ORI": agency_ori(contact),
            "AGENCY_NAME": contact.agency.name,
            "DATE_OF_STOP": local.date().isoformat(),
            "TIME_OF_STOP": local.strftime("%H:%M"),
            "STOP_DURATION": str(contact.duration_minutes),
            "SCHOOL_CODE": contact.school.cds_code,
            "SCHOOL_NAME": contact.school.name,
            "STOP_STUDENT": "1",
            "K12_SCHOOL_GROUNDS": "1",
            "AGE": str(contact.age),
            "AGE_GROUP": str(1 + sum(contact.age >= e for e in AGE_EDGES)),
            "LIMITED_ENGLISH_FLUENCY": _flag(contact.limited_english),
            "REASON_FOR_STOP": str(contact.reason),
            "RAE_FULL": str(_full(sorted(contact.race), 8)),
            "RAE_MULTIRACIAL": _flag(len(contact.race) > 1),
            "G_FULL": str(contact.gender),
            "PD_FULL": str(_full(public_pd, 8, 0)),
            "PD_NONE_DISABILITY": _flag(not contact.disability),
            "PD_MULTI": _flag(len(contact.disability) > 1),
            "RFS_EC_DISCIPLINE_CODE": "" if contact.ed_code_section is None else str(contact.ed_code_section),
            "RFS_EC_DISCIPLINE": "" if contact.ed_code_subdivision is None else str(contact.ed_code_subdivision),
        }
    )
    for code in codes.table("gender").values():
        row[code.column] = _flag(code.code == contact.gender)
    if new:
        row["G_MULTIGENDER"] = "0"
        row["SOR_LGB"], row["SOR_STRAIGHT"] = _flag(contact.perceived_lgb), _flag(not contact.perceived_lgb)
    else:
        row["LGBT"] = _flag(contact.perceived_lgb)
    for fld, table in FLAG_FIELDS.items():
        chosen = set(getattr(contact, fld))
        for code in codes.table(table).values():
            row[code.column] = _flag(code.code in chosen)
    if new:  # no force action: OFA_NONE (NFA_NONE is action 24, "None", as chosen)
        row["OFA_NONE"] = _flag(not set(contact.actions) & codes.group("action.force"))
    return row


def agency_contacts(*, agency_id: int, start: dt.date, end: dt.date) -> QuerySet[Contact]:
    """Contacts of one agency whose local date falls in [start, end]."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (
        Contact.objects.filter(agency_id=agency_id, occurred_at__gte=lo, occurred_at__lt=hi)
        .select_related("agency", "school")
        .order_by("occurred_at", "pk")
    )


class MixedEras(ValueError):
    """Contacts recorded under different code lists cannot share one file (the layouts differ)."""


def ripa_write(contacts: Iterable[Contact], out: IO[str], codes: RipaCodes | None = None) -> int:
    """Write the contacts in the DOJ layout of their era (by default the era of the first
    contact; a header only, in the current layout, when there is none). MixedEras when a contact
    was recorded under other lists."""
    rows = iter(contacts)
    first = next(rows, None)
    if codes is None:
        codes = codes_version(first.codes_version) if first is not None else codes_for(timezone.localdate())
    writer = csvsafe.DictWriter(out, fieldnames=ripa_columns(codes), lineterminator="\n")
    writer.writeheader()
    n = 0
    for contact in [first, *rows] if first is not None else []:
        if contact.codes_version != codes.version:
            raise MixedEras(
                f"contact {contact.pk} was recorded under the {contact.codes_version} RIPA lists, not the "
                f"{codes.version} lists of this file: export the dates before and after {codes.effective_from} "
                "separately"
            )
        writer.writerow(ripa_row(contact, codes))
        n += 1
    return n


class RowProblem(ValueError):
    """A cell that cannot be read: its column and what is wrong."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column = column
        self.message = message


def _int(row: dict[str, str], column: str, *, required: bool = True) -> int | None:
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowProblem(column, "blank")
        return None
    if not value.isdigit():
        raise RowProblem(column, f"'{value}' is not a whole number")
    return int(value)


def row_when(row: dict[str, str]) -> dt.datetime:
    """DATE_OF_STOP (YYYY-MM-DD or MM/DD/YYYY) and TIME_OF_STOP (HH:MM[:SS]) as a local time."""
    text = (row.get("DATE_OF_STOP") or "").strip()
    try:
        day = dt.datetime.strptime(text, "%m/%d/%Y").date() if "/" in text else dt.date.fromisoformat(text)
    except ValueError:
        raise RowProblem("DATE_OF_STOP", f"'{text}' is not a date (YYYY-MM-DD or MM/DD/YYYY)") from None
    clock = (row.get("TIME_OF_STOP") or "").strip()
    try:
        at = dt.time.fromisoformat(clock)
    except ValueError:
        raise RowProblem("TIME_OF_STOP", f"'{clock}' is not a time (HH:MM)") from None
    return dt.datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def row_data(row: dict[str, str], codes: RipaCodes | None = None) -> ContactData:
    """One row of either layout as a contact's RIPA fields, read with `codes` (by default the
    lists in force on its DATE_OF_STOP). RowProblem names the column that cannot be read."""
    when = row_when(row)
    codes = codes or codes_for(when.date())
    flags: dict[str, list[int]] = {}
    for fld, table in FLAG_FIELDS.items():
        chosen = []
        for c in codes.table(table).values():
            value = (row.get(c.column) or "").strip()
            if value not in ("", "0", "1"):
                raise RowProblem(c.column, f"'{value}': expected 0 or 1")
            if value == "1":
                chosen.append(c.code)
        flags[fld] = chosen
    lgb = row.get("SOR_LGB") if codes.layout == "2024" else row.get("LGBT")
    return ContactData(
        occurred_at=when,
        duration_minutes=_int(row, "STOP_DURATION") or 0,
        reason=_int(row, "REASON_FOR_STOP") or 0,
        gender=_int(row, "G_FULL") or 0,
        age=_int(row, "AGE") or 0,
        ed_code_section=_int(row, "RFS_EC_DISCIPLINE_CODE", required=False),
        ed_code_subdivision=_int(row, "RFS_EC_DISCIPLINE", required=False),
        limited_english=(row.get("LIMITED_ENGLISH_FLUENCY") or "").strip() == "1",
        perceived_lgb=(lgb or "").strip() == "1",
        **flags,
    )


def ripa_parse(rows: Iterable[dict[str, str]]) -> Iterator[tuple[str, ContactData]]:
    """Read rows of either layout back: (DOJ_RECORD_ID, the contact's RIPA fields), each read
    with the code lists in force on its DATE_OF_STOP."""
    for row in rows:
        yield row["DOJ_RECORD_ID"], row_data(row)
