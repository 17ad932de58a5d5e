"""The load test's users (Locust): each opens the main pages and the API at random, each as the demo
account the page is for (the public without one). Run by `make loadtest` (sro/web/loadtest.py), which
starts the server, signs the accounts in and passes their session cookies in SRO_LOADTEST_SESSIONS."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

from sro.web.pages import PAGES

SESSIONS: dict[str, str] = json.loads(os.environ.get("SRO_LOADTEST_SESSIONS", "{}"))
LOADED = [p for p in PAGES if not p.is_pdf]  # the PDF (seconds of rendering each) is measured by bench-web


class Visitor(HttpUser):
    wait_time = between(0.5, 1.5)

    @task
    def open_a_page(self) -> None:
        page = random.choice(LOADED)
        self.client.cookies.clear()  # each request as its own account, nothing carried over
        cookies = {"sessionid": SESSIONS[page.user]} if page.user else {}
        self.client.get(page.path, name=page.name, cookies=cookies)
