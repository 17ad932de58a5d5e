"""Steps with consequences go through a confirmation page with a required reason; messages and
statuses are in words, never codes."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from sro.contracts.models import Contract, ContractStatus, ContractVersion, Vote
from sro.contracts.services import ClauseIn, contract_transition, version_create, vote_submit
from sro.contracts.workflow import TRANSITIONS
from sro.core.models import AuditEvent

PSHS, CCHS, DHSHS = "33671733335130", "33671733330578", "33671733330818"
RMHS = "33671730127316"  # in negotiation in the demo (Desert Hot Springs High's agreement nears renewal)


@pytest.fixture
def director(client_for: Any) -> Client:
    c: Client = client_for("director")
    return c


def _words(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _contract(cds: str = PSHS, **status: Any) -> Contract:
    contract = Contract.objects.get(campuses__cds_code=cds)
    if status:
        Contract.objects.filter(pk=contract.pk).update(**status)
        contract.refresh_from_db()
    return contract


def _active(cds: str = PSHS) -> Contract:
    today = timezone.localdate()
    return _contract(
        cds, status="active", term_start=today - dt.timedelta(days=30), term_end=today + dt.timedelta(days=300)
    )


def _in_council(cds: str = DHSHS) -> Contract:
    """Desert Hot Springs' draft put before the council (no vote recorded on it yet)."""
    contract = _contract(cds, status="council_review")
    ContractVersion.objects.filter(contract=contract, state="draft").update(state="council_review")
    return contract


def _with_amendment_in_review(director: Any) -> Contract:
    """A contract the board approved (its version in force) with an amendment before the council."""
    contract = _contract(CCHS)
    vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
    vote.meeting.date = timezone.localdate() - dt.timedelta(days=1)
    vote.meeting.save()
    vote_submit(actor=None, contract=contract, meeting=vote.meeting, ayes=4, noes=1)
    contract.refresh_from_db()
    assert contract.in_force is not None
    clauses = [ClauseIn(c.number, c.title, c.text + " Amended.", c.categories) for c in contract.in_force.clauses.all()]
    version_create(actor=None, contract=contract, clauses=clauses, note="Amendment")
    contract_transition(actor=None, contract=contract, action="submit_amendment")
    contract.refresh_from_db()
    return contract


SETUPS = {
    "terminate": lambda d: _contract(PSHS),
    "suspend": lambda d: _active(PSHS),
    "expire": lambda d: _contract(
        PSHS,
        status="active",
        term_start=timezone.localdate() - dt.timedelta(days=400),
        term_end=timezone.localdate() - dt.timedelta(days=2),
    ),
    "withdraw_from_council": lambda d: _in_council(),
    "withdraw_amendment": _with_amendment_in_review,
}
# What each page must say, and the state after the step.
SAYS = {
    "terminate": ["Terminate the agreement with Palm Springs Police Department?", "can no longer be deployed"],
    "suspend": ["Suspend the agreement with Palm Springs Police Department?", "must leave its campuses"],
    "expire": ["Close the agreement with Palm Springs Police Department?", "no officer"],
    "withdraw_from_council": ["from the city council", "returns to negotiation"],
    "withdraw_amendment": ["Withdraw the amendment", "stays in force"],
}
MISSING = {
    "terminate": "Give the reason for terminating the agreement.",
    "suspend": "Give the reason for suspending the agreement.",
    "expire": "Give the reason for closing the agreement now.",
    "withdraw_from_council": "Give the reason for withdrawing the agreement from the council",
    "withdraw_amendment": "Give the reason for withdrawing the amendment.",
}
AFTER = {
    "terminate": "terminated",
    "suspend": "suspended",
    "expire": "expired",
    "withdraw_from_council": "negotiating",
    "withdraw_amendment": "active",
}


def _state(contract: Contract) -> tuple[str, list[str]]:
    contract.refresh_from_db()
    return contract.status, list(contract.versions.order_by("number").values_list("state", flat=True))


