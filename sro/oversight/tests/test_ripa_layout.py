"""The RIPA layout and code lists against the DOJ's own documentation.

Source: the California DOJ's "RIPA Dataset Read Me" for 2021 ("Data Element and Values Defined:
Statewide Data January 1, 2021 - December 30, 2021", last updated 1/12/2023; a copy is
``RIPA Dataset Read Me 2021 Final.pdf`` in the GitHub repository rkiddy/ca_ripa_importing),
transcribed by hand below: its column letters and names (pages 4-12) and the value tables of the
coded columns. Where the Read Me misspells a column that the files spell otherwise (HRDAG's
ripadb, ``individual/RIPA-statewide/clean/hand/schema.yaml``, headers read from the real files),
the files' spelling is used and the Read Me's is noted.
"""

from __future__ import annotations

from sro.incidents.ripa_layout import COLUMN_ALIASES, OPTIONAL_SCHEMA, RIPA_COLUMNS, SCHEMA, layouts
from sro.oversight.ripa import AGE_GROUPS, DISABILITY, GENDER, RACE, REASON

# Columns A to EL of the 2018-2023 files, in order (142; HRDAG counts 142 for 2018-2023 too).
_COLUMNS_TEXT = (
    "DOJ_RECORD_ID PERSON_NUMBER AGENCY_ORI AGENCY_NAME TIME_OF_STOP DATE_OF_STOP STOP_DURATION CLOSEST_CITY "
    "SCHOOL_CODE SCHOOL_NAME STOP_STUDENT K12_SCHOOL_GROUNDS RAE_FULL RAE_ASIAN RAE_BLACK_AFRICAN_AMERICAN "
    "RAE_HISPANIC_LATINO RAE_MIDDLE_EASTERN_SOUTH_ASIAN RAE_NATIVE_AMERICAN RAE_PACIFIC_ISLANDER RAE_WHITE "
    "RAE_MULTIRACIAL G_FULL G_MALE G_FEMALE G_TRANSGENDER_MAN G_TRANSGENDER_WOMAN "
    "G_GENDER_NONCONFORMING "  # Read Me: G_GENDER_NONCOMFORMING
    "G_MULTIGENDER LGBT AGE AGE_GROUP LIMITED_ENGLISH_FLUENCY PD_FULL PD_DEAFNESS_HEARING PD_SPEECH_IMPAIR PD_BLIND "
    "PD_MENTAL_HEALTH "
    "PD_DEVEL_DISAB "  # Read Me: "PD_ DEVEL_DISAB"
    "PD_HYPERACTIVITY_DISABILITY PD_OTHER PD_NONE_DISABILITY PD_MULTI REASON_FOR_STOP RFS_TRAFFIC_VIOLATION_TYPE "
    "RFS_TRAFFIC_VIOLATION_CODE RFS_RS_CODE RFS_RS_OFF_WITNESS RFS_RS_MATCH_SUSPECT RFS_RS_WITNESS_ID "
    "RFS_RS_CARRY_SUS_OBJECT RFS_RS_ACTIONS_INDICATIVE RFS_RS_SUSPECT_LOOK RFS_RS_DRUG_TRANS RFS_RS_VIOLENT_CRIME "
    "RFS_RS_REASON_SUSP RFS_EC_DISCIPLINE_CODE RFS_EC_DISCIPLINE CALL_FOR_SERVICE ADS_REMOVED_VEHICLE_ORDER "
    "ADS_REMOVED_VEHICLE_PHYCONTACT ADS_SOBRIETY_TEST ADS_CURB_DETENT ADS_HANDCUFFED ADS_PATCAR_DETENT "
    "ADS_CANINE_SEARCH ADS_FIREARM_POINT ADS_FIREARM_DISCHARGE ADS_ELECT_DEVICE ADS_IMPACT_DISCHARGE "
    "ADS_CANINE_BITE ADS_BATON ADS_CHEM_SPRAY ADS_OTHER_CONTACT ADS_PHOTO ADS_ASKED_SEARCH_PER ADS_SEARCH_PERSON "
    "ADS_ASKED_SEARCH_PROP ADS_SEARCH_PROPERTY ADS_PROP_SEIZE ADS_VEHICLE_IMPOUND ADS_WRITTEN_STATEMENT "
    "ADS_NO_ACTIONS ADS_SEARCH_PERS_CONSEN ADS_SEARCH_PROP_CONSEN BFS_CONSENT_GIVEN BFS_OFFICER_SAFETY "
    "BFS_SEARCH_WARRANT BFS_PAROLE BFS_SUSPECT_WEAPON BFS_VISIBLE_CONTRABAND BFS_ODOR_CONTRABAND BFS_CANINE_DETECT "
    "BFS_EVIDENCE BFS_INCIDENT BFS_EXIGENT_CIRCUM BFS_VEHICLE_INVENT BFS_SCHOOL_POLICY CED_NONE_CONTRABAND "
    "CED_FIREARM CED_AMMUNITION CED_WEAPON CED_DRUGS CED_ALCOHOL CED_MONEY CED_DRUG_PARAPHERNALIA CED_STOLEN_PROP "
    "CED_ELECT_DEVICE CED_OTHER_CONTRABAND BPS_SAFEKEEPING BPS_CONTRABAND BPS_EVIDENCE BPS_IMPOUND_VEHICLE "
    "BPS_ABANDON_PROP BPS_VIOLATE_SCHOOL TPS_FIREARM TPS_AMMUNITION TPS_WEAPON TPS_DRUGS TPS_ALCOHOL TPS_MONEY "
    "TPS_DRUG_PARAPHERNALIA TPS_STOLEN_PROP TPS_CELLPHONE TPS_VEHICLE TPS_CONTRABAND ROS_NO_ACTION ROS_WARNING "
    "ROS_CITATION ROS_IN_FIELD_CITE_RELEASE ROS_CUSTODIAL_WARRANT ROS_CUSTODIAL_WITHOUT_WARRANT "
    "ROS_FIELD_INTERVIEW_CARD "
    "ROS_NONCRIMINAL_TRANSPORT "  # Read Me: ROS_NON_CRIMINAL_TRANSPORT
    "ROS_CONTACT_LEGAL_GUARDIAN ROS_PSYCH_HOLD ROS_US_HOMELAND ROS_REFERRAL_SCHOOL_ADMIN "
    "ROS_REFERRAL_SCHOOL_COUNSELOR ROS_WARNING_CDS ROS_CITATION_CDS ROS_IN_FIELD_CITE_RELEASE_CDS "
    "ROS_CUSTODIAL_WOUT_WARRANT_CDS"
)
README_2021_COLUMNS = tuple(_COLUMNS_TEXT.split())
SCHEMA_BY_NAME = {c.name: c for c in SCHEMA}

