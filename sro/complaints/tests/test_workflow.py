"""Each workflow step, its deadline and its refusals, with the clock passed in (`now=`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sro.complaints import services
from sro.complaints.models import Complaint, Status
from sro.complaints.rules import categories, workflow_rules
from sro.complaints.selectors import allegations_about_officer, complaint_list, overdue_q
from sro.complaints.tests.conftest import T0, at
from sro.complaints.workflow import TRANSITIONS, allowed_actions, next_status
from sro.core.audit import verify_chain
from sro.core.errors import Forbidden, InvalidInput, TransitionRefused
from sro.core.models import AuditEvent
from sro.orgs.models import LawEnforcementAgency

PSPD = "Palm Springs Police Department"


def _through(complaint: Complaint, people: dict[str, Any], upto: str) -> Complaint:
    director, lt = people["director"], people["lt.pspd"]
    steps = ["acknowledge", "assign", "start_investigation", "decide", "record_action", "notify_outcome", "close"]
    c = complaint
    for step in steps[: steps.index(upto) + 1]:
        if step == "acknowledge":
            c = services.complaint_acknowledge(actor=director, complaint=c, now=at(1))
        elif step == "assign":
            agency = LawEnforcementAgency.objects.get(name=PSPD)
            c = services.complaint_assign(actor=director, complaint=c, assigned_to="agency", agency=agency, now=at(2))
        elif step == "start_investigation":
            c = services.complaint_start_investigation(actor=lt, complaint=c, now=at(3))
        elif step == "decide":
            services.allegation_decide(actor=lt, allegation=c.allegations.get(), finding="sustained", now=at(30))
            c.refresh_from_db()
        elif step == "record_action":
            c = services.complaint_record_action(actor=lt, complaint=c, action_taken="Retraining.", now=at(31))
        elif step == "notify_outcome":
            c = services.complaint_notify_outcome(actor=lt, complaint=c, letter="Sustained.", now=at(32))
        elif step == "close":
            c = services.complaint_close(actor=director, complaint=c, note="Done.", now=at(33))
    return c


def test_filing_gives_a_case_number_a_token_stored_only_hashed_and_the_deadlines(filed: Any) -> None:
    f = filed()
    c = f.complaint
    assert c.case_number == "C-2026-0001" and c.status == Status.RECEIVED
    assert len(f.token) >= 43 and f.token not in c.status_token_hash
    # Wednesday + 3 school days = Monday; + 5 school days = next Wednesday.
    assert c.acknowledge_by == dt.date(2026, 11, 9)
    assert c.assign_by == dt.date(2026, 11, 11)
    assert c.decide_by == T0.date() + dt.timedelta(days=180)
    assert filed().complaint.case_number == "C-2026-0002"
    assert AuditEvent.objects.filter(action="complaint_file").count() == 2


def test_every_step_moves_the_status_writes_the_history_and_the_audit_trail(filed: Any, people: dict[str, Any]) -> None:
    c = _through(filed().complaint, people, "close")
    assert c.status == Status.CLOSED
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds == [
        "received", "acknowledge", "assign", "start_investigation", "decide_allegation", "all_decided",
        "record_action", "notify_outcome", "close",
    ]  # fmt: skip
    actions = set(
        AuditEvent.objects.filter(object_id=str(c.pk), object_type="complaints.Complaint").values_list(
            "action", flat=True
        )
    )
    assert {"complaint_acknowledge", "complaint_assign", "complaint_close", "complaint_notify_outcome"} <= actions
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("upto", "action"),
    [
        ("acknowledge", "acknowledge"),
        ("assign", "assign"),
        ("start_investigation", "record_action"),
        ("close", "close"),
    ],
)
def test_a_step_out_of_order_is_refused_naming_the_allowed_actions(
    filed: Any, people: dict[str, Any], upto: str, action: str
) -> None:
    c = _through(filed().complaint, people, upto)
    with pytest.raises(TransitionRefused) as exc:
        next_status(action, c.status)
    assert exc.value.allowed == allowed_actions(c.status)
    assert "Allowed actions" in exc.value.detail


def test_closing_before_the_complainant_is_told_is_refused(filed: Any, people: dict[str, Any]) -> None:
    c = _through(filed().complaint, people, "record_action")
    with pytest.raises(TransitionRefused) as exc:
        services.complaint_close(actor=people["director"], complaint=c)
    assert exc.value.allowed == ["notify_outcome", "link", "add_information"]
    c.refresh_from_db()
    assert c.status == Status.ACTION_RECORDED


def test_the_complaint_is_decided_only_when_its_last_allegation_is(filed: Any, people: dict[str, Any]) -> None:
    c = _through(filed().complaint, people, "start_investigation")
    second = services.allegation_add(actor=people["lt.pspd"], complaint=c, category="discourtesy")
    services.allegation_decide(
        actor=people["lt.pspd"], allegation=c.allegations.order_by("pk")[0], finding="unfounded", now=at(20)
    )
    c.refresh_from_db()
    assert c.status == Status.INVESTIGATING
    services.allegation_decide(actor=people["lt.pspd"], allegation=second, finding="exonerated", now=at(21))
    c.refresh_from_db()
    assert c.status == Status.DECIDED and c.decided_at == at(21)


@pytest.mark.parametrize(
    ("status_days", "upto", "late_on"),
    [
        (None, None, dt.date(2026, 11, 10)),  # not acknowledged: due Monday 9th, late on the 10th
        (None, "acknowledge", dt.date(2026, 11, 12)),  # not assigned: due Wednesday 11th
        (None, "start_investigation", T0.date() + dt.timedelta(days=181)),
        (None, "record_action", T0.date() + dt.timedelta(days=201)),
    ],
)
def test_each_waiting_step_becomes_overdue_the_day_after_its_deadline(
    filed: Any, people: dict[str, Any], status_days: Any, upto: str | None, late_on: dt.date
) -> None:
    c = filed().complaint
    if upto:
        c = _through(c, people, upto)
    on_time = late_on - dt.timedelta(days=1)
    assert not Complaint.objects.filter(pk=c.pk).filter(overdue_q(on_time)).exists()
    assert Complaint.objects.filter(pk=c.pk).filter(overdue_q(late_on)).exists()
    overdue = complaint_list(actor=people["director"], overdue_only=True, today=late_on)
    assert list(overdue) == [c]


def test_a_closed_complaint_is_never_overdue(filed: Any, people: dict[str, Any]) -> None:
    c = _through(filed().complaint, people, "close")
    assert not Complaint.objects.filter(pk=c.pk).filter(overdue_q(T0.date() + dt.timedelta(days=999))).exists()


def test_only_the_district_acknowledges_and_only_assigned_investigators_decide(
    filed: Any, people: dict[str, Any]
) -> None:
    c = filed().complaint
    for name in ("lt.pspd", "officer.pspd", "principal.pshs", "superintendent"):
        with pytest.raises(Forbidden):
            services.complaint_acknowledge(actor=people[name], complaint=c)
    c = _through(c, people, "start_investigation")
    with pytest.raises(Forbidden):
        services.allegation_decide(actor=people["lt.ccpd"], allegation=c.allegations.get(), finding="sustained")


def test_assigning_to_the_agency_needs_the_agency_and_saves_nothing_without_it(
    filed: Any, people: dict[str, Any]
) -> None:
    c = _through(filed().complaint, people, "acknowledge")
    with pytest.raises(InvalidInput) as exc:
        services.complaint_assign(actor=people["director"], complaint=c, assigned_to="agency")
    assert exc.value.errors[0].field == "agency"
    c.refresh_from_db()
    assert c.status == Status.ACKNOWLEDGED and c.assigned_to == ""


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(["excessive_force"], "agency"), (["program_matter"], "district"), (["school_discipline"], "both"),
     (["discourtesy", "program_matter"], "both")],
)  # fmt: skip
def test_the_suggested_investigator_follows_the_categories(
    filed: Any, people: dict[str, Any], keys: list[str], expected: str
) -> None:
    c = filed(category=keys[0]).complaint
    for k in keys[1:]:
        services.allegation_add(actor=people["director"], complaint=c, category=k)
    assert services.suggested_assignee(c) == expected


def test_allegations_about_officer_lists_every_allegation_naming_them(filed: Any, org: dict[str, Any]) -> None:
    a = filed().complaint.allegations.get()
    filed(officer=None, category="program_matter", about="program", school=None)
    assert list(allegations_about_officer(officer=org["users"]["officer.pspd"])) == [a]
    assert not allegations_about_officer(officer=org["users"]["lt.pspd"]).exists()


def test_the_deadlines_file_has_a_citation_for_every_step_and_a_retention_period() -> None:
    rules = workflow_rules()
    assert set(rules.deadlines) == {"acknowledge_by", "assign_by", "decide_by", "tell_by"}
    assert all(d.citation for d in rules.deadlines.values())
    assert (rules.retention.years_not_sustained, rules.retention.years_sustained) == (5, 15)
    assert "832.5(b)" in rules.retention.citation


# key -> (who investigates, sustained finding public, the subdivision that says so)
CATEGORY_RULES = {
    "school_discipline": ("both", False, "832.7(a)"),
    "discourtesy": ("agency", False, "832.7(a)"),
    "bias": ("agency", True, "832.7(b)(1)(D)"),
    "unlawful_search": ("agency", True, "832.7(b)(1)(E)"),
    "excessive_force": ("agency", True, "832.7(b)(1)(A)(iii)"),
    "failure_to_intervene": ("agency", True, "832.7(b)(1)(A)(iv)"),
    "dishonesty": ("agency", True, "832.7(b)(1)(C)"),
    "sexual_misconduct": ("agency", True, "832.7(b)(1)(B)"),
    "failure_to_act": ("agency", False, "832.7(a)"),
    "program_matter": ("district", False, "832.8(a)"),
}


def test_the_categories_file_lists_exactly_the_documented_categories() -> None:
    assert set(categories()) == set(CATEGORY_RULES)


@pytest.mark.parametrize(("key", "rule"), sorted(CATEGORY_RULES.items()))
def test_each_category_says_who_investigates_and_cites_the_law(key: str, rule: tuple[str, bool, str]) -> None:
    cat = categories()[key]
    assign, disclosable, subdivision = rule
    assert (cat.assign, cat.disclosable) == (assign, disclosable)
    assert subdivision in cat.citation and cat.title_es


def test_every_transition_names_known_statuses() -> None:
    statuses = set(Status.values)
    for sources, target in TRANSITIONS.values():
        assert sources <= statuses and (target == "" or target in statuses)


DOCS = Path(__file__).resolve().parents[3] / "docs" / "complaints.md"


@pytest.mark.parametrize("key", sorted(CATEGORY_RULES))
def test_the_docs_list_every_category_with_its_citation(key: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    cat = categories()[key]
    row = next(line for line in text.splitlines() if line.startswith(f"| {cat.title} |"))
    assert CATEGORY_RULES[key][2].removeprefix("832.7") in row or CATEGORY_RULES[key][2] in row


@pytest.mark.parametrize("field", ["acknowledge_by", "assign_by", "decide_by", "tell_by"])
def test_the_docs_give_every_deadline(field: str) -> None:
    deadline = workflow_rules().deadlines[field]
    unit = "school days" if deadline.unit == "school_days" else "days"
    assert f"**{deadline.days} {unit}**" in DOCS.read_text(encoding="utf-8")
