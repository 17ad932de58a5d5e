"""Staffing pages: roster, officer, hiring panel, training matrix, notices. Thin over the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sro.contracts.forms import ReasonForm
from sro.contracts.models import Contract
from sro.contracts.selectors import contract_get
from sro.core.errors import DomainError, NotFound
from sro.core.forms import add_service_error
from sro.core.params import date_param_or_today
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import LawEnforcementAgency, User
from sro.orgs.roles import Role
from sro.staffing.assignments import notice_mark_read
from sro.staffing.catalogues import courses, rubric
from sro.staffing.forms import (
    ContractTrainingForm,
    LinkAccountForm,
    NominationForm,
    OfficerForm,
    PanelForm,
    ScoreForm,
    TrainingForm,
)
from sro.staffing.gate import in_words
from sro.staffing.hiring import panel_create, panel_score
from sro.staffing.models import (
    Assignment,
    Nomination,
    Officer,
    OfficerStatus,
    Panel,
    Recommendation,
    TrainingRecord,
)
from sro.staffing.permissions import (
    can_confirm_training,
    can_convene_panel,
    can_manage_officers,
    can_nominate,
    can_set_required_training,
)
from sro.staffing.registries import candidate_history
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
    contract_training_set,
    nomination_create,
    nomination_withdraw,
    officer_create,
    officer_deactivate,
    officer_link_user,
    training_record_create,
    training_record_review,
)
from sro.staffing.training import officer_training, required_courses

OPEN_NOMINATION = (Nomination.Status.NOMINATED, Nomination.Status.APPROVED)


def _actor(request: HttpRequest) -> Actor:
    return actor_for(request.user)


def _managed_agencies(actor: Actor) -> Any:
    if actor.is_superuser:
        return LawEnforcementAgency.objects.all()
    return LawEnforcementAgency.objects.filter(pk__in=actor.org_ids(Role.AGENCY_SUPERVISOR))


def _posted(request: HttpRequest) -> Any:
    """The posted data, or None on GET: a POST with nothing ticked or filled still shows its errors."""
    return request.POST if request.method == "POST" else None


def _officer_or_404(actor: Actor, pk: int) -> Officer:
    try:
        return officer_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404("Officer not found") from None


def _free_sro_accounts(agencies: Any) -> QuerySet[User]:
    """SRO accounts of these agencies that no officer record is linked to yet."""
    return (
        User.objects.filter(
            memberships__role=Role.SRO, memberships__agency__in=agencies, officer__isnull=True, is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _waiting_for_panel(actor: Actor) -> list[Nomination]:
    """Nominations still without a panel that the actor may convene one for."""
    open_ = (
        Nomination.objects.filter(status=Nomination.Status.NOMINATED, panel__isnull=True)
        .filter(officer__in=officer_list(actor=actor))
        .select_related("officer", "contract")
        .order_by("pk")
    )
    return [n for n in open_[:100] if can_convene_panel(actor, n.contract)]


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # the add form used to sit on this page; it posts to the same view
        return officer_new(request)
    actor = _actor(request)
    officers = officer_list(actor=actor).prefetch_related("assignments__school", "nominations")
    ctx = {
        "officers": officers,
        "may_add": _managed_agencies(actor).exists(),
        "may_set_training": actor.is_superuser or bool(actor.org_ids(Role.DISTRICT_ADMIN)),
        "waiting": _waiting_for_panel(actor),
        "panels": panel_list(actor=actor)[:50],
    }
    return render(request, "staffing/roster.html", ctx)


@login_required
def officer_new(request: HttpRequest) -> HttpResponse:
    """Add an officer of one of the actor's agencies, with their own SRO account if they have one."""
    actor = _actor(request)
    agencies = _managed_agencies(actor)
    if not agencies.exists():
        raise PermissionDenied
    form = OfficerForm(
        _posted(request),
        agencies=agencies,
        accounts=_free_sro_accounts(agencies),
        initial={"agency": agencies.first()} if agencies.count() == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
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
                user=d.get("account"),
                ripa_officer_id=d["ripa_officer_id"],
            )
            messages.success(
                request,
                _("Officer added: %(officer)s, badge %(badge)s. Nominate them for a contract next.")
                % {"officer": officer, "badge": officer.badge_number},
            )
            return redirect("staffing:officer", pk=officer.pk)
        except DomainError as exc:
            add_service_error(form, exc, renames={"user": "account", "username": "account"})
    return render(request, "staffing/officer_form.html", {"form": form})


