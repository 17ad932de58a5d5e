"""Writes for contracts. Each is atomic, row-locked, permission-checked and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from sro.contracts.catalogue import element_keys
from sro.contracts.models import (
    Body,
    Clause,
    Contract,
    ContractStatus,
    ContractVersion,
    Meeting,
    VersionState,
    Vote,
)
from sro.contracts.permissions import (
    can_create_contract,
    can_manage_body,
    can_manage_contract,
    can_propose_text,
    can_record_vote,
)
from sro.contracts.selectors import allowed_actions, open_version, rubric_for, version_under_review
from sro.contracts.workflow import AMENDABLE, DEPLOYABLE, NEGOTIABLE, TRANSITIONS
from sro.core.audit import audit_log
from sro.core.errors import Conflict, FieldError, Forbidden, InvalidInput, TransitionRefused
from sro.core.limits import BODY_MAX_SEATS, meeting_date_problems
from sro.core.services import actor_user, clean_or_raise
from sro.orgs.actors import Actor
from sro.orgs.models import City, District, LawEnforcementAgency, School


@dataclass(frozen=True)
class ClauseIn:
    number: str
    title: str
    text: str
    categories: list[str] = field(default_factory=list)


_user = actor_user


_clean = clean_or_raise


def _decimal(value: Any, field_name: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput.single(field_name, f"'{value}' is not a number") from None
    if not d.is_finite():
        raise InvalidInput.single(field_name, f"'{value}' is not a number")
    if d < 0:
        raise InvalidInput.single(field_name, "must be zero or more")
    return d


def _validate_clauses(clauses: Sequence[ClauseIn]) -> None:
    problems: list[FieldError] = []
    known = element_keys()
    seen: set[str] = set()
    if not clauses:
        problems.append(FieldError("clauses", "a version needs at least one clause"))
    for i, c in enumerate(clauses):
        where = f"clauses[{i}]"
        if not c.number.strip():
            problems.append(FieldError(f"{where}.number", "is required"))
        elif c.number in seen:
            problems.append(FieldError(f"{where}.number", f"§{c.number} appears twice"))
        seen.add(c.number)
        if not c.title.strip():
            problems.append(FieldError(f"{where}.title", "is required"))
        if not c.text.strip():
            problems.append(FieldError(f"{where}.text", "is required"))
        if not c.categories:
            problems.append(FieldError(f"{where}.categories", "name at least one catalogue category"))
        for cat in c.categories:
            if cat not in known:
                problems.append(
                    FieldError(
                        f"{where}.categories", f"unknown clause category '{cat}'; one of {', '.join(sorted(known))}"
                    )
                )
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)


def _contract_terms(
    *,
    district: District,
    agency: LawEnforcementAgency,
    city: City,
    campuses: Sequence[School],
    term_start: dt.date,
    term_end: dt.date,
    annual_cost: Any,
    district_share_percent: Any,
) -> tuple[Decimal, Decimal | None]:
    """Check a contract's terms, every problem at once; the cost and share as decimals."""
    problems: list[tuple[str, str]] = []
    cost = _decimal(annual_cost, "annual_cost")
    share = None if district_share_percent in (None, "") else _decimal(district_share_percent, "district_share_percent")
    if share is not None and share > 100:
        problems.append(("district_share_percent", "must be between 0 and 100"))
    if term_end <= term_start:
        problems.append(("term_end", f"must be after the term start ({term_start.isoformat()})"))
    if not campuses:
        problems.append(("campuses", "name at least one campus"))
    for s in campuses:
        if s.district_id != district.pk:
            problems.append(("campuses", f"{s} is not a school of {district}"))
    if not agency.cities.filter(pk=city.pk).exists():
        problems.append(("city", f"{agency} does not serve {city}"))
    if problems:
        raise InvalidInput.many(problems)
    return cost, share


