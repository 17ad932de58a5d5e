"""The evaluation report as rows a page and a PDF show: one context for both, in the active language
(the narrative in English or Spanish with it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sro.evaluation.models import Evaluation, Survey
from sro.evaluation.registries import figure_label
from sro.evaluation.selectors import ResultRow, survey_results


@dataclass(frozen=True)
class Line:
    label: str
    year: Any
    before: Any


@dataclass(frozen=True)
class DisparityLine:
    campus: str
    outcome: str
    breakdown: str
    group: str
    count: int | None
    rate: str
    rr: str


def _labels() -> dict[str, str]:
    return {
        "contacts": _("SRO contacts with students"),
        "arrests": _("Arrests"),
        "citations": _("Citations"),
        "school_referrals": _("Referrals to school staff (RIPA result)"),
        "searches": _("Searches (of the student or their property, a pat-down)"),
        "reports": _("Use-of-force reports"),
        "complaints": _("Complaints received"),
        "allegations": _("Allegations in them"),
        "crossings": _("Boundary crossings"),
    }


def _finding_label(key: str) -> str:
    return {
        "sustained": _("Sustained"),
        "not_sustained": _("Not sustained"),
        "exonerated": _("Exonerated"),
        "unfounded": _("Unfounded"),
        "policy_failure": _("Policy failure"),
        "training_failure": _("Training failure"),
        "not_decided": _("Not decided"),
        "open": _("Open"),
        "under_review": _("Under review"),
        "substantiated": _("Closed: substantiated"),
        "justified_emergency": _("Closed: justified emergency"),
        "awaiting_review": _("Awaiting the supervisor's review"),
    }.get(key, key)


def _interval(value: float | None, lo: float | None, hi: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if lo is None or hi is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} ({lo:.{digits}f} to {hi:.{digits}f})"


def report_context(evaluation: Evaluation) -> dict[str, Any]:
    f = evaluation.figures or {}
    year, before = f.get("year", {}), f.get("year_before", {})
    labels = _labels()
    lines = [
        Line(labels[k], year.get("contacts", {}).get(k, 0), before.get("contacts", {}).get(k, 0))
        for k in ("contacts", "arrests", "citations", "school_referrals", "searches")
    ]
    lines += [
        Line(labels["reports"], year.get("force", {}).get("reports", 0), before.get("force", {}).get("reports", 0)),
        Line(
            labels["complaints"],
            year.get("complaints", {}).get("complaints", 0),
            before.get("complaints", {}).get("complaints", 0),
        ),
        Line(
            labels["allegations"],
            year.get("complaints", {}).get("allegations", 0),
            before.get("complaints", {}).get("allegations", 0),
        ),
        Line(
            labels["crossings"],
            year.get("boundary", {}).get("crossings", 0),
            before.get("boundary", {}).get("crossings", 0),
        ),
    ]

    def by_key(section: str, key: str) -> list[Line]:
        y, b = year.get(section, {}).get(key, {}), before.get(section, {}).get(key, {})
        return [Line(_finding_label(k), y.get(k, 0), b.get(k, 0)) for k in sorted(set(y) | set(b))]

    kinds = {"law_enforcement": _("Notifications of law enforcement"), "parent": _("Notifications of parents")}
    notifications = []
    for kind, title in kinds.items():
        y, b = year.get("notifications", {}).get(kind, {}), before.get("notifications", {}).get(kind, {})
        notifications.append(
            (
                title,
                [
                    Line(_("Done on time"), y.get("on_time", 0), b.get("on_time", 0)),
                    Line(_("Done late"), y.get("late", 0), b.get("late", 0)),
                    Line(_("Still open"), y.get("open", 0), b.get("open", 0)),
                    Line(_("Of those, past their deadline"), y.get("open_overdue", 0), b.get("open_overdue", 0)),
                ],
            )
        )
    names = {c["cds_code"]: c["name"] for c in f.get("campuses", [])}
    disparity = [
        DisparityLine(
            campus=names.get(r["campus"], r["campus"]),
            outcome=figure_label("outcome", r["outcome"]),
            breakdown=figure_label("breakdown", r["breakdown"]),
            group=_("All students") if r["group"] == "All" else figure_label("group", f"{r['breakdown']}:{r['group']}"),
            count=r["count"],
            rate=_interval(r["rate"], r["rate_lo"], r["rate_hi"]),
            rr=_interval(r["rr"], r["rr_lo"], r["rr_hi"], 2),
        )
        for r in (year.get("disparity") or [])
        if r["breakdown"] != "campus"
    ]
    survey = Survey.objects.filter(evaluation=evaluation).first()
    results: list[ResultRow] = survey_results(survey) if survey is not None else []
    spanish = (get_language() or "en").startswith("es")
    return {
        "evaluation": evaluation,
        "contract": evaluation.contract,
        "figures": f,
        "lines": lines,
        "force_outcomes": by_key("force", "review_outcomes"),
        "findings": by_key("complaints", "findings"),
        "reviews": by_key("boundary", "reviews"),
        "notifications": notifications,
        "disparity": disparity,
        "disparity_available": year.get("disparity") is not None,
        "cost": f.get("cost", {}),
        "training": f.get("training", []),
        "survey": survey,
        "survey_rows": results,
        "findings_text": (evaluation.findings_es if spanish else evaluation.findings),
        "recommendations_text": (evaluation.recommendations_es if spanish else evaluation.recommendations),
        "narrative_missing": spanish and not (evaluation.findings_es or evaluation.recommendations_es),
    }
