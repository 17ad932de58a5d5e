"""Who is asking: a user's roles and the organisations those roles reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sro.orgs.roles import AGENCY_ROLES, DISTRICT_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user: Any = None
    roles: frozenset[str] = frozenset()
    district_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    is_superuser: bool = False
    _by_role: dict[str, frozenset[int]] = field(default_factory=dict, compare=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_public(self) -> bool:
        return self.user is None

    @property
    def is_police(self) -> bool:
        return bool(self.roles & {r.value for r in AGENCY_ROLES}) and not self.is_superuser

    @property
    def is_district_side(self) -> bool:
        return bool(self.roles & ({r.value for r in DISTRICT_ROLES} | {Role.SITE_ADMIN.value}))

    def org_ids(self, role: str) -> frozenset[int]:
        """Districts (district roles), schools (site_admin) or agencies (police) held in `role`."""
        return self._by_role.get(role, frozenset())


PUBLIC = Actor()


def actor_for(user: Any) -> Actor:
    """Build (and cache on the user object) the actor for a user; anonymous is PUBLIC."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return PUBLIC
    cached = getattr(user, "_sro_actor", None)
    if isinstance(cached, Actor):
        return cached
    roles: set[str] = set()
    districts: set[int] = set()
    schools: set[int] = set()
    agencies: set[int] = set()
    by_role: dict[str, set[int]] = {}
    for m in user.memberships.select_related("school").all():
        roles.add(m.role)
        if m.agency_id is not None:
            agencies.add(m.agency_id)
            by_role.setdefault(m.role, set()).add(m.agency_id)
        elif m.school_id is not None:
            schools.add(m.school_id)
            districts.add(m.school.district_id)
            by_role.setdefault(m.role, set()).add(m.school_id)
        elif m.district_id is not None:
            districts.add(m.district_id)
            by_role.setdefault(m.role, set()).add(m.district_id)
    actor = Actor(
        user=user,
        roles=frozenset(roles),
        district_ids=frozenset(districts),
        school_ids=frozenset(schools),
        agency_ids=frozenset(agencies),
        is_superuser=bool(user.is_superuser),
        _by_role={k: frozenset(v) for k, v in by_role.items()},
    )
    user._sro_actor = actor
    return actor
