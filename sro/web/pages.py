"""The main pages of the site, as a signed-in role (or the public) opens them, and how to measure one.

One list, read by the query-count tests, `make bench-web` and `make loadtest`: each page with the
demo account that opens it ("" for the public), so the three measure the same thing.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # a demo username; "" for the public
    path: str
    is_list: bool = False  # rows grow with the district: paginated
    is_pdf: bool = False


PAGES: list[Page] = [
    Page("health check", "", "/healthz"),
    Page("district home", "director", "/"),
    Page("campus status board", "director", "/campuses/board/"),
    Page("waiting for you", "director", "/queue/"),
    Page("incidents", "director", "/incidents/", is_list=True),
    Page("contacts (district)", "director", "/incidents/contacts/", is_list=True),
    Page("contacts (officer)", "officer.pspd", "/incidents/contacts/", is_list=True),
    Page("boundary reviews", "director", "/incidents/reviews/", is_list=True),
    Page("notification tasks", "director", "/incidents/tasks/", is_list=True),
    Page("complaints", "director", "/complaints/", is_list=True),
    Page("force reports", "director", "/force/", is_list=True),
    Page("comment moderation", "director", "/community/moderation/", is_list=True),
    Page("program home (analyst)", "analyst", "/"),
    Page("board report", "director", "/reports/board/"),
    Page("board report PDF", "director", "/reports/board.pdf", is_pdf=True),
    Page("public overview", "", "/public/"),
    Page("public figures", "", "/public/figures/"),
    Page("public contracts", "", "/public/contracts/"),
    Page("public complaint figures", "", "/public/complaints/figures/"),
    Page("public use of force", "", "/public/force/"),
    Page("API: contacts", "director", "/api/v1/contacts", is_list=True),
    Page("API: incidents", "director", "/api/v1/incidents", is_list=True),
    Page("API: schools", "director", "/api/v1/schools"),
]


def client_for(username: str) -> Client:
    from sro.orgs.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@dataclass(frozen=True)
class Measured:
    page: Page
    status: int
    queries: int
    first_ms: float  # the first request: nothing cached yet
    median_ms: float
    runs_ms: list[float]


def measure(page: Page, client: Client, *, runs: int = 5) -> Measured:
    """Open `page` once to warm up (counting its queries), then `runs` times, timed."""
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(page.path)
    first_ms = (time.perf_counter() - began) * 1000
    queries = len(ctx.captured_queries)
    times: list[float] = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(page.path)
        times.append((time.perf_counter() - began) * 1000)
    return Measured(page, response.status_code, queries, first_ms, statistics.median(times), times)
