"""The evaluation pages (staff) and the public survey page. Thin: they call services and selectors."""

from __future__ import annotations

import csv
import io
import logging

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sro.contracts.models import Contract
from sro.contracts.selectors import contract_get
from sro.core.antispam import RateLimited
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.evaluation import services
from sro.evaluation.figures import year_of
from sro.evaluation.forms import DraftForm, LinksForm, NarrativeForm, RenewalForm, SurveyForm, SurveyWindowForm
from sro.evaluation.models import Evaluation, Survey
from sro.evaluation.permissions import can_list_evaluations, can_manage_evaluation, can_see_evaluation
from sro.evaluation.report import report_context
from sro.evaluation.selectors import evaluable_contracts, evaluation_get, reminders_unread, survey_counts
from sro.orgs.actors import actor_for

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not can_list_evaluations(actor):
        raise Http404
    contracts = evaluable_contracts(actor=actor)
    rows = [(c, list(Evaluation.objects.filter(contract=c).order_by("-year"))) for c in contracts]
    return render(request, "evaluation/index.html", {"rows": rows, "today": timezone.localdate()})


def _contract(request: HttpRequest, pk: int) -> Contract:
    actor = actor_for(request.user)
    try:
        contract = contract_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if not can_see_evaluation(actor, contract):
        raise Http404
    return contract


@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    contract = _contract(request, pk)
    today = timezone.localdate()
    draft_form = DraftForm(initial={"year": year_of(contract, today)})
    renewal_form = RenewalForm(initial={"term_end": contract.term_end.replace(year=contract.term_end.year + 1)})
    status = 200
    if request.method == "POST":
        if not can_manage_evaluation(actor, contract):
            raise Http404
        action = request.POST.get("action", "")
        try:
            if action == "draft":
                draft_form = DraftForm(request.POST)
                if draft_form.is_valid():
                    ev = services.evaluation_draft(actor=actor, contract=contract, year=draft_form.cleaned_data["year"])
                    return redirect("evaluation:detail", ev.pk)
            elif action == "renew":
                renewal_form = RenewalForm(request.POST)
                if renewal_form.is_valid():
                    d = renewal_form.cleaned_data
                    services.renewal_propose(actor=actor, contract=contract, term_end=d["term_end"], note=d["note"])
                    return redirect(reverse("contract_detail", args=[contract.pk]) + "#votes-h")
            elif action == "read":
                for r in reminders_unread(actor=actor).filter(contract=contract):
                    services.reminder_read(actor=actor, reminder=r)
                return redirect("evaluation:contract", contract.pk)
        except DomainError as exc:
            add_service_error(renewal_form if action == "renew" else draft_form, exc)
        status = 422
    ctx = {
        "contract": contract,
        "evaluations": Evaluation.objects.filter(contract=contract).order_by("-year"),
        "can_manage": can_manage_evaluation(actor, contract),
        "draft_form": draft_form,
        "renewal_form": renewal_form,
        "days_left": (contract.term_end - today).days,
        "reminders": reminders_unread(actor=actor).filter(contract=contract),
        "renewable": contract.in_force_id is not None and contract.status in {"approved", "active", "suspended"},
    }
    return render(request, "evaluation/contract.html", ctx, status=status)


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    try:
        return evaluation_get(actor=actor_for(request.user), pk=pk)
    except NotFound:
        raise Http404 from None


def _links_csv(request: HttpRequest, tokens: list[str]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["link"])
    for t in tokens:
        writer.writerow([request.build_absolute_uri(reverse("public:survey", args=[t]))])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survey-links.csv"'
    return response


