"""The Spanish catalogue is complete for the public side, compiled, and every code has a public label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.test import Client

from sro.contracts.catalogue import catalogue
from sro.contracts.models import Body, ContractStatus, VersionState, Vote
from sro.incidents.models import Review
from sro.oversight import metrics
from sro.public import labels

PO = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
PUBLIC_SOURCES = (
    "sro/public/",
    "sro/community/",
    "sro/incidents/panels.py",
    "sro/contracts/panels.py",
    "sro/web/templates/web/panels/",
)


def _public_entries() -> list[polib.POEntry]:
    po = polib.pofile(str(PO))
    return [e for e in po if not e.obsolete and any(f.startswith(PUBLIC_SOURCES) for f, _ in e.occurrences)]


def test_every_public_string_has_a_spanish_translation() -> None:
    entries = _public_entries()
    assert len(entries) > 250
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)


def test_the_compiled_catalogue_matches_the_source() -> None:
    po = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(PO)) if e.translated()}
    mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(PO.with_suffix(".mo")))}
    assert {k: v for k, v in mo.items() if k[1]} == po, "run `make messages` to recompile django.mo"


@pytest.mark.parametrize(
    ("table", "codes"),
    [
        (labels.CONTRACT_STATUS, set(ContractStatus.values)),
        (labels.VERSION_STATE, set(VersionState.values)),
        (labels.VOTE_OUTCOME, set(Vote.Outcome.values)),
        (labels.MEMBER_VOTE, set(Vote.MemberVote.values)),
        (labels.BODY_KIND, set(Body.Kind.values)),
        (labels.REVIEW_STATUS, {s.value for s in Review.Status}),
        (labels.RUBRIC_ELEMENT, {e.key for e in catalogue()}),
        (labels.WITHHELD, {metrics.REASON_CELL, metrics.REASON_N, metrics.REASON_COMPLEMENT, metrics.REASON_REFERENCE}),
    ],
)
def test_every_code_the_apps_produce_has_a_public_label(table: dict[str, object], codes: set[str]) -> None:
    assert set(table) == codes


def test_gate_reasons_and_catalogue_titles_are_labelled_with_their_english_text() -> None:
    from sro.staffing.gate import REASON_TEXT

    for code, text in REASON_TEXT.items():
        assert str(labels.GATE_REASON[code]) == text, code
    for element in catalogue():
        assert str(labels.RUBRIC_ELEMENT[element.key]) == element.title


def test_a_contract_reads_in_spanish_with_its_spanish_title_and_in_english_without_it(site: dict[str, Any]) -> None:
    from sro.contracts.models import Contract

    contract = Contract.objects.filter(title_es__gt="").first()
    assert contract is not None, "the demo gives its contracts a Spanish title"
    es = Client().get(f"/public/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    en = Client().get(f"/public/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<h1>{contract.title_es}</h1>" in es
    assert f"<h1>{contract.title}</h1>" in en
    Contract.objects.filter(pk=contract.pk).update(title_es="")
    es = Client().get(f"/public/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f'<h1><span lang="en">{contract.title}</span> <span class="lang-fallback">(en inglés)</span></h1>' in es