def contract_create(
    *,
    actor: Actor | None,
    district: District,
    agency: LawEnforcementAgency,
    city: City,
    title: str,
    campuses: Sequence[School],
    title_es: str = "",
    positions: int,
    term_start: dt.date,
    term_end: dt.date,
    annual_cost: Any,
    district_share_percent: Any = None,
    renewal_terms: str = "",
    clauses: Sequence[ClauseIn] = (),
) -> Contract:
    if actor is not None and not can_create_contract(actor, district.pk):
        raise Forbidden("Only the district's administrator may create contracts.")
    cost, share = _contract_terms(
        district=district,
        agency=agency,
        city=city,
        campuses=campuses,
        term_start=term_start,
        term_end=term_end,
        annual_cost=annual_cost,
        district_share_percent=district_share_percent,
    )
    if clauses:
        _validate_clauses(clauses)
    with transaction.atomic():
        contract = Contract(
            district=district,
            agency=agency,
            city=city,
            title=title,
            title_es=title_es.strip(),
            positions=positions,
            term_start=term_start,
            term_end=term_end,
            annual_cost=cost,
            district_share_percent=share,
            renewal_terms=renewal_terms,
        )
        _clean(contract, exclude=["in_force"])
        contract.save()
        contract.campuses.set(campuses)
        audit_log(
            actor=_user(actor),
            action="create",
            obj=contract,
            changes={
                "title": title,
                "agency": agency.name,
                "campuses": [s.cds_code for s in campuses],
                "annual_cost": str(cost),
                "term": [term_start, term_end],
                "positions": positions,
            },
        )
        if clauses:
            _version_insert(actor=actor, contract=contract, clauses=clauses, note="First draft")
    return contract


def _described(contract: Contract) -> dict[str, Any]:
    """A contract's editable terms as the audit trail writes them."""
    return {
        "title": contract.title,
        "title_es": contract.title_es,
        "agency": contract.agency.name,
        "city": contract.city.name,
        "campuses": sorted(s.cds_code for s in contract.campuses.all()),
        "positions": contract.positions,
        "term": [contract.term_start.isoformat(), contract.term_end.isoformat()],
        "annual_cost": str(contract.annual_cost),
        "district_share_percent": None
        if contract.district_share_percent is None
        else str(contract.district_share_percent),
        "renewal_terms": contract.renewal_terms,
    }


def contract_update(
    *,
    actor: Actor | None,
    contract: Contract,
    agency: LawEnforcementAgency,
    city: City,
    title: str,
    campuses: Sequence[School],
    title_es: str = "",
    positions: int,
    term_start: dt.date,
    term_end: dt.date,
    annual_cost: Any,
    district_share_percent: Any = None,
    renewal_terms: str = "",
) -> Contract:
    """Change a draft's terms. Once negotiation opens the terms are what the parties negotiate:
    they change only by a new agreement, never in place. The text changes by new versions."""
    with transaction.atomic():
        locked = Contract.objects.select_for_update().select_related("district", "agency", "city").get(pk=contract.pk)
        if actor is not None and not can_manage_contract(actor, locked):
            raise Forbidden("Only the district's administrator may change a contract.")
        if locked.status != ContractStatus.DRAFT:
            raise TransitionRefused(
                action="update",
                current=locked.status,
                allowed=allowed_actions(locked),
                reason=f"Only a draft can be changed; this contract is '{locked.get_status_display()}'.",
            )
        cost, share = _contract_terms(
            district=locked.district,
            agency=agency,
            city=city,
            campuses=campuses,
            term_start=term_start,
            term_end=term_end,
            annual_cost=annual_cost,
            district_share_percent=district_share_percent,
        )
        before = _described(locked)
        locked.agency, locked.city, locked.title, locked.positions = agency, city, title, positions
        locked.title_es = title_es.strip()
        locked.term_start, locked.term_end = term_start, term_end
        locked.annual_cost, locked.district_share_percent, locked.renewal_terms = cost, share, renewal_terms
        _clean(locked, exclude=["in_force"])
        locked.save()
        locked.campuses.set(campuses)
        after = _described(locked)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            audit_log(actor=_user(actor), action="update", obj=locked, changes=changed)
    return locked