@login_required
def officer_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the officer's own SRO account (or change which account it is)."""
    actor = _actor(request)
    officer = _officer_or_404(actor, pk)
    if not can_manage_officers(actor, officer.agency_id):
        raise PermissionDenied
    form = LinkAccountForm(_posted(request), accounts=_free_sro_accounts([officer.agency_id]))
    if request.method == "POST" and form.is_valid():
        try:
            officer_link_user(actor=actor, officer=officer, user=form.cleaned_data["account"])
            messages.success(
                request,
                _("Account linked: %(username)s is now %(officer)s's own account.")
                % {"username": form.cleaned_data["account"].username, "officer": officer.name},
            )
            return redirect("staffing:officer", pk=officer.pk)
        except DomainError as exc:
            add_service_error(form, exc, renames={"user": "account"})
    return render(request, "staffing/officer_account.html", {"officer": officer, "form": form})


@login_required
def officer_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: mark an officer inactive (a required reason)."""
    actor = _actor(request)
    officer = _officer_or_404(actor, pk)
    if not can_manage_officers(actor, officer.agency_id):
        raise PermissionDenied
    if officer.status == OfficerStatus.INACTIVE:
        messages.error(request, _("%(officer)s is already inactive.") % {"officer": officer.name})
        return redirect("staffing:officer", pk=officer.pk)
    form = ReasonForm(
        _posted(request),
        required_message=_("Give the reason for deactivating the officer."),
        help_text=_("For example: left the agency, or left the SRO program. Kept in the audit trail."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            officer_deactivate(actor=actor, officer=officer, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Officer deactivated: %(officer)s can no longer be nominated or assigned.")
                % {"officer": officer.name},
            )
            return redirect("staffing:officer", pk=officer.pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Deactivate %(officer)s?") % {"officer": officer.name},
            "record": _("%(officer)s, badge %(badge)s, %(agency)s")
            % {"officer": officer, "badge": officer.badge_number, "agency": officer.agency.name},
            "record_status": officer.get_status_display(),
            "consequences": [
                _("The officer is marked inactive: they cannot be nominated for a contract or assigned to a campus."),
                _(
                    "Their record stays: nominations, panels, training and past assignments remain as they are. "
                    "An officer with a current or future assignment cannot be deactivated; end it first."
                ),
            ],
            "irreversible": _(
                "This cannot be undone from the pages: to bring the officer back, add them again as a new officer."
            ),
            "form": form,
            "button": _("Deactivate the officer"),
            "cancel_url": reverse("staffing:officer", args=[officer.pk]),
        },
    )


def _training_contracts(actor: Actor) -> QuerySet[Contract]:
    """The contracts of the districts the actor administers."""
    qs = Contract.objects.select_related("district", "agency").order_by("district__name", "title")
    return qs if actor.is_superuser else qs.filter(district_id__in=actor.org_ids(Role.DISTRICT_ADMIN))


@login_required
def contract_training_list(request: HttpRequest) -> HttpResponse:
    """Required training for each of the district's contracts."""
    actor = _actor(request)
    if not actor.is_superuser and not actor.org_ids(Role.DISTRICT_ADMIN):
        raise PermissionDenied
    rows = [(c, required_courses(c)) for c in _training_contracts(actor)]
    return render(request, "staffing/contract_training_list.html", {"rows": rows, "all_courses": courses()})


