"""The published breakdowns: outcomes, student groups, and how each record is assigned to a group.

Contacts carry the officer's *perceived* characteristics in RIPA codes; incidents carry the
school's records of each student in CRDC categories. Both are mapped onto the CRDC groups,
because enrolment (the denominator) is counted in those. docs/public-site.md lists every mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sro.incidents.codes import RipaCodes, contact_lists
from sro.incidents.models import Contact, IncidentStudent
from sro.incidents.ripa_layout import layouts
from sro.oversight.ripa import FORCE_FLAGS

OUTCOMES: dict[str, Promise] = {
    "contacts": _("SRO contacts with students"),
    "referrals": _("Referrals to law enforcement"),
    "arrests": _("Arrests"),
    "citations": _("Citations"),
    "use_of_force": _("Use of force"),
    "boundary_crossings": _("Boundary crossings"),
}

OUTCOME_HELP: dict[str, Promise] = {
    "contacts": _("Every contact an SRO recorded with a student (RIPA), one per student per contact."),
    "referrals": _(
        "Students named as the offender in an incident the school routed to law enforcement: a mandatory "
        "notification, an emergency, or a discretionary referral that was made."
    ),
    "arrests": _("Contacts whose result was a custodial arrest, with or without a warrant."),
    "citations": _("Contacts whose result was a citation or an in-field cite and release."),
    "use_of_force": _("Contacts in which the officer used force (physical contact, a weapon, a device or spray)."),
    "boundary_crossings": _(
        "Contacts in which the officer acted in school discipline, which the contracts forbid; each one is reviewed."
    ),
}


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    groups: dict[str, Promise]


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension(
            "race",
            _("Race or ethnicity"),
            {
                "HI": _("Hispanic or Latino"),
                "BL": _("Black or African American"),
                "WH": _("White"),
                "AS": _("Asian"),
                "AM": _("American Indian or Alaska Native"),
                "HP": _("Native Hawaiian or Pacific Islander"),
                "TR": _("Two or more races"),
                "ME": _("Middle Eastern or South Asian (no enrolment category)"),
            },
        ),
        Dimension("sex", _("Sex"), {"F": _("Female"), "M": _("Male"), "X": _("Nonbinary")}),
        Dimension("disability", _("Disability"), {"yes": _("With a disability"), "no": _("Without a disability")}),
        Dimension(
            "english_learner",
            _("English learners"),
            {"yes": _("English learners"), "no": _("Not English learners")},
        ),
    ]
}
# Enrolment of students whose group the source does not give (CDE's "not reported" race, its
# "missing" gender, counts it withheld that cannot be worked out). Stored with enrolment by group
# so that each dimension still adds up to the campus total, and so counted among "all other
# students" of every risk ratio; never published as a group of its own (no record maps to it).
NOT_REPORTED = "NR"
CAMPUS = "campus"
BREAKDOWNS: dict[str, Promise] = {CAMPUS: _("Campus"), **{k: d.label for k, d in DIMENSIONS.items()}}

# RIPA perceived race code -> CRDC group; several races -> TR. Code 4 has no CRDC category.
RIPA_RACE = {1: "AS", 2: "BL", 3: "HI", 4: "ME", 5: "AM", 6: "HP", 7: "WH"}
# RIPA perceived gender -> sex as enrolment counts it.
RIPA_SEX = {1: "M", 2: "F", 3: "M", 4: "F", 5: "X"}


def _codes_with_columns(codes: RipaCodes, table: str, columns: set[str]) -> frozenset[int]:
    """The codes of `table` whose column is one of the harmonised `columns` (2018-2023 names), read
    through the crosswalk of the lists' own layout (data/ripa_layouts.toml)."""
    layout = next((lay for lay in layouts() if lay.name == codes.layout), layouts()[0])
    wanted = {f for c in columns for f in layout.sources(c)}
    return frozenset(c.code for c in codes.table(table).values() if c.column in wanted)


def force_actions(codes: RipaCodes) -> frozenset[int]:
    """The same force actions as the oversight K-12 report (sro.oversight.ripa.FORCE_FLAGS)."""
    return _codes_with_columns(codes, "action", set(FORCE_FLAGS))


def arrest_results(codes: RipaCodes) -> frozenset[int]:
    return _codes_with_columns(codes, "result", {"ROS_CUSTODIAL_WARRANT", "ROS_CUSTODIAL_WITHOUT_WARRANT"})


def citation_results(codes: RipaCodes) -> frozenset[int]:
    return _codes_with_columns(codes, "result", {"ROS_CITATION", "ROS_IN_FIELD_CITE_RELEASE"})


def contact_outcomes(contact: Contact) -> list[str]:
    results, actions = set(contact.results), set(contact.actions)
    codes = contact_lists(contact.codes_version)
    out = ["contacts"]
    if results & arrest_results(codes):
        out.append("arrests")
    if results & citation_results(codes):
        out.append("citations")
    if actions & force_actions(codes):
        out.append("use_of_force")
    if contact.boundary_crossing:
        out.append("boundary_crossings")
    return out


def contact_groups(contact: Contact) -> dict[str, str]:
    races = sorted(set(contact.race))
    race = "TR" if len(races) > 1 else RIPA_RACE.get(races[0], "ME") if races else ""
    return {
        "race": race,
        "sex": RIPA_SEX.get(contact.gender, ""),
        "disability": "yes" if contact.disability else "no",
        "english_learner": "yes" if contact.limited_english else "no",
    }


def student_groups(student: IncidentStudent) -> dict[str, str]:
    return {
        "race": student.race,
        "sex": student.sex,
        "disability": "yes" if (student.idea or student.section_504) else "no",
        "english_learner": "yes" if student.english_learner else "no",
    }
