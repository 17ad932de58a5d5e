"""Lists that grow with the district, one page at a time: `page_of` and the `web/_pager.html` include.

A list page asks for one page of its queryset (two queries: the count and the page's rows, whatever
the number of rows) and includes the pager under its table::

    page = page_of(request, incident_list(actor=actor), per_page=50)
    {% include "web/_pager.html" with page=page %}

The page number is the `page` query parameter; other parameters (filters) are kept in the
pager's links. A number past the end shows the last page, anything else not a number the first.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def page_of(request: HttpRequest, rows: Any, per_page: int = PER_PAGE) -> Page[Any]:
    """The page of `rows` (a queryset or a list) that the request's `page` parameter asks for."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
