from __future__ import annotations

from typing import Any

import pytest

from sro.core.errors import Forbidden, InvalidInput
from sro.core.models import AuditEvent
from sro.orgs.actors import actor_for
from sro.orgs.models import District, Membership, School
from sro.orgs.services import membership_create, user_create


@pytest.fixture
def newcomer(demo: dict[str, Any]) -> Any:
    return user_create(actor=None, username="newcomer", password="x", check_password=False)


def _other_district_school() -> School:
    d = District.objects.create(cds_code="1910199", name="Other Unified", county="Los Angeles")
    return School.objects.create(cds_code="19101990000017", name="Other High", district=d)


@pytest.mark.parametrize(
    "role,org,field",
    [
        ("captain", "district", "role"),
        ("district_admin", None, "district"),
        ("district_admin", "agency", "agency"),
        ("site_admin", "district", "school"),
        ("sro", "district", "agency"),
        ("agency_supervisor", None, "agency"),
    ],
)
def test_membership_that_does_not_fit_its_role_is_refused_with_the_field(
    demo: dict[str, Any], newcomer: Any, role: str, org: str | None, field: str
) -> None:
    kwargs: dict[str, Any] = {}
    if org == "district":
        kwargs["district"] = demo["district"]
    elif org == "agency":
        kwargs["agency"] = demo["users"]["lt.pspd"].memberships.get().agency
    before = (Membership.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        membership_create(actor=None, user=newcomer, role=role, **kwargs)
    assert field in [e.field for e in exc.value.errors]
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_roles_stay_within_one_organisation(demo: dict[str, Any]) -> None:
    director = demo["users"]["director"]
    agency = demo["users"]["lt.pspd"].memberships.get().agency
    with pytest.raises(InvalidInput) as exc:
        membership_create(actor=None, user=director, role="sro", agency=agency)
    assert exc.value.errors[0].field == "organisation"
    with pytest.raises(InvalidInput) as exc:
        membership_create(actor=None, user=director, role="site_admin", school=_other_district_school())
    assert exc.value.errors[0].field == "organisation"


def test_site_admin_school_must_be_in_the_district(demo: dict[str, Any], newcomer: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        membership_create(
            actor=None,
            user=newcomer,
            role="site_admin",
            district=demo["district"],
            school=_other_district_school(),
        )
    assert exc.value.errors[0].field == "school"


def test_only_the_organisations_admin_may_grant_roles(demo: dict[str, Any], newcomer: Any) -> None:
    principal = actor_for(demo["users"]["principal.pshs"])
    with pytest.raises(Forbidden):
        membership_create(actor=principal, user=newcomer, role="analyst", district=demo["district"])
    director = actor_for(demo["users"]["director"])
    m = membership_create(actor=director, user=newcomer, role="analyst", district=demo["district"])
    assert m.pk and AuditEvent.objects.filter(action="grant_role", object_id=str(m.pk)).exists()


def test_duplicate_role_is_refused(demo: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="already"):
        membership_create(actor=None, user=demo["users"]["analyst"], role="analyst", district=demo["district"])
