"""Pages: thin views over the selectors and services."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.core.paging import page_of
from sro.incidents.agency_import import ripa_agency_import
from sro.incidents.codes import contact_lists
from sro.incidents.contacts import ContactData, RightsData, contact_record
from sro.incidents.forms import (
    STUDENTS_PREFIX,
    AgencyImportForm,
    AttemptForm,
    ContactForm,
    IncidentForm,
    NotificationDoneForm,
    ReferForm,
    ReviewActForm,
    StudentFormSet,
    with_row_added_or_removed,
    without_errors,
)
from sro.incidents.models import NotificationTask, Review, Route
from sro.incidents.permissions import (
    can_act_on_review,
    can_act_on_task,
    can_record_incident,
    reads_student_records,
)
from sro.incidents.policy import DEADLINE_LABELS, RECIPIENTS, ROUTE_LABELS, policy, route_for
from sro.incidents.reviews import review_act
from sro.incidents.rights import RULES, TRIGGER_LABELS
from sro.incidents.selectors import (
    contact_list,
    incident_get,
    incident_list,
    incident_students,
    review_get,
    review_list,
    task_get,
    task_list,
)
from sro.incidents.services import (
    incident_create,
    incident_refer,
    notification_mark_done,
    notification_records_sent,
    parent_notification_attempt,
    parent_notification_mark_done,
)
from sro.incidents.workflow import ACTION_LABELS, allowed_actions
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import LawEnforcementAgency, School
from sro.orgs.roles import Role
from sro.orgs.selectors import school_list


def _actor(request: HttpRequest) -> Actor:
    return actor_for(request.user)


def _recordable_schools(actor: Actor) -> Any:
    ids = [s.pk for s in school_list(actor=actor) if can_record_incident(actor, s)]
    return School.objects.filter(pk__in=ids)


@login_required
def incident_index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    school_id = int(request.GET["school"]) if request.GET.get("school", "").isdigit() else None
    page = page_of(request, incident_list(actor=actor, school_id=school_id))
    ctx = {
        "incidents": page,
        "page": page,
        "schools": school_list(actor=actor),
        "school_id": school_id,
        "can_record": _recordable_schools(actor).exists(),
        "today": timezone.localdate(),
        "no_records_role": not reads_student_records(actor),
    }
    return render(request, "incidents/incident_list.html", ctx)


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    schools = _recordable_schools(actor)
    if not schools.exists():
        raise Http404
    data = request.POST if request.method == "POST" else None
    # "Add another student" or "Remove student N" with JavaScript off: the page again, one row more or less.
    edited = with_row_added_or_removed(request.POST) if data is not None else None
    form = IncidentForm(edited or data, schools=schools)
    formset = StudentFormSet(edited or data, prefix=STUDENTS_PREFIX)
    if edited is not None:
        without_errors(form)
        without_errors(formset)
    elif data is not None and form.is_valid() and formset.is_valid():
        rows = formset.students()
        try:
            incident = incident_create(actor=actor, students=[student for _row, student in rows], **form.cleaned_data)
        except DomainError as exc:
            rest = formset.add_service_errors(exc, [row for row, _student in rows])
            if rest or not exc.errors:
                add_service_error(form, DomainError(exc.detail, rest) if exc.errors else exc)
        else:
            messages.success(request, f"Incident {incident.pk} recorded: {ROUTE_LABELS[incident.route]}.")
            return redirect("incidents:detail", pk=incident.pk)
    decision = _preview(request.POST) if request.method == "POST" else None
    return render(request, "incidents/incident_form.html", {"form": form, "formset": formset, **(decision or {})})


def _preview(data: Any) -> dict[str, Any]:
    try:
        decision = route_for(offences=data.getlist("offences"), facts=data.getlist("facts"))
    except DomainError as exc:
        return {"route_error": exc.detail}
    return {
        "decision": decision,
        "route_label": ROUTE_LABELS[decision.route],
        "deadline_label": DEADLINE_LABELS.get(decision.deadline, ""),
    }


@login_required
@require_POST
def route_preview(request: HttpRequest) -> HttpResponse:
    """The htmx fragment under the incident form: the route as the offences and facts stand."""
    return render(request, "incidents/_route.html", _preview(request.POST))


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        incident = incident_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    students = incident_students(actor=actor, incident=incident)
    by_id = {r.id: r for r in policy().rules}
    ctx = {
        "incident": incident,
        "students": students,
        "rules": [by_id[i] for i in incident.rule_ids if i in by_id],
        "route_label": ROUTE_LABELS[incident.route],
        "task": getattr(incident, "notification", None),
        "can_refer": incident.route == Route.DISCRETIONARY_REFERRAL
        and not incident.referral_made
        and can_record_incident(actor, incident.school),
        "refer_form": ReferForm(),
        "done_form": NotificationDoneForm(task=getattr(incident, "notification", None)),
        "can_record": can_record_incident(actor, incident.school),
        "today": timezone.localdate(),
    }
    return render(request, "incidents/incident_detail.html", ctx)


@login_required
@require_POST
def incident_refer_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        incident = incident_get(actor=actor, pk=pk)
        incident_refer(actor=actor, incident=incident, reason=request.POST.get("reason", ""))
        messages.success(request, "Referred to law enforcement; the reason is recorded.")
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("incidents:detail", pk=pk)


@login_required
def task_index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = page_of(request, task_list(actor=actor))
    tasks = list(page)
    rows: list[dict[str, Any]] = [
        {
            "task": t,
            "can_act": t.done_at is None and can_act_on_task(actor, t),
            "triggers": [TRIGGER_LABELS[k] for k in t.triggers if k in TRIGGER_LABELS],
            "recipients": [RECIPIENTS[k] for k in t.notify if k in RECIPIENTS],
            "deadline": DEADLINE_LABELS.get(t.deadline_kind, t.deadline_kind),
        }
        for t in tasks
    ]
    ctx = {
        "parent_rows": [r for r in rows if r["task"].kind == NotificationTask.Kind.PARENT],
        "police_rows": [r for r in rows if r["task"].kind == NotificationTask.Kind.LAW_ENFORCEMENT],
        "attempt_form": AttemptForm(),
        "page": page,
        "today": timezone.localdate(),
    }
    return render(request, "incidents/task_list.html", ctx)


def _task_or_404(actor: Actor, pk: int) -> NotificationTask:
    try:
        return task_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(actor, pk)
    if task.kind == NotificationTask.Kind.PARENT:
        try:
            parent_notification_mark_done(actor=actor, task=task)
            messages.success(request, _("Parent notification recorded as done."))
        except DomainError as exc:
            messages.error(request, exc.detail)
        return redirect("incidents:tasks")
    form = NotificationDoneForm(request.POST, task=task)
    if form.is_valid():
        try:
            data = dict(form.cleaned_data)
            data["recipients"] = data["recipients"] or None  # one recipient: naming the agency confirms it
            notification_mark_done(actor=actor, task=task, **data)
            messages.success(request, _("Notification of law enforcement recorded."))
        except DomainError as exc:
            messages.error(request, exc.detail)
    else:
        messages.error(request, _("Name the agency that was notified."))
    return redirect("incidents:detail", pk=task.incident_id)


@login_required
@require_POST
def task_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(actor, pk)
    form = AttemptForm(request.POST)
    if form.is_valid():
        try:
            attempt = parent_notification_attempt(actor=actor, task=task, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            if attempt.reached:
                messages.success(request, _("Attempt recorded: the parent was reached. Mark the notification done."))
            else:
                messages.success(request, _("Attempt recorded: the parent was not reached."))
    else:
        messages.error(request, _("Choose how the parent was contacted."))
    return redirect("incidents:tasks")


@login_required
@require_POST
def task_records(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    task = _task_or_404(actor, pk)
    try:
        notification_records_sent(actor=actor, task=task)
        messages.success(request, _("Records sent with the report (Ed. Code 48902(e))."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("incidents:detail", pk=task.incident_id)


@login_required
def contact_index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    # Each contact is read with the RIPA lists it was recorded under.
    page = page_of(request, contact_list(actor=actor))
    contacts = [(c, contact_lists(c.codes_version).label("reason", c.reason)) for c in page]
    ctx = {
        "contacts": contacts,
        "page": page,
        "can_record": bool(actor.org_ids(Role.SRO)),
        "can_import": bool(actor.org_ids(Role.AGENCY_SUPERVISOR)),
    }
    return render(request, "incidents/contact_list.html", ctx)


@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not actor.org_ids(Role.SRO):
        raise Http404
    schools = School.objects.filter(in_program=True, city__agencies__in=actor.org_ids(Role.SRO)).distinct()
    form = ContactForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extra = {k: data.pop(k) for k in ("school", "incident_id", "emergency", "emergency_note")}
        rights = RightsData(**{k: data.pop(k) for k in ContactForm.RIGHTS})
        try:
            contact, crossings = contact_record(actor=actor, data=ContactData(**data), rights=rights, **extra)
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            _contact_messages(request, contact.pk, bool(crossings))
            return redirect("incidents:contacts")
    return render(request, "incidents/contact_form.html", {"form": form})


MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a year of an agency's stops is far smaller


@login_required
def contact_import(request: HttpRequest) -> HttpResponse:
    """The agency supervisor brings the agency's own RIPA records in (docs/contacts.md)."""
    actor = _actor(request)
    agency_ids = actor.org_ids(Role.AGENCY_SUPERVISOR)
    if not agency_ids and not actor.is_superuser:
        raise Http404
    agencies = (
        LawEnforcementAgency.objects.all()
        if actor.is_superuser
        else LawEnforcementAgency.objects.filter(pk__in=agency_ids)
    )
    form = AgencyImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 50 MB: split it by period."))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "agency-ripa.csv"
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                try:
                    report = ripa_agency_import(
                        actor=actor,
                        path=path,
                        agency=form.cleaned_data["agency"],
                        dry_run=form.cleaned_data["check_only"],
                        source=upload.name,
                    )
                except DomainError as exc:
                    add_service_error(form, exc)
    labels = {
        "new": _("New contacts"),
        "matched": _("Already in sro (matched)"),
        "skipped: not a student": _("Skipped: the person stopped was not a student"),
        "skipped: not at a K-12 school": _("Skipped: not at a K-12 school"),
        "skipped: not a program campus": _("Skipped: not a program campus"),
        "skipped: not an SRO of the agency in sro": _("Skipped: the officer is not one of the agency's SROs here"),
    }
    counts = [(labels.get(k, k), n) for k, n in report.counts.items()] if report else []
    return render(request, "incidents/contact_import.html", {"form": form, "report": report, "counts": counts})


