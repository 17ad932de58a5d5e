"""Pages: thin views that call selectors and render templates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sro.core.queue import has_queue, queue_for
from sro.orgs.actors import actor_for
from sro.orgs.roles import ROLE_DESCRIPTIONS, Role
from sro.orgs.selectors import school_list
from sro.web.dashboard import render_panels
from sro.web.navigation import links_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    memberships = request.user.memberships.select_related("district", "school", "agency")  # type: ignore[union-attr]
    return render(
        request,
        "web/home.html",
        {
            "memberships": memberships,
            "role_descriptions": [(Role(r).label, ROLE_DESCRIPTIONS[r]) for r in sorted(actor.roles)],
            "links": links_for(actor),
            "panels": render_panels(request, actor),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting on the reader (sro.core.queue), every item of every group."""
    actor = actor_for(request.user)
    if not has_queue(actor):
        raise Http404
    groups = queue_for(actor)
    return render(request, "web/queue.html", {"groups": groups, "total": sum(g.count for g in groups)})


@login_required
def campus_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    show_all = request.GET.get("all") == "1"
    schools = school_list(actor=actor, program_only=not show_all).order_by("district__name", "name")
    return render(request, "web/campus_list.html", {"schools": schools, "show_all": show_all})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
