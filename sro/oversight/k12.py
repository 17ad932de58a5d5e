"""The K-12 stop report: what happens to students stopped by police at school, by group.

``k12_counts`` aggregates RIPA rows (any Ibis table in the RIPA layout) once per
breakdown and demographic dimension; ``k12_report`` adds the metrics of
``sro.oversight.metrics``. Definitions are in docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis

from sro.oversight.metrics import TOTAL, Col, Settings, disparity_wide, flag_consecutive, untyped
from sro.oversight.ripa import AGE_GROUPS, DISABILITY, FORCE_FLAGS, GENDER, NOT_RECORDED, RACE

BY_KEYS = {"agency": "AGENCY_ORI", "school": "SCHOOL_CODE", "month": "month", "year": "year"}
KEY_COLUMNS = ("agency", "school", "month", "year")
DIMENSIONS = {"race": ("RAE_FULL", RACE), "gender": ("G_FULL", GENDER), "disability": ("PD_FULL", DISABILITY)}
AGE_LABELS = {i: label for i, (_, _, label) in enumerate(AGE_GROUPS)}
OUTCOMES = (
    "discipline_stop",
    "school_policy_search_seizure",
    "boundary_crossing",
    "searched",
    "force",
    "handcuffed",
    "arrest",
    "citation",
    "referral_admin",
    "referral_counsellor",
)


def _flag(condition: Col) -> Col:
    """A condition as 0/1 (PostgreSQL cannot cast a boolean to a bigint, so no cast)."""
    return untyped.ifelse(condition, 1, 0).cast("int64")


def without_doubtful(t: ibis.Table) -> ibis.Table:
    """The rows not flagged doubtful (``DOUBT`` empty); a table without ``DOUBT`` has none flagged."""
    return t.filter(t.DOUBT.isnull()) if "DOUBT" in t.columns else t


def k12_filter(t: ibis.Table) -> ibis.Table:
    """The rows of persons stopped who are students or were stopped on K-12 grounds (one row per person)."""
    return t.filter((t.STOP_STUDENT == 1) | (t.K12_SCHOOL_GROUNDS == 1))


def age_group(age: Col) -> Col:
    """The index of ``AGE_GROUPS`` an age falls in (null when the age is blank)."""
    return age.isnull().ifelse(
        ibis.null("int64"),
        untyped.cases(*((hi >= age, i) for i, (_, hi, _) in enumerate(AGE_GROUPS)), else_=len(AGE_GROUPS) - 1),
    )


def k12_stops(t: ibis.Table) -> ibis.Table:
    """Stops of students or on K-12 grounds, one row per person stopped, with one 0/1 column per outcome."""
    s = k12_filter(t)

    def any_of(*cols: str) -> Col:
        expr: Col = s[cols[0]] == 1
        for c in cols[1:]:
            expr = expr | (s[c] == 1)
        return _flag(expr)

    discipline = s.REASON_FOR_STOP.isin([7, 8])  # ripa.REASON: Education Code, school policy
    policy = (s.BFS_SCHOOL_POLICY == 1) | (s.BPS_VIOLATE_SCHOOL == 1)
    age = age_group(s.AGE)
    return s.select(
        AGENCY_ORI=s.AGENCY_ORI,
        SCHOOL_CODE=s.SCHOOL_CODE,
        month=s.DATE_OF_STOP.year() * 100 + s.DATE_OF_STOP.month(),
        year=s.DATE_OF_STOP.year(),
        RAE_FULL=s.RAE_FULL,
        G_FULL=s.G_FULL,
        PD_FULL=s.PD_FULL,
        AGE_GROUP=age,
        discipline_stop=_flag(discipline),
        school_policy_search_seizure=_flag(policy),
        boundary_crossing=_flag(discipline | policy),
        searched=any_of("ADS_SEARCH_PERSON", "ADS_SEARCH_PROPERTY"),
        force=any_of(*FORCE_FLAGS),
        handcuffed=any_of("ADS_HANDCUFFED"),
        arrest=any_of("ROS_CUSTODIAL_WARRANT", "ROS_CUSTODIAL_WITHOUT_WARRANT"),
        citation=any_of("ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE"),
        referral_admin=any_of("ROS_REFERRAL_SCHOOL_ADMIN"),
        referral_counsellor=any_of("ROS_REFERRAL_SCHOOL_COUNSELOR"),
    )


def parse_by(values: Sequence[str]) -> list[tuple[str, ...]]:
    """``["agency,month", "school"]`` -> ``[("agency", "month"), ("school",)]``; always statewide first."""
    out: list[tuple[str, ...]] = [()]
    for v in values:
        keys = tuple(k.strip() for k in v.split(",") if k.strip())
        unknown = [k for k in keys if k not in BY_KEYS]
        if unknown:
            raise ValueError(f"--by {v!r}: unknown {', '.join(unknown)}; choose from {', '.join(BY_KEYS)}")
        if keys and keys not in out:
            out.append(keys)
    return out


def labelled(codes: Col, labels: dict[int, str]) -> Col:
    """Codes as their labels; an unknown code as its number, a blank one as "Not recorded"."""
    return codes.substitute(dict(labels), else_=codes.cast("string")).coalesce(NOT_RECORDED)


def k12_counts(stops: ibis.Table, breakdowns: Sequence[tuple[str, ...]]) -> ibis.Table:
    """Counts, one row per breakdown, place, dimension and group: ``stops`` and a column per outcome.

    ``stops`` is the number of *persons* stopped (RIPA rows), not of stop events: a stop of two
    people counts twice. ``sro.oversight.searches`` counts distinct stops as well.
    """
    dims = {**{d: (c, lab) for d, (c, lab) in DIMENSIONS.items()}, "age_group": ("AGE_GROUP", AGE_LABELS)}
    parts = []
    for keys in breakdowns:
        for dim, (col, labels) in dims.items():
            agg = stops.group_by([*(BY_KEYS[k] for k in keys), col]).aggregate(
                stops=stops.count(), **{o: stops[o].sum() for o in OUTCOMES}
            )
            key_cols = {k: (agg[BY_KEYS[k]].cast("string") if k in keys else ibis.null("string")) for k in KEY_COLUMNS}
            wide = agg.select(
                breakdown=ibis.literal(",".join(keys) or "statewide"),
                **key_cols,
                dimension=ibis.literal(dim),
                group=labelled(agg[col], labels),
                stops=agg.stops,
                **{o: agg[o] for o in OUTCOMES},
            )
            parts.append(wide)
    return ibis.union(*parts, distinct=False)


#: The partition keys of the K-12 report (each partition's groups share a total).
PARTITION = ["breakdown", *KEY_COLUMNS, "dimension"]


def k12_report(counts: ibis.Table, settings: Settings) -> ibis.Table:
    """Rates per ``settings.per`` stops, ratios, intervals and suppression from ``k12_counts``."""
    return disparity_wide(
        counts, keys=PARTITION, group="group", denominator="stops", outcomes=OUTCOMES, settings=settings
    )


@dataclass(frozen=True)
class YearFlag:
    """Flag a group whose risk ratio exceeded ``threshold`` in each of ``years`` consecutive years."""

    threshold: float = 2.0
    years: int = 3


def flag_years(report: ibis.Table, flag: YearFlag) -> ibis.Table:
    """Add ``flagged`` to the rows of breakdowns by year (``year``, ``agency,year``...); null elsewhere."""
    yearly = report.breakdown.contains("year")
    by_year = report.filter(yearly)
    by_year = by_year.mutate(_year=by_year.year.cast("int64"))
    keys = ["breakdown", *(k for k in KEY_COLUMNS if k != "year"), "dimension"]
    flagged = flag_consecutive(by_year, keys=keys, year="_year", threshold=flag.threshold, years=flag.years)
    rest = report.filter(~yearly).mutate(flagged=ibis.null("boolean"))
    both = ibis.union(flagged.drop("_year"), rest.select(*flagged.drop("_year").columns), distinct=False)
    order = ["breakdown", *KEY_COLUMNS, "dimension", "outcome"]
    return both.order_by([*order, (both.group == TOTAL).desc(), both.group])


def per_enrolment(stops: ibis.Table, enrolment: ibis.Table, settings: Settings) -> ibis.Table:
    """Stops and outcomes per enrolled student, by school and perceived race (race labels as in RIPA).

    ``enrolment`` has columns school_code, group, enrolled. Stops at schools or of
    groups missing from the enrolment file are left out (they have no denominator).
    """
    agg = stops.group_by(["SCHOOL_CODE", "RAE_FULL"]).aggregate(
        stops=stops.count(), **{o: stops[o].sum() for o in OUTCOMES}
    )
    agg = agg.mutate(group=labelled(agg.RAE_FULL, RACE))
    joined = enrolment.left_join(agg, [enrolment.school_code == agg.SCHOOL_CODE, enrolment.group == agg.group])
    outcomes = ("stops", *OUTCOMES)
    wide = joined.select(
        school=joined.school_code,
        group=joined.group,
        enrolled=joined.enrolled,
        **{o: joined[o].coalesce(0) for o in outcomes},
    )
    statewide = wide.group_by("group").aggregate(enrolled=wide.enrolled.sum(), **{o: wide[o].sum() for o in outcomes})
    both = ibis.union(
        statewide.select(
            school=ibis.null("string"),
            group=statewide.group,
            enrolled=statewide.enrolled,
            **{o: statewide[o] for o in outcomes},
        ),
        wide.select("school", "group", "enrolled", *outcomes),
        distinct=False,
    )
    return disparity_wide(both, keys=["school"], denominator="enrolled", outcomes=outcomes, settings=settings)
