"""Contract pages: list, detail (clauses, rubric, diff, votes, actions) and votes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sro.contracts.forms import VoteForm
from sro.contracts.models import Body, Contract, Meeting, Vote
from sro.contracts.permissions import can_manage_contract, can_record_vote
from sro.contracts.selectors import (
    allowed_actions,
    contract_costs,
    contract_get,
    contract_list,
    district_spend_by_year,
    rubric_for,
    version_diff,
    version_under_review,
)
from sro.contracts.services import vote_submit
from sro.contracts.workflow import AMENDMENT_ACTIONS, TRANSITIONS
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.orgs.actors import actor_for


def _contract_or_404(request: HttpRequest, pk: int) -> Contract:
    try:
        return contract_get(actor=actor_for(request.user), pk=pk)
    except NotFound:
        raise Http404("Contract not found") from None


@login_required
def contract_index(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    contracts = list(contract_list(actor=actor))
    rows = [(c, contract_costs(c)) for c in contracts]
    spend = district_spend_by_year(contract_list(actor=actor))
    return render(request, "contracts/list.html", {"rows": rows, "spend": spend})


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    contract = _contract_or_404(request, pk)
    versions = list(contract.versions.prefetch_related("clauses").order_by("number"))
    shown = contract.in_force or (versions[-1] if versions else None)
    number = request.GET.get("version")
    if number and number.isdigit():
        shown = next((v for v in versions if v.number == int(number)), shown)
    compare = None
    a, b = request.GET.get("from"), request.GET.get("to")
    if a and b and a.isdigit() and b.isdigit():
        va = next((v for v in versions if v.number == int(a)), None)
        vb = next((v for v in versions if v.number == int(b)), None)
        if va and vb:
            compare = (va, vb, version_diff(va, vb))
    elif len(versions) >= 2:
        compare = (versions[-2], versions[-1], version_diff(versions[-2], versions[-1]))
    votes = Vote.objects.filter(version__contract=contract).select_related("meeting__body", "version")
    can_manage = can_manage_contract(actor, contract)
    actions = (
        [(a, TRANSITIONS[a].label if a in TRANSITIONS else AMENDMENT_ACTIONS[a]) for a in allowed_actions(contract)]
        if can_manage
        else []
    )
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "versions": versions,
            "shown": shown,
            "rubric": rubric_for(shown) if shown else None,
            "compare": compare,
            "votes": votes.order_by("meeting__date", "pk"),
            "costs": contract_costs(contract),
            "actions": actions,
            "can_vote": can_record_vote(actor, contract),
        },
    )


@login_required
@require_POST
def contract_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from sro.contracts.services import contract_transition

    contract = _contract_or_404(request, pk)
    try:
        contract_transition(
            actor=actor_for(request.user), contract=contract, action=action, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"Done: {action.replace('_', ' ')}.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("contract_detail", pk=pk)


def _meetings_for(contract: Contract) -> object:
    return (
        Meeting.objects.filter(
            Q(body__kind=Body.Kind.CITY_COUNCIL, body__city=contract.city)
            | Q(body__kind=Body.Kind.SCHOOL_BOARD, body__district=contract.district)
        )
        .select_related("body")
        .order_by("date")
    )


@login_required
def vote_form(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    contract = _contract_or_404(request, pk)
    if not can_record_vote(actor, contract):
        raise Http404("Contract not found")
    version = version_under_review(contract)
    form = VoteForm(request.POST or None, meetings=_meetings_for(contract))
    if request.method == "POST" and form.is_valid() and version is not None:
        d = form.cleaned_data
        try:
            vote, _ = vote_submit(
                actor=actor,
                contract=contract,
                meeting=d["meeting"],
                ayes=d.get("ayes"),
                noes=d.get("noes"),
                abstentions=d.get("abstentions") or 0,
                absent=d.get("absent") or 0,
                minutes_url=d.get("minutes_url") or "",
            )
            if vote.outcome == Vote.Outcome.SCHEDULED:
                messages.success(request, f"Vote scheduled for {vote.meeting}.")
            else:
                messages.success(request, f"Vote recorded: {vote.meeting.body} — {vote.get_outcome_display()}.")
            return redirect("contract_detail", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return render(request, "contracts/vote_form.html", {"contract": contract, "version": version, "form": form})
