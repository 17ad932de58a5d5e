"""Lists that grow with the district come a page at a time, with the pager under them."""

from __future__ import annotations

import re
from typing import Any

from sro.incidents.models import Incident
from sro.public.scale import scale_demo
from sro.web.pages import client_for


def test_the_incident_list_shows_fifty_at_a_time_with_the_count_and_the_next_page(demo: dict[str, Any]) -> None:
    scale_demo(2)
    total = Incident.objects.count()
    assert 50 < total <= 100
    director = client_for("director")
    first = director.get("/incidents/").content.decode()
    assert f"Showing 1-50 of {total}" in first
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    assert len(set(re.findall(r'href="/incidents/(\d+)/"', first))) == 50
    second = director.get("/incidents/?page=2").content.decode()
    assert f"Showing 51-{total} of {total}" in second
    assert 'rel="prev" href="?page=1"' in second and 'rel="next"' not in second


def test_the_pager_keeps_the_filter_and_answers_a_page_past_the_end_with_the_last(demo: dict[str, Any]) -> None:
    scale_demo(2)
    director = client_for("director")
    body = director.get("/incidents/?page=99").content.decode()
    assert "Page 2 of 2" in body
    contacts = director.get("/incidents/contacts/?page=abc").content.decode()
    assert "Showing 1-50 of" in contacts
    complaints = director.get("/complaints/?status=received").content.decode()
    assert "Showing" in complaints or "No complaints." in complaints
