"""Writes for the evaluation: drafts and their narrative, the survey and its links, the anonymous
answers, the renewal proposal and the reminders. Each is atomic, permission-checked and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sro.contracts.models import Contract, ContractVersion
from sro.contracts.services import ClauseIn, contract_transition, version_create
from sro.contracts.workflow import AMENDABLE
from sro.core.antispam import address_hash, check_rate, honeypot_tripped
from sro.core.audit import audit_log
from sro.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from sro.core.services import actor_user
from sro.evaluation.figures import contract_year, gather
from sro.evaluation.models import (
    LIKERT,
    Evaluation,
    RenewalReminder,
    Respondent,
    Survey,
    SurveyLink,
    SurveyResponse,
)
from sro.evaluation.permissions import can_manage_evaluation
from sro.orgs.actors import Actor
from sro.orgs.models import School, User
from sro.orgs.roles import Role

# Reminders before a term's last day (the demo contract's clause: "each SRO and the program are
# evaluated every year"; the renewal needs two votes, which take weeks to schedule).
REMINDER_DAYS = (120, 60, 30)
# Survey answers from one network address in a day (a school's computer lab shares one address).
SURVEY_RATE_LIMIT = 40
SURVEY_ADDRESS_PURPOSE = "sro.evaluation.survey"
MAX_LINKS = 2000
QUESTIONS = ("feels_safe", "trusts_sro", "knows_how_to_complain")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_manager(actor: Actor | None, contract: Contract) -> None:
    if actor is not None and not can_manage_evaluation(actor, contract):
        raise Forbidden("Only the district's administrator may change a contract's evaluation.")


# ---------------------------------------------------------------- the evaluation


def evaluation_draft(*, actor: Actor | None, contract: Contract, year: int, today: dt.date | None = None) -> Evaluation:
    """Start contract year `year`'s evaluation, or gather its figures again while it is a draft."""
    today = today or timezone.localdate()
    _check_manager(actor, contract)
    if year < 1:
        raise InvalidInput.single("year", "contract years count from 1")
    start, end = contract_year(contract, year)
    if start > contract.term_end:
        raise InvalidInput.single(
            "year", f"year {year} would start on {start.isoformat()}, after the term ends on {contract.term_end}"
        )
    figures = gather(contract, year, today=today)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        evaluation, created = Evaluation.objects.select_for_update().get_or_create(
            contract=locked, year=year, defaults={"start": start, "end": end}
        )
        if evaluation.status == Evaluation.Status.FINAL:
            raise Conflict(
                "This evaluation is final; its figures no longer change.",
                [FieldError("status", "the evaluation is final")],
            )
        evaluation.figures, evaluation.computed_at = figures, timezone.now()
        evaluation.save()
        audit_log(
            actor=actor_user(actor),
            action="create" if created else "refresh",
            obj=evaluation,
            changes={"contract": contract.pk, "year": year, "start": start.isoformat(), "end": end.isoformat()},
        )
    return evaluation


NARRATIVE = ("findings", "findings_es", "recommendations", "recommendations_es")


def evaluation_update(*, actor: Actor | None, evaluation: Evaluation, **texts: str) -> Evaluation:
    """The district's narrative: findings and recommendations, in English and Spanish."""
    unknown = [k for k in texts if k not in NARRATIVE]
    if unknown:
        raise InvalidInput.many([(k, "is not a narrative section") for k in unknown])
    _check_manager(actor, evaluation.contract)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status == Evaluation.Status.FINAL:
            raise Conflict("This evaluation is final.", [FieldError("status", "the evaluation is final")])
        changed = {}
        for key, value in texts.items():
            value = value.strip()
            if getattr(locked, key) != value:
                changed[key] = [len(getattr(locked, key)), len(value)]  # lengths: the text is on the page
                setattr(locked, key, value)
        if changed:
            locked.save()
            audit_log(actor=actor_user(actor), action="update", obj=locked, changes={"characters": changed})
    return locked


