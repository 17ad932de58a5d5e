"""The evaluation's pages: the draft report the district edits, its PDF in English and Spanish, the
renewal form, who may see them, and the public survey in Spanish."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from sro.evaluation.models import Evaluation, SurveyResponse
from sro.evaluation.services import evaluation_draft, survey_links_issue, survey_open
from sro.evaluation.tests.conftest import PSHS, contract_for
from sro.orgs.actors import actor_for


def _client(world: dict[str, Any], username: str) -> Client:
    c = Client()
    c.force_login(world["users"][username])
    return c


def _evaluation(world: dict[str, Any]) -> Evaluation:
    today = timezone.localdate()
    contract = contract_for(world, start=today - dt.timedelta(days=200), end=today + dt.timedelta(days=165))
    return evaluation_draft(actor=actor_for(world["users"]["director"]), contract=contract, year=1)


def test_the_director_writes_the_narrative_and_gets_both_pdfs(world: dict[str, Any]) -> None:
    ev = _evaluation(world)
    director = _client(world, "director")
    page = director.get(f"/evaluation/{ev.pk}/")
    assert page.status_code == 200 and "Cost per student" in page.content.decode()
    texts = {
        "action": "narrative",
        "findings": "Arrests fell by half.",
        "findings_es": "Los arrestos bajaron a la mitad.",
        "recommendations": "Renew for one year.",
        "recommendations_es": "Renovar por un año.",
    }
    assert director.post(f"/evaluation/{ev.pk}/", texts).status_code == 302
    ev.refresh_from_db()
    assert ev.findings_es == "Los arrestos bajaron a la mitad."
    for lang in ("en", "es"):
        pdf = director.get(f"/evaluation/{ev.pk}/report.pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert f"-{lang}.pdf" in pdf["Content-Disposition"]


def test_who_sees_the_evaluation(world: dict[str, Any]) -> None:
    ev = _evaluation(world)
    assert _client(world, "boardmember").get(f"/evaluation/{ev.pk}/").status_code == 200
    assert _client(world, "lt.pspd").get(f"/evaluation/{ev.pk}/").status_code == 200  # the contract's agency
    assert _client(world, "lt.ccpd").get(f"/evaluation/{ev.pk}/").status_code == 404
    assert _client(world, "principal.pshs").get(f"/evaluation/{ev.pk}/").status_code == 404
    board = _client(world, "boardmember").post(f"/evaluation/{ev.pk}/", {"action": "finalise"})
    assert board.status_code == 404  # reading is not editing


def test_links_download_as_a_csv_of_addresses(world: dict[str, Any]) -> None:
    ev = _evaluation(world)
    director = _client(world, "director")
    today = timezone.localdate()
    director.post(
        f"/evaluation/{ev.pk}/", {"action": "survey", "opens_on": today, "closes_on": today + dt.timedelta(days=14)}
    )
    school = world["schools"][PSHS]
    got = director.post(
        f"/evaluation/{ev.pk}/", {"action": "links", "respondent": "parent", "school": school.pk, "count": 3}
    )
    lines = got.content.decode().splitlines()
    assert got["Content-Type"].startswith("text/csv") and len(lines) == 4 and "/public/survey/" in lines[1]


def test_the_public_survey_in_spanish_answers_once(world: dict[str, Any]) -> None:
    ev = _evaluation(world)
    director = actor_for(world["users"]["director"])
    today = timezone.localdate()
    survey = survey_open(actor=director, evaluation=ev, opens_on=today, closes_on=today + dt.timedelta(days=7))
    [token] = survey_links_issue(
        actor=director, survey=survey, respondent="parent", school=world["schools"][PSHS], count=1
    )
    es = Client(HTTP_ACCEPT_LANGUAGE="es")
    form = es.get(f"/public/survey/{token}/")
    assert form.status_code == 200 and 'lang="es"' in form.content.decode()
    bad = es.post(f"/public/survey/{token}/", {"feels_safe": "4"})
    assert bad.status_code == 422
    answers = {"feels_safe": "4", "trusts_sro": "3", "knows_how_to_complain": "2", "comment": "", "website": ""}
    assert es.post(f"/public/survey/{token}/", answers).status_code == 200
    assert SurveyResponse.objects.get(survey=survey).language == "es"
    assert es.get(f"/public/survey/{token}/").status_code == 410  # the link is spent
    assert Client().get("/public/survey/no-such-link/").status_code == 404


def test_the_renewal_form_sends_the_renewal_to_the_council(world: dict[str, Any]) -> None:
    from sro.contracts.models import Contract, ContractVersion

    contract = Contract.objects.get(campuses=world["schools"][PSHS], title__startswith="SRO agreement")
    version = contract.versions.order_by("-number").first()
    assert version is not None
    ContractVersion.objects.filter(pk=version.pk).update(state="in_force")
    Contract.objects.filter(pk=contract.pk).update(in_force=version)
    new_end = contract.term_end + dt.timedelta(days=365)
    got = _client(world, "director").post(
        f"/evaluation/contracts/{contract.pk}/", {"action": "renew", "term_end": new_end}
    )
    assert got.status_code == 302
    renewal = contract.versions.get(renewal_term_end=new_end)
    assert renewal.state == "council_review"
