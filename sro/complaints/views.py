"""Pages: the public complaint form, the private status page, the public counts, and the staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from sro.complaints import services
from sro.complaints.figures import CLOSE_BANDS, TOTAL, complaint_figures, group_label
from sro.complaints.forms import (
    ActionForm,
    AddInformationForm,
    AllegationForm,
    AssignForm,
    CloseForm,
    ComplaintForm,
    DecideForm,
    IntakeForm,
    LinkForm,
    NoteForm,
    OutcomeForm,
)
from sro.complaints.models import Channel, Complaint, ComplaintEvent, Status
from sro.complaints.permissions import can_act, can_intake, can_see_complainant
from sro.complaints.rules import categories
from sro.complaints.selectors import complaint_by_token, complaint_get, complaint_list, overdue_q
from sro.complaints.workflow import ACTION_LABELS, allowed_actions
from sro.core.antispam import RateLimited
from sro.core.clientip import client_ip
from sro.core.csvsafe import writer as csv_writer
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.core.paging import page_of
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import District, School, User
from sro.orgs.roles import Role

STAGE_LABELS = {
    Status.RECEIVED: gettext_lazy("Received"),
    Status.ACKNOWLEDGED: gettext_lazy("Acknowledged"),
    Status.ASSIGNED: gettext_lazy("Assigned to investigators"),
    Status.INVESTIGATING: gettext_lazy("Being investigated"),
    Status.DECIDED: gettext_lazy("Decided"),
    Status.ACTION_RECORDED: gettext_lazy("Decided"),
    Status.OUTCOME_TOLD: gettext_lazy("Outcome sent to you"),
    Status.CLOSED: gettext_lazy("Closed"),
}
FINDING_LABELS = {
    "sustained": gettext_lazy("Sustained"),
    "not_sustained": gettext_lazy("Not sustained"),
    "exonerated": gettext_lazy("Exonerated"),
    "unfounded": gettext_lazy("Unfounded"),
    "policy_failure": gettext_lazy("Policy failure"),
    "training_failure": gettext_lazy("Training failure"),
}
ABOUT_LABELS = {
    "officer": gettext_lazy("An officer"),
    "incident": gettext_lazy("An incident"),
    "program": gettext_lazy("The program"),
}
EVENT_LABELS = {
    "received": gettext_lazy("Complaint received"),
    "acknowledge": gettext_lazy("Receipt acknowledged"),
    "assign": gettext_lazy("Assigned to investigators"),
    "start_investigation": gettext_lazy("Investigation started"),
    "all_decided": gettext_lazy("Investigation finished"),
    "notify_outcome": gettext_lazy("Outcome sent to you"),
    "close": gettext_lazy("Case closed"),
    "information_added": gettext_lazy("You added information"),
}


def _schools() -> Any:
    return School.objects.filter(in_program=True).order_by("name")


def _district_for(school: School | None) -> District:
    if school is not None:
        return school.district
    district = District.objects.filter(schools__in_program=True).distinct().first() or District.objects.first()
    if district is None:
        raise Http404
    return district


def _intake(d: dict[str, Any], *, district: District) -> services.Intake:
    return services.Intake(
        district=district,
        about=d["about"],
        narrative=d["narrative"],
        relation=d["relation"],
        school=d.get("school"),
        occurred_on=d.get("occurred_on"),
        anonymous=bool(d.get("anonymous")),
        name=d.get("name", ""),
        contact_method=d.get("contact_method", "none"),
        contact_address=d.get("contact_address", ""),
        language=d.get("language", "en"),
        officer_description=d.get("officer_description", ""),
        category=d.get("category", ""),
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    """The status link is a secret: never cached, never sent to another site as a referrer.
    (`same-origin`, not `no-referrer`: with `no-referrer` the browser sends `Origin: null` on the
    page's own form, and Django's CSRF check refuses it.)"""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- the public site -------------------------------------------------------------------------


@never_cache
def public_new(request: HttpRequest) -> HttpResponse:
    """The public complaint form: no sign-in; answers with the case number and the private status link."""
    lang = translation.get_language() or "en"
    form = ComplaintForm(
        request.POST or None, schools=_schools(), initial={"language": "es" if lang.startswith("es") else "en"}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                filed = services.complaint_file(
                    actor=None,
                    data=_intake(d, district=_district_for(d.get("school"))),
                    channel=Channel.ONLINE,
                    address=client_ip(request),
                    honeypot=d.get("website", ""),
                )
            except RateLimited:
                form.add_error(
                    None,
                    _(
                        "Several complaints were sent from this connection today. "
                        "Please try again tomorrow, or call the district office."
                    ),
                )
                status = 429
            except DomainError as exc:
                add_service_error(form, exc)
                status = 422
            else:
                if filed is None:  # the honeypot: the same answer, nothing stored
                    ctx = {"case_number": "C-" + str(timezone.localdate().year) + "-0000", "status_url": ""}
                else:
                    url = request.build_absolute_uri(reverse("public:complaint_status", args=[filed.token]))
                    ctx = {"case_number": filed.complaint.case_number, "status_url": url}
                return _no_store(render(request, "complaints/public_filed.html", ctx))
        else:
            status = 422
    return render(request, "complaints/public_new.html", {"form": form}, status=status)


def _public_history(complaint: Complaint) -> list[ComplaintEvent]:
    return [e for e in complaint.events.all() if e.shown_to_complainant and e.kind in EVENT_LABELS]


def public_status(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant's private page: the stage, the dates, the outcome once told; add information."""
    try:
        complaint = complaint_by_token(token=token)
    except NotFound:
        raise Http404 from None
    form = AddInformationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.complaint_add_information(complaint=complaint, text=form.cleaned_data["text"])
            except DomainError as exc:
                add_service_error(form, exc)
                status = 422
            else:
                messages.success(request, _("Thank you. Your information was added to the case."))
                return _no_store(redirect("public:complaint_status", token=token))
        else:
            status = 422
    events = [(e, EVENT_LABELS[e.kind]) for e in _public_history(complaint)]
    ctx = {
        "complaint": complaint,
        "stage": STAGE_LABELS[Status(complaint.status)],
        "events": events,
        "form": form,
        "can_add": complaint.status != Status.CLOSED,
        "outcome": complaint.outcome_letter if complaint.outcome_told_at else "",
    }
    return _no_store(render(request, "complaints/public_status.html", ctx, status=status))