def evaluation_finalise(*, actor: Actor | None, evaluation: Evaluation) -> Evaluation:
    _check_manager(actor, evaluation.contract)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status == Evaluation.Status.FINAL:
            return locked
        missing = [k for k in NARRATIVE if not getattr(locked, k)]
        if missing:
            raise InvalidInput.many([(k, "write this section before the evaluation is final") for k in missing])
        locked.status = Evaluation.Status.FINAL
        locked.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor_user(actor), action="finalise", obj=locked, changes={"status": ["draft", "final"]})
    return locked


# ---------------------------------------------------------------- the survey


def survey_open(*, actor: Actor | None, evaluation: Evaluation, opens_on: dt.date, closes_on: dt.date) -> Survey:
    """Set (or change) the survey's window."""
    _check_manager(actor, evaluation.contract)
    if closes_on < opens_on:
        raise InvalidInput.single("closes_on", f"must be on or after the opening day, {opens_on.isoformat()}")
    with transaction.atomic():
        survey, created = Survey.objects.select_for_update().get_or_create(
            evaluation=evaluation, defaults={"opens_on": opens_on, "closes_on": closes_on}
        )
        before = [survey.opens_on.isoformat(), survey.closes_on.isoformat()]
        survey.opens_on, survey.closes_on = opens_on, closes_on
        survey.save()
        audit_log(
            actor=actor_user(actor),
            action="create" if created else "update",
            obj=survey,
            changes={"window": [before, [opens_on.isoformat(), closes_on.isoformat()]]},
        )
    return survey


def survey_links_issue(
    *, actor: Actor | None, survey: Survey, respondent: str, school: School, count: int
) -> list[str]:
    """`count` single-use links for one group at one campus. The tokens are returned once, for the
    district to hand out; only their hashes are kept."""
    contract = survey.evaluation.contract
    _check_manager(actor, contract)
    problems = []
    if respondent not in Respondent.values:
        problems.append(("respondent", f"'{respondent}' is not one of {', '.join(Respondent.values)}"))
    if not contract.campuses.filter(pk=school.pk).exists():
        problems.append(("school", f"{school.name} is not a campus of this contract"))
    if not 1 <= count <= MAX_LINKS:
        problems.append(("count", f"must be from 1 to {MAX_LINKS}"))
    if problems:
        raise InvalidInput.many(problems)
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    with transaction.atomic():
        SurveyLink.objects.bulk_create(
            [
                SurveyLink(survey=survey, token_hash=token_digest(t), respondent=respondent, school=school)
                for t in tokens
            ]
        )
        audit_log(
            actor=actor_user(actor),
            action="issue_links",
            obj=survey,
            changes={"respondent": respondent, "school": school.cds_code, "count": count},
        )
    return tokens