def _same_text(version: ContractVersion, clauses: Sequence[ClauseIn]) -> bool:
    """Whether `clauses` say exactly what `version` says (the draft it would replace, or the text in
    force it would amend): a version that changes nothing is refused rather than recorded."""
    have = [(c.number, c.title, c.text, sorted(c.categories)) for c in version.clauses.order_by("position")]
    new = [(c.number.strip(), c.title.strip(), c.text.strip(), sorted(dict.fromkeys(c.categories))) for c in clauses]
    return have == new


def _version_insert(
    *,
    actor: Actor | None,
    contract: Contract,
    clauses: Sequence[ClauseIn],
    note: str,
    is_amendment: bool = False,
    renewal_term_end: dt.date | None = None,
) -> ContractVersion:
    last = contract.versions.order_by("-number").first()
    version = ContractVersion.objects.create(
        contract=contract,
        number=(last.number + 1) if last else 1,
        note=note,
        author=_user(actor),
        is_amendment=is_amendment,
        renewal_term_end=renewal_term_end,
    )
    Clause.objects.bulk_create(
        [
            Clause(
                version=version,
                position=i,
                number=c.number.strip(),
                title=c.title.strip(),
                text=c.text.strip(),
                categories=list(dict.fromkeys(c.categories)),
            )
            for i, c in enumerate(clauses, start=1)
        ]
    )
    audit_log(
        actor=_user(actor),
        action="create_version",
        obj=version,
        changes={
            "contract": contract.pk,
            "number": version.number,
            "note": note,
            "amendment": is_amendment,
            "clauses": [c.number for c in clauses],
            **({"renewal_term_end": renewal_term_end.isoformat()} if renewal_term_end else {}),
        },
    )
    return version


def version_create(
    *,
    actor: Actor | None,
    contract: Contract,
    clauses: Sequence[ClauseIn],
    note: str = "",
    renewal_term_end: dt.date | None = None,
) -> ContractVersion:
    """A new text. In negotiation it replaces the working draft; once approved it is an amendment.
    `renewal_term_end`: the amendment renews the contract, whose term then ends on that day once the
    board adopts it (only for an approved, active or suspended contract, and after its current term)."""
    _validate_clauses(clauses)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if actor is not None and not can_propose_text(actor, locked):
            raise Forbidden("Only the district's administrator or the agency's supervisor may propose text.")
        if renewal_term_end is not None:
            if locked.status not in AMENDABLE:
                raise InvalidInput.single(
                    "renewal_term_end",
                    f"only an approved, active or suspended contract can be renewed (this one is '{locked.status}')",
                )
            if renewal_term_end <= locked.term_end:
                raise InvalidInput.single(
                    "renewal_term_end",
                    f"must be after the current term's last day, {locked.term_end.isoformat()}",
                )
        if locked.status not in NEGOTIABLE | AMENDABLE:
            raise TransitionRefused(
                action="create_version",
                current=locked.status,
                allowed=allowed_actions(locked),
                reason=f"New text cannot be proposed while the contract is '{locked.status}'.",
            )
        current = open_version(locked)
        if current is not None and current.state != VersionState.DRAFT:
            raise TransitionRefused(
                action="create_version",
                current=locked.status,
                allowed=allowed_actions(locked),
                reason=f"Version {current.number} is under review ({current.state}); withdraw it first.",
            )
        replaced = current or locked.versions.filter(state=VersionState.IN_FORCE).order_by("-number").first()
        # A renewal may carry the text on unchanged: its change is the term.
        if renewal_term_end is None and replaced is not None and _same_text(replaced, clauses):
            raise InvalidInput.single(
                "clauses",
                f"the text is the same as version {replaced.number}: change, add or remove a clause first",
            )
        if current is not None:
            current.state = VersionState.WITHDRAWN
            current.save(update_fields=["state", "updated_at"])
        version = _version_insert(
            actor=actor,
            contract=locked,
            clauses=clauses,
            note=note,
            is_amendment=locked.status in AMENDABLE,
            renewal_term_end=renewal_term_end,
        )
    return version


