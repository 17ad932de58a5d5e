"""What a contract year's evaluation gathers, for that year and the one before it.

Every count is a grouped query over the contract's campuses and the year's dates:

- SRO contacts, and among them arrests, citations, referrals to school staff and searches, read from
  each contact's RIPA results and actions with the code lists it was recorded under (the 2018 and
  2024 lists: `sro.incidents.codes.contact_lists`, the same reading as the force app's). Contacts are
  grouped by (lists, results, actions) in the database; each distinct combination is then classified
  once, so the work grows with the combinations used, not with the contacts;
- force reports, and their supervisors' review outcomes;
- complaints received about the campuses (or about the contract's agency with no campus), and the
  findings on their allegations;
- boundary crossings (contacts flagged by the boundary check) and the status of their reviews;
- notifications (law enforcement and parents) due in the year: done on time, done late, still open;
- the public site's disparity figures (rates with 95% intervals, suppressed as the public site does),
  lent through `sro.evaluation.registries`;
- cost per student (the contract's annual cost over its campuses' enrolment: `contract_costs`);
- the training status of the officers jointly approved for the contract, on the year's last day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from sro.complaints.models import Allegation, Complaint
from sro.contracts.models import Contract
from sro.contracts.selectors import contract_costs
from sro.evaluation.registries import disparity_rows
from sro.force.models import ForceReport
from sro.incidents.codes import RipaCodes, contact_lists
from sro.incidents.models import Contact, NotificationTask, Review
from sro.orgs.models import School
from sro.staffing.models import Nomination
from sro.staffing.training import officer_training, required_courses

# The RIPA result columns of a referral to school staff, the same names in the 2018 and 2024 lists:
# "referral to school administrator", "referral to school counselor or other support staff", among the
# additional values for stops of students at K-12 public schools (11 CCR 999.227(e)(4), as the lists'
# own headers in sro/incidents/data/ripa_codes_*.toml cite it).
REFERRAL_COLUMNS = frozenset({"ROS_REFERRAL_SCHOOL_ADMIN", "ROS_REFERRAL_SCHOOL_COUNSELOR"})
CONTACT_OUTCOMES = ("contacts", "arrests", "citations", "school_referrals", "searches")


def contract_year(contract: Contract, year: int) -> tuple[dt.date, dt.date]:
    """Contract year `year` (1 = from the term's first day): twelve months, the last day included."""
    if year < 1:
        raise ValueError("contract years count from 1")
    start = _add_years(contract.term_start, year - 1)
    return start, _add_years(start, 1) - dt.timedelta(days=1)


def year_of(contract: Contract, day: dt.date) -> int:
    """The contract year that holds `day` (1 before or on the first year)."""
    year = 1
    while _add_years(contract.term_start, year) <= day:
        year += 1
    return year


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def _referral_codes(codes: RipaCodes) -> frozenset[int]:
    return frozenset(c.code for c in codes.table("result").values() if c.column in REFERRAL_COLUMNS)


def contact_counts(schools: list[School], start: dt.date, end: dt.date) -> dict[str, int]:
    lo, hi = _bounds(start, end)
    combos = (
        Contact.objects.filter(school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi)
        .values("codes_version", "results", "actions")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = dict.fromkeys(CONTACT_OUTCOMES, 0)
    for row in combos:
        lists = contact_lists(row["codes_version"])
        results, actions, n = set(row["results"] or []), set(row["actions"] or []), row["n"]
        out["contacts"] += n
        out["arrests"] += n if results & lists.group("result.arrest") else 0
        out["citations"] += n if results & lists.group("result.citation") else 0
        out["school_referrals"] += n if results & _referral_codes(lists) else 0
        out["searches"] += n if actions & lists.group("action.search") else 0
    return out


def force_counts(schools: list[School], start: dt.date, end: dt.date) -> dict[str, Any]:
    lo, hi = _bounds(start, end)
    rows = (
        ForceReport.objects.filter(school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi)
        .values("review_outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_outcome = {(r["review_outcome"] or "awaiting_review"): r["n"] for r in rows}
    return {"reports": sum(by_outcome.values()), "review_outcomes": dict(sorted(by_outcome.items()))}


def complaint_counts(contract: Contract, schools: list[School], start: dt.date, end: dt.date) -> dict[str, Any]:
    lo, hi = _bounds(start, end)
    complaints = Complaint.objects.filter(
        Q(school__in=schools) | Q(school__isnull=True, allegations__agency_id=contract.agency_id),
        district_id=contract.district_id,
        received_at__gte=lo,
        received_at__lt=hi,
    ).distinct()
    findings = Allegation.objects.filter(complaint__in=complaints).values("finding").annotate(n=Count("pk")).order_by()
    by_finding = {(r["finding"] or "not_decided"): r["n"] for r in findings}
    return {"complaints": complaints.count(), "allegations": sum(by_finding.values()), "findings": by_finding}


def boundary_counts(schools: list[School], start: dt.date, end: dt.date) -> dict[str, Any]:
    lo, hi = _bounds(start, end)
    crossings = Contact.objects.filter(
        school__in=schools, occurred_at__gte=lo, occurred_at__lt=hi, boundary_crossing=True
    )
    reviews = Review.objects.filter(contact__in=crossings).values("status").annotate(n=Count("pk")).order_by()
    by_status = {r["status"]: r["n"] for r in reviews}
    return {"crossings": crossings.count(), "reviews": dict(sorted(by_status.items()))}


def notification_counts(schools: list[School], start: dt.date, end: dt.date, *, today: dt.date) -> dict[str, Any]:
    """Tasks due in the year, by kind: done by their due day, done after it, open (and of those overdue)."""
    rows = (
        NotificationTask.objects.filter(school__in=schools, due_on__gte=start, due_on__lte=end)
        .annotate(done_day=TruncDate("done_at"))
        .values("kind")
        .annotate(
            on_time=Count("pk", filter=Q(done_at__isnull=False, done_day__lte=F("due_on"))),
            late=Count("pk", filter=Q(done_at__isnull=False, done_day__gt=F("due_on"))),
            open=Count("pk", filter=Q(done_at__isnull=True)),
            open_overdue=Count("pk", filter=NotificationTask.overdue_q(today)),
        )
        .order_by()
    )
    empty = {"on_time": 0, "late": 0, "open": 0, "open_overdue": 0}
    out = {k.value: dict(empty) for k in NotificationTask.Kind}
    for r in rows:
        out[r["kind"]] = {k: r[k] for k in empty}
    return out


def training_status(contract: Contract, on: dt.date) -> list[dict[str, Any]]:
    """Each jointly approved officer's required courses on `on`: how many complete, due, expired, missing."""
    courses = required_courses(contract)
    nominations = (
        Nomination.objects.filter(contract=contract, status=Nomination.Status.APPROVED)
        .select_related("officer")
        .order_by("officer__last_name", "officer__pk")
    )
    out = []
    for n in nominations:  # a contract has a handful of officers
        states = Counter(s.status for s in officer_training(n.officer, on, courses))
        out.append({"officer": n.officer.name, "courses": len(courses), **{str(k): v for k, v in states.items()}})
    return out


def _period(contract: Contract, schools: list[School], start: dt.date, end: dt.date, today: dt.date) -> dict[str, Any]:
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "contacts": contact_counts(schools, start, end),
        "force": force_counts(schools, start, end),
        "complaints": complaint_counts(contract, schools, start, end),
        "boundary": boundary_counts(schools, start, end),
        "notifications": notification_counts(schools, start, end, today=today),
        "disparity": disparity_rows(schools, start, end),
    }


def gather(contract: Contract, year: int, *, today: dt.date | None = None) -> dict[str, Any]:
    """The evaluation's figures for contract year `year` and the twelve months before it."""
    today = today or timezone.localdate()
    schools = list(contract.campuses.order_by("name"))
    start, end = contract_year(contract, year)
    before = (_add_years(start, -1), start - dt.timedelta(days=1))
    costs = contract_costs(contract)
    return {
        "campuses": [{"cds_code": s.cds_code, "name": s.name, "enrolment": s.enrolment} for s in schools],
        "year": _period(contract, schools, start, end, today),
        "year_before": _period(contract, schools, *before, today),
        "cost": {
            "annual": str(costs.annual),
            "enrolment": costs.enrolment,
            "per_student": None if costs.per_student is None else str(costs.per_student),
        },
        "training": training_status(contract, min(end, today)),
    }
