"""The phone-first contact form: prefilled campus and time, frequent choices first, "same as the
previous person", a form sent twice recorded once (page, JSON and API), the personal-data check."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from typing import Any

from django.utils import timezone

from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Contact
from sro.incidents.selectors import contact_frequent_choices
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for

PSHS = "Palm Springs High"
PAGE = "/incidents/contacts/new/"


def _form(demo: dict[str, Any], **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "school": demo["schools"][PSHS].pk,
        "occurred_at": past(1).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 10,
        "reason": 2,
        "race": [3],
        "gender": 1,
        "age": 16,
        "results": [13],
        "actions": [24],
    }
    body.update(over)
    return body


def _record(demo: dict[str, Any], **over: Any) -> Contact:
    data: dict[str, Any] = {"occurred_at": past(2), "duration_minutes": 5, "reason": 2, "race": [3], "gender": 1}
    data.update({"age": 15, "results": [13], **over})
    officer = actor_for(demo["users"]["officer.pspd"])
    return contact_record(actor=officer, school=demo["schools"][PSHS], data=ContactData(**data))[0]


def _checked(page: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" value="(\d+)"[^>]*checked', page))


def test_the_form_is_prefilled_with_now_and_the_officers_campus_and_a_fresh_client_id(signed_in: Any) -> None:
    page = signed_in("officer.pspd").get(PAGE).content.decode()
    now = timezone.localtime()
    prefilled = re.search(r'name="occurred_at" value="([^"]+)"', page)
    assert prefilled is not None
    assert abs(dt.datetime.fromisoformat(prefilled.group(1)) - now.replace(tzinfo=None)) < dt.timedelta(minutes=2)
    assert re.search(r'<option value="\d+" selected>[^<]+</option>', page), "a campus is chosen"
    ids = {re.search(r'name="client_id" value="([0-9a-f-]{36})"', signed_in("officer.pspd").get(PAGE).text)[1]}  # type: ignore[index]
    ids.add(re.search(r'name="client_id" value="([0-9a-f-]{36})"', page)[1])  # type: ignore[index]
    assert len(ids) == 2, "each form gets its own id"
    for name in ("gender", "reason"):  # short lists are radio tiles, not selects
        assert f'type="radio" name="{name}"' in page and f'<select name="{name}"' not in page


def test_the_officers_frequent_choices_come_first(demo: dict[str, Any], signed_in: Any) -> None:
    officer = demo["users"]["officer.pspd"]
    for _ in range(3):
        _record(demo, reason=6, actions=[4], results=[6], occurred_at=past(5))
    _record(demo, reason=3, results=[13], occurred_at=past(100))  # older than 90 days: not counted
    since = timezone.now() - dt.timedelta(days=91)
    recent = Contact.objects.filter(officer=officer, occurred_at__gte=since)
    reasons = Counter(recent.values_list("reason", flat=True))
    frequent = contact_frequent_choices(actor=actor_for(officer))
    assert frequent["reason"] == sorted(reasons, key=lambda r: (-reasons[r], r))
    assert 3 not in frequent["reason"] and 3 not in reasons
    assert 4 in frequent["actions"] and 6 in frequent["results"]
    page = signed_in("officer.pspd").get(PAGE).text
    shown = re.findall(r'name="reason" value="(\d+)"', page)
    assert shown[: len(frequent["reason"])] == [str(r) for r in frequent["reason"]]
    actions = re.findall(r'name="actions" value="(\d+)"', page)
    assert actions.index("4") < actions.index("1"), "action 4 (used) before action 1 (never used)"


def test_a_contact_saved_from_the_phone_form_and_the_next_student_copies_only_what_is_not_demographic(
    demo: dict[str, Any], signed_in: Any
) -> None:
    c = signed_in("officer.pspd")
    before = Contact.objects.count()
    body = _form(demo, reason=6, actions=[18], search_basis=[5], results=[6], race=[2], gender=2, age=15)
    r = c.post(PAGE, {**body, "next": "same", "client_id": str(uuid.uuid4())})
    assert r.status_code == 302 and "?same=" in r["Location"], r.content.decode()[:2000]
    assert Contact.objects.count() == before + 1
    page = c.get(r["Location"]).text
    assert _checked(page, "reason") == {"6"}
    assert _checked(page, "actions") == {"18"} and _checked(page, "search_basis") == {"5"}
    assert _checked(page, "results") == {"6"}
    assert _checked(page, "race") == set() and _checked(page, "gender") == set()  # never copied
    assert 'name="age" value' not in page
    # Another officer's contact is not copied.
    other = signed_in("officer.ccpd").get(f"{PAGE}?same={Contact.objects.latest('pk').pk}").text
    assert _checked(other, "reason") == set()


def test_a_form_sent_twice_records_one_contact(demo: dict[str, Any], signed_in: Any) -> None:
    c = signed_in("officer.pspd")
    body = {**_form(demo), "client_id": str(uuid.uuid4())}
    before = Contact.objects.count()
    first = c.post(PAGE, body, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and first.json()["status"] == "saved"
    again = c.post(PAGE, body, HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json() == {**again.json(), "id": first.json()["id"], "status": "exists"}
    page = c.post(PAGE, body, follow=True).text  # the page itself, a double tap
    assert f"Contact {first.json()['id']} was already saved from this form." in page
    assert Contact.objects.count() == before + 1
    assert str(Contact.objects.get(pk=first.json()["id"]).client_id) == body["client_id"]
    # The same id from another officer is another contact.
    other = signed_in("officer.ccpd").post(
        PAGE, {**body, "school": demo["schools"]["Cathedral City High"].pk}, HTTP_ACCEPT="application/json"
    )
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_the_json_answer_names_each_field_in_error_and_saves_nothing(demo: dict[str, Any], signed_in: Any) -> None:
    before = Contact.objects.count()
    body = {**_form(demo, incident_id=999999), "client_id": str(uuid.uuid4())}
    r = signed_in("officer.pspd").post(PAGE, {**body, "race": []}, HTTP_ACCEPT="application/json")
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"race"}
    r = signed_in("officer.pspd").post(PAGE, body, HTTP_ACCEPT="application/json")
    assert r.status_code == 422 and "no incident 999999" in r.json()["errors"][0]["message"]
    assert Contact.objects.count() == before


def test_the_api_returns_the_existing_contact_for_a_repeated_client_id(demo: dict[str, Any], signed_in: Any) -> None:
    c = signed_in("officer.pspd")
    body = {"school": demo["schools"][PSHS].cds_code, "occurred_at": past(1).isoformat(), "duration_minutes": 5,
            "reason": 2, "race": [3], "gender": 1, "age": 16, "results": [13]}  # fmt: skip
    body["client_id"] = str(uuid.uuid4())
    first = c.post("/api/v1/contacts", body, content_type="application/json")
    again = c.post("/api/v1/contacts", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Contact.objects.filter(client_id=body["client_id"]).count() == 1


def test_personal_data_in_a_note_is_held_until_redacted_or_confirmed(demo: dict[str, Any], signed_in: Any) -> None:
    c = signed_in("officer.pspd")
    note = "A student named Jayden Cole had a knife; his mother is at 760-555-0134."
    body = {**_form(demo), "emergency": "on", "emergency_note": note, "client_id": str(uuid.uuid4())}
    before = Contact.objects.count()
    page = c.post(PAGE, body).text
    assert "There is a problem" in page and "This may hold personal data:" in page
    assert "a name (“Jayden Cole”)" in page and "a phone number (“760-555-0134”)" in page
    assert Contact.objects.count() == before
    # "Redact" (JavaScript off): the form again, each match replaced, nothing saved, no error shown.
    page = c.post(PAGE, {**body, "redact": "1"}).text
    assert "A student named [REDACTED] had a knife; his mother is at [REDACTED]." in page
    assert "There is a problem" not in page and Contact.objects.count() == before
    # Confirmed as written: saved.
    r = c.post(PAGE, {**body, "personal_data_confirmed": "on"})
    assert r.status_code == 302 and Contact.objects.latest("pk").emergency_note == note


def test_a_known_students_name_is_found_without_an_introducing_word(demo: dict[str, Any], signed_in: Any) -> None:
    from sro.incidents.models import IncidentStudent

    student = IncidentStudent.objects.filter(incident__school__name=PSHS).select_related("incident").first()
    assert student is not None
    student.incident.occurred_at = past(3)
    student.incident.save(update_fields=["occurred_at"])
    body = {**_form(demo), "emergency": "on", "emergency_note": f"Spoke to {student.name} at the gate."}
    r = signed_in("officer.pspd").post(PAGE, body, HTTP_ACCEPT="application/json")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "emergency_note" and student.name in r.json()["errors"][0]["message"]


def test_the_service_worker_is_served_from_the_root_and_keeps_the_form_and_its_files(signed_in: Any) -> None:
    r = signed_in("officer.pspd").get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/javascript; charset=utf-8" and r["Service-Worker-Allowed"] == "/"
    body = r.content.decode()
    precache = re.search(r"var PRECACHE = (\[.*?\]);", body)
    assert precache is not None
    kept = set(precache.group(1).strip("[]").replace('"', "").split(", "))
    assert {PAGE, "/static/incidents/contact_form.js", "/static/web/site.css"} <= kept
    assert re.search(r'var CACHE = "sro-contact-form-[0-9a-f]{12}";', body)
    assert "http" not in precache.group(1), "nothing from another site"