def _set_status(actor: Actor | None, contract: Contract, action: str, target: str, **extra: Any) -> None:
    before = contract.status
    contract.status = target
    contract.save(update_fields=["status", "updated_at"])
    audit_log(actor=_user(actor), action=action, obj=contract, changes={"status": [before, target], **extra})


def contract_transition(
    *, actor: Actor | None, contract: Contract, action: str, today: dt.date | None = None, reason: str = ""
) -> Contract:
    """Perform a user-requested lifecycle action, or refuse with the allowed ones (409)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if actor is not None and not can_manage_contract(actor, locked):
            raise Forbidden("Only the district's administrator may change a contract's status.")
        allowed = allowed_actions(locked)
        if action in {"submit_amendment", "withdraw_amendment"} and action in allowed:
            return _amendment_step(actor, locked, action, reason)
        t = TRANSITIONS.get(action)
        if t is None or t.by_vote or locked.status not in t.sources:
            why = "It happens only by recording a vote." if t is not None and t.by_vote else ""
            raise TransitionRefused(
                action=action,
                current=locked.status,
                allowed=allowed,
                reason=f"'{action}' is not allowed while the status is '{locked.status}'. {why}".strip(),
            )
        target = t.target
        version = open_version(locked)
        if action == "submit_to_council":
            if version is None or version.state != VersionState.DRAFT:
                raise TransitionRefused(
                    action=action,
                    current=locked.status,
                    allowed=allowed,
                    reason="There is no draft text to send; propose a version first.",
                )
            blocking = rubric_for(version).blocking
            if blocking:
                raise InvalidInput(
                    "Required elements are missing: " + ", ".join(b.element.title for b in blocking),
                    [
                        FieldError("clauses", f"missing required element '{b.element.key}': {b.element.guidance}")
                        for b in blocking
                    ],
                )
            version.state = VersionState.COUNCIL_REVIEW
            version.save(update_fields=["state", "updated_at"])
        elif action == "withdraw_from_council" and version is not None:
            if version.votes.exclude(outcome=Vote.Outcome.SCHEDULED).exists():
                raise TransitionRefused(
                    action=action,
                    current=locked.status,
                    allowed=allowed,
                    reason="The council has already voted on this version.",
                )
            version.state = VersionState.DRAFT
            version.save(update_fields=["state", "updated_at"])
        elif action == "activate" and not locked.in_term(today):
            raise TransitionRefused(
                action=action,
                current=locked.status,
                allowed=allowed,
                reason=f"The term starts on {locked.term_start.isoformat()}.",
            )
        elif action == "expire" and today <= locked.term_end:
            raise TransitionRefused(
                action=action,
                current=locked.status,
                allowed=allowed,
                reason=f"The term runs until {locked.term_end.isoformat()}.",
            )
        elif action == "reinstate":
            target = ContractStatus.ACTIVE if locked.in_term(today) else ContractStatus.APPROVED
            _check_no_overlap(locked)
        _set_status(actor, locked, action, target, reason=reason)
    return locked


def _amendment_step(actor: Actor | None, contract: Contract, action: str, reason: str = "") -> Contract:
    version = open_version(contract)
    assert version is not None
    before = version.state
    if action == "submit_amendment":
        blocking = rubric_for(version).blocking
        if blocking:
            raise InvalidInput.many([("clauses", f"missing required element '{b.element.key}'") for b in blocking])
        version.state = VersionState.COUNCIL_REVIEW
    else:
        version.state = VersionState.DRAFT
    version.save(update_fields=["state", "updated_at"])
    audit_log(
        actor=_user(actor), action=action, obj=version, changes={"state": [before, version.state], "reason": reason}
    )
    return contract


def _check_no_overlap(contract: Contract) -> None:
    """Refuse when another approved/active/suspended contract covers a campus on overlapping dates."""
    campuses = list(School.objects.select_for_update().filter(contracts=contract).order_by("pk"))
    clash = (
        Contract.objects.filter(
            campuses__in=campuses,
            status__in=[*DEPLOYABLE, ContractStatus.SUSPENDED],
            term_start__lte=contract.term_end,
            term_end__gte=contract.term_start,
        )
        .exclude(pk=contract.pk)
        .distinct()
        .first()
    )
    if clash is not None:
        shared = ", ".join(s.name for s in clash.campuses.filter(pk__in=[c.pk for c in campuses]))
        raise Conflict(
            f"'{clash.title}' already covers {shared} from {clash.term_start} to {clash.term_end}; "
            "a campus can have only one approved contract on any date.",
            [FieldError("campuses", f"{shared} is covered by '{clash.title}' on overlapping dates")],
        )


# ---------------------------------------------------------------- bodies, meetings, votes


def body_create(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    seats: int,
    city: City | None = None,
    district: District | None = None,
    voting_rule: str = Body.Rule.MAJORITY_OF_SEATS,
) -> Body:
    """A city council (of `city`) or the school board (of `district`)."""
    if kind == Body.Kind.CITY_COUNCIL:
        district = None
        if city is None:
            raise InvalidInput.single("city", "a city council needs its city")
    elif kind == Body.Kind.SCHOOL_BOARD:
        city = None
        if district is None:
            raise InvalidInput.single("district", "a school board needs its district")
    if actor is not None and not can_manage_body(actor, kind=kind, district_id=district.pk if district else None):
        raise Forbidden("Only a district's administrator may add a council or a school board.")
    _check_seats(seats)
    with transaction.atomic():
        body = Body(name=name, kind=kind, seats=seats, city=city, district=district, voting_rule=voting_rule)
        _clean(body)
        body.save()
        audit_log(
            actor=_user(actor),
            action="create",
            obj=body,
            changes={"name": name, "kind": kind, "seats": seats, "voting_rule": voting_rule},
        )
    return body


def _check_seats(seats: int) -> None:
    if not 1 <= seats <= BODY_MAX_SEATS:
        raise InvalidInput.single("seats", f"must be from 1 to {BODY_MAX_SEATS}")


def meeting_create(
    *, actor: Actor | None, body: Body, date: dt.date, title: str = "", minutes_url: str = ""
) -> Meeting:
    if actor is not None and not can_manage_body(actor, kind=body.kind, district_id=body.district_id):
        raise Forbidden("Only a district's administrator may add meetings.")
    if problems := meeting_date_problems("date", date):
        raise InvalidInput(f"date: {problems[0].message}", problems)
    with transaction.atomic():
        meeting = Meeting(body=body, date=date, title=title or f"{body.name} meeting", minutes_url=minutes_url)
        _clean(meeting)
        meeting.save()
        audit_log(actor=_user(actor), action="create", obj=meeting, changes={"body": body.name, "date": date})
    return meeting


def body_update(*, actor: Actor | None, body: Body, name: str, seats: int, voting_rule: str) -> Body:
    """Rename a body, or change its seats or voting rule (after an election or a charter change).

    Votes already recorded keep the outcome they had under the rule of their day; the new seats and
    rule decide the votes recorded from now on. Its kind and its city or district never change: a
    different body is a new one."""
    with transaction.atomic():
        locked = Body.objects.select_for_update().get(pk=body.pk)
        if actor is not None and not can_manage_body(actor, kind=locked.kind, district_id=locked.district_id):
            raise Forbidden("Only a district's administrator may change a council or a school board.")
        _check_seats(seats)
        before = {"name": locked.name, "seats": locked.seats, "voting_rule": locked.voting_rule}
        locked.name, locked.seats, locked.voting_rule = name.strip(), seats, voting_rule
        _clean(locked)
        locked.save()
        after = {"name": locked.name, "seats": locked.seats, "voting_rule": locked.voting_rule}
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            audit_log(actor=_user(actor), action="update", obj=locked, changes=changed)
    return locked


def meeting_update(
    *, actor: Actor | None, meeting: Meeting, date: dt.date, title: str = "", minutes_url: str = ""
) -> Meeting:
    """Change a meeting: its minutes link once they are published, its title, or its date when it is
    moved. A meeting at which a vote was recorded keeps its date: the vote was held that day."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        body = locked.body
        if actor is not None and not can_manage_body(actor, kind=body.kind, district_id=body.district_id):
            raise Forbidden("Only a district's administrator may change meetings.")
        if date != locked.date and (problems := meeting_date_problems("date", date)):
            raise InvalidInput(f"date: {problems[0].message}", problems)
        if date != locked.date and locked.votes.exclude(outcome=Vote.Outcome.SCHEDULED).exists():
            raise InvalidInput.single(
                "date",
                f"a vote was recorded at this meeting on {locked.date.isoformat()}: its date stays; "
                "add a new meeting for another day",
            )
        before = {"date": locked.date.isoformat(), "title": locked.title, "minutes_url": locked.minutes_url}
        locked.date, locked.title = date, title.strip() or f"{body.name} meeting"
        locked.minutes_url = minutes_url.strip()
        _clean(locked)
        locked.save()
        after = {"date": locked.date.isoformat(), "title": locked.title, "minutes_url": locked.minutes_url}
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            audit_log(actor=_user(actor), action="update", obj=locked, changes=changed)
    return locked


