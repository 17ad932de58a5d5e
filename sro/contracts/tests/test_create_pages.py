"""The district administrator creates bodies, meetings, contracts and versions from the pages, puts a
version on a meeting's agenda and records the vote; errors show the summary and save nothing; other
roles are refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.catalogue import catalogue
from sro.contracts.demo import MODEL_CLAUSES
from sro.contracts.models import Body, Contract, ContractStatus, ContractVersion, Meeting, Vote
from sro.contracts.services import contract_create, contract_transition, contract_update, version_create
from sro.core.errors import Forbidden, InvalidInput, TransitionRefused
from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for
from sro.orgs.models import City, District, LawEnforcementAgency, School, User
from sro.orgs.services import agency_create, city_get_or_create, district_upsert

Login = Callable[[str], Client]
PSHS, DHSHS, RMHS = "33671733335130", "33671733330818", "Rancho Mirage High"
RMHS_CDS = "33671730127316"  # in negotiation in the demo (Desert Hot Springs High's agreement nears renewal)


@pytest.fixture
def director(client_for: Login) -> Client:
    return client_for("director")


def _snapshot() -> tuple[int, ...]:
    return (
        Contract.objects.count(),
        ContractVersion.objects.count(),
        Body.objects.count(),
        Meeting.objects.count(),
        Vote.objects.count(),
    )


def _text(response: Any) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def _summary(response: Any) -> str:
    """The error summary's text ("There is a problem" and a line per error)."""
    html = response.content.decode()
    m = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert m is not None, "no error summary on the page"
    return unescape(re.sub(r"<[^>]+>|\s+", " ", m.group(0)))


def _messages(response: Any) -> str:
    m = re.search(r'<ul class="messages">(.*?)</ul>', response.content.decode(), re.S)
    return unescape(re.sub(r"<[^>]+>|\s+", " ", m.group(1))) if m else ""


