"""Pages: the public agenda and comment form, the moderation queue, and adding agenda items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sro.community.forms import AgendaItemForm, CommentForm, ModerateForm
from sro.community.models import CommentStatus, Language
from sro.community.selectors import (
    agenda_item_get,
    agenda_item_list,
    comment_get_for_moderation,
    item_vote,
    moderation_queue,
)
from sro.community.services import (
    RateLimited,
    agenda_item_create,
    comment_moderate,
    comment_submit,
    comments_accepted,
)
from sro.contracts.models import Body, ContractVersion, Meeting
from sro.core.clientip import client_ip
from sro.core.errors import DomainError, NotFound, TransitionRefused
from sro.core.forms import add_service_error
from sro.core.paging import page_of
from sro.orgs.actors import actor_for
from sro.orgs.roles import Role


def public_agenda(request: HttpRequest) -> HttpResponse:
    """Every meeting that considers a contract, with its items; upcoming first."""
    actor = actor_for(request.user)
    today = timezone.localdate()
    items = list(agenda_item_list(actor=actor))
    upcoming = [i for i in items if i.meeting.date >= today]
    past = sorted((i for i in items if i.meeting.date < today), key=lambda i: i.meeting.date, reverse=True)
    rows = [(i, item_vote(i), comments_accepted(i, today=today)) for i in [*upcoming, *past]]
    return render(request, "community/agenda.html", {"rows": rows, "today": today})


def public_agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    try:
        item = agenda_item_get(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    lang = translation.get_language() or Language.EN
    initial_lang = lang if lang in Language.values else Language.EN
    form = CommentForm(request.POST or None, initial={"language": initial_lang})
    open_now = comments_accepted(item)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            comment_submit(
                item=item,
                body=d["body"],
                name=d["name"],
                neighbourhood=d["neighbourhood"],
                language=d["language"],
                honeypot=d["website"],
                address=client_ip(request),
            )
        except RateLimited:
            form.add_error(None, _("You have sent several comments in the last hour. Please try again later."))
            status = 429
        except TransitionRefused:
            form.add_error(None, _("Comments on this agenda item are closed."))
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you. Your comment will appear here once a moderator has read it."))
            return redirect("public:agenda_item", pk=item.pk)
    ctx = {"item": item, "vote": item_vote(item), "form": form, "open_now": open_now}
    return render(request, "community/agenda_item.html", ctx, status=status)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not actor.is_superuser and not actor.org_ids(Role.DISTRICT_ADMIN):
        raise Http404
    status = request.GET.get("status", CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    page = page_of(request, moderation_queue(actor=actor, status=status))
    return render(
        request,
        "community/moderation.html",
        {"comments": page, "page": page, "status": status, "statuses": CommentStatus.choices, "form": ModerateForm()},
    )


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    try:
        comment = comment_get_for_moderation(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            comment_moderate(
                actor=actor, comment=comment, action=form.cleaned_data["action"], note=form.cleaned_data["note"]
            )
            messages.success(request, _("Comment %(pk)s: done.") % {"pk": comment.pk})
        except DomainError as exc:
            messages.error(request, exc.detail)
    else:
        messages.error(request, _("Choose an action."))
    return redirect(f"{reverse('community:moderation')}?status={comment.status}")


@login_required
def agenda_item_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    districts = actor.org_ids(Role.DISTRICT_ADMIN)
    if not districts and not actor.is_superuser:
        raise Http404
    versions = ContractVersion.objects.select_related("contract").filter(state__in=["council_review", "board_review"])
    meetings = Meeting.objects.select_related("body").filter(date__gte=timezone.localdate())
    if not actor.is_superuser:
        versions = versions.filter(contract__district_id__in=districts)
        cities = versions.values_list("contract__city_id", flat=True)
        meetings = meetings.filter(
            Q(body__kind=Body.Kind.SCHOOL_BOARD, body__district_id__in=districts)
            | Q(body__kind=Body.Kind.CITY_COUNCIL, body__city_id__in=cities)
        )
    form = AgendaItemForm(request.POST or None, meetings=meetings.order_by("date"), versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            item = agenda_item_create(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Agenda item added."))
            return redirect("public:agenda_item", pk=item.pk)
    return render(request, "community/agenda_item_form.html", {"form": form})