def quorum(seats: int) -> int:
    """A majority of all the seats: the quorum of a city council (California Government Code
    section 36810: "A majority of the council constitutes a quorum for transaction of business"),
    applied to school boards too (a board acts by a majority of its whole membership, Education
    Code section 35164, so fewer members present cannot pass anything)."""
    return seats // 2 + 1


def vote_outcome(body: Body, ayes: int, noes: int, abstentions: int) -> Vote.Outcome:
    """Passed or failed, from the tally and the body's rule (never typed in)."""
    if body.voting_rule == Body.Rule.MAJORITY_OF_VOTES:
        passed = ayes > (ayes + noes + abstentions) / 2
    else:
        passed = ayes > body.seats / 2
    return Vote.Outcome.PASSED if passed else Vote.Outcome.FAILED


def _expected_body_kind(version: ContractVersion) -> str:
    if version.state == VersionState.COUNCIL_REVIEW:
        return Body.Kind.CITY_COUNCIL
    if version.state == VersionState.BOARD_REVIEW:
        return Body.Kind.SCHOOL_BOARD
    return ""


def _check_body(meeting: Meeting, version: ContractVersion) -> None:
    contract = version.contract
    kind = _expected_body_kind(version)
    if not kind:
        raise InvalidInput.single(
            "version",
            f"version {version.number} is not under review (it is "
            f"'{version.get_state_display()}'); only a version before a body can be voted",
        )
    body = meeting.body
    if body.kind != kind:
        raise InvalidInput.single(
            "meeting",
            f"version {version.number} is before the "
            f"{'city council' if kind == Body.Kind.CITY_COUNCIL else 'school board'}, "
            f"not {body.name}",
        )
    if kind == Body.Kind.CITY_COUNCIL and body.city_id != contract.city_id:
        raise InvalidInput.single("meeting", f"{body.name} is not the council of {contract.city}")
    if kind == Body.Kind.SCHOOL_BOARD and body.district_id != contract.district_id:
        raise InvalidInput.single("meeting", f"{body.name} is not the board of {contract.district}")


