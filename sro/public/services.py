"""Writes for the public side's own data: enrolment by group (the denominators of group rates)."""

from __future__ import annotations

from django.db import transaction

from sro.core.audit import audit_log
from sro.core.errors import Forbidden, InvalidInput
from sro.core.services import clean_or_raise
from sro.orgs.actors import Actor
from sro.orgs.models import School
from sro.orgs.permissions import is_district_admin
from sro.public.groups import DIMENSIONS
from sro.public.models import GroupEnrolment


def group_enrolment_set(
    *,
    actor: Actor | None,
    school: School,
    school_year: str,
    counts: dict[str, dict[str, int]],
    source: str,
    illustrative: bool = False,
) -> list[GroupEnrolment]:
    """Replace a campus's enrolment by group for one school year: {dimension: {group: enrolled}}.

    Every dimension given must list all of its groups, and each dimension's groups must add up
    to the campus's total enrolment when that is on file, so rates share one denominator.
    """
    if actor is not None and not is_district_admin(actor, school.district_id):
        raise Forbidden("Only the district's administrator may set enrolment figures.")
    problems: list[tuple[str, str]] = []
    if not source.strip():
        problems.append(("source", "say where the figures come from"))
    for dim, groups in counts.items():
        if dim not in DIMENSIONS:
            problems.append(("dimension", f"unknown dimension '{dim}'; one of {', '.join(DIMENSIONS)}"))
            continue
        unknown = sorted(set(groups) - set(DIMENSIONS[dim].groups))
        if unknown:
            problems.append((dim, f"unknown groups {', '.join(unknown)}"))
        if any(n < 0 for n in groups.values()):
            problems.append((dim, "enrolment cannot be negative"))
        if school.enrolment and sum(groups.values()) != school.enrolment:
            problems.append((dim, f"groups add up to {sum(groups.values())}, not the campus's {school.enrolment}"))
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
            changes={"school_year": school_year, "counts": counts, "source": source, "illustrative": illustrative},
        )
    return rows
