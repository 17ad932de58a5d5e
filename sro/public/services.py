"""Writes for the public side's own data: enrolment by group (the denominators of group rates),
set by hand or imported from the CDE's Census Day enrollment file (`sro import-enrolment`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from sro.core.audit import audit_log
from sro.core.errors import Forbidden, InvalidInput
from sro.core.services import clean_or_raise
from sro.orgs.actors import Actor
from sro.orgs.models import District, School
from sro.orgs.permissions import is_district_admin
from sro.orgs.services import school_enrolment_set
from sro.public.cde import GroupSplit, census_splits, read_census_day
from sro.public.groups import DIMENSIONS, NOT_REPORTED
from sro.public.models import GroupEnrolment


def group_enrolment_set(
    *,
    actor: Actor | None,
    school: School,
    school_year: str,
    counts: dict[str, dict[str, int]],
    source: str,
    illustrative: bool = False,
    total: int | None = None,
) -> list[GroupEnrolment]:
    """Replace a campus's enrolment by group for one school year: {dimension: {group: enrolled}}.

    Each dimension's groups (with `NOT_REPORTED` for students whose group is not known) must add
    up to the campus's total enrolment that year, so rates share one denominator: `total` when
    given (a year's own count), else the total on file (`School.enrolment`), when there is one.
    """
    if actor is not None and not is_district_admin(actor, school.district_id):
        raise Forbidden("Only the district's administrator may set enrolment figures.")
    expected = school.enrolment if total is None else total
    problems: list[tuple[str, str]] = []
    if not source.strip():
        problems.append(("source", "say where the figures come from"))
    for dim, groups in counts.items():
        if dim not in DIMENSIONS:
            problems.append(("dimension", f"unknown dimension '{dim}'; one of {', '.join(DIMENSIONS)}"))
            continue
        unknown = sorted(set(groups) - {*DIMENSIONS[dim].groups, NOT_REPORTED})
        if unknown:
            problems.append((dim, f"unknown groups {', '.join(unknown)}"))
        if any(n < 0 for n in groups.values()):
            problems.append((dim, "enrolment cannot be negative"))
        if expected and sum(groups.values()) != expected:
            problems.append((dim, f"groups add up to {sum(groups.values())}, not the campus's {expected}"))
    if problems:
        raise InvalidInput.many(problems)
    rows: list[GroupEnrolment] = []
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        GroupEnrolment.objects.filter(school=school, school_year=school_year, dimension__in=list(counts)).delete()
        for dim, groups in counts.items():
            for group, n in groups.items():
                row = GroupEnrolment(
                    school=school,
                    school_year=school_year,
                    dimension=dim,
                    group=group,
                    enrolled=n,
                    source=source.strip(),
                    illustrative=illustrative,
                )
                clean_or_raise(row)
                rows.append(row)
        GroupEnrolment.objects.bulk_create(rows)
        audit_log(
            actor=actor.user if actor is not None else None,
            action="group_enrolment_set",
            obj=school,
            changes={
                "school_year": school_year,
                "counts": counts,
                "source": source,
                "illustrative": illustrative,
                "total": expected,
            },
        )
    return rows


def group_enrolment_clear(*, actor: Actor | None, school: School, school_year: str, dimensions: list[str]) -> int:
    """Remove a campus's enrolment by group for these dimensions of one school year (a newer
    source has no figure for them); returns how many rows went."""
    if actor is not None and not is_district_admin(actor, school.district_id):
        raise Forbidden("Only the district's administrator may set enrolment figures.")
    with transaction.atomic():
        rows = GroupEnrolment.objects.filter(school=school, school_year=school_year, dimension__in=dimensions)
        gone = list(rows.values_list("dimension", "group", "enrolled", "source"))
        if not gone:
            return 0
        rows.delete()
        audit_log(
            actor=actor.user if actor is not None else None,
            action="group_enrolment_clear",
            obj=school,
            changes={"school_year": school_year, "dimensions": dimensions, "removed": gone},
        )
    return len(gone)


@dataclass
class CampusImport:
    school: School
    split: GroupSplit
    enrolment_before: int | None
    total_updated: bool


@dataclass
class EnrolmentImport:
    file: str
    school_year: str
    source: str
    rows: int
    updated: list[CampusImport] = field(default_factory=list)
    skipped: list[tuple[School, str]] = field(default_factory=list)
    not_in_file: list[School] = field(default_factory=list)
    dry_run: bool = False


def census_day_import(
    *,
    actor: Actor | None,
    path: Path,
    school_year: str | None = None,
    district: District | None = None,
    source: str = "",
    illustrative: bool = False,
    dry_run: bool = False,
) -> EnrolmentImport:
    """Set the program campuses' enrolment by group from a CDE Census Day enrollment file.

    All or nothing: the whole file is checked first (`sro.public.cde`; CensusDayError names the
    file, line and column of every problem), then every campus is written in one transaction.
    A campus's total (`School.enrolment`) becomes its TOTAL_ENR, unless it already has enrolment
    by group for a later school year. Dimensions the file cannot give for a campus (a withheld
    SG_DS or SG_EL) are removed for that year rather than left from an older source.
    """
    schools = School.objects.filter(in_program=True).select_related("district").order_by("name", "cds_code")
    if district is not None:
        schools = schools.filter(district=district)
    campuses = list(schools)
    if actor is not None and any(not is_district_admin(actor, s.district_id) for s in campuses):
        raise Forbidden("Only the district's administrator may set enrolment figures.")
    census = read_census_day(path, school_year=school_year, keep={s.cds_code for s in campuses})
    splits = census_splits(census)
    file = Path(census.file).name
    source = source.strip() or f"CDE Census Day enrollment {census.school_year} ({file[:150]})"
    result = EnrolmentImport(file, census.school_year, source, census.rows, dry_run=dry_run)
    with transaction.atomic():
        for school in campuses:
            split = splits.get(school.cds_code)
            if split is None:
                result.not_in_file.append(school)
                continue
            if split.total is None:
                result.skipped.append((school, split.skipped))
                continue
            before = school.enrolment
            later = GroupEnrolment.objects.filter(school=school, school_year__gt=census.school_year).exists()
            if not later:
                school_enrolment_set(actor=actor, school=school, enrolment=split.total, source=source)
            if split.counts:
                group_enrolment_set(
                    actor=actor,
                    school=school,
                    school_year=census.school_year,
                    counts=split.counts,
                    source=source,
                    illustrative=illustrative,
                    total=split.total,
                )
            if split.withheld:
                group_enrolment_clear(
                    actor=actor, school=school, school_year=census.school_year, dimensions=list(split.withheld)
                )
            result.updated.append(CampusImport(school, split, before, not later and before != split.total))
        audit_log(
            actor=actor.user if actor is not None else None,
            action="import",
            object_type="public.GroupEnrolment",
            object_id=file,
            changes={
                "source": source,
                "school_year": census.school_year,
                "illustrative": illustrative,
                "updated": [c.school.cds_code for c in result.updated],
                "skipped": [s.cds_code for s, _ in result.skipped],
                "not_in_file": [s.cds_code for s in result.not_in_file],
            },
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