def vote_schedule(*, actor: Actor | None, meeting: Meeting, version: ContractVersion) -> Vote:
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=version.contract_id)
        if actor is not None and not can_record_vote(actor, contract):
            raise Forbidden("Only the district's administrator may schedule votes.")
        version.refresh_from_db()
        _check_body(meeting, version)
        vote, created = Vote.objects.get_or_create(meeting=meeting, version=version)
        if created:
            audit_log(
                actor=_user(actor),
                action="schedule_vote",
                obj=vote,
                changes={"meeting": str(meeting), "version": version.number},
            )
    return vote


def _validate_tally(body: Body, ayes: int, noes: int, abstentions: int, absent: int) -> None:
    problems = [
        (n, "must be zero or more")
        for n, v in (("ayes", ayes), ("noes", noes), ("abstentions", abstentions), ("absent", absent))
        if v < 0
    ]
    total = ayes + noes + abstentions + absent
    present = ayes + noes + abstentions
    if not problems and total > body.seats:
        problems.append(("ayes", f"the tally counts {total} members but {body.name} has {body.seats} seats"))
    elif not problems and present < quorum(body.seats):
        problems.append(
            (
                "ayes",
                f"no quorum: {present} of {body.name}'s {body.seats} members voted or abstained; "
                f"a vote needs at least {quorum(body.seats)} present",
            )
        )
    if problems:
        raise InvalidInput.many(problems)


