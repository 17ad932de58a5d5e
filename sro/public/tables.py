"""Table structures for the public pages and the board report, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sro.contracts.models import Vote
from sro.contracts.selectors import Rubric
from sro.incidents.models import Review
from sro.oversight.metrics import TOTAL
from sro.public.figures import FigureRow, Period, ProgramFigures
from sro.public.formatting import cell, number, period_label
from sro.public.groups import BREAKDOWNS, CAMPUS, DIMENSIONS, OUTCOMES
from sro.public.labels import BODY_KIND, MEMBER_VOTE, REVIEW_STATUS, RUBRIC_ELEMENT, VOTE_OUTCOME, label


def default_period(figures: ProgramFigures) -> Period | None:
    """The latest complete quarter, or the current one when none is complete."""
    done = [p for p in figures.periods if not p.partial]
    return done[-1] if done else (figures.periods[-1] if figures.periods else None)


def pick_period(figures: ProgramFigures, key: str) -> Period | None:
    return next((p for p in figures.periods if p.key == key), None) or default_period(figures)


def headline(figures: ProgramFigures, period: Period) -> list[tuple[str, dict[str, str]]]:
    return [(str(lbl), cell(figures.total(period=period.key, outcome=k))) for k, lbl in OUTCOMES.items()]


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[tuple[str, str, list[dict[str, str]], bool]] = field(
        default_factory=list
    )  # name, enrolled, cells, total

    def pdf_rows(self) -> list[tuple[str, str, list[dict[str, str]], bool, str]]:
        """The rows as the board report PDF prints them: with, last, the reason when every figure of
        the row is withheld for the same one (printed once across the row), else ""."""
        return [(*row, withheld_throughout(row[2])) for row in self.rows]


def withheld_throughout(cells: list[dict[str, str]]) -> str:
    """The reason every one of `cells` is withheld, when it is the same for all of them (and there are
    two or more), as "every figure withheld (under 11)"; else "". The row then reads as one line, not six."""
    reasons = {c["withheld"] for c in cells}
    if len(cells) < 2 or len(reasons) != 1 or not cells[0]["withheld"]:
        return ""
    return _("every figure %(reason)s") % {"reason": cells[0]["withheld"]}


def group_name(figures: ProgramFigures, breakdown: str, group: str) -> str:
    if group == TOTAL:
        return _("All program campuses") if breakdown == CAMPUS else _("All students")
    if breakdown == CAMPUS:
        return next((s.name for s in figures.schools if s.cds_code == group), group)
    return str(DIMENSIONS[breakdown].groups.get(group, group))


def breakdown_table(figures: ProgramFigures, period: str, breakdown: str) -> Table:
    by_group: dict[str, dict[str, FigureRow]] = {}
    for outcome in OUTCOMES:
        for r in figures.select(period=period, breakdown=breakdown, outcome=outcome):
            by_group.setdefault(r.group, {})[outcome] = r
    table = Table(
        key=breakdown,
        title=str(BREAKDOWNS[breakdown]),
        headers=[str(BREAKDOWNS[breakdown]), _("Students enrolled"), *[str(v) for v in OUTCOMES.values()]],
    )
    for group, rows in by_group.items():
        first = next(iter(rows.values()))
        table.rows.append(
            (
                group_name(figures, breakdown, group),
                number(first.denominator, 0) if first.denominator else _("not on file"),
                [cell(rows.get(o)) for o in OUTCOMES],
                group == TOTAL,
            )
        )
    return table


def campus_table(figures: ProgramFigures, cds_code: str) -> list[tuple[str, list[dict[str, str]]]]:
    out = []
    for p in figures.periods:
        cells = []
        for outcome in OUTCOMES:
            row = next(
                (r for r in figures.select(period=p.key, breakdown=CAMPUS, outcome=outcome) if r.group == cds_code),
                None,
            )
            cells.append(cell(row))
        out.append((period_label(p), cells))
    return out


def review_rows(figures: ProgramFigures) -> dict[str, Any]:
    statuses = [s.value for s in Review.Status]
    rows = []
    for p in figures.periods:
        counts = {r.status: r.count for r in figures.reviews if r.period == p.key}
        rows.append((period_label(p), [number(counts.get(s, 0), 0) for s in statuses], number(sum(counts.values()), 0)))
    return {"headers": [label(REVIEW_STATUS, s) for s in statuses], "rows": rows}


def rubric_rows(rubric: Rubric) -> list[dict[str, Any]]:
    return [
        {
            "title": label(RUBRIC_ELEMENT, line.element.key, line.element.title),
            "required": line.element.required,
            "covered": line.covered,
            "clauses": ", ".join(f"§{n}" for n in line.clauses),
            "citation": line.element.citation,
        }
        for line in rubric.lines
    ]


def vote_rows(votes: list[Vote]) -> list[dict[str, Any]]:
    return [
        {
            "date": v.meeting.date,
            "contract": v.version.contract.title,
            "body": v.meeting.body.name,
            "kind": label(BODY_KIND, v.meeting.body.kind),
            "version": v.version.number,
            "outcome": v.outcome,
            "outcome_label": label(VOTE_OUTCOME, v.outcome),
            "tally": None
            if v.outcome == Vote.Outcome.SCHEDULED
            else _("%(ayes)s aye, %(noes)s no, %(abstentions)s abstaining, %(absent)s absent")
            % {"ayes": v.ayes, "noes": v.noes, "abstentions": v.abstentions or 0, "absent": v.absent or 0},
            "members": [(mv.get("member", ""), label(MEMBER_VOTE, mv.get("vote", ""))) for mv in v.member_votes],
            "minutes_url": v.minutes_url or v.meeting.minutes_url,
        }
        for v in votes
    ]
