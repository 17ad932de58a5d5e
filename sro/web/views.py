"""Pages: thin views that call selectors and render templates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
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


# What the service worker keeps for the contact form to open offline (docs/contacts.md, "Offline").
OFFLINE_ASSETS = ("web/site.css", "web/site.js", "vendor/htmx.min.js", "web/favicon.svg", "incidents/contact_form.js")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: the service worker, from the site's root so that it may serve the contact form page.

    The script is web/sw.js with, above it, the list of what it keeps and a cache name that
    changes when that list or the script changes (the browser then installs the new one).
    """
    path = finders.find("web/sw.js")
    if not path:
        raise Http404
    script = Path(str(path)).read_text(encoding="utf-8")
    form_page = reverse("incidents:contact_new")
    precache = [form_page, *(static(a) for a in OFFLINE_ASSETS)]
    version = hashlib.sha256((json.dumps(precache) + script).encode()).hexdigest()[:12]
    head = (
        f"var PRECACHE = {json.dumps(precache)};\n"
        f"var FORM_PAGE = {json.dumps(form_page)};\n"
        f"var CACHE = {json.dumps('sro-contact-form-' + version)};\n"
    )
    response = HttpResponse(head + script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
