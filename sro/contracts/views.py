"""Contract pages: list, detail (clauses, rubric, diff, votes, actions), confirmations and votes.

A step with consequences (terminate, suspend, close, withdraw from review) is never one click:
its link opens a confirmation page (GET) that says what will happen and asks for the reason;
the POST performs it through the service, which records the reason in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sro.contracts.catalogue import element
from sro.contracts.forms import ReasonForm, VoteForm
from sro.contracts.models import Contract, ContractStatus, ContractVersion, Vote
from sro.contracts.permissions import can_create_contract, can_manage_contract, can_propose_text, can_record_vote
from sro.contracts.selectors import (
    allowed_actions,
    contract_costs,
    contract_get,
    contract_list,
    district_spend_by_year,
    meetings_for,
    open_version,
    rubric_for,
    version_diff,
    version_under_review,
)
from sro.contracts.services import contract_transition, vote_submit
from sro.contracts.workflow import AMENDABLE, AMENDMENT_ACTIONS, NEGOTIABLE, TRANSITIONS
from sro.core.errors import DomainError, NotFound, TransitionRefused
from sro.core.forms import add_service_error
from sro.orgs.actors import actor_for

# Steps that go through a confirmation page with a required reason.
CONFIRMED_ACTIONS = ("suspend", "terminate", "expire", "withdraw_from_council", "withdraw_amendment")

DIFF_LABELS = {
    "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"),
    "changed": gettext_lazy("Changed"),
    "unchanged": gettext_lazy("Unchanged"),
}


def _contract_or_404(request: HttpRequest, pk: int) -> Contract:
    try:
        return contract_get(actor=actor_for(request.user), pk=pk)
    except NotFound:
        raise Http404("Contract not found") from None


def _action_label(action: str) -> str:
    return TRANSITIONS[action].label if action in TRANSITIONS else AMENDMENT_ACTIONS[action]


def _day(day: dt.date) -> str:
    """A date in words: 4 December 2026."""
    return date_format(day, "j F Y")


def _element_title(key: str) -> str:
    try:
        return element(key).title
    except KeyError:
        return key


@login_required
def contract_index(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    contracts = list(contract_list(actor=actor))
    rows = [(c, contract_costs(c)) for c in contracts]
    spend = district_spend_by_year(contract_list(actor=actor))
    return render(
        request, "contracts/list.html", {"rows": rows, "spend": spend, "can_create": can_create_contract(actor)}
    )


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
            compare = (va, vb, _diff_rows(va, vb))
    elif len(versions) >= 2:
        compare = (versions[-2], versions[-1], _diff_rows(versions[-2], versions[-1]))
    votes = Vote.objects.filter(version__contract=contract).select_related("meeting__body", "version")
    can_manage = can_manage_contract(actor, contract)
    allowed = [a for a in allowed_actions(contract) if _offered(contract, a)] if can_manage else []
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "versions": versions,
            "shown": shown,
            "clauses": [(c, [_element_title(k) for k in c.categories]) for c in shown.clauses.all()] if shown else [],
            "rubric": rubric_for(shown) if shown else None,
            "compare": compare,
            "votes": [(v, _member_votes(v)) for v in votes.order_by("meeting__date", "pk")],
            "costs": contract_costs(contract),
            # The main steps are buttons; those with consequences are links to their confirmation page, after them.
            "actions": [(a, _action_label(a)) for a in allowed if a not in CONFIRMED_ACTIONS],
            "confirm_actions": [(a, _action_label(a)) for a in allowed if a in CONFIRMED_ACTIONS],
            "can_vote": can_record_vote(actor, contract),
            "can_edit": can_manage and contract.status == ContractStatus.DRAFT,
            "can_propose": can_propose_text(actor, contract) and contract.status in NEGOTIABLE | AMENDABLE,
            "to_schedule": version_under_review(contract) if can_record_vote(actor, contract) else None,
        },
    )


def _offered(contract: Contract, action: str) -> bool:
    """Whether the record page offers the step today: closing waits for the last day of the term."""
    return action != "expire" or timezone.localdate() > contract.term_end


def _diff_rows(old: ContractVersion, new: ContractVersion) -> list[tuple[object, str]]:
    return [(d, str(DIFF_LABELS.get(d.status, d.status))) for d in version_diff(old, new)]


def _member_votes(vote: Vote) -> list[tuple[str, str]]:
    labels = dict(Vote.MemberVote.choices)
    rows = [(str(mv.get("member", "")), str(mv.get("vote", ""))) for mv in vote.member_votes]
    return [(member, str(labels.get(code, code))) for member, code in rows]


def _done_message(contract: Contract, action: str, *, today: dt.date, version: ContractVersion | None) -> str:
    """What happened, in words, for the flash message."""
    n: dict[str, object] = {"n": version.number if version is not None else "?"}
    texts = {
        "open_negotiation": _("Negotiation opened with %(agency)s.") % {"agency": contract.agency},
        "submit_to_council": _("Version %(n)s sent to the city council for its vote.") % n,
        "withdraw_from_council": _("Withdrawn from the city council's agenda: the agreement is back in negotiation."),
        "activate": _("Term started: the agreement is active."),
        "suspend": _("Agreement suspended on %(day)s.") % {"day": _day(today)},
        "reinstate": _("Suspension lifted: the agreement is %(status)s.")
        % {"status": contract.get_status_display().lower()},
        "terminate": _("Agreement terminated on %(day)s.") % {"day": _day(today)},
        "expire": _("Agreement closed: its term ended on %(day)s.") % {"day": _day(contract.term_end)},
        "submit_amendment": _("Amendment (version %(n)s) sent to the city council for its vote.") % n,
        "withdraw_amendment": _("Amendment (version %(n)s) withdrawn from review; it is a draft again.") % n,
    }
    return texts.get(action) or _("Done. The agreement is now: %(status)s.") % {"status": contract.get_status_display()}


def _refusal(exc: DomainError) -> str:
    """A service's refusal in words (a refused transition's own reason, not its list of action codes)."""
    if isinstance(exc, TransitionRefused) and exc.reason:
        return exc.reason
    return exc.detail


def _not_now(contract: Contract, action: str) -> str:
    return _("“%(step)s” is not possible now: the agreement is %(status)s.") % {
        "step": _action_label(action),
        "status": contract.get_status_display().lower(),
    }


@login_required
def contract_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A lifecycle step. Those with consequences answer GET with their confirmation page."""
    if action not in TRANSITIONS and action not in AMENDMENT_ACTIONS:
        raise Http404("No such step")
    contract = _contract_or_404(request, pk)
    if action in CONFIRMED_ACTIONS:
        return _confirm_action(request, contract, action)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor = actor_for(request.user)
    if can_manage_contract(actor, contract) and action not in allowed_actions(contract):
        messages.error(request, _not_now(contract, action))
        return redirect("contract_detail", pk=contract.pk)
    version = open_version(contract)
    try:
        done = contract_transition(actor=actor, contract=contract, action=action, reason=request.POST.get("reason", ""))
        messages.success(request, _done_message(done, action, today=timezone.localdate(), version=version))
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    return redirect("contract_detail", pk=pk)


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page says: the question, what will happen, the button, the missing-reason error."""

    heading: str
    consequences: list[str]
    button: str
    reason_required: str
    irreversible: str = ""


def _confirmation(contract: Contract, action: str, today: dt.date) -> Confirmation:
    agency, campuses = str(contract.agency), ", ".join(s.name for s in contract.campuses.all())
    version = open_version(contract)
    n = version.number if version is not None else "?"
    board = _(
        "The campus status board will show these campuses as closed to officers, and the daily staffing check "
        "will notify the agency's supervisors and the district's administrators of every assignment it affects."
    )
    if action == "terminate":
        return Confirmation(
            heading=_("Terminate the agreement with %(agency)s?") % {"agency": agency},
            consequences=[
                _(
                    "Terminating the agreement with %(agency)s ends it on %(day)s: officers assigned under it can no "
                    "longer be deployed at its campuses (%(campuses)s)."
                )
                % {"agency": agency, "day": _day(today), "campuses": campuses},
                board,
                *(
                    [_("Negotiation stops: no vote of the city council or the school board can be recorded on it.")]
                    if contract.status not in (ContractStatus.APPROVED, ContractStatus.ACTIVE, ContractStatus.SUSPENDED)
                    else []
                ),
            ],
            irreversible=_(
                "This cannot be undone: a terminated agreement cannot be reinstated. Officers could return only under "
                "a new agreement, negotiated and voted again by the city council and the school board."
            ),
            button=_("Terminate the agreement"),
            reason_required=_("Give the reason for terminating the agreement."),
        )
    if action == "suspend":
        return Confirmation(
            heading=_("Suspend the agreement with %(agency)s?") % {"agency": agency},
            consequences=[
                _(
                    "Suspending the agreement with %(agency)s takes effect today, %(day)s: officers assigned under it "
                    "must leave its campuses (%(campuses)s) and cannot be deployed there while it is suspended."
                )
                % {"agency": agency, "day": _day(today), "campuses": campuses},
                board,
                _(
                    "The district's administrator can lift the suspension later; the agreement is then active again "
                    "(or approved, if its term has not begun)."
                ),
            ],
            button=_("Suspend the agreement"),
            reason_required=_("Give the reason for suspending the agreement."),
        )
    if action == "expire":
        return Confirmation(
            heading=_("Close the agreement with %(agency)s?") % {"agency": agency},
            consequences=[
                _(
                    "Closing the agreement records that its term ended on %(day)s: it becomes expired, and no officer "
                    "can be deployed under it at its campuses (%(campuses)s)."
                )
                % {"day": _day(contract.term_end), "campuses": campuses},
                _("The daily refresh closes agreements after their term in any case; this only does it now."),
            ],
            irreversible=_("This cannot be undone: officers could return only under a new agreement."),
            button=_("Close the agreement"),
            reason_required=_("Give the reason for closing the agreement now."),
        )
    if action == "withdraw_from_council":
        return Confirmation(
            heading=_("Withdraw version %(n)s from the city council's agenda?") % {"n": n},
            consequences=[
                _(
                    "Version %(n)s goes back to the negotiating table: the agreement returns to negotiation, and the "
                    "city council of %(city)s cannot vote on it until it is sent to the council again."
                )
                % {"n": n, "city": contract.city},
                _("The text is kept as a draft; it can be changed before it is sent again."),
            ],
            button=_("Withdraw from the council agenda"),
            reason_required=_("Give the reason for withdrawing the agreement from the council's agenda."),
        )
    # withdraw_amendment
    in_force = contract.in_force.number if contract.in_force is not None else None
    return Confirmation(
        heading=_("Withdraw the amendment (version %(n)s) from review?") % {"n": n},
        consequences=[
            _(
                "The amendment goes back to draft: the city council and the school board cannot vote on it until "
                "it is sent again."
            ),
            _("The version in force (version %(m)s) stays in force.") % {"m": in_force}
            if in_force is not None
            else _("The version in force stays in force."),
        ],
        button=_("Withdraw the amendment"),
        reason_required=_("Give the reason for withdrawing the amendment."),
    )


def _confirm_action(request: HttpRequest, contract: Contract, action: str) -> HttpResponse:
    actor = actor_for(request.user)
    if not can_manage_contract(actor, contract):
        raise PermissionDenied("Only the district's administrator may change a contract's status.")
    if action not in allowed_actions(contract):
        messages.error(request, _not_now(contract, action))
        return redirect("contract_detail", pk=contract.pk)
    today = timezone.localdate()
    if not _offered(contract, action):
        messages.error(
            request,
            _("The term runs until %(day)s: the agreement can be closed only after its last day.")
            % {"day": _day(contract.term_end)},
        )
        return redirect("contract_detail", pk=contract.pk)
    step = _confirmation(contract, action, today)
    form = ReasonForm(request.POST or None, required_message=step.reason_required)
    if request.method == "POST" and form.is_valid():
        version = open_version(contract)
        try:
            done = contract_transition(
                actor=actor, contract=contract, action=action, reason=form.cleaned_data["reason"], today=today
            )
            messages.success(request, _done_message(done, action, today=today, version=version))
            return redirect("contract_detail", pk=contract.pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return render(
        request,
        "web/confirm.html",
        {
            "title": step.heading,
            "record": contract.title,
            "record_status": contract.get_status_display(),
            "consequences": step.consequences,
            "irreversible": step.irreversible,
            "form": form,
            "button": step.button,
            "cancel_url": reverse("contract_detail", args=[contract.pk]),
        },
    )


def _vote_message(vote: Vote, contract: Contract) -> str:
    """What the vote did, in words: "Vote recorded: passed 4-1 (PSUSD Board of Education, 4 December 2026)."."""
    meeting = {"body": vote.meeting.body, "day": _day(vote.meeting.date)}
    if vote.outcome == Vote.Outcome.SCHEDULED:
        return _("Vote scheduled: %(body)s, %(day)s.") % meeting
    contract.refresh_from_db()
    return _("Vote recorded: %(outcome)s %(ayes)s-%(noes)s (%(body)s, %(day)s). The agreement is now: %(status)s.") % {
        "outcome": vote.get_outcome_display().lower(),
        "ayes": vote.ayes,
        "noes": vote.noes,
        "status": contract.get_status_display().lower(),
        **meeting,
    }


@login_required
def vote_form(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    contract = _contract_or_404(request, pk)
    if not can_record_vote(actor, contract):
        raise Http404("Contract not found")
    version = version_under_review(contract)
    form = VoteForm(request.POST or None, meetings=meetings_for(actor=actor, contract=contract))
    if request.method == "POST" and form.is_valid() and version is not None:
        d = form.cleaned_data
        try:
            vote, _created = vote_submit(
                actor=actor,
                contract=contract,
                meeting=d["meeting"],
                ayes=d.get("ayes"),
                noes=d.get("noes"),
                abstentions=d.get("abstentions") or 0,
                absent=d.get("absent") or 0,
                minutes_url=d.get("minutes_url") or "",
            )
            messages.success(request, _vote_message(vote, contract))
            return redirect("contract_detail", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return render(request, "contracts/vote_form.html", {"contract": contract, "version": version, "form": form})