# The value tables of the coded columns, as the Read Me prints them.
README_2021_CODES = {
    "RAE_FULL": {1: "Asian", 2: "Black/African American", 3: "Hispanic/Latino", 4: "Middle Eastern/South Asian",
                 5: "Native American", 6: "Pacific Islander", 7: "White", 8: "Multiracial"},
    "G_FULL": {1: "Male", 2: "Female", 3: "Transgender Man/Boy", 4: "Transgender Woman/Girl",
               5: "Gender Nonconforming"},
    "PD_FULL": {0: "No Disability", 1: "Deafness", 2: "Speech Impairment", 3: "Blind", 4: "Mental Health Condition",
                5: "Development", 6: "Hyperactivity", 7: "Other", 8: "Multiple Disability"},
    "REASON_FOR_STOP": {1: "Traffic Violation", 2: "Reasonable suspicion",
                        3: "Parole/probation/PRCS/ mandatory supervision",
                        4: "Knowledge of outstanding arrest/wanted person",
                        5: "Investigation to determine whether person was truant",
                        6: "Consensual encounter resulting in search", 7: "Possible conduct under Education Code",
                        8: "Determine whether student violated school policy"},
    "RFS_EC_DISCIPLINE_CODE": {1: "48900", 2: "48900.2", 3: "48900.3", 4: "48900.4", 5: "48900.7"},
    "RFS_EC_DISCIPLINE": {1: "48900(a)(1)", 2: "48900(a)(2)", 3: "48900(b)", 4: "48900 (c)", 5: "48900 (d)",
                          6: "48900 (e)", 7: "48900 (f)", 8: "48900 (g)", 9: "48900 (h)", 10: "48900 (i)",
                          11: "48900 (j)", 12: "48900 (k)(1)", 13: "48900 (l)", 14: "48900 (m)", 15: "48900 (n)",
                          16: "48900 (o)", 17: "48900 (p)", 18: "48900 (q)", 19: "48900 (r)"},
    "PD_MULTI": {0: "No Disability", 1: "One Disability", 2: "Multiple Disabilities"},
}  # fmt: skip
# AGE_GROUP (column AE) in the 2018-2022 files.
README_2021_AGE_GROUPS = {1: (1, 9), 2: (10, 14), 3: (15, 17), 4: (18, 24), 5: (25, 34), 6: (35, 44), 7: (45, 54),
                          8: (55, 64), 9: (65, None)}  # fmt: skip