def _clause_rows(rows: list[dict[str, Any]], *, initial: int, extra: int = 2) -> dict[str, Any]:
    """The clause formset's POST data: `rows` (number, title, text, categories, DELETE), then empty rows."""
    data: dict[str, Any] = {
        "clauses-TOTAL_FORMS": str(len(rows) + extra),
        "clauses-INITIAL_FORMS": str(initial),
        "clauses-MIN_NUM_FORMS": "0",
        "clauses-MAX_NUM_FORMS": "60",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "DELETE":
                if value:
                    data[f"clauses-{i}-DELETE"] = "on"
            else:
                data[f"clauses-{i}-{key}"] = value
    return data


def _catalogue_rows(*, written: bool) -> list[dict[str, Any]]:
    """The rows the new-contract page offers (one per catalogue element), with the model text when `written`."""
    text = {c.categories[0]: c.text for c in MODEL_CLAUSES}
    return [
        {"number": str(i), "title": e.title, "categories": [e.key], "text": text[e.key] if written else ""}
        for i, e in enumerate(catalogue(), start=1)
    ]


@pytest.fixture
def thousand_palms() -> tuple[City, LawEnforcementAgency]:
    """A city with no council yet, and the agency serving it."""
    city = city_get_or_create(actor=None, name="Thousand Palms", county="Riverside")
    agency = agency_create(actor=None, name="Thousand Palms Police Department", kind="city_police", cities=[city])
    return city, agency


def _contract_data(agency: LawEnforcementAgency, city: City, campus: School, **change: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "title": "SRO agreement: Thousand Palms Police Department at Rancho Mirage High",
        "agency": agency.pk,
        "city": city.pk,
        "campuses": [campus.pk],
        "positions": "2",
        "term_start": (today - dt.timedelta(days=10)).isoformat(),
        "term_end": (today + dt.timedelta(days=355)).isoformat(),
        "annual_cost": "150000.00",
        "district_share_percent": "60",
        "renewal_terms": "By vote of both bodies.",
        **change,
    }


def test_the_director_creates_a_contract_and_takes_it_through_both_votes_today(
    director: Client, thousand_palms: tuple[City, LawEnforcementAgency]
) -> None:
    city, agency = thousand_palms
    campus = School.objects.get(name=RMHS)
    today = timezone.localdate()
    listing = _text(director.get("/contracts/"))
    assert 'href="/contracts/new/"' in listing and 'href="/contracts/bodies/"' in listing

    # A council for the city, and a meeting of it today.
    r = director.post(
        "/contracts/bodies/new/",
        {
            "name": "Thousand Palms City Council",
            "kind": "city_council",
            "city": city.pk,
            "seats": "5",
            "voting_rule": "majority_of_seats",
        },
    )
    council = Body.objects.get(name="Thousand Palms City Council")
    assert r.status_code == 302 and r["Location"] == f"/contracts/bodies/{council.pk}/meetings/"
    assert (council.kind, council.city, council.seats) == ("city_council", city, 5)
    r = director.post(
        f"/contracts/bodies/{council.pk}/meetings/new/", {"date": today.isoformat(), "title": "Special meeting"}
    )
    assert r.status_code == 302
    council_meeting = Meeting.objects.get(body=council)
    page = director.get(r["Location"])
    assert "Meeting of Thousand Palms City Council on" in _messages(page)
    assert "Special meeting" in _text(page)

    # The contract, with its text written in the rows the page offers.
    form = _text(director.get("/contracts/new/"))
    assert "Prohibition on school discipline" in form  # a row per catalogue element
    r = director.post(
        "/contracts/new/",
        {
            **_contract_data(agency, city, campus, title_es="  Acuerdo con Thousand Palms  "),
            **_clause_rows(_catalogue_rows(written=True), initial=13),
        },
    )
    contract = Contract.objects.get(agency=agency)
    assert r.status_code == 302 and r["Location"] == f"/contracts/{contract.pk}/"
    assert (contract.status, contract.district.name, contract.positions) == ("draft", "Palm Springs Unified", 2)
    assert contract.title_es == "Acuerdo con Thousand Palms"  # the Spanish title parents read
    assert list(contract.campuses.all()) == [campus]
    v1 = contract.versions.get()
    assert v1.clauses.count() == 13
    detail = director.get(r["Location"])
    assert "created with 13 clauses" in _messages(detail)
    assert f'href="/contracts/{contract.pk}/versions/new/"' in _text(detail)
    assert f'href="/contracts/{contract.pk}/edit/"' in _text(detail)

    # A new version: the page offers version 1's clauses; one changed, one left out.
    offered = _text(director.get(f"/contracts/{contract.pk}/versions/new/"))
    assert MODEL_CLAUSES[6].text in offered
    rows = [
        {"number": c.number, "title": c.title, "text": c.text, "categories": c.categories} for c in v1.clauses.all()
    ]
    rows[4]["text"] += " Training is refreshed every two years."
    rows[12]["DELETE"] = True  # evaluation
    r = director.post(
        f"/contracts/{contract.pk}/versions/new/",
        {"note": "Training refreshed", **_clause_rows(rows, initial=13)},
    )
    assert r.status_code == 302
    v2 = contract.versions.get(number=2)
    assert (v2.note, v2.clauses.count(), v2.is_amendment) == ("Training refreshed", 12, False)
    assert "refreshed every two years" in v2.clauses.get(number="5").text

    # To the council, on today's meeting's agenda, and its vote recorded on the vote page.
    director.post(f"/contracts/{contract.pk}/actions/open_negotiation/")
    director.post(f"/contracts/{contract.pk}/actions/submit_to_council/")
    next_steps = _text(director.get(f"/contracts/{contract.pk}/"))
    assert f'href="/contracts/{contract.pk}/versions/2/schedule/"' in next_steps
    r = director.post(f"/contracts/{contract.pk}/versions/2/schedule/", {"meeting": council_meeting.pk})
    assert r.status_code == 302
    assert "Version 2 is on the agenda of Thousand Palms City Council" in _messages(director.get(r["Location"]))
    assert Vote.objects.get(version=v2).outcome == "scheduled"
    r = director.post(f"/contracts/{contract.pk}/vote/", {"meeting": council_meeting.pk, "ayes": "5", "noes": "0"})
    assert r.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.BOARD_REVIEW

    # The board's regular meeting is next week: a meeting today, the version on its agenda, the approval today.
    board = Body.objects.get(kind="school_board")
    director.post(f"/contracts/bodies/{board.pk}/meetings/new/", {"date": today.isoformat(), "title": "Special"})
    board_today = Meeting.objects.get(body=board, date=today)
    r = director.post(f"/contracts/{contract.pk}/versions/2/schedule/", {"meeting": board_today.pk})
    assert r.status_code == 302
    r = director.post(f"/contracts/{contract.pk}/vote/", {"meeting": board_today.pk, "ayes": "4", "noes": "1"})
    assert r.status_code == 302
    assert "The agreement is now: active" in _messages(director.get(r["Location"]))
    contract.refresh_from_db()
    assert (contract.status, contract.in_force) == (ContractStatus.ACTIVE, v2)
    meetings = _text(director.get(f"/contracts/bodies/{board.pk}/meetings/"))
    assert contract.title in meetings and "passed" in meetings


def test_a_contract_without_its_fields_shows_each_in_the_summary_and_saves_nothing(director: Client) -> None:
    before = _snapshot()
    r = director.post("/contracts/new/", _clause_rows(_catalogue_rows(written=False), initial=13))
    assert r.status_code == 200
    summary = _summary(r)
    assert "There is a problem" in summary
    for line in (
        "Title: Enter the agreement's title",
        "Law enforcement agency: Choose the agency",
        "City: Choose the city",
        "Campuses: Choose at least one campus",
        "Term start: Enter the first day of the term",
        "Term end: Enter the last day of the term",
        "Annual cost (USD): Enter the annual cost",
    ):
        assert line in summary, line
    assert "<title>Error:" in r.content.decode()
    assert _snapshot() == before


def test_a_term_ending_before_it_starts_is_refused_and_the_values_are_kept(
    director: Client, thousand_palms: tuple[City, LawEnforcementAgency]
) -> None:
    city, agency = thousand_palms
    campus = School.objects.get(name=RMHS)
    before = _snapshot()
    data = _contract_data(agency, city, campus, term_start="2027-08-01", term_end="2027-07-01")
    r = director.post("/contracts/new/", {**data, **_clause_rows(_catalogue_rows(written=False), initial=13)})
    assert r.status_code == 200
    assert "Term end: must be after the term start (2027-08-01)" in _summary(r)
    html = r.content.decode()
    assert 'value="SRO agreement: Thousand Palms Police Department at Rancho Mirage High"' in html
    assert 'value="2027-07-01"' in html and 'value="150000.00"' in html
    assert _snapshot() == before


def test_a_campus_of_another_district_is_refused(
    director: Client, thousand_palms: tuple[City, LawEnforcementAgency]
) -> None:
    city, agency = thousand_palms
    other = district_upsert(actor=None, cds_code="3367215", name="Desert Sands Unified", county="Riverside")
    school = School.objects.create(cds_code="33672153330000", name="Indio High", district=other)
    before = _snapshot()
    r = director.post(
        "/contracts/new/",
        {**_contract_data(agency, city, school), **_clause_rows(_catalogue_rows(written=False), initial=13)},
    )
    assert r.status_code == 200
    assert "Campuses: Choose only campuses of the district" in _summary(r)
    assert "Indio High" not in _text(r)  # not offered either
    assert _snapshot() == before


def test_a_clause_without_its_text_names_the_clause_row(
    director: Client, thousand_palms: tuple[City, LawEnforcementAgency]
) -> None:
    city, agency = thousand_palms
    rows = _catalogue_rows(written=False)
    rows[1]["text"] = "SROs take no part in school discipline."
    rows.append({"number": "14", "title": "Parking", "text": "", "categories": []})
    before = _snapshot()
    data = _contract_data(agency, city, School.objects.get(name=RMHS))
    r = director.post("/contracts/new/", {**data, **_clause_rows(rows, initial=13, extra=1)})
    assert r.status_code == 200
    summary = _summary(r)
    assert "Clause 14, Text: Enter the clause's text" in summary
    assert "Clause 14, Covers: Choose at least one element" in summary
    assert "Clause 2" not in summary and "Clause 1," not in summary  # written in, or left as offered
    assert _snapshot() == before


def test_a_version_needs_at_least_one_clause(director: Client) -> None:
    contract = Contract.objects.get(campuses__cds_code=RMHS_CDS)
    rows = [
        {"number": c.number, "title": c.title, "text": c.text, "categories": c.categories, "DELETE": True}
        for c in contract.versions.get().clauses.all()
    ]
    before = _snapshot()
    r = director.post(f"/contracts/{contract.pk}/versions/new/", _clause_rows(rows, initial=len(rows)))
    assert r.status_code == 200
    assert "Write at least one clause" in _summary(r)
    assert _snapshot() == before


def test_a_version_that_changes_nothing_is_refused_and_one_that_changes_a_word_is_saved(director: Client) -> None:
    contract = Contract.objects.get(campuses__cds_code=DHSHS)
    latest = contract.versions.order_by("-number").first()  # the text a new version replaces or amends
    assert latest is not None
    rows = [
        {"number": c.number, "title": c.title, "text": c.text, "categories": c.categories} for c in latest.clauses.all()
    ]
    versions = contract.versions.count()
    before = _snapshot()
    r = director.post(f"/contracts/{contract.pk}/versions/new/", _clause_rows(rows, initial=len(rows)))
    assert r.status_code == 200
    assert f"The text is the same as version {latest.number}: change, add or remove a clause first." in _summary(r)
    assert _snapshot() == before
    with pytest.raises(InvalidInput, match=f"the same as version {latest.number}"):
        version_create(
            actor=actor_for(User.objects.get(username="director")),
            contract=contract,
            clauses=[_clause_in(row) for row in rows],
        )

    rows[0]["text"] += " Reviewed each year."
    r = director.post(f"/contracts/{contract.pk}/versions/new/", _clause_rows(rows, initial=len(rows)))
    assert r.status_code == 302
    assert contract.versions.count() == versions + 1


def _clause_in(row: dict[str, Any]) -> Any:
    from sro.contracts.services import ClauseIn

    return ClauseIn(number=row["number"], title=row["title"], text=row["text"], categories=list(row["categories"]))


def test_a_meeting_of_the_wrong_body_is_refused_on_the_agenda_page(director: Client) -> None:
    contract = Contract.objects.get(campuses__cds_code=RMHS_CDS)
    version_create(actor=None, contract=contract, clauses=MODEL_CLAUSES, note="Complete")
    contract_transition(actor=None, contract=contract, action="submit_to_council")
    board_meeting = Meeting.objects.filter(body__kind="school_board").latest("date")  # the coming one
    page = _text(director.get(f"/contracts/{contract.pk}/versions/2/schedule/"))
    assert "PSUSD Board of Education" in page  # the council has no meeting yet: the page links to add one
    assert 'href="/contracts/bodies/"' in page
    before = _snapshot()
    r = director.post(f"/contracts/{contract.pk}/versions/2/schedule/", {"meeting": board_meeting.pk})
    assert r.status_code == 200
    assert "Meeting: version 2 is before the city council, not PSUSD Board of Education" in _summary(r)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"kind": "city_council", "seats": "5"}, "Name: Enter the body's name"),
        ({"name": "A council", "kind": "city_council", "seats": "5"}, "City: a city council needs its city"),
        ({"name": "A council", "kind": "city_council", "seats": "0"}, "Seats: Ensure this value is greater"),
        ({"name": "PSUSD Board of Education", "kind": "school_board", "seats": "5"}, "Name: Body with this Name"),
    ],
)
def test_a_body_with_a_problem_is_refused(director: Client, data: dict[str, str], line: str) -> None:
    before = _snapshot()
    r = director.post("/contracts/bodies/new/", {"voting_rule": "majority_of_seats", **data})
    assert r.status_code == 200
    assert line in _summary(r)
    assert 'value="5"' in r.content.decode() or data["seats"] != "5"  # kept
    assert _snapshot() == before


