"""Demo agenda items and comments: the councils' past votes and the board's coming meeting.

The board meeting (next Tuesday, from the contracts demo) carries all four contracts: the two
that passed their councils for final approval, the two still in negotiation as updates. Every
item has its title and summary in English and Spanish, as residents read them. A few
residents have commented in English and Spanish; some comments are moderated.
"""

from __future__ import annotations

from sro.community.models import AgendaItem
from sro.community.services import agenda_item_create, comment_moderate, comment_submit
from sro.contracts.models import Body, Contract, Meeting
from sro.contracts.selectors import latest_version

# (language, name, neighbourhood, text, moderation action, note)
BOARD_COMMENTS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "Cathedral City": [
        (
            "en",
            "Teresa M.",
            "Cathedral City Cove",
            "I support an officer at the high school only if section 2 holds: no involvement in school "
            "discipline. Please publish the contact figures every quarter as the contract promises.",
            "publish",
            "",
        ),
        (
            "es",
            "Ramón A.",
            "Dream Homes",
            "Mi hija dice que los estudiantes tienen miedo de hablar con la policía. Pido que el distrito "
            "explique cómo va a revisar cada caso en que un oficial se meta en la disciplina escolar.",
            "publish",
            "",
        ),
        (
            "en",
            "",
            "",
            "The officer last spring searched a student's backpack over a phone. The student's name is on "
            "everyone's lips at school.",
            "reject",
            "personal_information",
        ),
    ],
    "Palm Springs": [
        (
            "en",
            "Charlie E.",
            "Desert Highland Gateway",
            "Minority students are afraid of contact with police. Officers should build relationships first; "
            "I ask the board to delay approval until the training plan is public.",
            "publish",
            "",
        ),
        (
            "es",
            "",
            "Demuth Park",
            "¿Cuánto pagará el distrito por estudiante? Quiero ver los costos antes del voto.",
            "",
            "",
        ),
    ],
    "Desert Hot Springs": [
        (
            "en",
            "Lee K.",
            "Mission Lakes",
            "Our campus has had no officer since spring. Please tell families when the contract will be ready.",
            "",
            "",
        ),
    ],
}


def _items_for(contract: Contract, board_meeting: Meeting, number: int) -> AgendaItem:
    """The council meeting's item (when the council has voted) and the board meeting's item."""
    version = latest_version(contract)
    assert version is not None
    for vote in version.votes.filter(meeting__body__kind=Body.Kind.CITY_COUNCIL).select_related("meeting"):
        agenda_item_create(
            actor=None,
            meeting=vote.meeting,
            version=version,
            number="9.1",
            title=f"School resource officer agreement with {contract.agency.name}",
            summary="Council vote on the proposed agreement before it goes to the school board.",
            title_es=f"Acuerdo con {contract.agency.name} sobre oficiales de recursos escolares",
            summary_es=(
                "Votación del concejo municipal sobre el acuerdo propuesto, antes de que pase a la junta escolar."
            ),
            comments_open=False,
        )
    passed_council = contract.status == "board_review"
    return agenda_item_create(
        actor=None,
        meeting=board_meeting,
        version=version,
        number=f"12.{number}",
        title=(
            f"Final approval: SRO agreement with {contract.agency.name} ({contract.city.name})"
            if passed_council
            else f"Update on negotiation: SRO agreement with {contract.agency.name} ({contract.city.name})"
        ),
        summary=(
            "The city council has approved this agreement; the board decides whether an officer may return."
            if passed_council
            else "Discussion only; no vote. The agreement is still being negotiated with the agency."
        ),
        title_es=(
            f"Aprobación final: acuerdo de SRO con {contract.agency.name} ({contract.city.name})"
            if passed_council
            else f"Informe sobre la negociación: acuerdo de SRO con {contract.agency.name} ({contract.city.name})"
        ),
        summary_es=(
            "El concejo municipal ya aprobó este acuerdo; la junta escolar decide si un oficial puede volver."
            if passed_council
            else "Solo para deliberación; no hay votación. El acuerdo todavía se está negociando con la agencia."
        ),
    )


def load() -> list[tuple[str, str, str, str]]:
    board_meeting = (
        Meeting.objects.filter(body__kind=Body.Kind.SCHOOL_BOARD, votes__isnull=False).order_by("-date").first()
    )
    if board_meeting is None:
        return []
    contracts = Contract.objects.select_related("city", "agency").order_by("status", "city__name")  # board_review first
    for n, contract in enumerate(contracts, start=1):
        item = _items_for(contract, board_meeting, n)
        for i, (lang, name, hood, text, action, note) in enumerate(BOARD_COMMENTS.get(contract.city.name, [])):
            comment = comment_submit(
                item=item, body=text, language=lang, name=name, neighbourhood=hood, address=f"192.0.2.{10 * n + i}"
            )
            if comment is not None and action:
                comment_moderate(actor=None, comment=comment, action=action, note=note)
    return []
