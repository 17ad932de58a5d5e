"""SRO contacts: validation, the boundary check, reviews, and the RIPA export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sro.core.errors import Forbidden, InvalidInput, TransitionRefused
from sro.core.models import AuditEvent
from sro.incidents.codes import ripa_codes
from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Contact, Review
from sro.incidents.reviews import review_act
from sro.incidents.ripa import ripa_columns, ripa_parse, ripa_write
from sro.incidents.ripa_layout import RIPA_COLUMNS
from sro.incidents.selectors import review_list
from sro.incidents.tests.conftest import past
from sro.orgs.actors import actor_for

PSHS = "Palm Springs High"


def _body(org: dict[str, Any], **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "school": org["schools"][PSHS].cds_code,
        "occurred_at": past(2).isoformat(),
        "duration_minutes": 15,
        "reason": 2,
        "race": [3],
        "gender": 1,
        "age": 16,
        "results": [12],
    }
    body.update(over)
    return body


def _post(client_as: Any, org: dict[str, Any], **over: Any) -> Any:
    return client_as("officer.pspd").post("/api/v1/contacts", _body(org, **over), content_type="application/json")


@pytest.mark.parametrize(
    ("over", "rule"),
    [
        ({"reason": 8}, "contact-reason-discipline"),
        ({"reason": 7, "ed_code_section": 1, "ed_code_subdivision": 12}, "contact-reason-discipline"),
        ({"actions": [18], "search_basis": [13]}, "search-basis-school-policy"),
        ({"actions": [21], "seizure_basis": [6], "contraband": [10]}, "seizure-basis-school-policy"),
    ],
)
def test_a_crossing_is_stored_flagged_and_opens_a_review_never_refused(
    client_as: Any, org: dict[str, Any], over: dict[str, Any], rule: str
) -> None:
    r = _post(client_as, org, **over)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["boundary_crossing"] is True and rule in body["boundary_rules"] and body["review_id"]
    review = Review.objects.get(pk=body["review_id"])
    assert review.status == "open" and review.contact_id == body["id"]
    assert review.findings[0]["citation"] and "prohibited from involvement" in review.contract_citation
    assert AuditEvent.objects.filter(action="review_open", object_id=str(review.pk)).exists()
    for username in ("director", "lt.pspd"):
        queue = client_as(username).get("/api/v1/reviews").json()["items"]
        assert review.pk in {q["id"] for q in queue}, username
    assert client_as("lt.ccpd").get(f"/api/v1/reviews/{review.pk}").status_code == 404


def test_a_contact_within_the_boundary_opens_no_boundary_finding(client_as: Any, org: dict[str, Any]) -> None:
    body = _post(client_as, org, reason=9, actions=[18], search_basis=[5], results=[6]).json()
    assert body["boundary_crossing"] is False and body["boundary_rules"] == []
    # No contract covers the campus in this state and the officer has no assignment: the only findings.
    findings = Review.objects.get(pk=body["review_id"]).findings
    assert [f["rule"] for f in findings] == ["no-assignment-that-day", "deployment-gate"]


def test_police_action_on_a_discipline_incident_crosses_unless_an_emergency_is_recorded(
    client_as: Any, org: dict[str, Any], make_incident: Any
) -> None:
    vape = make_incident(["48900(h)"])
    crossing = _post(client_as, org, incident_id=vape.pk, actions=[5], results=[6]).json()
    assert crossing["boundary_rules"] == ["police-action-on-school-discipline"]
    emergency = _post(
        client_as, org, incident_id=vape.pk, actions=[5], results=[6], emergency=True, emergency_note="Knife drawn"
    ).json()
    assert emergency["boundary_crossing"] is False
    talk = _post(client_as, org, incident_id=vape.pk, results=[13]).json()
    assert talk["boundary_crossing"] is False
    mandatory = make_incident(["48900(c)"])
    assert _post(client_as, org, incident_id=mandatory.pk, actions=[5], results=[6]).json()["boundary_rules"] == []


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"reason": 42}, "reason"),
        ({"race": [3, 99]}, "race"),
        ({"actions": [77]}, "actions"),
        ({"reason": 7}, "ed_code_section"),
        ({"reason": 7, "ed_code_section": 1}, "ed_code_subdivision"),
        ({"results": [1, 6]}, "results"),
        ({"results": []}, "results"),
        ({"actions": [18]}, "search_basis"),
        ({"search_basis": [1]}, "search_basis"),
        ({"actions": [24, 5]}, "actions"),
        ({"occurred_at": (timezone.now() + dt.timedelta(hours=3)).isoformat()}, "occurred_at"),
        ({"emergency": True}, "emergency_note"),
        ({"school": "33671733330578"}, "school"),  # Cathedral City High: not served by PSPD
        ({"incident_id": 999999}, "incident"),
    ],
)
def test_bad_contacts_are_refused_naming_the_field_and_nothing_is_saved(
    client_as: Any, org: dict[str, Any], over: dict[str, Any], field: str
) -> None:
    c = client_as("officer.pspd")
    before = (Contact.objects.count(), Review.objects.count(), AuditEvent.objects.count())
    r = c.post("/api/v1/contacts", _body(org, **over), content_type="application/json")
    assert r.status_code in (404, 422), r.content
    if r.status_code == 422:
        assert field in {e["field"] for e in r.json()["errors"]}, r.json()
    assert (Contact.objects.count(), Review.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("username", ["principal.pshs", "director", "lt.pspd", "analyst"])
def test_only_officers_record_contacts(client_as: Any, org: dict[str, Any], username: str) -> None:
    r = client_as(username).post("/api/v1/contacts", _body(org), content_type="application/json")
    assert r.status_code == 403
    assert not Contact.objects.exists()


def _crossing(org: dict[str, Any]) -> Review:
    officer = actor_for(org["users"]["officer.pspd"])
    data = ContactData(occurred_at=past(2), duration_minutes=5, reason=8, race=[2], gender=1, age=15, results=[12])
    contact, crossings = contact_record(actor=officer, school=org["schools"][PSHS], data=data)
    assert crossings
    return Review.objects.get(contact=contact)


def test_review_steps_follow_the_table_and_are_audited(client_as: Any, org: dict[str, Any]) -> None:
    director, lt = actor_for(org["users"]["director"]), actor_for(org["users"]["lt.pspd"])
    review = _crossing(org)
    with pytest.raises(Forbidden):
        review_act(actor=lt, review=review, action="substantiate", corrective_action="x")
    review = review_act(actor=lt, review=review, action="start_review")
    with pytest.raises(TransitionRefused) as refused:
        review_act(actor=director, review=review, action="start_review")
    assert refused.value.current == "under_review" and "substantiate" in refused.value.allowed
    with pytest.raises(InvalidInput, match="corrective_action"):
        review_act(actor=director, review=review, action="substantiate")
    review = review_act(actor=director, review=review, action="substantiate", corrective_action="Retraining")
    assert review.status == "substantiated" and review.closed_by == org["users"]["director"]
    r = client_as("director").post(
        f"/api/v1/reviews/{review.pk}/actions", {"action": "find_unfounded"}, content_type="application/json"
    )
    assert r.status_code == 409 and r.json()["allowed_actions"] == ["reopen"]
    actions = list(
        AuditEvent.objects.filter(object_id=str(review.pk), object_type="incidents.Review").values_list(
            "action", flat=True
        )
    )
    assert actions == ["review_open", "review_start_review", "review_substantiate"]


def test_repeated_substantiated_crossings_are_counted_per_officer_for_both_sides(org: dict[str, Any]) -> None:
    director = actor_for(org["users"]["director"])
    for _ in range(2):
        review_act(actor=director, review=_crossing(org), action="substantiate", corrective_action="Retraining")
    _crossing(org)
    for username in ("director", "lt.pspd"):
        counts = {
            getattr(r, "officer_substantiated", None) for r in review_list(actor=actor_for(org["users"][username]))
        }
        assert counts == {2}, username


def test_ripa_export_round_trips_and_starts_with_the_reader_columns(org: dict[str, Any], make_incident: Any) -> None:
    officer = actor_for(org["users"]["officer.pspd"])
    school = org["schools"][PSHS]
    datas = [
        ContactData(
            occurred_at=past(3, 9),
            duration_minutes=20,
            reason=2,
            race=[3, 7],
            gender=2,
            age=17,
            disability=[4, 7],
            limited_english=True,
            actions=[5, 18, 21, 23],
            search_basis=[1, 5],
            consent_type=[2],
            perceived_lgb=True,
            seizure_basis=[2],
            contraband=[4, 5],
            results=[6, 9],
        ),
        ContactData(
            occurred_at=past(2, 13),
            duration_minutes=5,
            reason=7,
            ed_code_section=1,
            ed_code_subdivision=9,
            race=[1],
            gender=5,
            age=14,
            results=[12, 13],
        ),
        ContactData(occurred_at=past(1, 8), duration_minutes=30, reason=8, race=[2], gender=1, age=15, results=[1]),
    ]
    contacts = [contact_record(actor=officer, school=school, data=d)[0] for d in datas]
    out = io.StringIO()
    assert ripa_write(Contact.objects.filter(pk__in=[c.pk for c in contacts]).order_by("pk"), out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert set(RIPA_COLUMNS) - set(rows[0]) == {c for c in RIPA_COLUMNS if c.startswith("ADS_")}
    assert list(rows[0]) == ripa_columns(ripa_codes()) and len(rows[0]) == 202  # the 2024 layout
    assert rows[0]["RAE_FULL"] == "8" and rows[1]["RAE_FULL"] == "1" and rows[0]["SCHOOL_CODE"] == school.cds_code
    back = dict(ripa_parse(rows))
    for c in contacts:
        assert back[f"SRO{c.pk}"] == ContactData.of(c)


def test_export_command_writes_the_agency_contacts(org: dict[str, Any], tmp_path: Any) -> None:
    officer = actor_for(org["users"]["officer.pspd"])
    data = ContactData(occurred_at=past(2), duration_minutes=5, reason=2, race=[3], gender=1, age=15, results=[12])
    contact_record(actor=officer, school=org["schools"][PSHS], data=data)
    path = tmp_path / "ripa.csv"
    day = timezone.localdate()
    call_command(
        "export",
        "ripa",
        "--agency",
        "Palm Springs Police Department",
        "--from",
        str(day - dt.timedelta(days=7)),
        "--to",
        str(day),
        "--out",
        str(path),
    )
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["AGENCY_NAME"] == "Palm Springs Police Department"


def test_the_boundary_cites_the_governing_contracts_discipline_clause(demo: dict[str, Any]) -> None:
    from sro.incidents.boundary import contract_clause_citation

    citation = contract_clause_citation(school=demo["schools"][PSHS], on=timezone.localdate())
    assert "Palm Springs Police Department at Palm Springs High, version 2, §2" in citation
