"""The round trip: the demo's SRO contacts exported in the DOJ layout of their era (`sro export
ripa`) and read back by the reader of the DOJ's files give the same counts by reason, race,
gender and every action and result flag the reports use."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from sro.incidents.codes import codes_version
from sro.incidents.contacts import ContactData, contact_record
from sro.incidents.models import Contact
from sro.incidents.ripa import ripa_write
from sro.incidents.ripa_layout import SCHEMA, layouts
from sro.orgs.actors import actor_for
from sro.orgs.models import School
from sro.oversight.ripa import read_headers, ripa_members, typed_relation_sql

PSHS = "Palm Springs High"
OLD_DAY = dt.datetime(2023, 10, 12, 10, 30, tzinfo=dt.UTC)


def _record(org: dict[str, Any], **fields: Any) -> Contact:
    base: dict[str, Any] = {"duration_minutes": 10, "reason": 2, "race": [3], "gender": 1, "age": 16, "results": [12]}
    base.update(fields)
    return contact_record(
        actor=actor_for(org["users"]["officer.pspd"]), school=org["schools"][PSHS], data=ContactData(**base)
    )[0]


def _read_with_the_doj_reader(path: Path) -> list[dict[str, Any]]:
    con = duckdb.connect()
    with ripa_members(path) as raw:
        members = read_headers(raw, str(path))
        cur = con.execute(typed_relation_sql(members))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


FLAGS = [c.name for c in SCHEMA if c.kind == "flag" and c.name not in {"STOP_STUDENT", "K12_SCHOOL_GROUNDS"}]


def _expected(contacts: list[Contact]) -> dict[str, Counter[Any]]:
    out: dict[str, Counter[Any]] = {"reason": Counter(), "race": Counter(), "gender": Counter(), "flags": Counter()}
    for c in contacts:
        codes = codes_version(c.codes_version)
        layout = next(lay for lay in layouts() if lay.name == codes.layout)
        out["reason"][c.reason] += 1
        out["race"][c.race[0] if len(c.race) == 1 else 8] += 1
        out["gender"][c.gender] += 1
        fields = [("action", "actions"), ("result", "results"), ("search_basis", "search_basis")]
        fields.append(("seizure_basis", "seizure_basis"))
        columns = {codes.table(t)[v].column for t, f in fields for v in getattr(c, f)}
        for flag in [*FLAGS, "ROS_WARNING"]:
            out["flags"][flag] += bool(columns & set(layout.sources(flag)))
    return out


def _actual(rows: list[dict[str, Any]]) -> dict[str, Counter[Any]]:
    return {
        "reason": Counter(r["REASON_FOR_STOP"] for r in rows),
        "race": Counter(r["RAE_FULL"] for r in rows),
        "gender": Counter(r["G_FULL"] for r in rows),
        "flags": Counter({f: sum(int(r[f] or 0) for r in rows) for f in [*FLAGS, "ROS_WARNING"]}),
    }


def test_the_demo_contacts_round_trip_through_the_doj_reader_with_identical_counts(
    demo: dict[str, Any], tmp_path: Path
) -> None:
    # The demo's contacts (dated this school year: 2024 lists), and a few from before the change.
    org = {"users": demo["users"], "schools": {PSHS: School.objects.get(name=PSHS)}}
    for n, over in enumerate(({"actions": [10], "results": [2]}, {"actions": [15, 5], "results": [6]}, {})):
        _record(org, occurred_at=OLD_DAY + dt.timedelta(days=n), **over)
    contacts = list(Contact.objects.order_by("occurred_at", "pk"))
    by_version = {v: [c for c in contacts if c.codes_version == v] for v in ("2018", "2024")}
    assert len(by_version["2024"]) > 20 and len(by_version["2018"]) == 3
    for version, group in by_version.items():
        path = tmp_path / f"ripa-{version}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            assert ripa_write(group, fh) == len(group)
        rows = _read_with_the_doj_reader(path)
        assert len(rows) == len(group) and {r["DOUBT"] for r in rows} == {None}, version
        assert _actual(rows) == _expected(group), version