@pytest.mark.parametrize("action", list(SETUPS))
def test_the_confirmation_page_says_what_will_happen_and_asks_for_a_reason(
    demo: dict[str, Any], director: Client, action: str
) -> None:
    contract = SETUPS[action](director)
    page = director.get(f"/contracts/{contract.pk}/actions/{action}/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in SAYS[action]:
        assert text in html, text
    assert re.search(r'<textarea[^>]*name="reason"[^>]*required', html)
    assert 'class="button-danger"' in html and 'class="warning"' in html
    assert f'href="/contracts/{contract.pk}/">Cancel</a>' in html


@pytest.mark.parametrize("action", list(SETUPS))
@pytest.mark.parametrize("reason", ["", "   "])
def test_without_a_reason_nothing_changes_and_the_error_is_shown(
    demo: dict[str, Any], director: Client, action: str, reason: str
) -> None:
    contract = SETUPS[action](director)
    before, events = _state(contract), AuditEvent.objects.count()
    r = director.post(f"/contracts/{contract.pk}/actions/{action}/", {"reason": reason})
    assert r.status_code == 200
    html = r.content.decode()
    assert "There is a problem" in html and MISSING[action] in html
    assert 'href="#id_reason"' in html  # the error summary links to the field
    assert _state(contract) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("action", list(SETUPS))
def test_with_a_reason_the_step_is_taken_and_the_reason_recorded(
    demo: dict[str, Any], director: Client, action: str
) -> None:
    contract = SETUPS[action](director)
    r = director.post(f"/contracts/{contract.pk}/actions/{action}/", {"reason": "Council resolution 2026-14"})
    assert r.status_code == 302 and r["Location"] == f"/contracts/{contract.pk}/"
    contract.refresh_from_db()
    assert contract.status == AFTER[action]
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None and event.actor_username == "director"
    assert event.changes["reason"] == "Council resolution 2026-14"
    shown = director.get(r["Location"]).content.decode()
    assert "Done:" not in shown


def test_the_messages_say_what_happened_in_words(demo: dict[str, Any], director: Client) -> None:
    today = _words(timezone.localdate())
    contract = _active(PSHS)
    r = director.post(f"/contracts/{contract.pk}/actions/suspend/", {"reason": "Audit"}, follow=True)
    assert f"Agreement suspended on {today}." in r.content.decode()
    r = director.post(f"/contracts/{contract.pk}/actions/reinstate/", follow=True)
    assert "Suspension lifted: the agreement is active." in r.content.decode()
    r = director.post(f"/contracts/{contract.pk}/actions/terminate/", {"reason": "Board decision"}, follow=True)
    html = r.content.decode()
    assert f"Agreement terminated on {today}." in html and "Done: terminate" not in html
    # A step no longer possible is refused in words, not with the list of action codes.
    r = director.get(f"/contracts/{contract.pk}/actions/terminate/", follow=True)
    html = r.content.decode()
    assert "is not possible now: the agreement is terminated" in html
    assert "Allowed actions" not in html


def test_a_refusal_by_the_service_is_shown_in_words(demo: dict[str, Any], director: Client) -> None:
    contract = _contract(RMHS)  # negotiating, a required element missing
    r = director.post(f"/contracts/{contract.pk}/actions/submit_to_council/", follow=True)
    html = r.content.decode()
    assert "Required elements are missing" in html
    assert "submit_to_council" not in _visible_text(html)
    contract.refresh_from_db()
    assert contract.status == "negotiating"


@pytest.mark.parametrize("username", ["superintendent", "boardmember", "analyst", "lt.pspd", "principal.pshs"])
def test_a_role_that_may_not_act_is_refused_and_nothing_changes(
    demo: dict[str, Any], client_for: Any, username: str
) -> None:
    contract = _active(PSHS)
    c = client_for(username)
    events = AuditEvent.objects.count()
    for action in ("terminate", "suspend"):
        assert c.get(f"/contracts/{contract.pk}/actions/{action}/").status_code in (403, 404)
        assert c.post(f"/contracts/{contract.pk}/actions/{action}/", {"reason": "x"}).status_code in (403, 404)
    contract.refresh_from_db()
    assert contract.status == "active" and AuditEvent.objects.count() == events
    assert f"/contracts/{contract.pk}/actions/terminate/" not in c.get(f"/contracts/{contract.pk}/").content.decode()


def test_signed_out_the_confirmation_page_asks_to_sign_in(demo: dict[str, Any]) -> None:
    contract = _contract(PSHS)
    r = Client().get(f"/contracts/{contract.pk}/actions/terminate/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_an_unknown_step_is_not_found_and_a_main_step_needs_a_post(demo: dict[str, Any], director: Client) -> None:
    contract = _contract(PSHS)
    assert director.get(f"/contracts/{contract.pk}/actions/explode/").status_code == 404
    assert director.get(f"/contracts/{contract.pk}/actions/open_negotiation/").status_code == 405


def test_the_record_page_links_to_the_confirmation_after_the_main_steps(demo: dict[str, Any], director: Client) -> None:
    contract = _active(PSHS)
    html = director.get(f"/contracts/{contract.pk}/").content.decode()
    terminate = f'<a class="danger-link" href="/contracts/{contract.pk}/actions/terminate/">'
    suspend = f'<a class="danger-link" href="/contracts/{contract.pk}/actions/suspend/">'
    assert terminate in html and suspend in html
    # No one-click form for them any more; they come after the main step (the vote link).
    assert f'action="/contracts/{contract.pk}/actions/terminate/"' not in html
    assert f'action="/contracts/{contract.pk}/actions/suspend/"' not in html
    assert html.index("Schedule or record a vote") < html.index(terminate)
    assert TRANSITIONS["terminate"].label in html


def test_a_recorded_vote_flashes_its_outcome_and_tally(demo: dict[str, Any], director: Client) -> None:
    contract = _contract(CCHS)
    vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
    vote.meeting.date = timezone.localdate() - dt.timedelta(days=1)
    vote.meeting.save()
    r = director.post(
        f"/contracts/{contract.pk}/vote/", {"meeting": vote.meeting_id, "ayes": 5, "noes": 0}, follow=True
    )
    html = r.content.decode()
    messages = re.search(r'<ul class="messages">(.*?)</ul>', html, re.S)
    assert messages is not None
    assert "Vote recorded: passed 5-0" in messages.group(1)
    assert "The agreement is now: active." in messages.group(1)
    assert "Scheduled" not in messages.group(1) and "scheduled" not in messages.group(1)


def test_a_scheduled_vote_flashes_scheduled(demo: dict[str, Any], director: Client) -> None:
    contract = _contract(PSHS)
    vote = Vote.objects.get(version__contract=contract, meeting__body__kind="school_board")
    r = director.post(f"/contracts/{contract.pk}/vote/", {"meeting": vote.meeting_id}, follow=True)
    assert f"Vote scheduled: {vote.meeting.body}, {_words(vote.meeting.date)}." in r.content.decode()


# ---------------------------------------------------------------- no codes shown to people


class _Text(HTMLParser):
    """The text a reader sees: no tags, no attributes, no scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


# The deployment gate's reason codes (docs/contracts.md; the gate lives in staffing, above this app).
GATE_CODES = {
    "no_contract",
    "contract_in_negotiation",
    "awaiting_council_vote",
    "council_rejected",
    "awaiting_board_approval",
    "not_in_term",
    "contract_suspended",
    "contract_terminated",
    "contract_expired",
    "no_officer_assigned",
    "officer_not_jointly_approved",
    "training_missing",
    "training_expired",
}


def _codes() -> set[str]:
    """Codes that have a label: statuses, version states, lifecycle steps, gate reasons, catalogue keys."""
    from sro.contracts.catalogue import element_keys
    from sro.contracts.models import VersionState

    found = {*ContractStatus.values, *VersionState.values, *TRANSITIONS, *GATE_CODES, *element_keys()}
    return {c for c in found if "_" in c}  # one-word codes ("active") are also plain words


def test_contract_pages_show_labels_not_codes(demo: dict[str, Any], director: Client) -> None:
    codes = _codes()
    assert "awaiting_board_approval" in codes and "board_review" in codes
    _active(CCHS)
    pages = ["/contracts/", "/campuses/board/"]
    for contract in Contract.objects.all():
        pages += [f"/contracts/{contract.pk}/", f"/contracts/{contract.pk}/?from=1&to=2"]
        pages += [f"/contracts/{contract.pk}/actions/{a}/" for a in ("terminate", "suspend")]
    for url in pages:
        r = director.get(url, follow=True)
        assert r.status_code == 200, url
        text = _visible_text(r.content.decode())
        shown = sorted(c for c in codes if re.search(rf"\b{re.escape(c)}\b", text))
        assert shown == [], (url, shown)
    assert "Awaiting school board approval" in _visible_text(director.get("/contracts/").content.decode())


def test_the_campus_board_keeps_each_reason_code_as_data_not_text(demo: dict[str, Any], director: Client) -> None:
    html = director.get("/campuses/board/").content.decode()
    assert 'data-reason="awaiting_board_approval"' in html
    assert "awaiting_board_approval" not in _visible_text(html)
    assert "the school board has not yet given final approval" in html


def test_closing_is_offered_only_after_the_last_day_of_the_term(demo: dict[str, Any], director: Client) -> None:
    contract = _active(PSHS)
    assert (
        f"/contracts/{contract.pk}/actions/expire/" not in director.get(f"/contracts/{contract.pk}/").content.decode()
    )
    r = director.get(f"/contracts/{contract.pk}/actions/expire/", follow=True)
    assert f"The term runs until {_words(contract.term_end)}" in r.content.decode()
    contract.refresh_from_db()
    assert contract.status == "active"
