"""`sro export ripa`: an agency's SRO contacts in the DOJ public column layout, one row per person.

The layout starts with exactly `sro.incidents.ripa_layout.RIPA_COLUMNS` (what the oversight reader
needs, in its order), then the further DOJ-style columns that carry the rest of a contact
(every code as a 0/1 flag, duration, limited English fluency), so `ripa_parse` reads an
export back to the same contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from sro.core import csvsafe
from sro.incidents.codes import RipaCodes, ripa_codes
from sro.incidents.contacts import ContactData
from sro.incidents.models import Contact
from sro.incidents.ripa_layout import RIPA_COLUMNS

# contact field -> code table whose flag columns carry it
FLAG_FIELDS = {
    "race": "race",
    "disability": "disability",
    "actions": "action",
    "search_basis": "search_basis",
    "seizure_basis": "seizure_basis",
    "contraband": "contraband",
    "results": "result",
}
EXTRA_FIXED = ("STOP_DURATION", "LIMITED_ENGLISH_FLUENCY", "G_FULL")


def ripa_columns(codes: RipaCodes | None = None) -> list[str]:
    codes = codes or ripa_codes()
    cols = list(RIPA_COLUMNS)
    extra = list(EXTRA_FIXED) + [c.column for t in FLAG_FIELDS.values() for c in codes.table(t).values()]
    cols += [c for c in extra if c not in cols]
    return cols


def agency_ori(contact: Contact) -> str:
    """The agency's ORI, or a local placeholder when none is on file (the reader needs a value)."""
    return contact.agency.ori or f"LOCAL{contact.agency_id:05d}"


def _full(codes: list[int], multiple: int, none: int | None = None) -> int | None:
    if not codes:
        return none
    return codes[0] if len(codes) == 1 else multiple


def ripa_row(contact: Contact, codes: RipaCodes) -> dict[str, str]:
    local = timezone.localtime(contact.occurred_at)
    row = dict.fromkeys(ripa_columns(codes), "")
    row.update(
        {
            "DOJ_RECORD_ID": f"SRO{contact.pk}",
            "PERSON_NUMBER": "1",
            "AGENCY_ORI": agency_ori(contact),
            "AGENCY_NAME": contact.agency.name,
            "DATE_OF_STOP": local.date().isoformat(),
            "TIME_OF_STOP": local.strftime("%H:%M"),
            "SCHOOL_CODE": contact.school.cds_code,
            "SCHOOL_NAME": contact.school.name,
            "STOP_STUDENT": "1",
            "K12_SCHOOL_GROUNDS": "1",
            "AGE": str(contact.age),
            "REASON_FOR_STOP": str(contact.reason),
            "RAE_FULL": str(_full(sorted(contact.race), 8)),
            "G_FULL": str(contact.gender),
            "PD_FULL": str(_full(sorted(contact.disability), 8, 0)),
            "RFS_EC_DISCIPLINE_CODE": "" if contact.ed_code_section is None else str(contact.ed_code_section),
            "RFS_EC_DISCIPLINE": "" if contact.ed_code_subdivision is None else str(contact.ed_code_subdivision),
            "STOP_DURATION": str(contact.duration_minutes),
            "LIMITED_ENGLISH_FLUENCY": "1" if contact.limited_english else "0",
        }
    )
    for fld, table in FLAG_FIELDS.items():
        chosen = set(getattr(contact, fld))
        for code in codes.table(table).values():
            row[code.column] = "1" if code.code in chosen else "0"
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


def ripa_write(contacts: Iterable[Contact], out: IO[str]) -> int:
    codes = ripa_codes()
    writer = csvsafe.DictWriter(out, fieldnames=ripa_columns(codes), lineterminator="\n")
    writer.writeheader()
    n = 0
    for contact in contacts:
        writer.writerow(ripa_row(contact, codes))
        n += 1
    return n


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def ripa_parse(rows: Iterable[dict[str, str]]) -> Iterator[tuple[str, ContactData]]:
    """Read exported rows back: (DOJ_RECORD_ID, the contact's RIPA fields)."""
    codes = ripa_codes()
    tz = timezone.get_current_timezone()
    for row in rows:
        day = dt.date.fromisoformat(row["DATE_OF_STOP"])
        at = dt.time.fromisoformat(row["TIME_OF_STOP"])
        flags = {
            fld: [c.code for c in codes.table(table).values() if row.get(c.column) == "1"]
            for fld, table in FLAG_FIELDS.items()
        }
        yield (
            row["DOJ_RECORD_ID"],
            ContactData(
                occurred_at=dt.datetime.combine(day, at, tzinfo=tz),
                duration_minutes=int(row["STOP_DURATION"]),
                reason=int(row["REASON_FOR_STOP"]),
                gender=int(row["G_FULL"]),
                age=int(row["AGE"]),
                ed_code_section=_int(row["RFS_EC_DISCIPLINE_CODE"]),
                ed_code_subdivision=_int(row["RFS_EC_DISCIPLINE"]),
                limited_english=row["LIMITED_ENGLISH_FLUENCY"] == "1",
                **flags,
            ),
        )
