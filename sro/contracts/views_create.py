"""Pages that create: a new contract, a draft's changes, a new version, voting bodies and their
meetings, and putting a version on a meeting's agenda. They call the services the API calls."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sro.contracts.catalogue import catalogue
from sro.contracts.forms import (
    CLAUSES_PREFIX,
    BodyForm,
    ClauseFormSet,
    ContractForm,
    MeetingForm,
    ScheduleForm,
    VersionForm,
)
from sro.contracts.models import Body, Contract, ContractStatus, ContractVersion, VersionState
from sro.contracts.permissions import can_create_contract, can_manage_body, can_propose_text, can_record_vote
from sro.contracts.selectors import (
    body_get,
    body_list,
    contract_campuses,
    contract_cities,
    contract_districts,
    contract_get,
    latest_version,
    meeting_list,
    meetings_for,
)
from sro.contracts.services import (
    body_create,
    body_update,
    contract_create,
    contract_update,
    meeting_create,
    meeting_update,
    version_create,
    vote_schedule,
)
from sro.contracts.workflow import AMENDABLE, NEGOTIABLE
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.orgs.actors import Actor, actor_for
from sro.orgs.selectors import agency_list

TERMS = ("title", "agency", "city", "campuses", "positions", "term_start", "term_end", "annual_cost")
TERMS_OPTIONAL = ("title_es", "district_share_percent", "renewal_terms")


def _contract_or_404(actor: Actor, pk: int) -> Contract:
    try:
        return contract_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404("Contract not found") from None


def _body_or_404(actor: Actor, pk: int) -> Body:
    try:
        return body_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404("Body not found") from None


def _contract_form(request: HttpRequest, actor: Actor, **kwargs: Any) -> ContractForm:
    districts = contract_districts(actor=actor)
    return ContractForm(
        request.POST if request.method == "POST" else None,
        districts=districts,
        campuses=contract_campuses(actor=actor),
        agencies=agency_list(actor=actor),
        cities=contract_cities(),
        ask_district=districts.count() != 1,
        **kwargs,
    )


def _terms(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in TERMS} | {
        "title_es": data.get("title_es") or "",
        "district_share_percent": data.get("district_share_percent"),
        "renewal_terms": data.get("renewal_terms") or "",
    }


def _catalogue_rows() -> list[dict[str, Any]]:
    """A new agreement's clause rows: one for each catalogue element, its title and element filled in."""
    return [{"number": str(i), "title": e.title, "categories": [e.key]} for i, e in enumerate(catalogue(), start=1)]


