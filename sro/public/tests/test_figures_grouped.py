"""The figures are counted in the database (grouped queries), and give exactly what counting every
record one by one gives; they are cached until the next change to any record."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from sro.core.audit import audit_log
from sro.incidents.models import Contact, Incident, IncidentStudent, Route
from sro.incidents.policy import routed_to_law_enforcement_q
from sro.orgs.actors import PUBLIC
from sro.orgs.models import School
from sro.public.figures import (
    Counts,
    Period,
    _bounds,
    _counts,
    program_figures,
    program_schools,
    quarters,
)
from sro.public.groups import CAMPUS, contact_groups, contact_outcomes, student_groups

TOTAL = "All"

# ---------------------------------------------------------------- the oracle: every record, one by one
# (the implementation the grouped queries replaced, kept here only to check them)


def _events(
    schools: Sequence[School], start: dt.date, end: dt.date
) -> Iterator[tuple[dt.date, str, str, dict[str, str]]]:
    lo, hi = _bounds(start, end)
    codes = {s.pk: s.cds_code for s in schools}
    for c in Contact.objects.filter(school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi):
        day, groups = timezone.localtime(c.occurred_at).date(), contact_groups(c)
        for outcome in contact_outcomes(c):
            yield day, codes[c.school_id], outcome, groups
    referred = Incident.objects.filter(
        routed_to_law_enforcement_q(), school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi
    )
    for s in IncidentStudent.objects.filter(incident__in=referred, role=IncidentStudent.Role.OFFENDER).select_related(
        "incident"
    ):
        yield (
            timezone.localtime(s.incident.occurred_at).date(),
            codes[s.incident.school_id],
            "referrals",
            student_groups(s),
        )


def one_by_one(periods: Sequence[Period], schools: Sequence[School], start: dt.date, end: dt.date) -> Counts:
    counts: Counts = Counter()
    for day, cds, outcome, groups in _events(schools, start, end):
        period = next((p.key for p in periods if p.start <= day <= p.end), None)
        if period is None:
            continue
        counts[(period, CAMPUS, outcome, cds)] += 1
        counts[(period, CAMPUS, outcome, TOTAL)] += 1
        for dim, group in groups.items():
            if group:
                counts[(period, dim, outcome, group)] += 1
    return counts


def _compare(today: dt.date) -> Counts:
    schools = program_schools(actor=PUBLIC)
    start = today - dt.timedelta(days=2 * 365)
    periods = quarters(start, today, today=today)
    start, end = periods[0].start, periods[-1].end
    grouped = _counts(periods, schools, start, end)
    oracle = one_by_one(periods, schools, start, end)
    assert +grouped == +oracle  # `+` drops the zero counts
    return grouped


def test_grouped_counts_equal_the_record_by_record_counts_on_the_demo(demo: dict[str, Any]) -> None:
    counts = _compare(timezone.localdate())
    assert sum(n for (_p, b, o, g), n in counts.items() if (b, o, g) == (CAMPUS, "contacts", TOTAL)) == (
        Contact.objects.count()
    )


def _random_world(rng: random.Random) -> None:
    """Contacts and incidents at random campuses, days (quarter edges included), groups and outcomes."""
    schools = list(School.objects.filter(in_program=True))
    template = Contact.objects.first()
    incident = Incident.objects.filter(routed_to_law_enforcement_q()).first()
    assert template is not None and incident is not None
    tz = timezone.get_current_timezone()
    today = timezone.localdate()

    def moment() -> dt.datetime:
        day = today - dt.timedelta(days=rng.randrange(0, 700))
        if rng.random() < 0.2:  # the first or last minutes of a quarter
            day = dt.date(day.year, rng.choice([1, 4, 7, 10]), 1) - dt.timedelta(days=rng.choice([0, 1]))
        return dt.datetime.combine(day, dt.time(rng.choice([0, 12, 23]), rng.choice([0, 59])), tzinfo=tz)

    contacts = []
    for _ in range(300):
        c = Contact.objects.get(pk=template.pk)
        c.pk = None
        c.school = rng.choice(schools)
        c.occurred_at = moment()
        c.codes_version = rng.choice(["2018", "2024"])
        c.race = rng.sample([1, 2, 3, 4, 5, 6, 7], rng.choice([0, 1, 1, 1, 2]))
        c.gender = rng.randint(1, 5)
        c.disability = rng.sample([1, 2, 4], rng.choice([0, 0, 1]))
        c.limited_english = rng.random() < 0.3
        c.results = rng.sample([1, 3, 6, 9, 12, 14], rng.randint(1, 2))
        c.actions = rng.sample([5, 15, 18, 21, 28, 34], rng.randint(0, 2))
        c.boundary_crossing = rng.random() < 0.2
        c.agency_stop_id = ""
        contacts.append(c)
    Contact.objects.bulk_create(contacts)
    routes = [Route.MANDATORY_NOTIFICATION, Route.EMERGENCY, Route.DISCRETIONARY_REFERRAL, Route.SCHOOL_DISCIPLINE]
    for i in range(60):
        inc = Incident.objects.get(pk=incident.pk)
        inc.pk = None
        inc.school = rng.choice(schools)
        inc.occurred_at = moment()
        inc.route = rng.choice(routes)
        inc.referral_made = inc.route == Route.DISCRETIONARY_REFERRAL and rng.random() < 0.5
        inc.referral_reason = "A reason." if inc.referral_made else ""
        inc.save()
        IncidentStudent.objects.bulk_create(
            IncidentStudent(
                incident=inc,
                local_student_id=f"R{i}-{k}",
                name="Student",
                role=rng.choice([IncidentStudent.Role.OFFENDER, IncidentStudent.Role.OFFENDER, "victim"]),
                race=rng.choice(["HI", "BL", "WH", "AS", "TR"]),
                sex=rng.choice(["F", "M", "X"]),
                idea=rng.random() < 0.2,
                section_504=rng.random() < 0.1,
                english_learner=rng.random() < 0.3,
            )
            for k in range(rng.randint(1, 3))
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_grouped_counts_equal_the_record_by_record_counts_on_a_random_world(demo: dict[str, Any], seed: int) -> None:
    _random_world(random.Random(seed))
    counts = _compare(timezone.localdate())
    assert sum(counts.values()) > 1000  # the random records are inside the periods compared


def test_the_figures_read_a_fixed_number_of_queries_whatever_the_number_of_contacts(demo: dict[str, Any]) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            program_figures(actor=PUBLIC)
        return len(ctx.captured_queries)

    before = queries()
    _random_world(random.Random(3))
    assert queries() == before


@override_settings(SRO_FIGURES_CACHE_SECONDS=60)
def test_figures_are_cached_until_any_record_changes(demo: dict[str, Any]) -> None:
    from django.core.cache import cache

    cache.clear()
    today = timezone.localdate()
    first = program_figures(actor=PUBLIC, today=today)
    with CaptureQueriesContext(connection) as ctx:
        again = program_figures(actor=PUBLIC, today=today)
    assert len(ctx.captured_queries) == 2  # the campuses and the audit trail's head, nothing counted
    assert again.rows == first.rows

    def contacts_total(figures: Any) -> int:
        return sum(
            r.count or 0 for r in figures.rows if (r.breakdown, r.outcome, r.group) == (CAMPUS, "contacts", TOTAL)
        )

    template = Contact.objects.order_by("-occurred_at").first()
    assert template is not None
    extra = [Contact.objects.get(pk=template.pk) for _ in range(40)]
    for c in extra:
        c.pk, c.agency_stop_id = None, ""
    Contact.objects.bulk_create(extra)  # written without a service: no audit event, the cache still answers
    assert contacts_total(program_figures(actor=PUBLIC, today=today)) == contacts_total(first)
    audit_log(actor=None, action="contact_record", obj=extra[0])  # what every service does with its change
    assert contacts_total(program_figures(actor=PUBLIC, today=today)) == contacts_total(first) + 40
