"""Renewal through the council and then the board; the reminders at 120, 60 and 30 days; the term
that ends without renewal (moving the clock by the `today` every service and command takes)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sro.contracts.models import Body, Contract, ContractVersion, VersionState
from sro.contracts.services import contracts_refresh, meeting_create, vote_submit
from sro.core.errors import Forbidden, InvalidInput
from sro.evaluation.models import RenewalReminder
from sro.evaluation.queue import renewals_due
from sro.evaluation.services import reminder_read, reminders_send, renewal_propose
from sro.orgs.actors import actor_for
from sro.staffing.gate import contract_reasons

D = dt.date
DAY = dt.timedelta(days=1)


def _approved(world_contract: Contract) -> Contract:
    """The world's contract, adopted by the board: its version under review is the one in force."""
    version = world_contract.versions.order_by("-number").first()
    assert version is not None
    ContractVersion.objects.filter(pk=version.pk).update(state=VersionState.IN_FORCE)
    world_contract.in_force = version
    world_contract.save(update_fields=["in_force"])
    return world_contract


@pytest.fixture
def pshs(world: dict[str, Any]) -> Contract:
    return _approved(Contract.objects.get(campuses=world["schools"]["Palm Springs High"]))


def _vote(contract: Contract, kind: str, day: dt.date, ayes: int, noes: int) -> None:
    if kind == "city_council":
        body = Body.objects.get(kind=kind, city=contract.city)
    else:
        body = Body.objects.get(kind=kind, district_id=contract.district_id)
    meeting = meeting_create(actor=None, body=body, date=day, title="Renewal")
    vote_submit(actor=actor_for_director(), contract=contract, meeting=meeting, ayes=ayes, noes=noes, today=day)


def actor_for_director() -> Any:
    from sro.orgs.models import User

    return actor_for(User.objects.get(username="director"))


def test_a_renewal_walks_through_the_council_then_the_board(pshs: Contract) -> None:
    today = timezone.localdate()
    old_end, new_end = pshs.term_end, pshs.term_end.replace(year=pshs.term_end.year + 1)
    version = renewal_propose(actor=actor_for_director(), contract=pshs, term_end=new_end)
    assert (version.state, version.is_amendment, version.renewal_term_end) == ("council_review", True, new_end)
    assert [c.number for c in version.clauses.all()] == [c.number for c in pshs.in_force.clauses.all()]  # type: ignore[union-attr]
    _vote(pshs, "city_council", today, 4, 1)
    version.refresh_from_db()
    pshs.refresh_from_db()
    assert version.state == "board_review" and pshs.term_end == old_end  # the council alone renews nothing
    _vote(pshs, "school_board", today, 3, 2)
    version.refresh_from_db()
    pshs.refresh_from_db()
    assert (version.state, pshs.in_force_id, pshs.term_end, pshs.status) == ("in_force", version.pk, new_end, "active")
    assert contract_reasons(pshs, old_end + DAY) == []  # the renewed term: still deployable


def test_a_failed_council_vote_leaves_the_term_to_end(pshs: Contract) -> None:
    today = timezone.localdate()
    renewal_propose(actor=actor_for_director(), contract=pshs, term_end=pshs.term_end + dt.timedelta(days=365))
    _vote(pshs, "city_council", today, 1, 4)
    pshs.refresh_from_db()
    end = pshs.term_end
    assert contract_reasons(pshs, end) == []
    assert [r.code for r in contract_reasons(pshs, end + DAY)] == ["contract_expired"]  # the very next day
    contracts_refresh(today=end + DAY)
    pshs.refresh_from_db()
    assert pshs.status == "expired"


def test_only_the_director_renews_and_only_past_the_current_term(pshs: Contract, world: dict[str, Any]) -> None:
    with pytest.raises(Forbidden):
        renewal_propose(actor=actor_for(world["users"]["boardmember"]), contract=pshs, term_end=D(2040, 6, 30))
    with pytest.raises(InvalidInput, match="after the current term"):
        renewal_propose(actor=actor_for_director(), contract=pshs, term_end=pshs.term_end)


def test_reminders_at_120_60_and_30_days_once_each(pshs: Contract) -> None:
    end = pshs.term_end
    owners = {"director", "lt.pspd"}

    def remind(days_left: int) -> set[tuple[str, int]]:
        sent = reminders_send(today=end - dt.timedelta(days=days_left))
        return {(r.recipient.username, r.days_before) for r in sent if r.contract_id == pshs.pk}

    assert remind(121) == set()
    assert remind(120) == {(u, 120) for u in owners}
    assert remind(120) == set()  # the same day again: nothing new
    assert remind(90) == set()
    assert remind(60) == {(u, 60) for u in owners}
    assert remind(45) == set()
    assert remind(30) == {(u, 30) for u in owners}
    assert remind(1) == set()
    assert remind(-1) == set()  # the term has ended: the gate says so, no reminder
    assert RenewalReminder.objects.filter(contract=pshs).count() == 6


def test_a_missed_day_catches_up_with_the_step_reached(pshs: Contract) -> None:
    sent = reminders_send(today=pshs.term_end - dt.timedelta(days=50))
    assert {r.days_before for r in sent if r.contract_id == pshs.pk} == {60}


def test_the_daily_command_and_the_directors_queue(pshs: Contract, world: dict[str, Any]) -> None:
    today = timezone.localdate()
    Contract.objects.filter(pk=pshs.pk).update(term_end=today + dt.timedelta(days=60))
    out = StringIO()
    call_command("evaluation", "remind", "--today", today.isoformat(), stdout=out)
    assert "2 new renewal reminder(s)" in out.getvalue()
    call_command("evaluation", "remind", "--today", today.isoformat(), stdout=out)
    assert "0 new renewal reminder(s)" in out.getvalue()
    director = actor_for(world["users"]["director"])
    [item] = renewals_due(director)
    assert pshs.title in item.text and "60 days left" in item.detail and not item.overdue
    assert renewals_due(actor_for(world["users"]["lt.ccpd"])) == []
    reminder_read(actor=director, reminder=RenewalReminder.objects.get(recipient=director.user))
    assert renewals_due(director) == []


def test_the_public_site_says_the_term_has_ended(pshs: Contract, world: dict[str, Any]) -> None:
    school = world["schools"]["Palm Springs High"]
    yesterday = timezone.localdate() - DAY
    Contract.objects.filter(pk=pshs.pk).update(term_start=yesterday - dt.timedelta(days=400), term_end=yesterday)
    for path in (f"/public/campuses/{school.cds_code}/", f"/public/contracts/{pshs.pk}/"):
        page = Client().get(path).content.decode()
        assert "The contract&#x27;s term has ended." in page, path
    Contract.objects.filter(pk=pshs.pk).update(term_end=yesterday + DAY)  # its last day: not yet
    assert "term has ended" not in Client().get(f"/public/contracts/{pshs.pk}/").content.decode()
