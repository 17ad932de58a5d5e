"""Staffing steps with consequences go through a confirmation page with a required reason:
cancelling or ending an assignment, declining a training completion, withdrawing a nomination
and vetoing a candidate. Messages and statuses are in words, never codes."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.utils.formats import date_format

from sro.core.models import AuditEvent
from sro.staffing.assignments import assignment_create
from sro.staffing.catalogues import course_keys, rubric
from sro.staffing.models import Assignment, Nomination, Officer, Panel, Recommendation, TrainingRecord
from sro.staffing.tests.conftest import PSHS, World, snapshot

D = dt.timedelta
REASON = "Officer on extended leave"


def _words(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _planned(world: World, start: int = 5, end: int = 9) -> Assignment:
    return assignment_create(
        actor=None,
        officer=world.ready_officer(),
        school=world.schools[PSHS],
        start_date=world.today + D(start),
        end_date=world.today + D(end),
    )


def _last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None
    return event


def _confirmation_page(html: str, *texts: str) -> None:
    for text in texts:
        assert text in html, text
    assert re.search(r'<textarea[^>]*name="reason"[^>]*required', html)
    assert 'class="button-danger"' in html and 'class="warning"' in html


def _refused_without_reason(html: str, message: str) -> None:
    assert "There is a problem" in html and message in html and 'href="#id_reason"' in html


# ---------------------------------------------------------------- assignments


def test_cancelling_an_assignment_is_confirmed_with_a_reason(world: World) -> None:
    planned = _planned(world)
    lt = world.client("lt.pspd")
    url = f"/staffing/assignments/{planned.pk}/cancel/"
    page = lt.get(url)
    assert page.status_code == 200
    _confirmation_page(
        page.content.decode(),
        "Cancel Pat Officer100",
        "calls the assignment off before its first day",
        "This cannot be undone",
        'href="/staffing/assignments/">Keep the assignment</a>',
    )
    before = snapshot()
    r = lt.post(url, {"reason": "  "})
    assert r.status_code == 200
    _refused_without_reason(r.content.decode(), "Give the reason for cancelling the assignment.")
    assert snapshot() == before
    planned.refresh_from_db()
    assert planned.cancelled_on is None

    r = lt.post(url, {"reason": REASON})
    assert r.status_code == 302 and r["Location"] == "/staffing/assignments/"
    assert Assignment.with_cancelled.get(pk=planned.pk).cancelled_on == world.today
    event = _last("cancel_assignment")
    assert event.changes["reason"] == REASON and event.actor_username == "lt.pspd"
    shown = lt.get(r["Location"]).content.decode()
    assert (
        f"Assignment cancelled: {planned.officer} will not serve at {PSHS} from {_words(planned.start_date)}." in shown
    )


def test_ending_an_assignment_early_is_confirmed_with_a_reason(world: World) -> None:
    running = _planned(world, start=0, end=30)
    director = world.client("director")
    url = f"/staffing/assignments/{running.pk}/end/"
    _confirmation_page(
        director.get(url).content.decode(),
        "End Pat Officer100",
        f"it is now {_words(running.end_date)}",
        "This cannot be undone",
        'href="/staffing/assignments/">Cancel</a>',
    )
    before = snapshot()
    r = director.post(url, {"on": str(world.today + D(3)), "reason": ""})
    assert r.status_code == 200
    _refused_without_reason(r.content.decode(), "Give the reason for ending the assignment early.")
    assert snapshot() == before
    running.refresh_from_db()
    assert running.end_date == world.today + D(30)

    r = director.post(url, {"on": str(world.today + D(3)), "reason": REASON}, follow=True)
    running.refresh_from_db()
    assert running.end_date == world.today + D(3)
    assert _last("end_assignment").changes["reason"] == REASON
    assert f"Assignment ended: {running.officer}&#x27;s last day at {PSHS} is {_words(world.today + D(3))}." in (
        r.content.decode()
    )


@pytest.mark.parametrize("username", ["lt.ccpd", "principal.pshs", "superintendent", "analyst"])
def test_a_role_that_may_not_change_an_assignment_gets_404(world: World, username: str) -> None:
    planned = _planned(world)
    c = world.client(username)
    before = snapshot()
    for step in ("cancel", "end"):
        assert c.get(f"/staffing/assignments/{planned.pk}/{step}/").status_code == 404
        assert c.post(f"/staffing/assignments/{planned.pk}/{step}/", {"reason": "x"}).status_code == 404
    assert snapshot() == before


# ---------------------------------------------------------------- training


def _pending(world: World) -> TrainingRecord:
    officer = world.officer()
    world.nominate(officer)
    world.train(officer, unconfirmed=["mental_health"])
    return TrainingRecord.objects.get(officer=officer, course="mental_health")


def test_declining_a_completion_is_confirmed_with_a_note(world: World) -> None:
    record = _pending(world)
    director = world.client("director")
    officer_page = director.get(f"/staffing/officers/{record.officer_id}/").content.decode()
    assert f'href="/staffing/training/{record.pk}/decline/"' in officer_page
    assert 'value="reject"' not in officer_page  # no one-click decline
    url = f"/staffing/training/{record.pk}/decline/"
    _confirmation_page(
        director.get(url).content.decode(),
        "Decline Pat Officer100&#x27;s completion of Youth mental health",
        "does not count towards the officer&#x27;s required training",
        "This cannot be undone",
    )
    before = snapshot()
    r = director.post(url, {"reason": ""})
    _refused_without_reason(r.content.decode(), "Say why the completion is not accepted.")
    assert snapshot() == before
    # The old one-click decline now leads to the confirmation page and changes nothing.
    r = director.post(f"/staffing/training/{record.pk}/review/", {"decision": "reject", "note": "x"})
    assert r.status_code == 302 and r["Location"] == url
    assert snapshot() == before

    r = director.post(url, {"reason": "The certificate is for another officer"}, follow=True)
    record.refresh_from_db()
    assert record.status == "rejected" and record.review_note == "The certificate is for another officer"
    assert _last("training_reject").changes["note"] == "The certificate is for another officer"
    assert "Completion declined: Youth mental health" in r.content.decode()


def test_confirming_a_completion_stays_one_click_and_says_so(world: World) -> None:
    record = _pending(world)
    r = world.client("director").post(f"/staffing/training/{record.pk}/review/", {"decision": "confirm"}, follow=True)
    record.refresh_from_db()
    assert record.status == "confirmed"
    assert "Completion confirmed: Youth mental health" in r.content.decode()


@pytest.mark.parametrize("username", ["lt.pspd", "superintendent", "principal.pshs"])
def test_only_the_district_admin_may_decline(world: World, username: str) -> None:
    record = _pending(world)
    c = world.client(username)
    before = snapshot()
    assert c.get(f"/staffing/training/{record.pk}/decline/").status_code == 404
    assert c.post(f"/staffing/training/{record.pk}/decline/", {"reason": "x"}).status_code == 404
    assert snapshot() == before


# ---------------------------------------------------------------- nominations


def test_withdrawing_a_nomination_is_confirmed_with_a_reason(world: World) -> None:
    officer = world.officer()
    nomination = world.nominate(officer)
    lt = world.client("lt.pspd")
    url = f"/staffing/nominations/{nomination.pk}/withdraw/"
    assert f'href="{url}"' in lt.get(f"/staffing/officers/{officer.pk}/").content.decode()
    _confirmation_page(
        lt.get(url).content.decode(),
        "Withdraw the nomination of Pat Officer100?",
        "is no longer a candidate",
        "This cannot be undone",
        f'href="/staffing/officers/{officer.pk}/">Cancel</a>',
    )
    before = snapshot()
    r = lt.post(url, {"reason": ""})
    _refused_without_reason(r.content.decode(), "Give the reason for withdrawing the nomination.")
    assert snapshot() == before
    r = lt.post(url, {"reason": REASON}, follow=True)
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn"
    assert _last("withdraw").changes["reason"] == REASON
    assert "Nomination withdrawn: Pat Officer100 is no longer a candidate" in r.content.decode()
    # Withdrawn: no link any more, and the page says so in words.
    assert f'href="{url}"' not in lt.get(f"/staffing/officers/{officer.pk}/").content.decode()
    assert "cannot be withdrawn: it is Withdrawn" in lt.get(url, follow=True).content.decode()


def test_a_nomination_of_an_assigned_officer_cannot_be_withdrawn(world: World) -> None:
    planned = _planned(world)
    nomination = Nomination.objects.get(officer=planned.officer)
    lt = world.client("lt.pspd")
    assert "/withdraw/" not in lt.get(f"/staffing/officers/{planned.officer_id}/").content.decode()
    r = lt.post(f"/staffing/nominations/{nomination.pk}/withdraw/", {"reason": "x"}, follow=True)
    assert "the officer has been assigned under this agreement" in r.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "approved"


@pytest.mark.parametrize("username", ["director", "lt.ccpd", "superintendent"])
def test_only_the_agency_supervisor_may_withdraw(world: World, username: str) -> None:
    nomination = world.nominate(world.officer())
    c = world.client(username)
    before = snapshot()
    assert c.get(f"/staffing/nominations/{nomination.pk}/withdraw/").status_code == 404
    assert c.post(f"/staffing/nominations/{nomination.pk}/withdraw/", {"reason": "x"}).status_code == 404
    assert snapshot() == before


# ---------------------------------------------------------------- a veto


def test_a_veto_is_confirmed_before_it_rejects_the_candidate(world: World) -> None:
    nomination = world.nominate(world.officer())
    panel = world.panel(nomination)
    director = world.client("director")
    url = f"/staffing/panels/{panel.pk}/"
    form = {f"score_{k}": "2" for k in rubric().keys} | {"recommendation": Recommendation.VETO, "reason": "Record"}
    before = snapshot()
    page = director.post(url, form)
    assert page.status_code == 200
    html = page.content.decode()
    _confirmation_page(html, "Veto Pat Officer100?", "rejects Pat Officer100 at once", "This cannot be undone")
    assert 'name="confirm_veto" value="yes"' in html and 'type="hidden" name="score_communication" value="2"' in html
    assert snapshot() == before  # nothing saved yet

    r = director.post(url, form | {"confirm_veto": "yes", "reason": ""})
    assert r.status_code == 200
    _refused_without_reason(r.content.decode(), "Give the reason for your veto.")
    assert snapshot() == before

    r = director.post(url, form | {"confirm_veto": "yes", "reason": "Use-of-force complaints not disclosed"})
    assert r.status_code == 302
    panel.refresh_from_db()
    assert panel.outcome == Panel.Outcome.REJECTED
    assert _last("panel_score").changes["reason"] == "Use-of-force complaints not disclosed"


def test_a_recommendation_is_recorded_without_a_confirmation(world: World) -> None:
    panel = world.panel(world.nominate(world.officer()))
    form = {f"score_{k}": "4" for k in rubric().keys} | {"recommendation": "recommend", "reason": "Good fit"}
    assert world.client("director").post(f"/staffing/panels/{panel.pk}/", form).status_code == 302


# ---------------------------------------------------------------- no codes shown to people


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _codes() -> set[str]:
    from sro.contracts.models import ContractStatus
    from sro.staffing.gate import REASON_TEXT

    found = {*REASON_TEXT, *course_keys(), *rubric().keys, *Recommendation.values, *ContractStatus.values}
    return {c for c in found if "_" in c}


def test_staffing_pages_show_labels_not_codes(world: World) -> None:
    codes = _codes()
    assert {"no_officer_assigned", "mental_health", "do_not_recommend"} <= codes
    assigned = _planned(world)
    candidate = world.officer(badge="7")
    panel = world.panel(world.nominate(candidate))
    world.score(panel, "director", recommendation="do_not_recommend")
    world.train(candidate, unconfirmed=["mental_health"])
    record = TrainingRecord.objects.get(officer=candidate, course="mental_health")
    lt, director = world.client("lt.pspd"), world.client("director")
    pages = {
        lt: [
            "/staffing/",
            f"/staffing/officers/{candidate.pk}/",
            f"/staffing/officers/{assigned.officer_id}/",
            "/staffing/assignments/",
            "/staffing/training/",
            f"/staffing/panels/{panel.pk}/",
            f"/staffing/assignments/{assigned.pk}/cancel/",
            f"/staffing/assignments/{assigned.pk}/end/",
            f"/staffing/nominations/{candidate.nominations.get().pk}/withdraw/",
            "/campuses/board/",
        ],
        director: [
            f"/staffing/officers/{candidate.pk}/",
            f"/staffing/training/{record.pk}/decline/",
            "/staffing/notices/",
        ],
    }
    for client, urls in pages.items():
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, url
            text = _visible_text(r.content.decode())
            shown = sorted(c for c in codes if re.search(rf"\b{re.escape(c)}\b", text))
            assert shown == [], (url, shown)
    # The gate's refusal on the assignment form: every reason in words, its code kept as data.
    refused = lt.post(
        "/staffing/assignments/new/",
        {
            "officer": candidate.pk,
            "school": world.schools[PSHS].pk,
            "start_date": str(world.today + D(40)),
            "end_date": str(world.today + D(50)),
        },
    ).content.decode()
    assert 'data-reason="officer_not_jointly_approved"' in refused
    assert "not been approved by both the district and the agency" in refused
    assert not [c for c in codes if re.search(rf"\b{re.escape(c)}\b", _visible_text(refused))]


def test_the_officer_record_names_courses_by_title(world: World) -> None:
    officer: Officer = world.officer()
    world.train(officer)
    html = world.client("lt.pspd").get(f"/staffing/officers/{officer.pk}/").content.decode()
    assert "<code>" not in html and "Youth mental health and crisis response" in html
