"""Load the California school directory (CDS_Code, Status, County, District, schoolname).

A row whose school part is 0000000 is the district itself. Re-running with the same
file changes nothing. Every bad row is reported by its line; with bad rows nothing is
saved unless `skip_bad_rows` is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sro.core.audit import audit_log
from sro.core.importing import MAX_PROBLEMS, CsvFormatError, ImportReport, RowError, read_csv_rows
from sro.orgs.actors import Actor
from sro.orgs.models import District, School
from sro.orgs.validators import SCHOOL_PART_OF_DISTRICT, cds_problem

COLUMNS = ("CDS_Code", "Status", "County", "District", "schoolname")
# The directory lists about 19,000 schools and districts; far more rows means another file.
MAX_ROWS = 200_000
STATUSES = set(School.Status.values)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    status: str
    county: str
    district: str
    name: str


def _parse(path: Path, report: ImportReport) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for line, raw in read_csv_rows(path, COLUMNS):
        report.rows_read += 1
        if report.rows_read > MAX_ROWS:
            raise CsvFormatError(
                f"{path}: line {line}: more than {MAX_ROWS:,} rows; the California school directory has "
                "about 19,000: is this the right file?"
            )
        if len(report.errors) >= MAX_PROBLEMS:
            report.stopped_at = line
            break
        code = raw["CDS_Code"]
        problems: list[tuple[str, str]] = []
        p = cds_problem(code)
        if p:
            problems.append(("CDS_Code", p))
        elif code in seen:
            problems.append(("CDS_Code", f"duplicate of line {seen[code]}"))
        if raw["Status"] not in STATUSES:
            problems.append(("Status", f"'{raw['Status']}' is not one of {', '.join(sorted(STATUSES))}"))
        if not raw["District"]:
            problems.append(("District", "is required"))
        if not raw["schoolname"]:
            problems.append(("schoolname", "is required"))
        if problems:
            report.errors.extend(RowError(line, f, m) for f, m in problems)
            continue
        seen[code] = line
        rows.append(_Row(line, code, raw["Status"], raw["County"], raw["District"], raw["schoolname"]))
    if report.rows_read == 0:
        raise CsvFormatError(f"{path}: no rows under the header")
    return rows


def import_schools(
    path: Path, *, actor: Actor | None = None, dry_run: bool = False, skip_bad_rows: bool = False
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    rows = _parse(path, report)
    if report.errors and not skip_bad_rows:
        return report
    if report.errors:
        report.add("rows skipped (bad)", len({e.line for e in report.errors}))

    with transaction.atomic():
        districts = {d.cds_code: d for d in District.objects.select_for_update().all()}
        # Districts: from their own rows, else implied by a school row.
        wanted: dict[str, tuple[str, str, str, bool]] = {}
        for r in rows:
            dcode = r.code[:7]
            if r.code[7:] == SCHOOL_PART_OF_DISTRICT:
                wanted[dcode] = (r.district, r.county, r.status, True)
            elif dcode not in wanted:
                wanted[dcode] = (r.district, r.county, "Active", False)
        new_d: list[District] = []
        upd_d: list[District] = []
        for dcode, (name, county, status, own_row) in wanted.items():
            d = districts.get(dcode)
            key = "district rows" if own_row else "districts implied by school rows"
            if d is None:
                d = District(cds_code=dcode, name=name, county=county, status=status)
                new_d.append(d)
                districts[dcode] = d
                report.add(f"{key}: created")
            elif (d.name, d.county, d.status) != (name, county, status):
                d.name, d.county, d.status = name, county, status
                upd_d.append(d)
                report.add(f"{key}: updated")
            else:
                report.add(f"{key}: unchanged")
        if not dry_run:
            District.objects.bulk_create(new_d, batch_size=1000)
            District.objects.bulk_update(upd_d, ["name", "county", "status", "updated_at"], batch_size=1000)
            districts = {d.cds_code: d for d in District.objects.all()}

        existing = {s.cds_code: s for s in School.objects.select_for_update().all()}
        new_s: list[School] = []
        upd_s: list[School] = []
        for r in rows:
            if r.code[7:] == SCHOOL_PART_OF_DISTRICT:
                continue
            d = districts[r.code[:7]]
            s = existing.get(r.code)
            if s is None:
                new_s.append(School(cds_code=r.code, name=r.name, district=d, county=r.county, status=r.status))
                report.add("school rows: created")
            elif (s.name, s.district_id, s.county, s.status) != (r.name, d.pk, r.county, r.status):
                s.name, s.district, s.county, s.status = r.name, d, r.county, r.status
                upd_s.append(s)
                report.add("school rows: updated")
            else:
                report.add("school rows: unchanged")
        if dry_run:
            transaction.set_rollback(True)
            return report
        School.objects.bulk_create(new_s, batch_size=1000)
        School.objects.bulk_update(upd_s, ["name", "district", "county", "status", "updated_at"], batch_size=1000)
        audit_log(
            actor=actor.user if actor else None,
            action="import",
            object_type="orgs.School",
            object_id=path.name,
            changes={
                "rows_read": report.rows_read,
                **report.counts,
                "bad_rows": len({e.line for e in report.errors}),
            },
        )
        report.applied = True
    return report