def _clause_errors(form: Any, formset: Any, exc: DomainError, rows: list[int]) -> None:
    rest = formset.add_service_errors(exc, rows)
    if rest or not exc.errors:
        add_service_error(form, DomainError(exc.detail, rest) if exc.errors else exc)


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not can_create_contract(actor):
        raise PermissionDenied("Only a district's administrator may create contracts.")
    form = _contract_form(request, actor)
    initial = _catalogue_rows()
    formset = ClauseFormSet(request.POST if request.method == "POST" else None, initial=initial, prefix=CLAUSES_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        district = d.get("district") or contract_districts(actor=actor).get()
        rows = formset.clauses()
        try:
            contract = contract_create(
                actor=actor,
                district=district,
                clauses=[clause for _row, clause in rows],
                **_terms(d),
            )
        except DomainError as exc:
            _clause_errors(form, formset, exc, [row for row, _clause in rows])
        else:
            messages.success(
                request,
                _("Draft agreement “%(title)s” created with %(n)s clauses.") % {"title": contract.title, "n": len(rows)}
                if rows
                else _("Draft agreement “%(title)s” created; add its text as a new version.")
                % {"title": contract.title},
            )
            return redirect("contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/contract_form.html",
        {"form": form, "formset": formset, "title": _("New contract"), "contract": None},
    )


@login_required
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    contract = _contract_or_404(actor, pk)
    if not can_create_contract(actor, contract.district_id):
        raise PermissionDenied("Only the district's administrator may change a contract.")
    if contract.status != ContractStatus.DRAFT:
        messages.error(
            request,
            _("Only a draft can be changed; this agreement is %(status)s.")
            % {"status": contract.get_status_display().lower()},
        )
        return redirect("contract_detail", pk=contract.pk)
    initial = {name: getattr(contract, name) for name in (*TERMS, *TERMS_OPTIONAL) if name != "campuses"}
    initial["campuses"] = list(contract.campuses.all())
    form = _contract_form(request, actor, initial=initial)
    form.fields.pop("district", None)
    if request.method == "POST" and form.is_valid():
        try:
            contract_update(actor=actor, contract=contract, **_terms(form.cleaned_data))
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Draft agreement “%(title)s” saved.") % {"title": form.cleaned_data["title"]})
            return redirect("contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/contract_form.html",
        {"form": form, "formset": None, "title": _("Change the draft agreement"), "contract": contract},
    )


@login_required
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    contract = _contract_or_404(actor, pk)
    if not can_propose_text(actor, contract):
        raise PermissionDenied("Only the district's administrator or the agency's supervisor may propose text.")
    if contract.status not in NEGOTIABLE | AMENDABLE:
        messages.error(
            request,
            _("New text cannot be proposed now: the agreement is %(status)s.")
            % {"status": contract.get_status_display().lower()},
        )
        return redirect("contract_detail", pk=contract.pk)
    base = latest_version(contract)
    initial = (
        [{"number": c.number, "title": c.title, "text": c.text, "categories": c.categories} for c in base.clauses.all()]
        if base is not None
        else _catalogue_rows()
    )
    data = request.POST if request.method == "POST" else None
    form = VersionForm(data)
    formset = ClauseFormSet(data, initial=initial, prefix=CLAUSES_PREFIX)
    formset.required = True
    amendment = contract.status in AMENDABLE
    if data is not None and form.is_valid() and formset.is_valid():
        rows = formset.clauses()
        try:
            version = version_create(
                actor=actor, contract=contract, clauses=[c for _row, c in rows], note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            _clause_errors(form, formset, exc, [row for row, _c in rows])
        else:
            messages.success(
                request,
                (
                    _("Amendment (version %(n)s) saved as a draft.")
                    if amendment
                    else _("Version %(n)s saved as the working draft.")
                )
                % {"n": version.number},
            )
            return redirect("contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/version_form.html",
        {"contract": contract, "base": base, "form": form, "formset": formset, "amendment": amendment},
    )


@login_required
def version_schedule(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Put a version on a meeting's agenda: the vote is scheduled; its tally is recorded on the vote page."""
    actor = actor_for(request.user)
    contract = _contract_or_404(actor, pk)
    if not can_record_vote(actor, contract):
        raise PermissionDenied("Only the district's administrator may schedule votes.")
    version = contract.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    form = ScheduleForm(
        request.POST if request.method == "POST" else None, meetings=meetings_for(actor=actor, contract=contract)
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            vote_schedule(actor=actor, meeting=meeting, version=version)
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Version %(n)s is on the agenda of %(body)s, %(day)s. Record the vote there once it is held.")
                % {"n": version.number, "body": meeting.body, "day": date_format(meeting.date, "j F Y")},
            )
            return redirect("contract_detail", pk=contract.pk)
    return render(
        request,
        "contracts/schedule_form.html",
        {"contract": contract, "version": version, "form": form, "under_review": _under_review(version)},
    )


def _under_review(version: ContractVersion) -> bool:
    return version.state in {VersionState.COUNCIL_REVIEW, VersionState.BOARD_REVIEW}


# ---------------------------------------------------------------- bodies and meetings


@login_required
def body_index(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    bodies = body_list(actor=actor)
    return render(
        request,
        "contracts/body_list.html",
        {"bodies": bodies, "can_add": can_create_contract(actor)},
    )


@login_required
def body_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not can_create_contract(actor):
        raise PermissionDenied("Only a district's administrator may add a council or a school board.")
    districts = contract_districts(actor=actor)
    ask_district = districts.count() != 1
    form = BodyForm(
        request.POST if request.method == "POST" else None,
        cities=contract_cities(),
        districts=districts,
        ask_district=ask_district,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        district = d.get("district") if ask_district else districts.get()
        try:
            body = body_create(
                actor=actor,
                name=d["name"],
                kind=d["kind"],
                seats=d["seats"],
                city=d.get("city"),
                district=district,
                voting_rule=d["voting_rule"],
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("%(body)s added, with %(seats)s seats.") % {"body": body.name, "seats": body.seats}
            )
            return redirect("contract_meetings", pk=body.pk)
    return render(request, "contracts/body_form.html", {"form": form})


@login_required
def meeting_index(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    body = _body_or_404(actor, pk)
    meetings = meeting_list(actor=actor, body=body).prefetch_related("votes__version__contract")
    return render(
        request,
        "contracts/meeting_list.html",
        {
            "body": body,
            "meetings": meetings,
            "can_add": can_manage_body(actor, kind=body.kind, district_id=body.district_id),
        },
    )


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    body = _body_or_404(actor, pk)
    if not can_manage_body(actor, kind=body.kind, district_id=body.district_id):
        raise PermissionDenied("Only a district's administrator may add meetings.")
    form = MeetingForm(request.POST if request.method == "POST" else None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = meeting_create(
                actor=actor, body=body, date=d["date"], title=d["title"], minutes_url=d["minutes_url"]
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Meeting of %(body)s on %(day)s added.")
                % {"body": body.name, "day": date_format(meeting.date, "j F Y")},
            )
            return redirect("contract_meetings", pk=body.pk)
    return render(request, "contracts/meeting_form.html", {"body": body, "form": form})


@login_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    body = _body_or_404(actor, pk)
    if not can_manage_body(actor, kind=body.kind, district_id=body.district_id):
        raise PermissionDenied("Only a district's administrator may change a council or a school board.")
    initial = {"name": body.name, "seats": body.seats, "voting_rule": body.voting_rule}
    form = BodyForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cities=None,
        districts=None,
        ask_district=False,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            body = body_update(actor=actor, body=body, name=d["name"], seats=d["seats"], voting_rule=d["voting_rule"])
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(body)s saved.") % {"body": body.name})
            return redirect("contract_meetings", pk=body.pk)
    return render(request, "contracts/body_form.html", {"form": form, "body": body})


@login_required
def meeting_edit(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    body = _body_or_404(actor, pk)
    meeting = meeting_list(actor=actor, body=body).filter(pk=meeting_pk).first()
    if meeting is None:
        raise Http404("Meeting not found")
    if not can_manage_body(actor, kind=body.kind, district_id=body.district_id):
        raise PermissionDenied("Only a district's administrator may change meetings.")
    initial = {"date": meeting.date, "title": meeting.title, "minutes_url": meeting.minutes_url}
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = meeting_update(
                actor=actor, meeting=meeting, date=d["date"], title=d["title"], minutes_url=d["minutes_url"]
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Meeting of %(body)s on %(day)s saved.")
                % {"body": body.name, "day": date_format(meeting.date, "j F Y")},
            )
            return redirect("contract_meetings", pk=body.pk)
    return render(request, "contracts/meeting_form.html", {"body": body, "form": form, "meeting": meeting})