def _figure_tables(language: str) -> list[dict[str, Any]]:
    cells = complaint_figures()
    names = {s.cds_code: s.name for s in School.objects.filter(cds_code__in={c.campus for c in cells})}
    tables: dict[tuple[str, str], dict[str, Any]] = {}
    all_campuses = _("All campuses")
    for c in cells:
        t = tables.setdefault((c.table, c.period), {"table": c.table, "period": c.period, "rows": {}, "groups": []})
        if c.group not in t["groups"]:
            t["groups"].append(c.group)
        campus = (
            _("All campuses")
            if c.campus == TOTAL
            else (_("The program") if c.campus == "program" else names.get(c.campus, c.campus))
        )
        t["rows"].setdefault(campus, {})[c.group] = c
    titles = {
        "about": _("Complaints received, by what they are about"),
        "category": _("Allegations by category"),
        "finding": _("Findings"),
        "days_to_close": _("Days from complaint to closing"),
    }
    order = list(titles)
    out = []
    # School years first, then quarters, newest first; within a period the tables in `titles` order.
    keys = sorted(tables, key=lambda k: ("Q" in k[1], _neg(k[1]), order.index(k[0])))
    for table, period in keys:
        t = tables[(table, period)]
        groups = sorted((g for g in t["groups"] if g != TOTAL), key=str)
        labels = [(g, _label(table, g, language)) for g in [*groups, TOTAL]]
        campuses = sorted(t["rows"], key=lambda name: (name == all_campuses, name))
        rows = [(campus, [t["rows"][campus].get(g) for g, _l in labels]) for campus in campuses]
        out.append({"title": titles[table], "period": period, "labels": labels, "rows": rows})
    return out


def _neg(period: str) -> tuple[int, ...]:
    """Sort key for newest first: "2026-27" and "2026-Q4" as negative numbers."""
    return tuple(-int(part.lstrip("Q")) for part in period.split("-"))


