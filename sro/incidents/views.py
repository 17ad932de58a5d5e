"""Pages: thin views over the selectors and services."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.core.paging import page_of
from sro.core.personal_data import Finding, client_rules, describe, find_personal_data, redact
from sro.incidents.agency_import import ripa_agency_import
from sro.incidents.codes import contact_lists, ripa_codes
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
from sro.incidents.rights import RULES, TRIGGER_LABELS, trigger_codes
from sro.incidents.selectors import (
    contact_by_client_id,
    contact_frequent_choices,
    contact_list,
    incident_get,
    incident_list,
    incident_students,
    known_student_names,
    officer_campus_on,
    own_contact,
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
            messages.success(
                request,
                _("Incident %(n)s recorded: %(route)s.") % {"n": incident.pk, "route": _(ROUTE_LABELS[incident.route])},
            )
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
        "route_label": _(ROUTE_LABELS[decision.route]),
        "deadline_label": _(DEADLINE_LABELS[decision.deadline]) if decision.deadline in DEADLINE_LABELS else "",
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
        "route_label": _(ROUTE_LABELS[incident.route]),
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
            "recipients": [_(RECIPIENTS[k]) for k in t.notify if k in RECIPIENTS],
            "deadline": _(DEADLINE_LABELS[t.deadline_kind]) if t.deadline_kind in DEADLINE_LABELS else t.deadline_kind,
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
    if task.incident_id is None:  # a parent's notification after a contact: no incident to go back to
        return redirect("incidents:tasks")
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


SAME_AS_PREVIOUS = "same"  # the value of the "next" button that records the next student of the contact


@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    """The phone-first contact form (docs/contacts.md). A request that accepts JSON (the offline
    queue sending what it kept) gets JSON back: 201 saved, 200 already saved (the same
    `client_id`), 422 with the errors by field."""
    actor = _actor(request)
    if not actor.org_ids(Role.SRO):
        raise Http404
    schools = School.objects.filter(in_program=True, city__agencies__in=actor.org_ids(Role.SRO)).distinct()
    frequent = contact_frequent_choices(actor=actor)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method != "POST":
        initial = _contact_initial(actor, schools, request.GET.get(SAME_AS_PREVIOUS, ""))
        form = ContactForm(initial=initial, schools=schools, frequent=frequent)
        return _contact_page(request, form)
    if "redact" in request.POST:  # "Redact" with JavaScript off: the page again, the notes redacted
        form = ContactForm(_redacted(actor, request.POST), schools=schools, frequent=frequent)
        without_errors(form)
        return _contact_page(request, form)
    form = ContactForm(request.POST, schools=schools, frequent=frequent)
    if form.is_valid():
        data = dict(form.cleaned_data)
        client_id = data.pop("client_id")
        confirmed = data.pop("personal_data_confirmed")
        existing = contact_by_client_id(actor=actor, client_id=client_id) if client_id else None
        if existing is not None:
            message = _("Contact %(n)s was already saved from this form.") % {"n": existing.pk}
            if wants_json:
                return JsonResponse({"id": existing.pk, "status": "exists", "message": message}, status=200)
            messages.info(request, message)
            return redirect("incidents:contacts")
        found = {} if confirmed else _narrative_findings(data)
        for name, findings in found.items():
            form.add_error(
                name,
                _(
                    "This may hold personal data: %(found)s. Redact it, or tick “I checked the notes: keep them "
                    "as written”."
                )
                % {"found": describe(findings)},
            )
        if not found:
            extra = {k: data.pop(k) for k in ("school", "incident_id", "emergency", "emergency_note")}
            rights = RightsData(**{k: data.pop(k) for k in ContactForm.RIGHTS})
            try:
                contact, crossings = contact_record(
                    actor=actor, data=ContactData(**data), rights=rights, client_id=client_id, **extra
                )
            except DomainError as exc:
                add_service_error(form, exc)
            else:
                if wants_json:
                    message = _("Contact %(n)s saved.") % {"n": contact.pk}
                    return JsonResponse({"id": contact.pk, "status": "saved", "message": message}, status=201)
                _contact_messages(request, contact.pk, bool(crossings))
                if request.POST.get("next") == SAME_AS_PREVIOUS:
                    return redirect(f"{reverse('incidents:contact_new')}?{SAME_AS_PREVIOUS}={contact.pk}")
                return redirect("incidents:contacts")
    if wants_json:
        errors = [{"field": name, "message": str(message)} for name, msgs in form.errors.items() for message in msgs]
        return JsonResponse({"detail": _("The contact was not saved."), "errors": errors}, status=422)
    return _contact_page(request, form)


def _contact_initial(actor: Actor, schools: Any, same: str) -> dict[str, Any]:
    """Today, now and the officer's campus; or, for the next student of the same contact, what the
    previous one's form copies (never the perceived race, gender, age or disability)."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial: dict[str, Any] = {"occurred_at": now, "client_id": uuid.uuid4()}
    previous = own_contact(actor=actor, pk=int(same)) if same.isdigit() else None
    if previous is not None:
        for name in ContactForm.SAME_AS_PREVIOUS:
            initial[name] = getattr(previous, name)
        initial["school"] = previous.school_id
        initial["occurred_at"] = timezone.localtime(previous.occurred_at)
        return initial
    campus = officer_campus_on(actor=actor)
    ids = list(schools.values_list("pk", flat=True))
    initial["school"] = campus if campus in ids else (ids[0] if len(ids) == 1 else None)
    return initial


def _narrative_findings(data: dict[str, Any]) -> dict[str, list[Finding]]:
    """The personal data found in each narrative field of a valid contact form."""
    school = data["school"]
    names = known_student_names(school_id=school.pk, incident_id=data.get("incident_id"))
    out = {}
    for name in ContactForm.NARRATIVE:
        findings = find_personal_data(data.get(name) or "", names=names)
        if findings:
            out[name] = findings
    return out


def _redacted(actor: Actor, post: QueryDict) -> QueryDict:
    """The posted form with each narrative field's personal data replaced by [REDACTED]."""
    out = post.copy()
    school_id = str(post.get("school", ""))
    incident_id = str(post.get("incident_id", ""))
    names = (
        known_student_names(school_id=int(school_id), incident_id=int(incident_id) if incident_id.isdigit() else None)
        if school_id.isdigit()
        else []
    )
    for name in ContactForm.NARRATIVE:
        text = str(post.get(name, ""))
        out[name] = redact(text, find_personal_data(text, names=names))
    return out


def _contact_page(request: HttpRequest, form: ContactForm) -> HttpResponse:
    pol = policy()
    discipline = [
        {"field": r.kind, "codes": list(r.codes), "reason": r.reason, "citation": r.citation}
        for r in pol.boundary
        if r.kind in ("reason", "search_basis", "seizure_basis")
    ]
    codes = ripa_codes()
    ctx = {
        "form": form,
        "personal_data_rules": client_rules(),
        "discipline_rules": discipline,
        "search_actions": sorted(codes.group("action.search")),
        "seizure_actions": sorted(codes.group("action.seizure")),
        "rights_codes": trigger_codes(codes),
        "same_as_previous": SAME_AS_PREVIOUS,
        "narrative_errors": any(form.errors.get(n) for n in ContactForm.NARRATIVE),
    }
    return render(request, "incidents/contact_form.html", ctx)


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