def test_a_meeting_without_a_date_is_refused(director: Client) -> None:
    board = Body.objects.get(kind="school_board")
    before = _snapshot()
    r = director.post(f"/contracts/bodies/{board.pk}/meetings/new/", {"title": "Special", "minutes_url": "nope"})
    assert r.status_code == 200
    summary = _summary(r)
    assert "Date: Enter the meeting's date" in summary and "Minutes link: Enter the minutes' web address" in summary
    assert 'value="Special"' in r.content.decode()
    assert _snapshot() == before


def test_a_draft_can_be_changed_and_is_audited_until_negotiation_opens(
    director: Client, thousand_palms: tuple[City, LawEnforcementAgency]
) -> None:
    city, agency = thousand_palms
    campus = School.objects.get(name=RMHS)
    today = timezone.localdate()
    contract = contract_create(
        actor=None,
        district=campus.district,
        agency=agency,
        city=city,
        title="Draft",
        campuses=[campus],
        positions=1,
        term_start=today,
        term_end=today + dt.timedelta(days=365),
        annual_cost="100",
    )
    page = director.get(f"/contracts/{contract.pk}/edit/")
    assert 'value="Draft"' in page.content.decode()
    r = director.post(f"/contracts/{contract.pk}/edit/", _contract_data(agency, city, campus, title="Renamed"))
    assert r.status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.positions, str(contract.annual_cost)) == ("Renamed", 2, "150000.00")
    event = AuditEvent.objects.filter(action="update", object_id=str(contract.pk)).get()
    assert event.changes["title"] == ["Draft", "Renamed"]

    contract_transition(actor=None, contract=contract, action="open_negotiation")
    r = director.post(f"/contracts/{contract.pk}/edit/", _contract_data(agency, city, campus, title="Again"))
    assert r.status_code == 302
    assert "Only a draft can be changed; this agreement is in negotiation." in _messages(director.get(r["Location"]))
    contract.refresh_from_db()
    assert contract.title == "Renamed"
    assert f'href="/contracts/{contract.pk}/edit/"' not in _text(director.get(f"/contracts/{contract.pk}/"))


