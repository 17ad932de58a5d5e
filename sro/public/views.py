"""The public transparency site at /public/: no sign-in, the same for every visitor.

Every page reads as the public (`PUBLIC`), whoever is signed in, so what a board member
sees here is exactly what a resident sees.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sro.community.selectors import agenda_for_contract, agenda_item_list
from sro.community.services import comments_accepted
from sro.contracts.selectors import contract_costs, district_spend_by_year, rubric_for
from sro.core.errors import NotFound
from sro.orgs.actors import PUBLIC
from sro.public import tables
from sro.public.charts import cost_chart, group_chart, trend_chart
from sro.public.downloads import DOWNLOADS, csv_text
from sro.public.figures import program_figures
from sro.public.formatting import period_label
from sro.public.groups import CAMPUS, DIMENSIONS, OUTCOME_HELP, OUTCOMES
from sro.public.labels import CONTRACT_STATUS, GATE_REASON, label
from sro.public.program import (
    campus_answer,
    campus_answers,
    campus_get,
    contract_text,
    costs_by_campus,
    public_contract_get,
    public_contract_list,
    vote_history,
)


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    answers = campus_answers(actor=PUBLIC, on=today)
    contracts = list(public_contract_list(actor=PUBLIC))
    figures = program_figures(actor=PUBLIC, today=today)
    latest = tables.default_period(figures)
    upcoming = [i for i in agenda_item_list(actor=PUBLIC, since=today) if comments_accepted(i, today=today)]
    ctx = {
        "today": today,
        "answers": answers,
        "deployable": sum(1 for a in answers if a.answer.may_deploy),
        "contracts": [(c, label(CONTRACT_STATUS, c.status), contract_costs(c)) for c in contracts],
        "proposed_total": sum((c.annual_cost for c in contracts), start=0),
        "headline": tables.headline(figures, latest) if latest else [],
        "latest_label": period_label(latest) if latest else "",
        "upcoming": upcoming,
    }
    return render(request, "public/home.html", ctx)


def campus(request: HttpRequest, cds_code: str) -> HttpResponse:
    today = timezone.localdate()
    try:
        school = campus_get(actor=PUBLIC, cds_code=cds_code)
    except NotFound:
        raise Http404 from None
    figures = program_figures(actor=PUBLIC, today=today)
    ctx = {
        "today": today,
        "a": campus_answer(school, today),
        "table": tables.campus_table(figures, school.cds_code),
        "outcomes": [str(o) for o in OUTCOMES.values()],
    }
    return render(request, "public/campus.html", ctx)


def contract_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    contracts = public_contract_list(actor=PUBLIC)
    answers = campus_answers(actor=PUBLIC, on=today)
    ctx = {
        "rows": [(c, label(CONTRACT_STATUS, c.status), contract_costs(c)) for c in contracts],
        "spend": district_spend_by_year(contracts),
        "chart": cost_chart(costs_by_campus(answers)),
    }
    return render(request, "public/contracts.html", ctx)


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        contract = public_contract_get(actor=PUBLIC, pk=pk)
    except NotFound:
        raise Http404 from None
    text = contract_text(contract)
    ctx = {
        "contract": contract,
        "status_label": label(CONTRACT_STATUS, contract.status),
        # the deployment gate's words from the day after the last day, before the daily refresh closes it
        "term_ended": label(GATE_REASON, "contract_expired") if contract.term_end < timezone.localdate() else "",
        "costs": contract_costs(contract),
        "text": text,
        "rubric": tables.rubric_rows(rubric_for(text.version)) if text.version else [],
        "rubric_score": rubric_for(text.version).score if text.version else "",
        "votes": tables.vote_rows(vote_history(contract)),
        "agenda": agenda_for_contract(actor=PUBLIC, contract=contract),
    }
    return render(request, "public/contract.html", ctx)


def figures_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    figures = program_figures(actor=PUBLIC, today=today)
    period = tables.pick_period(figures, request.GET.get("quarter", ""))
    outcome = request.GET.get("outcome", "contacts")
    if outcome not in OUTCOMES:
        outcome = "contacts"
    ctx: dict[str, object] = {
        "figures": figures,
        "periods": [(p.key, period_label(p)) for p in figures.periods],
        "period": period,
        "outcome": outcome,
        "outcomes": [(k, str(v), str(OUTCOME_HELP[k])) for k, v in OUTCOMES.items()],
        "trend": trend_chart(figures),
    }
    if period is not None:
        ctx |= {
            "period_label": period_label(period),
            "campus_table": tables.breakdown_table(figures, period.key, CAMPUS),
            "group_tables": [tables.breakdown_table(figures, period.key, d) for d in DIMENSIONS],
            "group_charts": [
                group_chart(figures, period=period.key, dimension=d, outcome=outcome) for d in ("race", "sex")
            ],
            "reviews": tables.review_rows(figures),
        }
    return render(request, "public/figures.html", ctx)


def downloads(request: HttpRequest) -> HttpResponse:
    items = [(name, str(title)) for name, (title, _builder) in DOWNLOADS.items()]
    return render(request, "public/downloads.html", {"items": items})


def download_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in DOWNLOADS:
        raise Http404
    response = HttpResponse(csv_text(name), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sro-{name}.csv"'
    return response