def _label(table: str, group: str, language: str) -> str:
    if group == TOTAL:
        return _("All")
    if table == "finding":
        return str(FINDING_LABELS.get(group, group))
    if table == "days_to_close":
        return _("%(band)s days") % {"band": group}
    if table == "about":
        return str(ABOUT_LABELS.get(group, group))
    return group_label(table, group, language)


def public_figures(request: HttpRequest) -> HttpResponse:
    lang = (translation.get_language() or "en")[:2]
    ctx = {"tables": _figure_tables(lang), "bands": [b[0] for b in CLOSE_BANDS]}
    return render(request, "complaints/public_figures.html", ctx)


def public_figures_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    out = csv_writer(response)  # type: ignore[arg-type]  # HttpResponse is file-like: it has write()
    out.writerow(["table", "period", "campus", "group", "count", "suppressed", "reason"])
    for c in complaint_figures():
        out.writerow(
            [c.table, c.period, c.campus, c.group, "" if c.count is None else c.count, c.count is None, c.reason]
        )
    return response


# --- staff pages -----------------------------------------------------------------------------


def _staff_actor(request: HttpRequest) -> Actor:
    actor = actor_for(request.user)
    if not (actor.is_superuser or actor.org_ids(Role.DISTRICT_ADMIN) or actor.org_ids(Role.AGENCY_SUPERVISOR)):
        raise Http404
    return actor


@login_required
def complaint_index(request: HttpRequest) -> HttpResponse:
    actor = _staff_actor(request)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    unassigned = request.GET.get("unassigned") == "1"
    today = timezone.localdate()
    qs = complaint_list(actor=actor, status=status, overdue_only=overdue, unassigned_only=unassigned, today=today)
    page = page_of(request, qs)
    shown = [c.pk for c in page]
    overdue_ids = set(qs.filter(overdue_q(today), pk__in=shown).values_list("pk", flat=True))
    rows = [(c, c.pk in overdue_ids) for c in page]
    ctx = {
        "rows": rows,
        "page": page,
        "status": status,
        "statuses": Status.choices,
        "overdue": overdue,
        "unassigned": unassigned,
        "can_intake": can_intake(actor),
    }
    return render(request, "complaints/list.html", ctx)


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    actor = _staff_actor(request)
    if not can_intake(actor):
        raise Http404
    schools = (
        _schools() if actor.is_superuser else _schools().filter(district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))
    )
    form = IntakeForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        district = (
            d["school"].district
            if d.get("school")
            else District.objects.get(pk=min(actor.org_ids(Role.DISTRICT_ADMIN) or {_district_for(None).pk}))
        )
        try:
            filed = services.complaint_file(actor=actor, data=_intake(d, district=district), channel=d["channel"])
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            assert filed is not None  # staff intake has no honeypot
            messages.success(
                request,
                _("Complaint %(n)s recorded. Give the complainant the status link: %(url)s")
                % {
                    "n": filed.complaint.case_number,
                    "url": request.build_absolute_uri(reverse("public:complaint_status", args=[filed.token])),
                },
            )
            return redirect("complaints:detail", pk=filed.complaint.pk)
    return render(request, "complaints/intake.html", {"form": form})


