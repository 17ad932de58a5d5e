"""The public form (valid, anonymous, bad input per field, NUL, honeypot, rate limit), the private
status link, and the public counts with suppression."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from django.test import Client

from sro.complaints.figures import CELL_MIN, TOTAL, suppress_counts
from sro.complaints.models import Complaint, ComplaintEvent, token_digest
from sro.core.models import AuditEvent

NEW = "/public/complaints/new"


def _form(demo: dict[str, Any], **over: str) -> dict[str, str]:
    data = {
        "about": "officer",
        "school": str(demo["schools"]["Palm Springs High"].pk),
        "occurred_on": "2026-11-02",
        "narrative": "The officer took my son out of class for a dress-code matter.",
        "officer_description": "Tall, morning shift",
        "relation": "parent",
        "name": "María López",
        "contact_method": "email",
        "contact_address": "maria@example.org",
        "language": "es",
        "website": "",
    }
    data.update(over)
    return data


def _status_url(page: str) -> str:
    found = re.search(r'href="https?://[^/]+(/public/complaints/status/[A-Za-z0-9_-]+)"', page)
    assert found, page
    return found.group(1)


def test_the_form_is_public_and_answers_with_a_case_number_and_a_private_link(demo: dict[str, Any]) -> None:
    c = Client()
    assert c.get(NEW).status_code == 200
    r = c.post(NEW, _form(demo))
    assert r.status_code == 200 and "no-store" in r["Cache-Control"] and r["Referrer-Policy"] == "same-origin"
    page = r.content.decode()
    complaint = Complaint.objects.get(complainant_name="María López")
    assert complaint.case_number in page and complaint.channel == "online" and complaint.language == "es"
    assert c.get(_status_url(page)).status_code == 200


def test_an_anonymous_complaint_needs_no_contact_and_keeps_none(demo: dict[str, Any]) -> None:
    r = Client().post(NEW, _form(demo, anonymous="on", name="Should not be kept", contact_address="x@example.org"))
    assert r.status_code == 200
    c = Complaint.objects.filter(channel="online").latest("pk")
    assert c.anonymous and (c.complainant_name, c.contact_address, c.contact_method) == ("", "", "none")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("narrative", "", "Say what happened"),
        ("about", "nonsense", "Select a valid choice."),
        ("relation", "", "Choose who you are"),
        ("school", "", "choose the school where it happened"),
        ("occurred_on", "2999-01-01", "the date cannot be in the future"),
        ("occurred_on", "yesterday", "Enter a valid date."),
        ("contact_address", "", "give the address or number to reach you"),
        ("contact_address", "not an email", "give an e-mail address"),
        ("name", "x" * 121, "at most 120 characters"),
        ("language", "fr", "Select a valid choice."),
        ("narrative", "bad\x00byte", "Null characters are not allowed."),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(
    demo: dict[str, Any], field: str, value: str, message: str
) -> None:
    before = Complaint.objects.count()
    r = Client().post(NEW, _form(demo, **{field: value}))
    assert r.status_code == 422
    page = r.content.decode()
    assert "There is a problem" in page and f'href="#id_{field}' in page
    assert message.split("(")[0] in page.replace("&#x27;", "'")
    assert Complaint.objects.count() == before


def test_a_filled_honeypot_gets_the_same_answer_and_stores_nothing(demo: dict[str, Any]) -> None:
    before = Complaint.objects.count()
    r = Client().post(NEW, _form(demo, website="http://spam.example"))
    assert r.status_code == 200 and "Complaint received" in r.content.decode()
    assert Complaint.objects.count() == before


def test_the_rate_limit_refuses_a_fourth_complaint_from_one_address_in_a_day(demo: dict[str, Any]) -> None:
    c = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        assert c.post(NEW, _form(demo)).status_code == 200
    r = c.post(NEW, _form(demo))
    assert r.status_code == 429 and "try again tomorrow" in r.content.decode()
    assert Client(REMOTE_ADDR="198.51.100.8").post(NEW, _form(demo)).status_code == 200


def test_the_form_is_in_spanish_through_the_language_switch(demo: dict[str, Any]) -> None:
    c = Client()
    c.post("/i18n/setlang/", {"language": "es", "next": NEW})
    page = c.get(NEW).content.decode()
    assert '<html lang="es">' in page


def test_a_wrong_token_is_not_found(demo: dict[str, Any]) -> None:
    assert Client().get("/public/complaints/status/not-a-real-token").status_code == 404
    assert Client().get("/public/complaints/status/" + "A" * 43).status_code == 404


def test_the_complainant_adds_information_that_investigators_see_and_the_audit_records(demo: dict[str, Any]) -> None:
    c = Client()
    url = _status_url(c.post(NEW, _form(demo)).content.decode())
    r = c.post(url, {"text": "A classmate saw it too."})
    assert r.status_code == 302
    complaint = Complaint.objects.latest("pk")
    event = ComplaintEvent.objects.get(complaint=complaint, kind="information_added")
    assert event.from_complainant and event.note == "A classmate saw it too."
    assert AuditEvent.objects.filter(action="complaint_add_information", object_id=str(complaint.pk)).exists()
    page = c.get(url).content.decode()
    assert "You added information" in page and "A classmate saw it too." not in page.split("History")[0]
    director = Client()
    director.force_login(demo["users"]["director"])
    assert "A classmate saw it too." in director.get(f"/complaints/{complaint.pk}/").content.decode()
    assert c.post(url, {"text": ""}).status_code == 422


def test_the_status_page_never_shows_internal_notes_or_officer_names(demo: dict[str, Any]) -> None:
    closed = Complaint.objects.get(status="closed")
    token = secrets.token_urlsafe(32)  # only the token's hash is stored: give the demo case a new one
    Complaint.objects.filter(pk=closed.pk).update(status_token_hash=token_digest(token))
    page = Client().get(f"/public/complaints/status/{token}").content.decode()
    assert "not sustained" in page  # the outcome letter
    assert "Witnesses disagree" not in page  # the finding's internal reasons
    assert "Complainant told; nothing further" not in page  # the closing note
    assert str(demo["users"]["officer.ccpd"]) not in page
    assert "Demo Complainant" not in page


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 20, "b": 15, TOTAL: 35}, set()),
        ({"a": 20, "b": 3, "c": 14, TOTAL: 37}, {"b", "c"}),  # c would give b away from the total
        ({"a": 5, "b": 4, TOTAL: 9}, {"a", "b", TOTAL}),
        ({"a": 20, "b": 3, "c": 2, TOTAL: 25}, {"b", "c"}),  # two hidden: no complement needed
        ({"a": 12, "b": 3, "c": 12, TOTAL: 27}, {"a", "b"}),  # tie: the first label
    ],
)
def test_public_counts_are_suppressed_under_the_cell_minimum_and_complementary(
    counts: dict[str, int], hidden: set[str]
) -> None:
    out = suppress_counts(counts)
    assert {g for g, (n, _r) in out.items() if n is None} == hidden
    assert all(n is None or n >= CELL_MIN for n, _r in out.values())


def test_the_public_figures_page_and_csv_withhold_small_counts_and_name_nobody(demo: dict[str, Any]) -> None:
    page = Client().get("/public/complaints/figures/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Allegations by category" in text and "Complaints received" in text and "—" in text
    assert "officer.pspd" not in text and "Demo Parent" not in text
    csv_text = Client().get("/public/complaints/figures/complaints.csv").content.decode()
    rows = [line.split(",") for line in csv_text.strip().splitlines()[1:]]
    assert rows and all(r[4] == "" for r in rows)  # the demo's handful: every count withheld
    assert "Make a complaint" in Client().get("/public/").content.decode()