def _letters(n: int) -> list[str]:
    out = []
    for i in range(n):
        out.append(("" if i < 26 else "ABCDE"[i // 26 - 1]) + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26])
    return out


def _same(label: str, published: str) -> bool:
    """Our label is the Read Me's (case and spacing aside), or its first part before a slash."""

    def norm(text: str) -> str:
        return " ".join(text.lower().replace("/ ", "/").split())

    return norm(label) in {norm(published), norm(published.split("/")[0])} or norm(label).startswith(
        norm(published) + " or "  # a harmonised label naming the 2024 term too
    )


def test_the_transcription_has_the_read_mes_column_letters() -> None:
    letters = dict(zip(_letters(len(README_2021_COLUMNS)), README_2021_COLUMNS, strict=True))
    assert len(README_2021_COLUMNS) == 142 and list(letters)[-1] == "EL"
    expected = {"A": "DOJ_RECORD_ID", "M": "RAE_FULL", "V": "G_FULL", "AG": "PD_FULL", "AP": "PD_MULTI",
                "AQ": "REASON_FOR_STOP", "BD": "RFS_EC_DISCIPLINE_CODE", "BK": "ADS_HANDCUFFED",
                "BX": "ADS_SEARCH_PERSON", "BZ": "ADS_SEARCH_PROPERTY", "CS": "BFS_SCHOOL_POLICY",
                "DJ": "BPS_VIOLATE_SCHOOL", "DZ": "ROS_CUSTODIAL_WARRANT", "EA": "ROS_CUSTODIAL_WITHOUT_WARRANT",
                "EG": "ROS_REFERRAL_SCHOOL_ADMIN", "EH": "ROS_REFERRAL_SCHOOL_COUNSELOR"}  # fmt: skip
    assert {k: letters[k] for k in expected} == expected


def test_every_column_read_is_a_published_column() -> None:
    published = set(README_2021_COLUMNS)
    assert [c for c in RIPA_COLUMNS if c not in published] == []
    # sro's own CONTRABAND_FOUND (any CED_ column) and the 2024 layout's NFA_TERRY_FRISK aside.
    assert [c.name for c in OPTIONAL_SCHEMA if c.name not in published] == ["CONTRABAND_FOUND", "NFA_TERRY_FRISK"]
    # The 2018 statewide CSV (and the 2018-2020 workbooks) call PD_MULTI PD_DISAB_MULTI.
    assert {a.name: a.column for a in COLUMN_ALIASES.values()} == {"PD_DISAB_MULTI": "PD_MULTI"}


def test_code_lists_are_the_read_mes() -> None:
    ours = {"RAE_FULL": RACE, "G_FULL": GENDER, "PD_FULL": DISABILITY, "REASON_FOR_STOP": REASON}
    for column, published in README_2021_CODES.items():
        if column in ours:
            extra_2024 = {6} if column == "G_FULL" else set()  # 6 multigender: a 2024 code
            assert set(ours[column]) == set(published) | extra_2024, column
            wrong = {
                k: (v, published[k]) for k, v in ours[column].items() if k in published and not _same(v, published[k])
            }
            assert wrong == {}, column
    # Hyperactivity, the school-specific category, is 6; "other" is 7 (they were swapped).
    assert (DISABILITY[6], DISABILITY[7]) == ("Hyperactivity", "Other")


def test_code_ranges_are_the_read_mes() -> None:
    ranges = {c.name: (c.low, c.high) for c in (*SCHEMA, *OPTIONAL_SCHEMA) if c.kind == "int"}
    for column, published in README_2021_CODES.items():
        if column == "REASON_FOR_STOP":  # 9 and 10 are the 2024 codes the application's contacts use too
            assert (ranges[column][0], 8) == (min(published), max(published))
            continue
        assert ranges[column] == (min(published), max(published)), column
    assert (layouts()[1].name, layouts()[1].col(SCHEMA_BY_NAME["G_FULL"]).high) == ("2024", 6)


def test_age_groups_are_unions_of_the_read_mes() -> None:
    ours = [(lo, hi) for lo, hi, _ in AGE_GROUPS]
    published = list(README_2021_AGE_GROUPS.values())
    # The first four are the Read Me's (ours start at 0, its first group at 1); the last joins its 5-9.
    assert ours[1:4] == published[1:4] and ours[0][1] == published[0][1]
    assert ours[4][0] == published[4][0] and published[-1][1] is None
