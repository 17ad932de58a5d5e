"""The survey: single-use links, the window, the antispam checks, and results withheld by the public rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sro.core.antispam import RateLimited
from sro.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sro.evaluation import services
from sro.evaluation.models import SurveyLink, SurveyResponse
from sro.evaluation.selectors import survey_results
from sro.evaluation.services import Answers, evaluation_draft, survey_links_issue, survey_open, survey_respond
from sro.evaluation.tests.conftest import CCHS, PSHS, contract_for
from sro.orgs.actors import actor_for

D = dt.date
OPEN = D(2024, 5, 1)


def _survey(org: dict[str, Any]) -> Any:
    director = actor_for(org["users"]["director"])
    c = contract_for(org, start=D(2023, 7, 1), end=D(2025, 6, 30))
    ev = evaluation_draft(actor=director, contract=c, year=1, today=OPEN)
    return survey_open(actor=director, evaluation=ev, opens_on=OPEN, closes_on=D(2024, 5, 31))


def _issue(org: dict[str, Any], survey: Any, respondent: str, n: int) -> list[str]:
    director = actor_for(org["users"]["director"])
    return survey_links_issue(
        actor=director, survey=survey, respondent=respondent, school=org["schools"][PSHS], count=n
    )


def _answer(token: str, *, score: int = 4, day: dt.date = OPEN, address: str = "203.0.113.5", **kw: Any) -> Any:
    return survey_respond(token=token, answers=Answers(score, score, score), address=address, today=day, **kw)


def test_a_link_answers_once_and_the_answer_does_not_name_its_link(org: dict[str, Any]) -> None:
    survey = _survey(org)
    [token] = _issue(org, survey, "student", 1)
    assert not SurveyLink.objects.filter(token_hash=token).exists()  # only the hash is kept
    response = _answer(token)
    assert (response.respondent, response.school.name) == ("student", PSHS)
    assert {f.name for f in SurveyResponse._meta.get_fields()}.isdisjoint({"link", "token", "token_hash"})
    with pytest.raises(Conflict, match="already been used"):
        _answer(token)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_the_window_the_honeypot_the_rate_limit_and_bad_answers(
    org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    survey = _survey(org)
    tokens = _issue(org, survey, "parent", 6)
    with pytest.raises(Conflict, match="open from 2024-05-01 to 2024-05-31"):
        _answer(tokens[0], day=D(2024, 6, 1))
    with pytest.raises(Conflict):
        _answer(tokens[0], day=D(2024, 4, 30))
    assert _answer(tokens[0], honeypot="http://spam.example") is None
    assert SurveyLink.objects.filter(survey=survey, used_on__isnull=False).count() == 0  # nothing stored
    with pytest.raises(InvalidInput) as bad:
        _answer(tokens[0], score=6)
    assert {e.field for e in bad.value.errors} == {"feels_safe", "trusts_sro", "knows_how_to_complain"}
    with pytest.raises(NotFound):
        _answer("not-a-real-token")
    monkeypatch.setattr(services, "SURVEY_RATE_LIMIT", 2)
    _answer(tokens[1])
    _answer(tokens[2])
    with pytest.raises(RateLimited):
        _answer(tokens[3])
    assert SurveyLink.objects.get(token_hash=services.token_digest(tokens[3])).used_on is None
    _answer(tokens[3], address="198.51.100.7")  # another connection


def test_links_only_for_the_director_and_the_contracts_campuses(org: dict[str, Any]) -> None:
    survey = _survey(org)
    with pytest.raises(Forbidden):
        survey_links_issue(
            actor=actor_for(org["users"]["principal.pshs"]), survey=survey, respondent="staff",
            school=org["schools"][PSHS], count=1,
        )  # fmt: skip
    with pytest.raises(InvalidInput) as bad:
        survey_links_issue(
            actor=actor_for(org["users"]["director"]), survey=survey, respondent="visitor",
            school=org["schools"][CCHS], count=0,
        )  # fmt: skip
    assert {e.field for e in bad.value.errors} == {"respondent", "school", "count"}


def test_results_by_group_are_withheld_like_the_public_figures(org: dict[str, Any]) -> None:
    """Counts of 10 or fewer and groups of fewer than 30 invited are withheld (sro/public/figures.py's
    PUBLIC_SETTINGS), and so are their means; a total never gives a withheld group away."""
    survey = _survey(org)
    students = _issue(org, survey, "student", 35)
    parents = _issue(org, survey, "parent", 12)
    staff = _issue(org, survey, "staff", 40)
    for i, t in enumerate(students[:12]):
        _answer(t, score=5 if i % 2 else 3, address=f"10.0.0.{i}")
    for i, t in enumerate(parents[:11]):
        _answer(t, score=2, address=f"10.0.1.{i}")
    for i, t in enumerate(staff[:4]):
        _answer(t, score=4, address=f"10.0.2.{i}")
    rows = {(r.breakdown, r.group): r for r in survey_results(survey)}
    student = rows[("respondent", "student")]
    assert student.responses == 12 and student.means == {
        "feels_safe": 4.0,
        "trusts_sro": 4.0,
        "knows_how_to_complain": 4.0,
    }
    assert rows[("respondent", "parent")].withheld and rows[("respondent", "parent")].means is None  # 12 invited
    assert rows[("respondent", "staff")].withheld  # 4 answers
    # 27 answers in all, published with the students' 12: parents and staff are both withheld, so
    # neither can be worked out from the total (their sum, 15, is all it gives)
    assert rows[("respondent", "All")].responses == 27
    withheld = [g for (b, g), r in rows.items() if b == "respondent" and r.withheld]
    assert sorted(withheld) == ["parent", "staff"]
