"""Everything on the public site as CSV: one file per table, UTF-8, codes plus labels.

Column names are stable English identifiers; label columns follow the reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sro.community.models import CommentStatus, PublicComment
from sro.community.selectors import agenda_item_list, item_vote
from sro.contracts.models import Vote
from sro.contracts.selectors import contract_costs, district_spend_by_year
from sro.core import csvsafe
from sro.orgs.actors import PUBLIC
from sro.public.figures import ARROW_SCHEMA, program_figures
from sro.public.groups import BREAKDOWNS, DIMENSIONS, OUTCOMES
from sro.public.labels import BODY_KIND, CONTRACT_STATUS, REVIEW_STATUS, VOTE_OUTCOME, WITHHELD, label
from sro.public.program import campus_answers, contract_text, public_contract_list

Rows = Iterable[list[Any]]


def _figures() -> tuple[list[str], Rows]:
    figures = program_figures(actor=PUBLIC)
    names = [f.name for f in ARROW_SCHEMA]
    header = [*names, "breakdown_label", "outcome_label", "group_label", "reason_label"]

    def rows() -> Rows:
        for rec in figures.to_arrow().to_pylist():
            b, g = rec["breakdown"], rec["group"]
            group_label = rec["group_name"] or (str(DIMENSIONS[b].groups.get(g, g)) if b in DIMENSIONS else g)
            yield [
                *[rec[n] for n in names],
                str(BREAKDOWNS[b]),
                str(OUTCOMES[rec["outcome"]]),
                group_label,
                label(WITHHELD, rec["reason"]) if rec["reason"] else "",
            ]

    return header, rows()


def _reviews() -> tuple[list[str], Rows]:
    figures = program_figures(actor=PUBLIC)
    return ["period", "status", "status_label", "count"], (
        [r.period, r.status, label(REVIEW_STATUS, r.status), r.count] for r in figures.reviews
    )


def _campuses() -> tuple[list[str], Rows]:
    today = timezone.localdate()
    header = ["cds_code", "campus", "city", "district", "enrolment", "on", "may_deploy", "reason_codes", "reasons",
              "contract_id", "contract_status"]  # fmt: skip
    return header, (
        [
            a.school.cds_code,
            a.school.name,
            a.school.city or "",
            a.school.district,
            a.school.enrolment or "",
            today,
            a.answer.may_deploy,
            " ".join(r.code for r in a.answer.reasons),
            " ".join(a.reasons),
            a.contract.pk if a.contract else "",
            a.contract.status if a.contract else "",
        ]
        for a in campus_answers(actor=PUBLIC, on=today)
    )


def _contracts() -> tuple[list[str], Rows]:
    header = ["id", "title", "agency", "city", "campuses", "status", "status_label", "term_start", "term_end",
              "positions", "annual_cost", "district_annual_cost", "city_annual_cost", "cost_per_campus",
              "cost_per_student", "version_published", "version_in_force"]  # fmt: skip

    def rows() -> Rows:
        for c in public_contract_list(actor=PUBLIC):
            k, text = contract_costs(c), contract_text(c)
            yield [c.pk, c.title, c.agency, c.city, " ".join(s.cds_code for s in c.campuses.all()), c.status,
                   label(CONTRACT_STATUS, c.status), c.term_start, c.term_end, c.positions, k.annual,
                   k.district_annual, k.city_annual, k.per_campus or "", k.per_student or "",
                   text.version.number if text.version else "", text.in_force]  # fmt: skip

    return header, rows()


def _votes() -> tuple[list[str], Rows]:
    header = ["contract_id", "contract", "meeting_date", "body", "body_kind", "version", "outcome", "outcome_label",
              "ayes", "noes", "abstentions", "absent", "member_votes"]  # fmt: skip
    votes = Vote.objects.filter(version__contract__in=public_contract_list(actor=PUBLIC)).select_related(
        "meeting__body", "version__contract"
    )
    return header, (
        [
            v.version.contract_id,
            v.version.contract.title,
            v.meeting.date,
            v.meeting.body.name,
            label(BODY_KIND, v.meeting.body.kind),
            v.version.number,
            v.outcome,
            label(VOTE_OUTCOME, v.outcome),
            v.ayes,
            v.noes,
            v.abstentions,
            v.absent,
            "; ".join(f"{m.get('member')}: {m.get('vote')}" for m in v.member_votes),
        ]
        for v in votes.order_by("meeting__date", "pk")
    )


def _spending() -> tuple[list[str], Rows]:
    spend = district_spend_by_year(public_contract_list(actor=PUBLIC))
    return ["fiscal_year", "district_spend"], ([fy, amount] for fy, amount in spend.items())


def _agenda() -> tuple[list[str], Rows]:
    header = ["item_id", "meeting_date", "body", "number", "title", "contract_id", "version", "vote_outcome",
              "published_comments"]  # fmt: skip
    return header, (
        [
            i.pk,
            i.meeting.date,
            i.meeting.body.name,
            i.number,
            i.title,
            i.version.contract_id,
            i.version.number,
            (v.outcome if (v := item_vote(i)) else ""),
            len(i.published_comments),  # type: ignore[attr-defined]
        ]
        for i in agenda_item_list(actor=PUBLIC)
    )


def _comments() -> tuple[list[str], Rows]:
    comments = PublicComment.objects.filter(
        status=CommentStatus.PUBLISHED, item__in=agenda_item_list(actor=PUBLIC)
    ).order_by("created_at", "pk")
    return ["item_id", "received", "name", "neighbourhood", "language", "comment"], (
        [c.item_id, timezone.localtime(c.created_at).date(), c.name, c.neighbourhood, c.language, c.body]
        for c in comments
    )


DOWNLOADS: dict[str, tuple[Promise, Callable[[], tuple[list[str], Rows]]]] = {
    "figures": (_("Quarterly figures by campus and student group, with rates, intervals and suppression"), _figures),
    "reviews": (_("Boundary-crossing reviews by outcome and quarter"), _reviews),
    "campuses": (_("Program campuses and today's deployment answer"), _campuses),
    "contracts": (_("Contracts with status and costs"), _contracts),
    "votes": (_("Council and board votes"), _votes),
    "spending": (_("District spending by fiscal year"), _spending),
    "agenda": (_("Agenda items"), _agenda),
    "comments": (_("Published public comments"), _comments),
}


def csv_text(name: str) -> str:
    header, rows = DOWNLOADS[name][1]()
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")  # formula-like text cells neutralised
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    """Empty for missing, true/false for booleans (as `sro report program --format csv` writes them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