def survey_link_get(token: str) -> SurveyLink:
    link = (
        SurveyLink.objects.select_related("survey__evaluation__contract", "school")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if link is None:
        raise NotFound("Survey link")
    return link


@dataclass(frozen=True)
class Answers:
    feels_safe: int
    trusts_sro: int
    knows_how_to_complain: int
    comment: str = ""


def survey_respond(
    *,
    token: str,
    answers: Answers,
    language: str = "en",
    address: str = "",
    honeypot: str = "",
    today: dt.date | None = None,
) -> SurveyResponse | None:
    """One anonymous answer through a single-use link. A filled honeypot stores nothing and returns
    None; a used link, a closed survey or too many answers from one address are refused."""
    today = today or timezone.localdate()
    if honeypot_tripped(honeypot):
        return None
    problems = [(q, "choose an answer from 1 to 5") for q in QUESTIONS if getattr(answers, q) not in LIKERT]
    if len(answers.comment) > 1000:
        problems.append(("comment", "at most 1000 characters"))
    if problems:
        raise InvalidInput.many(problems)
    digest = address_hash(address, purpose=SURVEY_ADDRESS_PURPOSE)
    with transaction.atomic():
        link = (
            SurveyLink.objects.select_for_update()
            .select_related("survey")
            .filter(token_hash=token_digest(token))
            .first()
        )
        if link is None:
            raise NotFound("Survey link")
        if link.used_on is not None:
            raise Conflict(
                "This link has already been used: each link answers the survey once.",
                [FieldError("token", "already used")],
            )
        survey = link.survey
        if not survey.is_open(today):
            raise Conflict(
                f"The survey is open from {survey.opens_on.isoformat()} to {survey.closes_on.isoformat()}.",
                [FieldError("token", "the survey is not open today")],
            )
        since = timezone.now() - dt.timedelta(days=1)
        check_rate(
            recent=SurveyResponse.objects.filter(address_hash=digest, created_at__gte=since).count(),
            limit=SURVEY_RATE_LIMIT,
            message="Too many answers were sent from this connection today.",
        )
        link.used_on = today
        link.save(update_fields=["used_on", "updated_at"])
        response = SurveyResponse.objects.create(
            survey=survey,
            respondent=link.respondent,
            school_id=link.school_id,
            feels_safe=answers.feels_safe,
            trusts_sro=answers.trusts_sro,
            knows_how_to_complain=answers.knows_how_to_complain,
            comment=answers.comment.strip(),
            language="es" if language.startswith("es") else "en",
            address_hash=digest,
        )
        # The survey, not the response or the link, is the audited object: nothing ties the two.
        audit_log(actor=None, action="survey_response", obj=survey, changes={"respondent": link.respondent})
    return response


# ---------------------------------------------------------------- renewal


def renewal_propose(*, actor: Actor | None, contract: Contract, term_end: dt.date, note: str = "") -> ContractVersion:
    """Propose renewing the contract to `term_end`: a new version (the text in force, carried on) that
    goes to the city council and then the school board through the contract's own votes."""
    _check_manager(actor, contract)
    if contract.status not in AMENDABLE or contract.in_force is None:
        raise InvalidInput.single(
            "contract", f"only a contract approved by the board can be renewed (this one is '{contract.status}')"
        )
    clauses = [
        ClauseIn(number=c.number, title=c.title, text=c.text, categories=list(c.categories))
        for c in contract.in_force.clauses.all()
    ]
    with transaction.atomic():
        version = version_create(
            actor=actor,
            contract=contract,
            clauses=clauses,
            note=note or f"Renewal to {term_end.isoformat()}",
            renewal_term_end=term_end,
        )
        contract_transition(actor=actor, contract=contract, action="submit_amendment", reason="renewal")
    version.refresh_from_db()
    return version


# ---------------------------------------------------------------- reminders


def reminder_recipients(contract: Contract) -> list[User]:
    """The district's administrators and the agency's supervisors: the contract's two owners."""
    owners = Q(memberships__role=Role.DISTRICT_ADMIN, memberships__district_id=contract.district_id) | Q(
        memberships__role=Role.AGENCY_SUPERVISOR, memberships__agency_id=contract.agency_id
    )
    return list(User.objects.filter(owners, is_active=True).distinct().order_by("pk"))


def reminders_send(*, today: dt.date | None = None) -> list[RenewalReminder]:
    """Daily: for each approved, active or suspended contract whose term ends in 120, 60 or 30 days or
    fewer (the step most recently reached), a reminder to each owner, once per term and step. A
    missed day catches up; running twice on one day creates nothing new."""
    today = today or timezone.localdate()
    created: list[RenewalReminder] = []
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    contracts = Contract.objects.filter(status__in=AMENDABLE, term_end__gte=today, term_end__lte=horizon)
    for contract in contracts.order_by("term_end", "pk"):
        left = (contract.term_end - today).days
        step = min(d for d in REMINDER_DAYS if left <= d)
        for user in reminder_recipients(contract):
            try:
                with transaction.atomic():
                    reminder, new = RenewalReminder.objects.get_or_create(
                        contract=contract, term_end=contract.term_end, days_before=step, recipient=user
                    )
                    if new:
                        audit_log(
                            actor=None,
                            action="renewal_reminder",
                            obj=reminder,
                            changes={"contract": contract.pk, "term_end": contract.term_end.isoformat(), "days": step},
                        )
            except IntegrityError:  # another run made it just now
                continue
            if new:
                created.append(reminder)
    return created


def reminder_read(*, actor: Actor, reminder: RenewalReminder) -> RenewalReminder:
    if actor.user is None or reminder.recipient_id != actor.user.pk:
        raise NotFound("Reminder")
    with transaction.atomic():
        locked = RenewalReminder.objects.select_for_update().get(pk=reminder.pk)
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at", "updated_at"])
    return locked