def _validate_member_votes(
    member_votes: list[dict[str, str]], ayes: int, noes: int, abstentions: int, absent: int
) -> None:
    if not member_votes:
        return
    member = Vote.MemberVote
    counts = dict.fromkeys(member.values, 0)
    for i, mv in enumerate(member_votes):
        if not str(mv.get("member", "")).strip():
            raise InvalidInput.single(f"member_votes[{i}].member", "is required")
        v = mv.get("vote", "")
        if v not in counts:
            raise InvalidInput.single(f"member_votes[{i}].vote", f"'{v}' is not one of {', '.join(member.values)}")
        counts[v] += 1
    tally = (counts[member.AYE], counts[member.NO], counts[member.ABSTAIN], counts[member.ABSENT])
    if tally != (ayes, noes, abstentions, absent):
        raise InvalidInput.single("member_votes", "named votes do not add up to the tally")


def vote_record(
    *,
    actor: Actor | None,
    vote: Vote,
    ayes: int,
    noes: int,
    abstentions: int = 0,
    absent: int = 0,
    member_votes: list[dict[str, str]] | None = None,
    minutes_url: str = "",
    today: dt.date | None = None,
) -> Vote:
    """Record the tally of a held vote; its outcome moves the contract (or amendment) on."""
    today = today or timezone.localdate()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=vote.version.contract_id)
        if actor is not None and not can_record_vote(actor, contract):
            raise Forbidden("Only the district's administrator may record votes.")
        vote = Vote.objects.select_for_update().select_related("meeting__body", "version").get(pk=vote.pk)
        meeting, version, body = vote.meeting, vote.version, vote.meeting.body
        if vote.outcome != Vote.Outcome.SCHEDULED:
            raise Conflict("This vote is already recorded.", [FieldError("vote", "already recorded")])
        if meeting.date > today:
            raise InvalidInput.single(
                "meeting",
                f"the meeting is on {meeting.date.isoformat()}, in the future; the vote stays scheduled until then",
            )
        _check_body(meeting, version)
        _validate_tally(body, ayes, noes, abstentions, absent)
        _validate_member_votes(member_votes or [], ayes, noes, abstentions, absent)
        vote.ayes, vote.noes, vote.abstentions, vote.absent = ayes, noes, abstentions, absent
        vote.member_votes = member_votes or []
        vote.minutes_url = minutes_url
        vote.outcome = vote_outcome(body, ayes, noes, abstentions)
        vote.recorded_at = timezone.now()
        _clean(vote)
        vote.save()
        audit_log(
            actor=_user(actor),
            action="record_vote",
            obj=vote,
            changes={
                "body": body.name,
                "version": version.number,
                "ayes": ayes,
                "noes": noes,
                "abstentions": abstentions,
                "absent": absent,
                "outcome": vote.outcome,
            },
        )
        _apply_vote(actor, contract, version, body, vote.outcome == Vote.Outcome.PASSED, meeting.date)
    return vote


