"""Each main page reads the same number of queries for the demo district and for one three times its
size (4 and 12 campuses, 36 and 108 SRO contacts, 48 and 144 incidents): no query per campus or per
row. The pages and who opens them are those `make bench-web` and `make loadtest` measure."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sro.incidents.models import Contact
from sro.orgs.models import School
from sro.public.scale import scale_demo
from sro.web.pages import PAGES, Page, client_for


def _queries(page: Page) -> int:
    client = client_for(page.user)
    client.get(page.path)  # the first request of a session may set it up; count a later one
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(page.path)
    assert response.status_code == 200, (page.name, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", [p for p in PAGES if not p.is_pdf], ids=lambda p: p.name)
def test_the_page_reads_as_many_queries_for_a_district_three_times_the_size(demo: dict[str, Any], page: Page) -> None:
    campuses, contacts = School.objects.filter(in_program=True).count(), Contact.objects.count()
    small = _queries(page)
    scale_demo(3)
    assert School.objects.filter(in_program=True).count() == 3 * campuses
    assert Contact.objects.count() == 3 * contacts
    assert _queries(page) == small
