"""The evaluation's part of the demo scenario (after the community's, so nothing before it changes).

Desert Hot Springs High's agreement, in negotiation in the earlier steps, becomes last year's
agreement: adopted by the city council and the school board ten months ago through the real vote
services, with a term that ends in 95 days. Its first year's evaluation is drafted, the renewal
reminder (120 days) is on the director's queue, and its survey is open with answers in: the students'
published; the staff's withheld (5 answers), and the parents' with them so that the published total
does not give the staff's away.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sro.contracts.demo import MODEL_CLAUSES
from sro.contracts.models import Body, Contract, VersionState
from sro.contracts.services import contract_transition, meeting_create, version_create, vote_record, vote_schedule
from sro.evaluation.figures import year_of
from sro.evaluation.services import (
    Answers,
    evaluation_draft,
    evaluation_update,
    reminders_send,
    survey_links_issue,
    survey_open,
    survey_respond,
)
from sro.orgs.actors import actor_for
from sro.orgs.models import User

CAMPUS = "Desert Hot Springs High"
DAYS_LEFT = 95  # within the 120-day reminder, before the 60-day one
# (respondent, links handed out, answers, answers' scores cycled)
SURVEY = [("student", 40, 14, (4, 3, 5, 2, 4)), ("parent", 35, 12, (3, 4, 2, 4)), ("staff", 30, 5, (4, 5))]


def load() -> list[tuple[str, str, str, str]]:
    today = timezone.localdate()
    contract = Contract.objects.select_related("city", "district").filter(campuses__name=CAMPUS).first()
    if contract is None:
        return []
    director = actor_for(User.objects.get(username="director"))
    end = today + dt.timedelta(days=DAYS_LEFT)
    Contract.objects.filter(pk=contract.pk).update(
        term_start=end.replace(year=end.year - 1) + dt.timedelta(days=1), term_end=end
    )
    contract.refresh_from_db()
    adopted = today - dt.timedelta(days=300)
    version_create(actor=None, contract=contract, clauses=MODEL_CLAUSES, note="The model agreement, as adopted")
    contract_transition(actor=None, contract=contract, action="submit_to_council")
    version = contract.versions.get(state=VersionState.COUNCIL_REVIEW)
    council = Body.objects.get(kind=Body.Kind.CITY_COUNCIL, city=contract.city)
    board = Body.objects.get(kind=Body.Kind.SCHOOL_BOARD, district=contract.district)
    for body, day, tally in ((council, adopted - dt.timedelta(days=14), (4, 1)), (board, adopted, (5, 0))):
        meeting = meeting_create(actor=None, body=body, date=day, title="Regular meeting")
        vote = vote_schedule(actor=None, meeting=meeting, version=version)
        vote_record(actor=None, vote=vote, ayes=tally[0], noes=tally[1], today=today)
        version.refresh_from_db()
    contract_transition(actor=None, contract=contract, action="activate", today=today)  # the term began
    contract.refresh_from_db()
    evaluation = evaluation_draft(actor=director, contract=contract, year=year_of(contract, today), today=today)
    evaluation_update(
        actor=director,
        evaluation=evaluation,
        findings="A draft: the officer's contacts, the notifications and the survey are summarised above.",
        findings_es="Borrador: arriba se resumen los contactos del oficial, las notificaciones y la encuesta.",
    )
    survey = survey_open(
        actor=director,
        evaluation=evaluation,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
    )
    school = contract.campuses.get()
    n = 0
    for respondent, links, answers, scores in SURVEY:
        tokens = survey_links_issue(actor=director, survey=survey, respondent=respondent, school=school, count=links)
        for i, token in enumerate(tokens[:answers]):
            s = scores[i % len(scores)]
            n += 1
            survey_respond(token=token, answers=Answers(s, max(1, s - 1), s), address=f"192.0.2.{n}", today=today)
    reminders_send(today=today)
    return []
