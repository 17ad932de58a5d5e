"""The oversight RIPA reader accepts `sro export ripa` output without a single problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
from django.utils import timezone

from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Contact
from sro.incidents.ripa import ripa_write
from sro.orgs.actors import actor_for
from sro.oversight.ripa import find_problems


def past(days: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())


def test_the_oversight_reader_reads_the_export(org: dict[str, Any], tmp_path: Path) -> None:
    officer = actor_for(org["users"]["officer.pspd"])
    for data in (
        ContactData(occurred_at=past(2), duration_minutes=5, reason=8, race=[2, 3], gender=1, age=15, results=[12]),
        ContactData(occurred_at=past(1), duration_minutes=9, reason=7, ed_code_section=1, ed_code_subdivision=9,
                    race=[7], gender=2, age=16, disability=[1, 4], actions=[18], search_basis=[13], results=[3]),
    ):  # fmt: skip
        contact_record(actor=officer, school=org["schools"]["Palm Springs High"], data=data)
    path = tmp_path / "ripa.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        ripa_write(Contact.objects.order_by("pk"), fh)
    bad, problems = find_problems(duckdb.connect(), [path])
    assert (bad, problems) == (0, [])