def _officers(complaint: Complaint) -> Any:
    return User.objects.filter(memberships__role=Role.SRO).distinct().order_by("last_name", "first_name")


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _staff_actor(request)
    try:
        complaint = complaint_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    allowed = [a for a in allowed_actions(complaint.status) if a != "add_information" and can_act(actor, complaint, a)]
    today = timezone.localdate()
    ctx = {
        "complaint": complaint,
        "identity": can_see_complainant(actor, complaint),
        "allegations": [
            (a, categories().get(a.category)) for a in complaint.allegations.select_related("officer", "agency")
        ],
        "events": complaint.events.select_related("actor"),
        "allowed": allowed,
        "labels": ACTION_LABELS,
        "overdue": Complaint.objects.filter(pk=complaint.pk).filter(overdue_q(today)).exists(),
        "forms": {
            "acknowledge": NoteForm(auto_id="id_acknowledge_%s"),
            "assign": AssignForm(
                auto_id="id_assign_%s",
                initial={"assigned_to": services.suggested_assignee(complaint), "agency": complaint.agency_id},
            ),
            "start_investigation": NoteForm(auto_id="id_start_%s"),
            "add_allegation": AllegationForm(auto_id="id_allegation_%s", officers=_officers(complaint)),
            "record_action": ActionForm(auto_id="id_action_%s"),
            "notify_outcome": OutcomeForm(auto_id="id_outcome_%s"),
            "link": LinkForm(auto_id="id_link_%s"),
        },
        "decide_forms": [
            (
                a,
                getattr(categories().get(a.category), "title", a.category),
                DecideForm(auto_id=f"id_decide_{a.pk}_%s", initial={"allegation": a.pk}),
            )
            for a in complaint.allegations.filter(finding="").select_related("officer")
        ],
        "findings": FINDING_LABELS,
    }
    response = render(request, "complaints/detail.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


FORMS: dict[str, type[Any]] = {
    "acknowledge": NoteForm,
    "assign": AssignForm,
    "start_investigation": NoteForm,
    "add_allegation": AllegationForm,
    "decide_allegation": DecideForm,
    "record_action": ActionForm,
    "notify_outcome": OutcomeForm,
    "link": LinkForm,
    "close": CloseForm,
}


def _run(actor: Actor, complaint: Complaint, action: str, d: dict[str, Any]) -> None:
    if action == "acknowledge":
        services.complaint_acknowledge(actor=actor, complaint=complaint, note=d["note"])
    elif action == "assign":
        services.complaint_assign(
            actor=actor, complaint=complaint, assigned_to=d["assigned_to"], agency=d["agency"], note=d["note"]
        )
    elif action == "start_investigation":
        services.complaint_start_investigation(actor=actor, complaint=complaint)
    elif action == "add_allegation":
        services.allegation_add(actor=actor, complaint=complaint, category=d["category"], officer=d["officer"])
    elif action == "decide_allegation":
        allegation = complaint.allegations.filter(pk=d["allegation"]).first()
        if allegation is None:
            raise NotFound("Allegation")
        services.allegation_decide(
            actor=actor, allegation=allegation, finding=d["finding"], note=d["note"], action_taken=d["action_taken"]
        )
    elif action == "record_action":
        services.complaint_record_action(actor=actor, complaint=complaint, action_taken=d["action_taken"])
    elif action == "notify_outcome":
        services.complaint_notify_outcome(actor=actor, complaint=complaint, letter=d["letter"])
    elif action == "link":
        services.complaint_link(actor=actor, complaint=complaint, kind=d["kind"], pk=d["pk"])
    elif action == "close":
        services.complaint_close(actor=actor, complaint=complaint, note=d["note"])


@login_required
def complaint_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step on a complaint. Closing asks for confirmation first (web/confirm.html)."""
    actor = _staff_actor(request)
    try:
        complaint = complaint_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    kwargs: dict[str, Any] = {"officers": _officers(complaint)} if action == "add_allegation" else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            _run(actor, complaint, action, form.cleaned_data)
        except DomainError as exc:
            if action != "close":
                messages.error(request, exc.detail)
                return redirect("complaints:detail", pk=complaint.pk)
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(case)s: done.") % {"case": complaint.case_number})
            return redirect("complaints:detail", pk=complaint.pk)
    elif request.method == "POST" and action != "close":
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("complaints:detail", pk=complaint.pk)
    if action != "close":
        return redirect("complaints:detail", pk=complaint.pk)
    ctx = {
        "title": _("Close complaint %(case)s?") % {"case": complaint.case_number},
        "record": complaint.case_number,
        "record_status": complaint.get_status_display(),
        "consequences": [
            _("The case is closed: no more steps, links or information from the complainant."),
            _("The complainant's status page shows it as closed."),
        ],
        "irreversible": _("This cannot be undone."),
        "form": form,
        "button": _("Close the complaint"),
        "cancel_url": reverse("complaints:detail", args=[complaint.pk]),
    }
    return render(request, "web/confirm.html", ctx, status=422 if form.errors else 200)