def vote_submit(
    *,
    actor: Actor | None,
    contract: Contract,
    meeting: Meeting,
    version_number: int | None = None,
    ayes: int | None = None,
    noes: int | None = None,
    abstentions: int = 0,
    absent: int = 0,
    member_votes: list[dict[str, str]] | None = None,
    minutes_url: str = "",
    today: dt.date | None = None,
) -> tuple[Vote, bool]:
    """A council or board vote from the page or the API: schedule it (no tally), or record its tally
    (scheduling it first if needed). The vote is on `version_number`, or else on the version under
    review. Returns the vote and whether it was scheduled just now. Atomic: when the tally is
    refused, a vote scheduled by this call is not kept either.
    """
    # Checked first: with the vote already scheduled nothing below would ask, and a role that may
    # not record votes would get a 200.
    if actor is not None and not can_record_vote(actor, contract):
        raise Forbidden("Only the district's administrator may schedule votes.")
    if version_number is not None:
        version = ContractVersion.objects.filter(contract=contract, number=version_number).first()
        if version is None:
            raise InvalidInput.single("version", f"contract has no version {version_number}")
    else:
        version = version_under_review(contract)
        if version is None:
            raise InvalidInput.single("version", "no version of this contract is under review")
    if (ayes is None) != (noes is None):
        raise InvalidInput.single("noes" if noes is None else "ayes", "give both ayes and noes")
    # One transaction: a tally refused after the vote was scheduled here leaves no scheduled vote.
    with transaction.atomic():
        existing = Vote.objects.filter(meeting=meeting, version=version).first()
        vote = existing or vote_schedule(actor=actor, meeting=meeting, version=version)
        if ayes is not None and noes is not None:
            vote = vote_record(
                actor=actor,
                vote=vote,
                ayes=ayes,
                noes=noes,
                abstentions=abstentions,
                absent=absent,
                member_votes=member_votes,
                minutes_url=minutes_url,
                today=today,
            )
    return vote, existing is None


def _apply_vote(
    actor: Actor | None, contract: Contract, version: ContractVersion, body: Body, passed: bool, on: dt.date
) -> None:
    council = body.kind == Body.Kind.CITY_COUNCIL
    before = version.state
    if council:
        version.state = VersionState.BOARD_REVIEW if passed else VersionState.DRAFT
    elif passed:
        version.state = VersionState.IN_FORCE
    else:
        version.state = VersionState.DRAFT
    if version.state == VersionState.IN_FORCE:
        if not version.is_amendment:
            _check_no_overlap(contract)
        if contract.in_force_id is not None:
            ContractVersion.objects.filter(pk=contract.in_force_id).update(state=VersionState.SUPERSEDED)
    version.save(update_fields=["state", "updated_at"])
    audit_log(actor=_user(actor), action="version_state", obj=version, changes={"state": [before, version.state]})
    if version.is_amendment:
        if version.state == VersionState.IN_FORCE:
            contract.in_force = version
            fields = ["in_force", "updated_at"]
            if version.renewal_term_end is not None and version.renewal_term_end > contract.term_end:
                before_end = contract.term_end
                contract.term_end = version.renewal_term_end
                _check_no_overlap(contract)  # the renewed term may not reach into another contract's
                fields.append("term_end")
                audit_log(
                    actor=_user(actor),
                    action="renew",
                    obj=contract,
                    changes={"term_end": [before_end.isoformat(), contract.term_end.isoformat()]},
                )
            contract.save(update_fields=fields)
        return
    action = (
        ("council_approve" if passed else "council_reject")
        if council
        else ("board_approve" if passed else "board_reject")
    )
    target = TRANSITIONS[action].target
    if action == "board_approve":
        target = ContractStatus.ACTIVE if contract.in_term(on) else ContractStatus.APPROVED
        contract.in_force = version
        contract.save(update_fields=["in_force", "updated_at"])
    _set_status(actor, contract, action, target, version=version.number)


def contracts_refresh(*, today: dt.date | None = None) -> list[tuple[Contract, str]]:
    """Daily: start approved contracts whose term began, and expire those whose term ended."""
    today = today or timezone.localdate()
    done: list[tuple[Contract, str]] = []
    for c in Contract.objects.filter(
        status__in=[ContractStatus.APPROVED, ContractStatus.ACTIVE, ContractStatus.SUSPENDED]
    ):
        if today > c.term_end:
            done.append((contract_transition(actor=None, contract=c, action="expire", today=today), "expire"))
        elif c.status == ContractStatus.APPROVED and c.in_term(today):
            done.append((contract_transition(actor=None, contract=c, action="activate", today=today), "activate"))
    return done
