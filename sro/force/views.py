"""Pages: thin views over the selectors and services."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sro.core import csvsafe
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.core.paging import page_of
from sro.force.figures import DIMENSIONS, public_counts
from sro.force.forms import CloseFlagForm, ForceReportForm, JointReviewForm, ReviewForm, UrsusForm
from sro.force.models import ForceReport
from sro.force.permissions import can_file_report, can_record_ursus, can_review_report, joint_review_side
from sro.force.rules import force_lists, rules, ursus_elements
from sro.force.selectors import (
    district_admin_of_officer,
    flag_get,
    force_report_get,
    force_report_list,
    force_types_of,
    joint_review_get,
    notice_get,
    notices_unread,
    officer_districts,
    officer_record_get,
    reports_due,
)
from sro.force.services import (
    ei_flag_close,
    force_notice_read,
    force_report_file,
    force_review_record,
    joint_review_sign,
    ursus_record,
)
from sro.force.ursus import ursus_rows
from sro.incidents.selectors import contact_get
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import School
from sro.orgs.roles import Role


def _actor(request: HttpRequest) -> Actor:
    return actor_for(request.user)


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = page_of(request, force_report_list(actor=actor))
    if not page.paginator.count and not (
        actor.org_ids(Role.SRO)
        or actor.org_ids(Role.AGENCY_SUPERVISOR)
        or actor.org_ids(Role.DISTRICT_ADMIN)
        or actor.org_ids(Role.SITE_ADMIN)
    ):
        raise Http404
    ctx = {
        "reports": page,
        "page": page,
        "due": reports_due(actor=actor),
        "can_file": can_file_report(actor),
        "today": timezone.localdate(),
        "lists": force_lists(),
        "can_export": bool(actor.org_ids(Role.AGENCY_SUPERVISOR)) or actor.is_superuser,
    }
    return render(request, "force/report_list.html", ctx)


def _schools(actor: Actor) -> Any:
    """The campuses the SRO's agency serves."""
    return School.objects.filter(city__agencies__in=actor.org_ids(Role.SRO), in_program=True).distinct()


def _file(request: HttpRequest, contact_pk: int | None) -> HttpResponse:
    actor = _actor(request)
    if not can_file_report(actor):
        raise Http404
    contact = None
    initial: dict[str, Any] = {}
    if contact_pk is not None:
        try:
            contact = contact_get(actor=actor, pk=contact_pk)
        except NotFound:
            raise Http404 from None
        if actor.user is None or contact.officer_id != actor.user.pk:
            raise Http404
        initial = {
            "school": contact.school_id,
            "occurred_at": timezone.localtime(contact.occurred_at),
            "student_age": contact.age,
            "force_types": force_types_of(contact),
            "incident_id": contact.incident_id,
        }
    form = ForceReportForm(request.POST or None, initial=initial, schools=_schools(actor))
    if contact is not None:
        fields: Any = form.fields
        fields["school"].queryset = School.objects.filter(pk=contact.school_id)
    if request.method == "POST" and form.is_valid():
        try:
            report = force_report_file(actor=actor, data=form.data_for_service(), contact=contact)
        except DomainError as exc:
            add_service_error(form, exc, renames={"incident": "incident_id"})
        else:
            messages.success(
                request,
                _("Force report %(n)s filed; the principal and the district have been notified.") % {"n": report.pk},
            )
            return redirect("force:detail", pk=report.pk)
    return render(request, "force/report_form.html", {"form": form, "contact": contact, "rules": rules()})


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    return _file(request, None)


@login_required
def report_new_from_contact(request: HttpRequest, contact_pk: int) -> HttpResponse:
    return _file(request, contact_pk)


def _report_or_404(actor: Actor, pk: int, audit: bool = True) -> ForceReport:
    try:
        return force_report_get(actor=actor, pk=pk, audit=audit)
    except NotFound:
        raise Http404 from None