def _create_pages() -> list[str]:
    contract = Contract.objects.get(campuses__cds_code=DHSHS)  # in negotiation: every role may read it
    board = Body.objects.get(kind="school_board")
    return [
        "/contracts/new/",
        f"/contracts/{contract.pk}/edit/",
        f"/contracts/{contract.pk}/versions/new/",
        f"/contracts/{contract.pk}/versions/1/schedule/",
        "/contracts/bodies/new/",
        f"/contracts/bodies/{board.pk}/meetings/new/",
    ]


@pytest.mark.parametrize("username", ["principal.pshs", "officer.pspd", "boardmember", "lt.pspd"])
def test_other_roles_are_refused_every_create_page(client_for: Login, username: str) -> None:
    c = client_for(username)
    before = _snapshot()
    for url in _create_pages():
        assert c.get(url).status_code == 403, url
        assert c.post(url, {"title": "x", "name": "x", "date": "2026-01-01"}).status_code == 403, url
    assert _snapshot() == before
    listing = _text(c.get("/contracts/"))
    assert 'href="/contracts/new/"' not in listing
    bodies = _text(c.get("/contracts/bodies/"))
    assert "PSUSD Board of Education" in bodies and 'href="/contracts/bodies/new/"' not in bodies


def test_a_district_admin_of_another_district_cannot_add_to_this_board(demo: dict[str, Any]) -> None:
    other = district_upsert(actor=None, cds_code="3367215", name="Desert Sands Unified", county="Riverside")
    admin = User.objects.create_user("admin.dsusd", password="x")
    admin.memberships.create(role="district_admin", district=other)
    c = Client()
    c.force_login(admin)
    board = Body.objects.get(kind="school_board")
    assert c.get(f"/contracts/bodies/{board.pk}/meetings/new/").status_code == 403
    assert District.objects.count() == 2


