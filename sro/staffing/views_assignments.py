"""Assignment pages: the list, the form with the live gate answer (htmx), ending one and cancelling one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.orgs.actors import Actor, actor_for
from sro.orgs.roles import Role
from sro.orgs.selectors import school_list
from sro.staffing.assignments import assignment_cancel, assignment_create, assignment_end
from sro.staffing.forms import AssignmentForm, CancelAssignmentForm, EndAssignmentForm
from sro.staffing.gate import GateRefused, assignment_gate, in_words
from sro.staffing.models import Assignment
from sro.staffing.permissions import can_assign
from sro.staffing.selectors import assignment_get, assignment_list, officer_list


def _assignable(actor: Actor) -> tuple[Any, Any]:
    """Officers the actor may post (their agency's, or any visible to a district admin) and campuses."""
    officers = officer_list(actor=actor).exclude(status="inactive")
    if not actor.is_superuser and not actor.org_ids(Role.DISTRICT_ADMIN):
        officers = officers.filter(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
    return officers, school_list(actor=actor)


def _may_assign_somewhere(actor: Actor) -> bool:
    return actor.is_superuser or bool(actor.org_ids(Role.DISTRICT_ADMIN) or actor.org_ids(Role.AGENCY_SUPERVISOR))


@login_required
def assignment_index(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    rows = assignment_list(actor=actor, include_cancelled=True).order_by("-start_date", "-pk")[:200]
    return render(
        request,
        "staffing/assignments.html",
        {"assignments": rows, "today": timezone.localdate(), "can_assign": _may_assign_somewhere(actor)},
    )


def _gate_context(form: AssignmentForm) -> dict[str, Any]:
    """The gate's answer for the form as it stands (nothing saved)."""
    if not form.is_valid():
        return {"gate": None}
    d = form.cleaned_data
    if d["end_date"] < d["start_date"]:
        return {"gate": None, "gate_note": _("The last day is before the first day.")}
    answer = assignment_gate(officer=d["officer"], school=d["school"], start=d["start_date"], end=d["end_date"])
    return {"gate": answer, "start": d["start_date"], "end": d["end_date"]}


@login_required
def assignment_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not _may_assign_somewhere(actor):
        raise Http404
    officers, schools = _assignable(actor)
    form = AssignmentForm(request.POST or None, officers=officers, schools=schools)
    ctx: dict[str, Any] = {"form": form, "gate": None}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assignment_create(
                actor=actor,
                officer=d["officer"],
                school=d["school"],
                start_date=d["start_date"],
                end_date=d["end_date"],
            )
            messages.success(
                request,
                _("Assignment recorded: %(officer)s at %(school)s from %(start)s to %(end)s.")
                % {
                    "officer": d["officer"],
                    "school": d["school"],
                    "start": in_words(d["start_date"]),
                    "end": in_words(d["end_date"]),
                },
            )
            return redirect("staffing:assignments")
        except GateRefused as exc:
            ctx["refused"] = exc
            add_service_error(form, exc)
        except DomainError as exc:
            add_service_error(form, exc)
    return render(request, "staffing/assignment_form.html", ctx)


@login_required
@require_POST
def assignment_check(request: HttpRequest) -> HttpResponse:
    """htmx fragment under the assignment form: may this officer serve there on every one of those dates?"""
    actor = actor_for(request.user)
    officers, schools = _assignable(actor)
    form = AssignmentForm(request.POST, officers=officers, schools=schools)
    return render(request, "staffing/_gate.html", _gate_context(form))


def _assignment_to_change(request: HttpRequest, pk: int) -> tuple[Actor, Assignment]:
    actor = actor_for(request.user)
    try:
        assignment = assignment_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if not can_assign(actor, assignment.contract) or assignment.cancelled_on is not None:
        raise Http404
    return actor, assignment


def _record(assignment: Assignment) -> str:
    return _("%(officer)s at %(school)s, %(start)s to %(end)s") % {
        "officer": assignment.officer,
        "school": assignment.school.name,
        "start": in_words(assignment.start_date),
        "end": in_words(assignment.end_date),
    }


def _again() -> str:
    return _(
        "This cannot be undone: to post the officer there again, record a new assignment; it must pass the "
        "deployment gate again."
    )


@login_required
def assignment_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: end an assignment early (the new last day and a required reason)."""
    actor, assignment = _assignment_to_change(request, pk)
    form = EndAssignmentForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        required_message=_("Give the reason for ending the assignment early."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = assignment_end(actor=actor, assignment=assignment, **form.cleaned_data)
            messages.success(
                request,
                _("Assignment ended: %(officer)s's last day at %(school)s is %(day)s.")
                % {"officer": done.officer, "school": done.school.name, "day": in_words(done.end_date)},
            )
            return redirect("staffing:assignments")
        except DomainError as exc:
            add_service_error(form, exc)
    officer, school = assignment.officer, assignment.school.name
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("End %(officer)s's assignment at %(school)s early?") % {"officer": officer, "school": school},
            "record": _record(assignment),
            "consequences": [
                _(
                    "The assignment's last day becomes the day you choose below (it is now %(end)s). From the next "
                    "day the officer is no longer posted at %(school)s, and the campus status board shows the "
                    "campus without an officer unless another one is assigned."
                )
                % {"end": in_words(assignment.end_date), "school": school},
                _("The first day stays, and the audit trail keeps the original last day and your reason."),
            ],
            "irreversible": _again(),
            "form": form,
            "button": _("End the assignment"),
            "cancel_url": reverse("staffing:assignments"),
        },
    )


@login_required
def assignment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: call off an assignment before its first day (a required reason)."""
    actor, assignment = _assignment_to_change(request, pk)
    form = CancelAssignmentForm(
        request.POST or None, required_message=_("Give the reason for cancelling the assignment.")
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = assignment_cancel(actor=actor, assignment=assignment, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Assignment cancelled: %(officer)s will not serve at %(school)s from %(day)s.")
                % {"officer": done.officer, "school": done.school.name, "day": in_words(done.start_date)},
            )
            return redirect("staffing:assignments")
        except DomainError as exc:
            add_service_error(form, exc)
    officer, school = assignment.officer, assignment.school.name
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Cancel %(officer)s's assignment at %(school)s?") % {"officer": officer, "school": school},
            "record": _record(assignment),
            "consequences": [
                _(
                    "Cancelling calls the assignment off before its first day: it no longer counts on the campus "
                    "status board or against the agreement's SRO positions, and the daily staffing check stops "
                    "looking at it."
                ),
                _(
                    "The officer is free for those dates (and back to jointly approved if nothing else is planned). "
                    "The record stays on the assignments page, marked cancelled with your reason."
                ),
                _("Only an assignment that has not begun can be cancelled; one that has begun is ended early instead."),
            ],
            "irreversible": _again(),
            "form": form,
            "button": _("Cancel the assignment"),
            "cancel_url": reverse("staffing:assignments"),
            "cancel_label": _("Keep the assignment"),
        },
    )
