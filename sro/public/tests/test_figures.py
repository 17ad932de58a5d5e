"""The program's figures: counted from its own records, through the oversight engine, never identifying."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sro.incidents.models import Contact, Incident, IncidentStudent
from sro.orgs.actors import PUBLIC, actor_for
from sro.oversight.metrics import TOTAL, wilson_interval
from sro.public.figures import PUBLIC_SETTINGS, program_figures, quarters, school_year_of
from sro.public.groups import CAMPUS, DIMENSIONS, NOT_REPORTED, OUTCOMES, contact_groups, contact_outcomes
from sro.public.models import GroupEnrolment


def test_quarters_are_whole_calendar_quarters_and_mark_the_one_in_progress() -> None:
    qs = quarters(dt.date(2026, 8, 12), dt.date(2026, 11, 25), today=dt.date(2026, 11, 25))
    assert [(q.key, q.start, q.end, q.partial) for q in qs] == [
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), False),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), True),
    ]
    assert school_year_of(dt.date(2026, 6, 30)) == "2025-26" and school_year_of(dt.date(2026, 7, 1)) == "2026-27"


@pytest.mark.parametrize(
    ("race", "gender", "disability", "limited", "expected"),
    [
        ([3], 1, [], False, {"race": "HI", "sex": "M", "disability": "no", "english_learner": "no"}),
        ([2, 7], 2, [4], True, {"race": "TR", "sex": "F", "disability": "yes", "english_learner": "yes"}),
        ([4], 5, [], False, {"race": "ME", "sex": "X", "disability": "no", "english_learner": "no"}),
        ([6], 3, [1, 2], False, {"race": "HP", "sex": "M", "disability": "yes", "english_learner": "no"}),
    ],
)
def test_perceived_characteristics_map_onto_enrolment_groups(
    race: list[int], gender: int, disability: list[int], limited: bool, expected: dict[str, str]
) -> None:
    c = Contact(race=race, gender=gender, disability=disability, limited_english=limited)
    assert contact_groups(c) == expected


@pytest.mark.parametrize(
    ("version", "results", "actions", "crossing", "expected"),
    [
        ("2024", [12], [], False, ["contacts"]),
        ("2024", [6, 9], [5, 18, 21], False, ["contacts", "arrests"]),
        ("2024", [3], [18], True, ["contacts", "citations", "boundary_crossings"]),
        ("2018", [1], [15], False, ["contacts", "use_of_force"]),  # other physical or vehicle contact
        ("2024", [14], [34], False, ["contacts", "use_of_force"]),  # physical compliance techniques
        ("2024", [14], [28], False, ["contacts"]),  # a device pointed is not counted as used (the reports')
    ],
)
def test_outcomes_follow_the_oversight_reports_definitions(
    version: str, results: list[int], actions: list[int], crossing: bool, expected: list[str]
) -> None:
    contact = Contact(results=results, actions=actions, boundary_crossing=crossing, codes_version=version)
    assert contact_outcomes(contact) == expected


def _local_q(at: dt.datetime) -> str:
    d = timezone.localtime(at).date()
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def test_totals_are_the_records_counted_and_rates_come_from_the_engine(site: dict[str, Any]) -> None:
    figures = program_figures(actor=PUBLIC)
    for p in figures.periods:
        contacts = sum(1 for c in Contact.objects.all() if _local_q(c.occurred_at) == p.key)
        referred = [
            i for i in Incident.objects.all() if i.routed_to_law_enforcement and _local_q(i.occurred_at) == p.key
        ]
        offenders = IncidentStudent.objects.filter(incident__in=referred, role="offender").count()
        for outcome, expected in (("contacts", contacts), ("referrals", offenders)):
            total = figures.total(period=p.key, outcome=outcome)
            assert total is not None and total.denominator == 7500
            if expected >= PUBLIC_SETTINGS.cell_min:
                assert total.count == expected and not total.suppressed
                assert total.rate == pytest.approx(expected / 7500 * 1000)
                lo, hi = wilson_interval(expected, 7500)
                assert total.rate_lo == pytest.approx(lo * 1000) and total.rate_hi == pytest.approx(hi * 1000)
            else:
                assert total.suppressed and total.count is None and total.rate is None


def test_no_published_figure_can_identify_a_student(site: dict[str, Any]) -> None:
    figures = program_figures(actor=PUBLIC)
    assert any(not r.suppressed for r in figures.rows)
    for r in figures.rows:
        if r.suppressed:
            assert r.count is None and r.rate is None and r.rate_lo is None and r.rr is None
        else:
            assert r.count is not None and r.count >= PUBLIC_SETTINGS.cell_min
            assert r.denominator >= PUBLIC_SETTINGS.n_min
    for p in figures.periods:
        for breakdown in (CAMPUS, *DIMENSIONS):
            for outcome in OUTCOMES:
                rows = figures.select(period=p.key, breakdown=breakdown, outcome=outcome)
                total = next(r for r in rows if r.group == TOTAL)
                hidden = [r for r in rows if r.suppressed and r.group != TOTAL]
                # A published total with exactly one withheld group would give that group away.
                assert total.suppressed or len(hidden) != 1, (p.key, breakdown, outcome)


def test_group_denominators_are_the_demo_enrolment_by_group(site: dict[str, Any]) -> None:
    figures = program_figures(actor=PUBLIC)
    assert figures.illustrative
    p = figures.periods[0].key
    for dim in DIMENSIONS:
        rows = figures.select(period=p, breakdown=dim, outcome="contacts")
        assert all(r.group != NOT_REPORTED for r in rows), dim  # never published as a group
        unreported = sum(
            GroupEnrolment.objects.filter(dimension=dim, group=NOT_REPORTED).values_list("enrolled", flat=True)
        )
        assert sum(r.denominator for r in rows if r.group != TOTAL) + unreported == 7500, dim
    me = next(r for r in figures.select(period=p, breakdown="race", outcome="contacts") if r.group == "ME")
    assert me.denominator == 0 and me.suppressed and me.reason == "n-size"


def test_the_scope_follows_the_actor_and_the_district_filter(site: dict[str, Any]) -> None:
    principal = program_figures(actor=actor_for(site["users"]["principal.pshs"]))
    assert [s.name for s in principal.schools] == ["Palm Springs High"]
    assert program_figures(actor=PUBLIC, district="0000000").schools == []


def test_sro_report_program_gives_the_public_figures(site: dict[str, Any], tmp_path: Any) -> None:
    out = StringIO()
    call_command("report", "program", "--district", "3367173", "--format", "json", stdout=out)
    text = out.getvalue()
    figures_json = json.loads(text[: text.index("\n]\n") + 3])
    expected = program_figures(actor=PUBLIC, district="3367173").to_arrow().to_pylist()
    assert figures_json == json.loads(json.dumps(expected, default=str))
    path = tmp_path / "program.csv"
    call_command(
        "report", "program", "--from", "2026-08-01", "--to", "2026-12-31", "--period", "range", "--format", "csv",
        "--out", str(path),
    )  # fmt: skip
    header = path.read_text().splitlines()[0]
    assert header.startswith('"period","period_start"') and (tmp_path / "program-reviews.csv").exists()
    with pytest.raises(CommandError, match="no such district"):
        call_command("report", "program", "--district", "9999999")


def test_enrolment_by_group_must_add_up_to_the_campus(site: dict[str, Any]) -> None:
    from sro.core.errors import Forbidden, InvalidInput
    from sro.public.services import group_enrolment_set

    school = site["schools"]["Palm Springs High"]
    with pytest.raises(InvalidInput) as exc:
        group_enrolment_set(
            actor=None, school=school, school_year="2027-28", counts={"sex": {"F": 1, "M": 1}, "zodiac": {}}, source=""
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"source", "sex", "dimension"}
    with pytest.raises(Forbidden):
        group_enrolment_set(
            actor=actor_for(site["users"]["boardmember"]), school=school, school_year="2027-28", counts={}, source="x"
        )
    rows = group_enrolment_set(
        actor=actor_for(site["users"]["director"]),
        school=school,
        school_year="2027-28",
        counts={"english_learner": {"yes": 400, "no": 1600}},
        source="CALPADS census day",
    )
    assert [(r.group, r.enrolled) for r in rows] == [("yes", 400), ("no", 1600)]