def test_contract_update_changes_drafts_only_and_only_for_the_districts_administrator(
    demo: dict[str, Any], thousand_palms: tuple[City, LawEnforcementAgency]
) -> None:
    city, agency = thousand_palms
    campus = School.objects.get(name=RMHS)
    today = timezone.localdate()
    terms: dict[str, Any] = {
        "agency": agency,
        "city": city,
        "title": "Draft",
        "campuses": [campus],
        "positions": 1,
        "term_start": today,
        "term_end": today + dt.timedelta(days=365),
        "annual_cost": "100",
    }
    contract = contract_create(actor=None, district=campus.district, **terms)
    principal = actor_for(demo["users"]["principal.pshs"])
    with pytest.raises(Forbidden):
        contract_update(actor=principal, contract=contract, **{**terms, "title": "Changed"})
    with pytest.raises(InvalidInput) as bad:
        contract_update(actor=None, contract=contract, **{**terms, "term_end": today})
    assert bad.value.errors[0].field == "term_end"
    director = actor_for(demo["users"]["director"])
    contract_transition(actor=director, contract=contract, action="open_negotiation")
    with pytest.raises(TransitionRefused):
        contract_update(actor=director, contract=contract, **{**terms, "title": "Changed"})
    contract.refresh_from_db()
    assert contract.title == "Draft"
    assert not AuditEvent.objects.filter(action="update", object_id=str(contract.pk)).exists()
