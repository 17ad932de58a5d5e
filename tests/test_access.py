"""Each role sees exactly what it may: a table over roles x pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

PSHS, CCHS, DHSHS, RMHS = (
    "Palm Springs High",
    "Cathedral City High",
    "Desert Hot Springs High",
    "Rancho Mirage High",
)
ALL4 = {PSHS, CCHS, DHSHS, RMHS}

# role user -> campuses on their campus list
CAMPUSES_SEEN = {
    "director": ALL4,
    "superintendent": ALL4,
    "boardmember": ALL4,
    "analyst": ALL4,
    "principal.pshs": {PSHS},
    "principal.cchs": {CCHS},
    "lt.pspd": {PSHS},
    "lt.ccpd": {CCHS},
    "officer.pspd": {PSHS},
}


@pytest.mark.parametrize("username", sorted(CAMPUSES_SEEN))
def test_each_role_sees_its_home_and_exactly_its_campuses(client_for: Any, username: str) -> None:
    c = client_for(username)
    home = c.get("/")
    assert home.status_code == 200
    assert "Your roles" in home.content.decode()
    page = c.get("/campuses/").content.decode()
    shown = {name for name in ALL4 if name in page}
    assert shown == CAMPUSES_SEEN[username]
    api = c.get("/api/v1/schools").json()
    assert {s["name"] for s in api["items"]} == CAMPUSES_SEEN[username]


@pytest.mark.parametrize("path", ["/", "/campuses/"])
def test_anonymous_visitors_are_sent_to_sign_in(site: dict[str, Any], path: str) -> None:
    r = Client().get(path)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_api_without_credentials_answers_401_in_the_error_shape(site: dict[str, Any]) -> None:
    r = Client().get("/api/v1/schools")
    assert r.status_code == 401
    assert set(r.json()) == {"detail", "errors"}


@pytest.mark.parametrize("username", sorted(CAMPUSES_SEEN))
def test_django_admin_is_for_data_stewards_only(client_for: Any, username: str) -> None:
    r = client_for(username).get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_forbidden_school_answers_exactly_like_a_missing_one(client_for: Any, demo: dict[str, Any]) -> None:
    c = client_for("principal.pshs")
    hidden = c.get(f"/api/v1/schools/{demo['schools'][CCHS].cds_code}")
    missing = c.get("/api/v1/schools/01100170000001")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "School not found.", "errors": []}
    mine = c.get(f"/api/v1/schools/{demo['schools'][PSHS].cds_code}")
    assert mine.status_code == 200 and mine.json()["enrolment"] == 2000


def test_openapi_schema_and_docs_are_served(site: dict[str, Any]) -> None:
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/schools" in schema.json()["paths"]
    assert Client().get("/api/v1/docs").status_code == 200


# ---------------------------------------------------------------- one visibility rule per entity


def _visibility_table() -> dict[str, Any]:
    """Per scoped entity: its model, its visibility rule, its list and its single-object checks."""
    from sro.community import selectors as community
    from sro.community.models import AgendaItem, PublicComment
    from sro.contracts import selectors as contracts
    from sro.contracts.models import Contract
    from sro.incidents import selectors as incidents
    from sro.incidents.models import Contact, Incident, NotificationTask, Review
    from sro.orgs import selectors as orgs
    from sro.orgs.models import District, LawEnforcementAgency, Membership, School, User
    from sro.staffing import selectors as staffing
    from sro.staffing.models import Assignment, Notice, Officer, Panel

    def by_pk(get: Any) -> Any:
        return lambda actor, obj: get(actor=actor, pk=obj.pk)

    return {
        # entity: (model, rule, list, [single-object checks: raise NotFound or answer a bool])
        "contract": (
            Contract,
            contracts.contract_visibility,
            contracts.contract_list,
            [by_pk(contracts.contract_get)],
        ),
        "officer": (Officer, staffing.officer_visibility, staffing.officer_list, [by_pk(staffing.officer_get)]),
        "panel": (
            Panel,
            staffing.panel_visibility,
            staffing.panel_list,
            [by_pk(staffing.panel_get)],
        ),
        "assignment": (
            Assignment,
            staffing.assignment_visibility,
            lambda actor: staffing.assignment_list(actor=actor, include_cancelled=True),
            [by_pk(staffing.assignment_get)],
        ),
        "notice": (Notice, staffing.notice_visibility, staffing.notice_list, [by_pk(staffing.notice_get)]),
        "incident": (
            Incident,
            incidents.incident_visibility,
            incidents.incident_list,
            [by_pk(incidents.incident_get)],
        ),
        "notification task": (
            NotificationTask,
            incidents.notification_visibility,
            incidents.notification_list,
            [by_pk(incidents.notification_get)],
        ),
        "contact": (
            Contact,
            incidents.contact_visibility,
            incidents.contact_list,
            [by_pk(incidents.contact_get)],
        ),
        "review": (
            Review,
            incidents.review_visibility,
            incidents.review_list,
            [by_pk(incidents.review_get), incidents.can_view_review],
        ),
        "school": (
            School,
            orgs.school_visibility,
            lambda actor: orgs.school_list(actor=actor, program_only=False),
            [lambda actor, obj: orgs.school_get(actor=actor, cds_code=obj.cds_code)],
        ),
        "district": (
            District,
            orgs.district_visibility,
            orgs.district_list,
            [by_pk(orgs.district_get)],
        ),
        "agency": (LawEnforcementAgency, orgs.agency_visibility, orgs.agency_list, [by_pk(orgs.agency_get)]),
        "user": (User, orgs.user_visibility, orgs.user_list, []),
        "membership": (Membership, orgs.membership_visibility, orgs.membership_list, []),
        "agenda item": (
            AgendaItem,
            community.agenda_item_visibility,
            community.agenda_item_list,
            [by_pk(community.agenda_item_get)],
        ),
        "comment (moderation)": (
            PublicComment,
            community.moderation_visibility,
            lambda actor: community.moderation_queue(actor=actor, status=""),
            [by_pk(community.comment_get_for_moderation)],
        ),
    }


ENTITIES = [
    "contract",
    "officer",
    "panel",
    "assignment",
    "notice",
    "incident",
    "notification task",
    "contact",
    "review",
    "school",
    "district",
    "agency",
    "user",
    "membership",
    "agenda item",
    "comment (moderation)",
]


def _add_what_the_demo_lacks() -> None:
    """The demo posts no officer and sends no notice: post each nominated officer to a campus of
    the contract (one posting cancelled) and leave every user a notice, so those rules are checked too."""
    from sro.orgs.models import User
    from sro.staffing.models import Assignment, Nomination, Notice

    start = dt.date(2030, 8, 1)
    for i, nomination in enumerate(Nomination.objects.select_related("contract").order_by("pk")):
        school = nomination.contract.campuses.order_by("pk").first()
        assert school is not None
        Assignment.with_cancelled.create(
            officer_id=nomination.officer_id,
            school=school,
            contract=nomination.contract,
            start_date=start,
            end_date=start + dt.timedelta(days=300),
            cancelled_on=start - dt.timedelta(days=1) if i == 0 else None,
        )
    for user in User.objects.all():
        Notice.objects.create(recipient=user, subject="Test", body="A notice for the visibility check.")


def _answers(check: Any, actor: Any, obj: Any) -> bool:
    from sro.core.errors import NotFound

    try:
        answer = check(actor, obj)
    except NotFound:
        return False
    return answer if isinstance(answer, bool) else True


@pytest.mark.parametrize("entity", ENTITIES)
def test_each_object_check_agrees_with_the_list_for_every_user_and_row(demo: dict[str, Any], entity: str) -> None:
    """The list and every single-object check derive from one rule: for every demo user (and the
    public) and every row, the object check answers yes exactly when the list holds the row."""
    from sro.core.visibility import matches
    from sro.orgs.actors import PUBLIC, actor_for

    _add_what_the_demo_lacks()
    model, rule, listed, checks = _visibility_table()[entity]
    rows = list(model._base_manager.all())
    assert rows, f"the demo has no {entity} to check"
    actors = {"(public)": PUBLIC} | {name: actor_for(u) for name, u in sorted(demo["users"].items())}
    disagreements = []
    seen_by_someone = set()
    for name, actor in actors.items():
        visible = set(listed(actor=actor).values_list("pk", flat=True))
        seen_by_someone |= visible
        for obj in rows:
            answers = [matches(obj, rule(actor)), *(_answers(check, actor, obj) for check in checks)]
            if any(a != (obj.pk in visible) for a in answers):
                disagreements.append((name, obj.pk, obj.pk in visible, answers))
    assert disagreements == []
    assert seen_by_someone, f"no demo user sees any {entity}: the check proves nothing"


def test_an_officer_who_no_longer_holds_the_sro_role_sees_none_of_their_contacts(demo: dict[str, Any]) -> None:
    """docs/roles.md: an SRO sees their own contacts. Once the role is gone, the list, the object
    checks and the review steps all answer as for a stranger (the object check used not to ask
    for the role)."""
    from sro.core.errors import NotFound
    from sro.core.visibility import matches
    from sro.incidents.models import Review
    from sro.incidents.reviews import review_act
    from sro.incidents.selectors import can_view_review, contact_get, contact_list, contact_visibility
    from sro.orgs.actors import actor_for
    from sro.orgs.models import User
    from sro.orgs.roles import Role

    review = Review.objects.select_related("contact", "officer").first()
    assert review is not None, "the demo has a boundary review"
    officer = review.officer
    assert matches(review.contact, contact_visibility(actor_for(officer)))
    officer.memberships.filter(role=Role.SRO).delete()
    former = actor_for(User.objects.get(pk=officer.pk))
    assert not contact_list(actor=former).exists()
    assert not matches(review.contact, contact_visibility(former))
    assert not can_view_review(former, review)
    with pytest.raises(NotFound):
        contact_get(actor=former, pk=review.contact.pk)
    with pytest.raises(NotFound):
        review_act(actor=former, review=review, action="start_review")