@login_required
def contract_training(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the courses one contract requires (the district administrator)."""
    actor = _actor(request)
    try:
        contract = contract_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if not can_set_required_training(actor, contract):
        raise PermissionDenied
    current = required_courses(contract)
    form = ContractTrainingForm(_posted(request), initial={"courses": [c.key for c in current]})
    if request.method == "POST" and form.is_valid():
        try:
            row = contract_training_set(actor=actor, contract=contract, courses=form.cleaned_data["courses"])
            titles = [c.title for c in courses() if c.key in set(row.courses)]
            messages.success(
                request,
                _("Required training for %(contract)s set: %(courses)s.")
                % {"contract": contract.title, "courses": ", ".join(titles) or _("no course")},
            )
            return redirect("staffing:contract_training_list")
        except DomainError as exc:
            add_service_error(form, exc)
    return render(request, "staffing/contract_training.html", {"contract": contract, "current": current, "form": form})


def _officer_page(request: HttpRequest, officer: Officer, **forms: Any) -> HttpResponse:
    actor = _actor(request)
    manages = can_manage_officers(actor, officer.agency_id)
    contracts = Contract.objects.filter(agency_id=officer.agency_id).exclude(status__in=["terminated", "expired"])
    today = timezone.localdate()
    nominations = list(officer.nominations.select_related("contract", "panel").order_by("-pk"))
    ctx = {
        "officer": officer,
        "nominations": nominations,
        "can_withdraw": {n.pk for n in nominations if _may_withdraw(actor, n)},
        "assignments": Assignment.with_cancelled.filter(officer=officer)  # the whole record, cancelled too
        .select_related("school", "contract")
        .order_by("-start_date"),
        "states": officer_training(officer, today),
        "records": [(r, _course_title(r.course)) for r in training_records(actor=actor, officer=officer)],
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
            messages.success(request, _("Nominated. Convene the selection panel next."))
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
            messages.success(request, _("Completion entered; it counts once the district confirms it."))
            return redirect("staffing:officer", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc)
    return _officer_page(request, officer, training_form=form)


def _course_title(key: str) -> str:
    return next((c.title for c in courses() if c.key == key), key)


@login_required
@require_POST
def training_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a completion in one click; declining it goes through its confirmation page."""
    actor = _actor(request)
    try:
        record = training_record_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if request.POST.get("decision") == "reject":
        return redirect("staffing:training_decline", pk=record.pk)
    try:
        training_record_review(actor=actor, record=record, confirm=True, note=request.POST.get("note", ""))
        messages.success(
            request,
            _("Completion confirmed: %(course)s now counts for %(officer)s.")
            % {"course": _course_title(record.course), "officer": record.officer.name},
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("staffing:officer", pk=record.officer_id)


@login_required
def training_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: decline a training completion (a required note, shown to the agency)."""
    actor = _actor(request)
    try:
        record = training_record_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if not can_confirm_training(actor, officer_districts(record.officer)):
        raise Http404
    course, officer = _course_title(record.course), record.officer
    if record.status != TrainingRecord.Status.PENDING:
        messages.error(
            request,
            _("This completion was already reviewed: %(status)s.") % {"status": record.get_status_display().lower()},
        )
        return redirect("staffing:officer", pk=officer.pk)
    form = ReasonForm(
        request.POST or None,
        required_message=_("Say why the completion is not accepted."),
        label=_("Why the completion is not accepted"),
        help_text=_("Shown to the agency beside the record, and recorded in the audit trail."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            training_record_review(actor=actor, record=record, confirm=False, note=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Completion declined: %(course)s does not count for %(officer)s.")
                % {"course": course, "officer": officer.name},
            )
            return redirect("staffing:officer", pk=officer.pk)
        except DomainError as exc:
            add_service_error(form, exc, renames={"note": "reason"})
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Decline %(officer)s's completion of %(course)s?") % {"officer": officer.name, "course": course},
            "record": _("%(course)s, completed on %(day)s with %(provider)s (%(hours)s hours); evidence: %(evidence)s")
            % {
                "course": course,
                "day": in_words(record.completed_on),
                "provider": record.provider,
                "hours": record.hours,
                "evidence": record.evidence,
            },
            "consequences": [
                _(
                    "Declining means the completion does not count towards the officer's required training: the "
                    "deployment gate treats the course as not taken unless another confirmed completion covers it."
                ),
                _("Your note is shown to the agency beside the record."),
            ],
            "irreversible": _(
                "This cannot be undone: a completion is reviewed once. For the course to count, the agency must "
                "enter it again and the district must confirm it."
            ),
            "form": form,
            "button": _("Decline the completion"),
            "cancel_url": reverse("staffing:officer", args=[officer.pk]),
        },
    )


def _may_withdraw(actor: Actor, nomination: Nomination) -> bool:
    """Open, the actor is the agency's supervisor, and the officer was never assigned under the contract."""
    return (
        nomination.status in OPEN_NOMINATION
        and can_nominate(actor, nomination.contract)
        and not Assignment.objects.filter(officer_id=nomination.officer_id, contract_id=nomination.contract_id).exists()
    )


@login_required
def nomination_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page: withdraw a nomination (a required reason)."""
    actor = _actor(request)
    try:
        nomination = nomination_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    if not can_nominate(actor, nomination.contract):
        raise Http404
    officer, contract = nomination.officer, nomination.contract
    if not _may_withdraw(actor, nomination):
        messages.error(
            request,
            _("This nomination cannot be withdrawn: it is %(status)s.") % {"status": nomination.get_status_display()}
            if nomination.status not in OPEN_NOMINATION
            else _("This nomination cannot be withdrawn: the officer has been assigned under this agreement."),
        )
        return redirect("staffing:officer", pk=officer.pk)
    form = ReasonForm(request.POST or None, required_message=_("Give the reason for withdrawing the nomination."))
    if request.method == "POST" and form.is_valid():
        try:
            nomination_withdraw(actor=actor, nomination=nomination, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Nomination withdrawn: %(officer)s is no longer a candidate under %(contract)s.")
                % {"officer": officer.name, "contract": contract.title},
            )
            return redirect("staffing:officer", pk=officer.pk)
        except DomainError as exc:
            add_service_error(form, exc)
    consequences = [
        _(
            "Withdrawing the nomination means %(officer)s is no longer a candidate for the SRO position under this "
            "agreement, and cannot be assigned under it."
        )
        % {"officer": officer.name}
    ]
    if nomination.status == Nomination.Status.APPROVED:
        consequences.append(_("The selection panel's joint approval under this agreement no longer counts."))
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Withdraw the nomination of %(officer)s?") % {"officer": officer.name},
            "record": _("%(officer)s for %(contract)s") % {"officer": officer, "contract": contract.title},
            "record_status": nomination.get_status_display(),
            "consequences": consequences,
            "irreversible": _(
                "This cannot be undone: to put the officer forward again, nominate them again; a new selection panel "
                "must then approve them."
            ),
            "form": form,
            "button": _("Withdraw the nomination"),
            "cancel_url": reverse("staffing:officer", args=[officer.pk]),
        },
    )


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
            messages.success(request, _("Panel convened. Each member now scores the candidate."))
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
    withdrawn = panel.nomination.status == Nomination.Status.WITHDRAWN
    may_score = (
        seat is not None and panel.status == Panel.Status.OPEN and not hasattr(seat, "scoresheet") and not withdrawn
    )
    if withdrawn and panel.status == Panel.Status.OPEN and request.method == "GET":
        messages.info(request, _("The nomination was withdrawn: the panel no longer scores the candidate."))
    form = ScoreForm(request.POST or None) if may_score else None
    confirming = request.method == "POST" and request.POST.get("confirm_veto") == "yes"
    if form is not None and confirming:
        form.fields["reason"].error_messages["required"] = _("Give the reason for your veto.")
    if request.method == "POST" and form is not None and form.is_valid():
        if form.cleaned_data["recommendation"] == Recommendation.VETO and not confirming:
            return _veto_confirmation(request, panel, form)
        try:
            panel_score(
                actor=actor,
                panel=panel,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Your scores are recorded."))
            return redirect("staffing:panel", pk=pk)
        except DomainError as exc:
            add_service_error(form, exc, renames={"scores.": "score_"})
    if form is not None and confirming:
        return _veto_confirmation(request, panel, form)
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
        {
            "panel": panel,
            "rows": rows,
            "form": form,
            "rubric": rubric(),
            "seat": seat,
            "history": candidate_history(panel.nomination.officer, actor),
        },
    )


def _veto_confirmation(request: HttpRequest, panel: Panel, form: ScoreForm) -> HttpResponse:
    """A veto rejects the candidate at once: confirm it, the scores carried over, the reason shown again."""
    for name, field in form.fields.items():
        if name != "reason":
            field.widget = forms.HiddenInput()
    officer, contract = panel.nomination.officer, panel.nomination.contract
    return render(
        request,
        "web/confirm.html",
        {
            "title": _("Veto %(officer)s?") % {"officer": officer.name},
            "record": _("Selection panel for %(officer)s, for %(contract)s")
            % {"officer": officer, "contract": contract.title},
            "consequences": [
                _(
                    "A veto rejects %(officer)s at once, whatever the other members score: the panel decides now, "
                    "and the nomination is marked not approved."
                )
                % {"officer": officer.name},
                _("The officer cannot be assigned under this agreement; your scores and reason are recorded."),
            ],
            "irreversible": _(
                "This cannot be undone: a panel's decision stands. The agency would have to nominate the officer "
                "again, and a new panel would evaluate them."
            ),
            "form": form,
            "extra_hidden": [("confirm_veto", "yes")],
            "button": _("Veto the candidate"),
            "cancel_url": reverse("staffing:panel", args=[panel.pk]),
        },
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
