"""The demo holds one agreement nearing renewal, its evaluation, the reminder and a survey with answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from sro.evaluation.models import Evaluation, RenewalReminder, SurveyResponse


def test_the_demo_agreement_nears_renewal_with_its_survey(
    demo: dict[str, Any], signed_in: Callable[[str], Client]
) -> None:
    ev = Evaluation.objects.select_related("contract").get()
    contract = ev.contract
    assert contract.campuses.get().name == "Desert Hot Springs High"
    assert contract.status == "active" and contract.in_force is not None
    assert 0 < (contract.term_end - timezone.localdate()).days <= 120
    assert {r.recipient.username for r in RenewalReminder.objects.filter(contract=contract)} == {"director"}
    assert SurveyResponse.objects.filter(survey__evaluation=ev).count() == 31
    director = signed_in("director")
    queue = director.get("/queue/").content.decode()
    assert "Contracts ending: evaluation and renewal" in queue and contract.title in queue
    page = director.get(f"/evaluation/{ev.pk}/").content.decode()
    assert "What students, parents and staff said" in page and "Student" in page
    assert signed_in("principal.pshs").get(f"/evaluation/{ev.pk}/").status_code == 404
