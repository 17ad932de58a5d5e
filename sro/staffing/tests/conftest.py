"""A light world for staffing tests: the organisations and contracts of the demo, no incidents.

Palm Springs High's and Cathedral City High's contracts are active with a term around today
(the `world` state of the root conftest), so tests control the officer side. Helpers go
through the services, like real use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sro.contracts.models import Contract
from sro.core.models import AuditEvent
from sro.orgs.actors import Actor, actor_for
from sro.orgs.models import LawEnforcementAgency, School, User
from sro.orgs.roles import Role
from sro.orgs.services import membership_create, user_create
from sro.staffing.catalogues import courses, rubric
from sro.staffing.hiring import panel_create, panel_score
from sro.staffing.models import (
    Assignment,
    Nomination,
    Notice,
    Officer,
    Panel,
    Scoresheet,
    TrainingRecord,
)
from sro.staffing.services import nomination_create, officer_create, training_record_create, training_record_review

PSHS, CCHS = "Palm Springs High", "Cathedral City High"
PSPD, CCPD = "Palm Springs Police Department", "Cathedral City Police Department"


def snapshot() -> tuple[int, ...]:
    """Row counts of every staffing table and the audit trail: equal before and after means nothing saved."""
    return tuple(
        m._base_manager.count()  # every row, cancelled assignments included
        for m in (Officer, Nomination, Panel, Scoresheet, TrainingRecord, Assignment, Notice, AuditEvent)
    )


@dataclass
class World:
    today: dt.date
    schools: dict[str, School]
    agencies: dict[str, LawEnforcementAgency]
    contracts: dict[str, Contract]
    users: dict[str, User]

    def actor(self, username: str) -> Actor:
        return actor_for(self.users[username])

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username])
        return c

    def sro_user(self, username: str, agency: str) -> User:
        user = user_create(
            actor=None, username=username, password="x", email=f"{username}@example.org", check_password=False
        )
        membership_create(actor=None, user=user, role=Role.SRO, agency=self.agencies[agency])
        self.users[username] = user
        return user

    def officer(self, agency: str = PSPD, badge: str = "100", user: User | None = None, **kw: Any) -> Officer:
        return officer_create(
            actor=None,
            agency=self.agencies[agency],
            first_name=kw.pop("first_name", "Pat"),
            last_name=kw.pop("last_name", f"Officer{badge}"),
            badge_number=badge,
            user=user,
            **kw,
        )

    def nominate(self, officer: Officer, campus: str = PSHS) -> Nomination:
        return nomination_create(actor=None, officer=officer, contract=self.contracts[campus])

    def panel(self, nomination: Nomination, district: str = "director", agency: str = "lt.pspd") -> Panel:
        return panel_create(actor=None, nomination=nomination, members=[self.users[district], self.users[agency]])

    def score(self, panel: Panel, username: str, recommendation: str = "recommend") -> Scoresheet:
        return panel_score(
            actor=self.actor(username),
            panel=panel,
            scores=dict.fromkeys(rubric().keys, 4),
            recommendation=recommendation,
            reason="Interviewed; references checked.",
        )

    def approve(self, officer: Officer, campus: str = PSHS) -> Nomination:
        lt = "lt.pspd" if officer.agency.name == PSPD else "lt.ccpd"
        nomination = self.nominate(officer, campus)
        panel = self.panel(nomination, agency=lt)
        self.score(panel, "director")
        self.score(panel, lt)
        nomination.refresh_from_db()
        return nomination

    def train(
        self,
        officer: Officer,
        *,
        skip: Iterable[str] = (),
        completed: dict[str, dt.date] | None = None,
        unconfirmed: Iterable[str] = (),
        today: dt.date | None = None,
    ) -> None:
        """Every course (but `skip`) completed 10 days ago unless `completed` says when; confirmed unless listed."""
        for c in courses():
            if c.key in set(skip):
                continue
            day = (completed or {}).get(c.key, self.today - dt.timedelta(days=10))
            record = training_record_create(
                actor=None,
                officer=officer,
                course=c.key,
                completed_on=day,
                provider="Test academy",
                hours=c.hours,
                evidence="https://example.org/certificate.pdf",
                today=today or self.today,
            )
            if c.key not in set(unconfirmed):
                training_record_review(actor=None, record=record, confirm=True)

    def ready_officer(self, agency: str = PSPD, badge: str = "100", campus: str = PSHS) -> Officer:
        officer = self.officer(agency, badge)
        self.approve(officer, campus)
        self.train(officer)
        officer.refresh_from_db()
        return officer


@pytest.fixture
def world(db: Any) -> World:
    """The `world` database state (built once per worker by the root conftest's `_load_world`)."""
    schools = {s.name: s for s in School.objects.filter(in_program=True)}
    return World(
        today=timezone.localdate(),
        schools=schools,
        agencies={a.name: a for a in LawEnforcementAgency.objects.all()},
        contracts={name: Contract.objects.get(campuses=school) for name, school in schools.items()},
        users={u.username: u for u in User.objects.all()},
    )


@pytest.fixture
def codes() -> Callable[[School, dt.date], list[str]]:
    from sro.staffing.gate import deployment_gate

    def gate_codes(school: School, on: dt.date) -> list[str]:
        return [r.code for r in deployment_gate(school=school, on=on).reasons]

    return gate_codes
