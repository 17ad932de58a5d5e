from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from sro.core.api import ErrorOut, Pagination
from sro.orgs.auth import AUTH, AUTH_OR_PUBLIC, request_actor
from sro.orgs.models import City, District, School
from sro.orgs.roles import ROLE_DESCRIPTIONS
from sro.orgs.selectors import agency_list, district_list, school_get, school_list

router = Router(tags=["organisations"], auth=AUTH)


class MembershipOut(Schema):
    role: str
    organisation: str


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    memberships: list[MembershipOut]
    can: list[str]


class SchoolOut(Schema):
    cds_code: str
    name: str
    district: str
    county: str
    city: str | None
    status: str
    grade_span: str
    enrolment: int | None
    in_program: bool

    @staticmethod
    def resolve_district(obj: School) -> str:
        return obj.district.name

    @staticmethod
    def resolve_city(obj: School) -> str | None:
        return obj.city.name if obj.city else None


class DistrictOut(Schema):
    id: int
    cds_code: str
    name: str
    county: str


class CityOut(Schema):
    id: int
    name: str
    county: str
    agencies: list[str]


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    cities: list[str]


@router.get("/me", response=MeOut, summary="Who the token or session belongs to, and their roles")
def me(request: HttpRequest) -> MeOut:
    actor = request_actor(request)
    user = actor.user
    ms = [MembershipOut(role=m.role, organisation=m.organisation_name) for m in user.memberships.all()]
    return MeOut(
        username=user.username,
        name=str(user),
        roles=sorted(actor.roles),
        memberships=ms,
        can=[str(ROLE_DESCRIPTIONS[r]) for r in sorted(actor.roles)],
    )


@router.get("/schools", response=list[SchoolOut], summary="Campuses visible to the caller")
@paginate(Pagination)
def schools(request: HttpRequest, all_schools: bool = False) -> object:
    return school_list(actor=request_actor(request), program_only=not all_schools)


@router.get("/schools/{cds_code}", response={200: SchoolOut, 404: ErrorOut})
def school_detail(request: HttpRequest, cds_code: str) -> School:
    return school_get(actor=request_actor(request), cds_code=cds_code)


@router.get("/agencies", response=list[AgencyOut])
def agencies(request: HttpRequest) -> list[AgencyOut]:
    return [
        AgencyOut(id=a.pk, name=a.name, kind=a.kind, cities=[c.name for c in a.cities.all()])
        for a in agency_list(actor=request_actor(request))
    ]


@router.get("/districts", response=list[DistrictOut], summary="Districts the caller holds a role in")
def districts(request: HttpRequest) -> list[District]:
    return list(district_list(actor=request_actor(request)))


@router.get("/cities", response=list[CityOut], auth=AUTH_OR_PUBLIC, summary="Cities and the agencies serving them")
def cities(request: HttpRequest) -> list[CityOut]:
    """Cities are public, like the agencies that serve them (reading needs no sign-in)."""
    return [
        CityOut(id=c.pk, name=c.name, county=c.county, agencies=[a.name for a in c.agencies.all()])
        for c in City.objects.prefetch_related("agencies").order_by("name", "county")
    ]