def _detail(request: HttpRequest, report: ForceReport, review_form: ReviewForm | None = None) -> HttpResponse:
    actor = _actor(request)
    lists = force_lists()
    aid = {c.key: c.label for c in lists.medical_aid}
    steps = {c.key: c.label for c in lists.deescalation}
    may_review = not report.reviewed and can_review_report(actor, report.agency_id)
    ctx = {
        "report": report,
        "types": [lists.type_label(k) for k in report.force_types],
        "deescalation": [steps.get(k, k) for k in report.deescalation],
        "medical_aid": aid.get(report.medical_aid, report.medical_aid),
        "review_form": review_form or (ReviewForm() if may_review else None),
        "may_ursus": report.ursus_reportable
        and can_record_ursus(actor, officer_id=report.officer_id, agency_id=report.agency_id),
        "ursus": [(e, report.ursus.get(e.name)) for e in ursus_elements() if e.entered],
        "today": timezone.localdate(),
        "rules": rules(),
    }
    return render(request, "force/report_detail.html", ctx)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _report_or_404(_actor(request), pk))


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = _report_or_404(actor, pk, audit=False)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            force_review_record(
                actor=actor, report=report, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_service_error(form, exc, renames={"outcome": "outcome"})
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("force:detail", pk=pk)
    return _detail(request, report, review_form=form)


@login_required
def report_ursus(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    report = _report_or_404(actor, pk, audit=False)
    if not report.ursus_reportable or not can_record_ursus(
        actor, officer_id=report.officer_id, agency_id=report.agency_id
    ):
        raise Http404
    form = UrsusForm(request.POST or None, initial=report.ursus)
    if request.method == "POST" and form.is_valid():
        try:
            ursus_record(actor=actor, report=report, values=form.cleaned_data)
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The URSUS details are recorded."))
            return redirect("force:detail", pk=pk)
    return render(request, "force/ursus_form.html", {"form": form, "report": report})


@login_required
def ursus_csv(request: HttpRequest) -> HttpResponse:
    """The URSUS elements of every report Gov. Code 12525.2 covers, for the agency to file."""
    actor = _actor(request)
    if not (actor.org_ids(Role.AGENCY_SUPERVISOR) or actor.is_superuser):
        raise Http404
    reports = (
        force_report_list(actor=actor).filter(agency_id__in=actor.org_ids(Role.AGENCY_SUPERVISOR))
        if not actor.is_superuser
        else force_report_list(actor=actor)
    )
    header, rows = ursus_rows([r for r in reports.order_by("occurred_at", "pk") if r.ursus_reportable])
    out = io.StringIO()
    w = csvsafe.writer(out)
    w.writerow(header)
    for row in rows:
        w.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ursus.csv"'
    return response


@login_required
def notice_index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "force/notices.html", {"notices": list(notices_unread(actor=actor))})


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        force_notice_read(actor=actor, notice=notice_get(actor=actor, pk=pk))
    except NotFound:
        raise Http404 from None
    return redirect("force:notices")


@login_required
def officer_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        record = officer_record_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    officer = record.officer
    side = joint_review_side(actor, agency_id=officer.agency_id, district_ids=officer_districts(officer))
    ctx = {
        "record": record,
        "officer": officer,
        "is_district": district_admin_of_officer(actor, officer),
        "side": side,
        "flag_form": CloseFlagForm(),
        "joint_form": JointReviewForm(),
        "lists": force_lists(),
    }
    return render(request, "force/officer_record.html", ctx)


@login_required
@require_POST
def flag_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        flag = flag_get(actor=actor, pk=pk)
        ei_flag_close(actor=actor, flag=flag, note=request.POST.get("note", ""))
        messages.success(request, _("The flag is closed."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("force:officer_record", pk=flag.officer_id)
    return redirect("force:officer_record", pk=flag.officer_id)


@login_required
@require_POST
def joint_sign(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    try:
        review = joint_review_get(actor=actor, pk=pk)
        joint_review_sign(
            actor=actor, review=review, decision=request.POST.get("decision", ""), note=request.POST.get("note", "")
        )
        messages.success(request, _("Your side of the joint review is signed."))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("force:officer_record", pk=review.officer_id)


# ---------------------------------------------------------------- public


def public_force(request: HttpRequest) -> HttpResponse:
    quarters, rows = public_counts()
    tables = [
        (
            q,
            [
                (key, label, [r for r in rows if r.period == q.key and r.breakdown == key])
                for key, label in _breakdowns()
            ],
        )
        for q in quarters
    ]
    return render(request, "force/public.html", {"tables": tables})


def _breakdowns() -> list[tuple[str, Any]]:
    return [("campus", _("By campus")), *[(k, label) for k, (label, _groups) in DIMENSIONS.items()]]


def public_force_csv(request: HttpRequest) -> HttpResponse:
    _quarters, rows = public_counts()
    out = io.StringIO()
    w = csvsafe.writer(out)
    w.writerow(["quarter", "breakdown", "group", "force_reports", "withheld_reason"])
    for r in rows:
        w.writerow([r.period, r.breakdown, r.label, "" if r.count is None else r.count, r.reason])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="use-of-force.csv"'
    return response