@login_required
@never_cache
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    evaluation = _evaluation(request, pk)
    contract = evaluation.contract
    manage = can_manage_evaluation(actor, contract)
    survey = Survey.objects.filter(evaluation=evaluation).first()
    narrative = NarrativeForm(initial={k: getattr(evaluation, k) for k in services.NARRATIVE})
    window = SurveyWindowForm(
        initial={"opens_on": survey.opens_on, "closes_on": survey.closes_on}
        if survey
        else {"opens_on": timezone.localdate()}
    )
    links = LinksForm(schools=contract.campuses.all())
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404
        action = request.POST.get("action", "")
        try:
            if action == "narrative":
                narrative = NarrativeForm(request.POST)
                if narrative.is_valid():
                    services.evaluation_update(actor=actor, evaluation=evaluation, **narrative.cleaned_data)
                    return redirect("evaluation:detail", evaluation.pk)
            elif action == "refresh":
                services.evaluation_draft(actor=actor, contract=contract, year=evaluation.year)
                return redirect("evaluation:detail", evaluation.pk)
            elif action == "finalise":
                services.evaluation_finalise(actor=actor, evaluation=evaluation)
                return redirect("evaluation:detail", evaluation.pk)
            elif action == "survey":
                window = SurveyWindowForm(request.POST)
                if window.is_valid():
                    services.survey_open(actor=actor, evaluation=evaluation, **window.cleaned_data)
                    return redirect("evaluation:detail", evaluation.pk)
            elif action == "links" and survey is not None:
                links = LinksForm(request.POST, schools=contract.campuses.all())
                if links.is_valid():
                    tokens = services.survey_links_issue(actor=actor, survey=survey, **links.cleaned_data)
                    return _links_csv(request, tokens)
        except DomainError as exc:
            target = {"narrative": narrative, "survey": window, "links": links}.get(action, narrative)
            add_service_error(target, exc)
        status = 422
    evaluation.refresh_from_db()
    ctx = {
        **report_context(evaluation),
        "can_manage": manage,
        "narrative_form": narrative,
        "window_form": window,
        "links_form": links,
        "counts": survey_counts(survey) if survey else None,
    }
    return render(request, "evaluation/detail.html", ctx, status=status)


@login_required
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    evaluation = _evaluation(request, pk)
    language = "es" if request.GET.get("lang", "") == "es" else "en"
    with translation.override(language):
        html = render_to_string("evaluation/report_pdf.html", report_context(evaluation), request=request)
    css = finders.find("public/report.css")  # the board report's stylesheet
    assert isinstance(css, str)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_no_fetch).write_pdf(
        stylesheets=[CSS(filename=css)]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"evaluation-{evaluation.contract_id}-year-{evaluation.year}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The PDF is self-contained: the stylesheet is passed in; fetch nothing."""
    raise ValueError(f"the evaluation report fetches no resources ({url})")


# --- the public survey -------------------------------------------------------------------------


@never_cache
def public_survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey through a single-use link: no sign-in, no name, one answer per link."""
    try:
        link = services.survey_link_get(token)
    except NotFound:
        return render(request, "evaluation/survey_closed.html", {"reason": "unknown"}, status=404)
    survey = link.survey
    today = timezone.localdate()
    if link.used_on is not None:
        return render(request, "evaluation/survey_closed.html", {"reason": "used"}, status=410)
    if not survey.is_open(today):
        ctx = {"reason": "closed", "survey": survey}
        return render(request, "evaluation/survey_closed.html", ctx, status=410 if today > survey.closes_on else 403)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.survey_respond(
                    token=token,
                    answers=services.Answers(
                        d["feels_safe"], d["trusts_sro"], d["knows_how_to_complain"], d["comment"]
                    ),
                    language=translation.get_language() or "en",
                    address=request.META.get("REMOTE_ADDR", ""),
                    honeypot=d.get("website", ""),
                    today=today,
                )
            except RateLimited:
                form.add_error(None, _("Many answers were sent from this connection today. Please try again tomorrow."))
                status = 429
            except DomainError as exc:
                add_service_error(form, exc)
                status = 422
            else:
                return render(request, "evaluation/survey_thanks.html", {})
        else:
            status = 422
    ctx = {"form": form, "link": link, "contract": survey.evaluation.contract, "survey": survey}
    return render(request, "evaluation/survey.html", ctx, status=status)
