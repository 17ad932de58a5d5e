"""The board report as a page and as a PDF (WeasyPrint) a clerk can attach to an agenda."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from sro.core.errors import InvalidInput, NotFound
from sro.core.params import date_param
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import District
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
    actor = actor_for(request.user)
    ctx, _errors = _params(request, actor)
    body = render_to_string("public/_report_body.html", {**ctx, "pdf": True}, request=request)
    page = lambda: render_to_string("public/report_pdf.html", {**ctx, "body": body}, request=request)  # noqa: E731
    pdf = cached_pdf(ctx, body, page, request.build_absolute_uri("/"))
    name = f"board-report-{ctx['district'].cds_code}-{ctx['start']:%Y%m%d}-{ctx['end']:%Y%m%d}.pdf"  # type: ignore[attr-defined]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def cached_pdf(ctx: dict[str, object], body: str, page: Callable[[], str], base_url: str) -> bytes:
    """The PDF of the report whose body (everything under the title) is `body`, kept in the cache for
    `SRO_FIGURES_CACHE_SECONDS` (0: made every time) under a key made of that body, the district, the
    dates, the language and the stylesheet. Laying out the PDF is most of its cost; the body is cheap
    to render (the figures are cached), and any change a reader could see in the report (a figure, a
    vote, a contract, a campus) changes the body, so a new PDF is made then and only then. A PDF from
    the cache keeps the time it was prepared, printed under its title. `page` renders the whole page;
    `base_url` is what its links are read against."""
    seconds = django_settings.SRO_FIGURES_CACHE_SECONDS
    css = _stylesheet()
    district = ctx["district"]
    assert isinstance(district, District)
    parts = (body, district.cds_code, district.name, ctx["start"], ctx["end"], get_language(), base_url, css)
    key = "sro:board-pdf:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found: bytes | None = cache.get(key) if seconds > 0 else None
    if found is None:
        found = render_pdf(page(), css, base_url)
        if seconds > 0:
            cache.set(key, found, seconds)
    return found


def render_pdf(html: str, css: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(string=css)])
    return pdf


@functools.cache
def _stylesheet() -> str:
    path = finders.find("public/report.css")
    assert isinstance(path, str)
    return Path(path).read_text(encoding="utf-8")


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The PDF is self-contained: stylesheets are passed in, charts are inline SVG; fetch nothing."""
    raise ValueError(f"the board report fetches no resources ({url})")
