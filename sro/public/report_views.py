"""The board report as a page and as a PDF (WeasyPrint) a clerk can attach to an agenda."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from sro.core.errors import InvalidInput, NotFound
from sro.core.params import date_param
from sro.orgs.actors import Actor, actor_for
from sro.public.report import board_report, can_see_board_report, default_range, district_for, report_districts

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step otherwise


def _params(request: HttpRequest, actor: Actor) -> tuple[dict[str, object], list[str]]:
    if not can_see_board_report(actor):
        raise Http404
    try:
        district = district_for(actor, request.GET.get("district", ""))
    except NotFound:
        raise Http404 from None
    start, end = default_range(timezone.localdate())
    errors: list[str] = []
    for name in ("from", "to"):
        try:
            day = date_param(request.GET, name)
        except InvalidInput:
            errors.append(name)
            continue
        if day is not None:
            start, end = (day, end) if name == "from" else (start, day)
    if end < start:
        start, end = end, start
    ctx = board_report(actor=actor, district=district, start=start, end=end, request=request)
    ctx["districts"] = report_districts(actor)
    return ctx, errors


@login_required
def board_report_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    ctx, errors = _params(request, actor)
    return render(request, "public/report.html", {**ctx, "errors": errors, "query": request.GET.urlencode()})


@login_required
def board_report_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    actor = actor_for(request.user)
    ctx, _errors = _params(request, actor)
    html = render_to_string("public/report_pdf.html", ctx, request=request)
    css = finders.find("public/report.css")
    assert isinstance(css, str)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_no_fetch).write_pdf(
        stylesheets=[CSS(filename=css)]
    )
    name = f"board-report-{ctx['district'].cds_code}-{ctx['start']:%Y%m%d}-{ctx['end']:%Y%m%d}.pdf"  # type: ignore[attr-defined]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The PDF is self-contained: stylesheets are passed in, charts are inline SVG; fetch nothing."""
    raise ValueError(f"the board report fetches no resources ({url})")
