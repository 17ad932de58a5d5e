"""Staffing pages: roster, officer, hiring panel, training matrix, notices. Thin over the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sro.contracts.models import Contract
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.core.params import date_param_or_today
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import LawEnforcementAgency
from sro.orgs.roles import Role
from sro.staffing.assignments import notice_mark_read
from sro.staffing.catalogues import courses, rubric
from sro.staffing.forms import NominationForm, OfficerForm, PanelForm, ScoreForm, TrainingForm
from sro.staffing.hiring import panel_create, panel_score
from sro.staffing.models import Assignment, Officer, Panel
from sro.staffing.permissions import can_confirm_training, can_convene_panel, can_manage_officers
from sro.staffing.selectors import (
    my_seat,
    nomination_get,
    notice_get,
    notice_list,
    officer_districts,
    officer_get,
    officer_list,
    panel_candidates,
    panel_get,
    panel_list,
    training_matrix,
    training_record_get,
    training_records,
)
from sro.staffing.services import (
    nomination_create,
    officer_create,
    training_record_create,
    training_record_review,
)
from sro.staffing.training import officer_training


def _actor(request: HttpRequest) -> Actor:
    return actor_for(request.user)


def _managed_agencies(actor: Actor) -> Any:
    if actor.is_superuser:
        return LawEnforcementAgency.objects.all()
    return LawEnforcementAgency.objects.filter(pk__in=actor.org_ids(Role.AGENCY_SUPERVISOR))


def _officer_or_404(actor: Actor, pk: int) -> Officer:
    try:
        return officer_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404("Officer not found") from None


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    agencies = _managed_agencies(actor)
    form = OfficerForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and agencies.exists() and form.is_valid():
        d = form.cleaned_data
        try:
            officer = officer_create(
                actor=actor,
                agency=d["agency"],
                first_name=d["first_name"],
                last_name=d["last_name"],
                badge_number=d["badge_number"],
                rank=d["rank"],
                sworn_date=d["sworn_date"],
            )
            messages.success(request, f"Added {officer}.")
            return redirect("staffing:officer", pk=officer.pk)
        except DomainError as exc:
            add_service_error(form, exc)
    officers = officer_list(actor=actor).prefetch_related("assignments__school", "nominations")
    ctx = {"officers": officers, "form": form if agencies.exists() else None, "panels": panel_list(actor=actor)[:50]}
    return render(request, "staffing/roster.html", ctx)


def _officer_page(request: HttpRequest, officer: Officer, **forms: Any) -> HttpResponse:
    actor = _actor(request)
    manages = can_manage_officers(actor, officer.agency_id)
    contracts = Contract.objects.filter(agency_id=officer.agency_id).exclude(status__in=["terminated", "expired"])
    today = timezone.localdate()
    ctx = {
        "officer": officer,
        "nominations": officer.nominations.select_related("contract", "panel").order_by("-pk"),
        "assignments": Assignment.with_cancelled.filter(officer=officer)  # the whole record, cancelled too
        .select_related("school", "contract")
        .order_by("-start_date"),
        "states": officer_training(officer, today),
        "records": training_records(actor=actor, officer=officer),
        "today": today,
        "manages": manages,
        "can_confirm": can_confirm_training(actor, officer_districts(officer)),
        "can_convene": {n.pk for n in officer.nominations.all() if can_convene_panel(actor, n.contract)},
        "nominate_form": forms.get("nominate_form") or (NominationForm(contracts=contracts) if manages else None),
        "training_form": forms.get("training_form") or (TrainingForm() if manages else None),
    }
    return render(request, "staffing/officer.html", ctx)


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_page(request, _officer_or_404(_actor(request), pk))


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    officer = _officer_or_404(actor, pk)
    form = NominationForm(request.POST, contracts=Contract.objects.filter(agency_id=officer.agency_id))
    if form.is_valid():
        try:
            nomination_create(
                actor=actor, officer=officer, contract=form.cleaned_data["contract"], note=form.cleaned_data["note"]
            )
            messages.success(request, "Nominated. Convene the selection panel next.")
            return redirect("staffing:officer", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return _officer_page(request, officer, nominate_form=form)


@login_required
@require_POST
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    officer = _officer_or_404(actor, pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            training_record_create(actor=actor, officer=officer, **form.cleaned_data)
            messages.success(request, "Completion entered; it counts once the district confirms it.")
            return redirect("staffing:officer", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return _officer_page(request, officer, training_form=form)


@login_required
@require_POST
def training_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        record = training_record_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    try:
        confirm = request.POST.get("decision") != "reject"
        training_record_review(actor=actor, record=record, confirm=confirm, note=request.POST.get("note", ""))
        messages.success(request, "Confirmed." if confirm else "Declined.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("staffing:officer", pk=record.officer_id)


@login_required
def panel_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        nomination = nomination_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if not can_convene_panel(actor, nomination.contract):
        raise Http404
    form = PanelForm(request.POST or None, candidates=panel_candidates(nomination.contract))
    if request.method == "POST" and form.is_valid():
        try:
            panel = panel_create(actor=actor, nomination=nomination, members=list(form.cleaned_data["members"]))
            messages.success(request, "Panel convened. Each member now scores the candidate.")
            return redirect("staffing:panel", pk=panel.pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return render(request, "staffing/panel_new.html", {"nomination": nomination, "form": form})


@login_required
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        panel = panel_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    seat = my_seat(panel, request.user)
    may_score = seat is not None and panel.status == Panel.Status.OPEN and not hasattr(seat, "scoresheet")
    form = ScoreForm(request.POST or None) if may_score else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            panel_score(
                actor=actor,
                panel=panel,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Your scores are recorded.")
            return redirect("staffing:panel", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc, renames={"scores.": "score_"})
    members = list(panel.members.select_related("user", "scoresheet"))
    keys = rubric().keys
    rows = [
        (m, sheet, [sheet.scores.get(k) for k in keys] if sheet else [])
        for m in members
        for sheet in [getattr(m, "scoresheet", None)]
    ]
    return render(
        request,
        "staffing/panel.html",
        {"panel": panel, "rows": rows, "form": form, "rubric": rubric(), "seat": seat},
    )


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    on = date_param_or_today(request)
    rows = training_matrix(actor=_actor(request), on=on)
    return render(request, "staffing/matrix.html", {"rows": rows, "courses": courses(), "on": on})


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "staffing/notices.html", {"notices": notice_list(actor=_actor(request))[:100]})


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        notice_mark_read(actor=actor, notice=notice_get(actor=actor, pk=pk))
    except NotFound:
        raise Http404 from None
    return redirect("home" if request.POST.get("next") == "home" else "staffing:notices")