def _contact_messages(request: HttpRequest, pk: int, crossed: bool) -> None:
    """Say what happened: saved, and what it opened (a review, a parent notification)."""
    parts = [_("Contact %(n)s saved.") % {"n": pk}]
    if crossed:
        parts.append(_("It crosses the school-discipline boundary."))
    if NotificationTask.objects.filter(contact_id=pk).exists():
        parts.append(_("The student's parent must be notified: a notification task is open."))
    review = Review.objects.filter(contact_id=pk).first()
    if review is not None:
        rights_rules = {r.id for r in RULES}
        details = [f["detail"] for f in review.findings if f["rule"] in rights_rules]
        if details:
            parts.append(" ".join([_("A review is open:"), *(f"{d[:1].upper()}{d[1:]}." for d in details)]))
        else:
            parts.append(_("A review is open."))
        messages.warning(request, " ".join(parts))
    else:
        messages.success(request, " ".join(parts))


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = page_of(request, review_list(actor=actor))
    ctx = {"reviews": page, "page": page, "no_records_role": not reads_student_records(actor)}
    return render(request, "incidents/review_list.html", ctx)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        review = review_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    form = ReviewActForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_act(actor=actor, review=review, **form.cleaned_data)
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Review updated.")
            return redirect("incidents:review", pk=pk)
    district_id = review.school.district_id
    actions = [
        (a, ACTION_LABELS[a])
        for a in allowed_actions(review.status)
        if can_act_on_review(actor, a, agency_id=review.agency_id, district_id=district_id)
    ]
    return render(request, "incidents/review_detail.html", {"review": review, "form": form, "actions": actions})
