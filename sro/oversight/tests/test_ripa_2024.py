"""The 2024 RIPA layout (posted December 2025) read into the same harmonised columns as 2018-2023.

The 2024 header below is transcribed from HRDAG's ripadb
(``individual/RIPA-statewide/clean/hand/schema.yaml``: the union of the headers read from the
real county workbooks, 2024-era columns in its order), not from sro's own generator; HRDAG counts
202 columns for 2024, and so does this list. Files are built from it with the real files' quirks
(a county workbook named ``RIPA Stop Data_Riverside 2024_final.xlsx``, quarterly CHP parts) and
read beside a 2022 county workbook; counts are checked against counts made by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from sro.incidents.ripa_layout import HARMONISED, SCHEMA, layouts
from sro.oversight.ripa import RipaFilter, county_of, ingest
from sro.oversight.tests.test_ripa_layout import README_2021_COLUMNS
from sro.oversight.tests.test_ripa_published import SCHOOL, _row
from sro.oversight.validation import InputError

_COLUMNS_2024 = """
DOJ_RECORD_ID PERSON_NUMBER AGENCY_ORI AGENCY_NAME NON_REPORTING_AGENCY TIME_OF_STOP DATE_OF_STOP STOP_DURATION
LOC_CLOSEST_CITY SCHOOL_CODE SCHOOL_NAME STOP_STUDENT K12_SCHOOL_GROUNDS RAE_FULL RAE_ASIAN RAE_BLACK_AFRICAN_AMERICAN
RAE_HISPANIC_LATINEX RAE_MIDDLE_EASTERN_SOUTH_ASIAN RAE_NATIVE_AMERICAN RAE_PACIFIC_ISLANDER RAE_WHITE RAE_MULTIRACIAL
G_FULL G_CISGENDER_MAN G_CISGENDER_WOMAN G_TRANSGENDER_MAN G_TRANSGENDER_WOMAN G_NONBINARY_PERSON G_MULTIGENDER
SOR_LGB SOR_STRAIGHT AGE AGE_GROUP LIMITED_ENGLISH_FLUENCY PD_FULL PD_DEAFNESS_HEARING PD_SPEECH_IMPAIR PD_BLIND
PD_MENTAL_HEALTH PD_DEVEL_DISAB PD_HYPERACTIVITY_DISABILITY PD_OTHER PD_NONE_DISABILITY PD_MULTI PERSON_UNHOUSED
PASSENGER_IN_VEHICLE INSIDE_RESIDENCE WELFARE_WELLNESS_CHECK TOS_VEHICULAR TOS_BICYCLE TOS_PEDESTRIAN CALL_FOR_SERVICE
REASON_FOR_STOP RFS_TRAFFIC_VIOLATION_TYPE RFS_TRAFFIC_VIOLATION_CODE RFS_RS_OFF_WITNESS RFS_RS_MATCH_SUSPECT
RFS_RS_WITNESS_ID RFS_RS_CARRY_SUS_OBJECT RFS_RS_ACTIONS_INDICATIVE RFS_RS_SUSPECT_LOOK RFS_RS_DRUG_TRANS
RFS_RS_VIOLENT_CRIME RFS_RS_REASON_SUSP RFS_RS_MATCH_VEHICLE RFS_RS_CODE RFS_EC_DISCIPLINE_CODE RFS_EC_DISCIPLINE
RFS_PC_OFF_WITNESS RFS_PC_MATCH_SUSPECT RFS_PC_WITNESS_ID RFS_PC_CARRY_SUS_OBJECT RFS_PC_ACTIONS_INDICATIVE
RFS_PC_SUSPECT_LOOK RFS_PC_DRUG_TRANS RFS_PC_VIOLENT_CRIME RFS_PC_REASON_SUSP RFS_PC_MATCH_VEHICLE RFS_PC_CODE
RFS_RG_TRAFFIC_MOVING RFS_RG_TRAFFIC_EQUIPMENT RFS_RG_TRAFFIC_NON_MOVING RFS_RG_OFF_WITNESS RFS_RG_MATCH_SUSPECT
RFS_RG_MATCH_VEHICLE RFS_RG_WITNESS_ID RFS_RG_CARRY_SUS_OBJECT RFS_RG_ACTIONS_INDICATIVE RFS_RG_SUSPECT_LOOK
RFS_RG_DRUG_TRANS RFS_RG_VIOLENT_CRIME RFS_RG_REASON_SUSP RFS_RG_PROBABLE_CAUSE RFS_RG_WELFARE_AND_INST
RFS_RG_KNOWN_PAROLE RFS_RG_OUTSTANDING_WARRANT RFS_RG_TRUANT RFS_RG_CONSENSUAL_SEARCH RFS_RG_DISCIPLINE
RFS_RG_SCHOOL_POLICY RFS_RG_NOT_COMMUNICATED NFA_WRITTEN_STATEMENT NFA_ASKED_SEARCH_PER NFA_ASKED_SEARCH_PROP
NFA_ASKED_ID_PASSENGER NFA_ASKED_PAROLE NFA_CURB_DETENT NFA_SOBRIETY_TEST NFA_PATCAR_DETENT NFA_CANINE_SEARCH NFA_PHOTO
NFA_REMOVED_VEHICLE_ORDER NFA_PROP_SEIZE NFA_RAN_NAME_PASSENGER NFA_SEARCH_PERSON NFA_SEARCH_PROPERTY NFA_TERRY_FRISK
NFA_VEHICLE_IMPOUND NFA_NONE NFA_SEARCH_PERS_CONSENT NFA_SEARCH_PROP_CONSENT OFA_HANDCUFFED OFA_BATON_DRAWN
OFA_BATON_USED OFA_CHEM_SPRAY OFA_ELECT_DEVICE_POINT OFA_ELECT_DEVICE_STUN OFA_ELECT_DEVICE_DART OFA_FIREARM_UNHOLSTERED
OFA_FIREARM_POINT OFA_FIREARM_DISCHARGE OFA_IMPACT_PROJECTILE_POINT OFA_IMPACT_PROJECTILE_DISCHARGE
OFA_CANINE_COMPLIANCE OFA_CANINE_BITE OFA_REMOVED_VEHICLE_PHYCONTACT OFA_PHYSICAL_COMPLIANCE OFA_USE_VEHICLE OFA_NONE
BFS_CONSENT_GIVEN BFS_OFFICER_SAFETY BFS_SEARCH_WARRANT BFS_PAROLE BFS_SUSPECT_WEAPON BFS_VISIBLE_CONTRABAND
BFS_ODOR_CONTRABAND BFS_CANINE_DETECT BFS_EVIDENCE BFS_INCIDENT BFS_EXIGENT_CIRCUM BFS_VEHICLE_INVENT BFS_SCHOOL_POLICY
CTP_VERBAL CTP_WRITTEN CTP_IMPLIED CED_NONE_CONTRABAND CED_FIREARM CED_AMMUNITION CED_WEAPON CED_DRUGS CED_ALCOHOL
CED_MONEY CED_DRUG_PARAPHERNALIA CED_STOLEN_PROP CED_ELECT_DEVICE CED_OTHER_CONTRABAND BPS_SAFEKEEPING BPS_CONTRABAND
BPS_EVIDENCE BPS_IMPOUND_VEHICLE BPS_ABANDON_PROP BPS_VIOLATE_SCHOOL TPS_FIREARM TPS_AMMUNITION TPS_WEAPON TPS_DRUGS
TPS_ALCOHOL TPS_MONEY TPS_DRUG_PARAPHERNALIA TPS_STOLEN_PROP TPS_CELLPHONE TPS_VEHICLE TPS_CONTRABAND ROS_NO_ACTION
ROS_WRITTEN_WARNING ROS_VERBAL_WARNING ROS_CITATION ROS_IN_FIELD_CITE_RELEASE ROS_CUSTODIAL_WARRANT
ROS_CUSTODIAL_WITHOUT_WARRANT ROS_FIELD_INTERVIEW_CARD ROS_NONCRIMINAL_TRANSPORT ROS_CONTACT_LEGAL_GUARDIAN
ROS_PSYCH_HOLD ROS_US_HOMELAND ROS_REFERRAL_SCHOOL_ADMIN ROS_REFERRAL_SCHOOL_COUNSELOR ROS_VERBAL_WARNING_CDS
ROS_WRITTEN_WARNING_CDS ROS_CITATION_CDS ROS_IN_FIELD_CITE_RELEASE_CDS ROS_CUSTODIAL_WOUT_WARRANT_CDS
"""
HRDAG_2024_COLUMNS = tuple(_COLUMNS_2024.split())
_TEXT = {"DOJ_RECORD_ID", "AGENCY_ORI", "AGENCY_NAME", "LOC_CLOSEST_CITY", "SCHOOL_CODE", "SCHOOL_NAME",
         "TIME_OF_STOP", "DATE_OF_STOP", "STOP_DURATION", "AGE", "AGE_GROUP", "RFS_TRAFFIC_VIOLATION_TYPE",
         "RFS_TRAFFIC_VIOLATION_CODE", "RFS_RS_CODE", "RFS_PC_CODE", "RFS_EC_DISCIPLINE_CODE", "RFS_EC_DISCIPLINE",
         "NON_REPORTING_AGENCY"}  # fmt: skip


def row24(record: str, **cells: Any) -> list[Any]:
    """One person stopped, in the 2024 layout: 0 in every flag not set; a clean K-12 stop."""
    base: dict[str, Any] = {c: (None if c in _TEXT or c.endswith("_CDS") else 0) for c in HRDAG_2024_COLUMNS}
    base.update(
        DOJ_RECORD_ID=record, PERSON_NUMBER=1, AGENCY_ORI="CA0330000", AGENCY_NAME="RIVERSIDE CO SO",
        TIME_OF_STOP=dt.time(9, 5), DATE_OF_STOP=dt.datetime(2024, 2, 20), STOP_DURATION=15,
        LOC_CLOSEST_CITY="RIVERSIDE", SCHOOL_CODE=SCHOOL, SCHOOL_NAME="Alameda High", STOP_STUDENT=1,
        K12_SCHOOL_GROUNDS=1, RAE_FULL=3, G_FULL=1, AGE=15, AGE_GROUP=3, PD_FULL=0, PD_NONE_DISABILITY=1,
        PD_MULTI=0, REASON_FOR_STOP=2, NFA_NONE=1, OFA_NONE=1, CED_NONE_CONTRABAND=1, ROS_NO_ACTION=1,
    )  # fmt: skip
    base.update(cells)
    return [base[c] for c in HRDAG_2024_COLUMNS]


# Riverside 2024, K-12 stops. Hand counts in the tests.
RIVERSIDE_2024 = [
    row24("S1", NFA_NONE=0, NFA_TERRY_FRISK=1),  # a pat-down only: searched (person); nothing found
    row24("S2", NFA_NONE=0, NFA_SEARCH_PROPERTY=1, CED_NONE_CONTRABAND=0, CED_WEAPON=1),  # searched, found
    row24("S3", OFA_NONE=0, OFA_ELECT_DEVICE_POINT=1),  # a device pointed, not used: no force
    row24("S4", OFA_NONE=0, OFA_PHYSICAL_COMPLIANCE=1, OFA_HANDCUFFED=1),  # force and handcuffed
    row24("S5", G_FULL=6, ROS_NO_ACTION=0, ROS_VERBAL_WARNING=1),  # multigender (a 2024 code); warned
    row24("S6", RAE_FULL=7, OFA_NONE=0, OFA_ELECT_DEVICE_DART=1, AGENCY_ORI="CA0331100", SCHOOL_CODE="33671163336218"),
]
CHP_2024_Q1 = [row24("C1", AGENCY_ORI="CACHP0000", RAE_FULL=7, SCHOOL_CODE=None, SCHOOL_NAME=None,
                     STOP_STUDENT=0, K12_SCHOOL_GROUNDS=0, AGE=40, AGE_GROUP=6)]  # fmt: skip


def _book(path: Path, header: tuple[str, ...], rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(header))
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _two_years(tmp_path: Path) -> Path:
    """A zip of a 2024 county workbook, a 2024 CHP quarter and a 2022 county workbook."""
    parts = tmp_path / "parts"
    parts.mkdir()
    books = {
        "RIPA Stop Data_Riverside 2024_final.xlsx": _book(parts / "a.xlsx", HRDAG_2024_COLUMNS, RIVERSIDE_2024),
        "RIPA Stop Data_CHP 2024 Q1_final.xlsx": _book(parts / "b.xlsx", HRDAG_2024_COLUMNS, CHP_2024_Q1),
        "RIPA Stop Data _ Riverside 2022.xlsx": _book(
            parts / "c.xlsx",
            README_2021_COLUMNS,
            [_row("O1", ADS_SEARCH_PERSON=1, CED_NONE_CONTRABAND=0, CED_DRUGS=1), _row("O2", G_FULL=6)],
        ),
    }
    z = tmp_path / "ripa.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, path in books.items():
            zf.write(path, name)
    return z


def test_the_transcription_has_hrdags_2024_column_count() -> None:
    assert len(HRDAG_2024_COLUMNS) == len(set(HRDAG_2024_COLUMNS)) == 202


def test_every_harmonised_column_is_found_in_both_published_layouts() -> None:
    old, new = layouts()
    assert (old.name, new.name) == ("2018-2023", "2024")
    for layout, header in ((old, README_2021_COLUMNS), (new, HRDAG_2024_COLUMNS)):
        assert layout.recognises(set(header)), layout.name
        for name in HARMONISED:
            if name == "NFA_TERRY_FRISK" and layout is old:
                continue  # a 2024 column
            missing = [f for f in layout.sources(name) if f not in header]
            assert missing == [], (layout.name, name)
    # Only the 2024 layout is recognised from the 2024 header, and only the old one from the old.
    assert not new.recognises(set(README_2021_COLUMNS)) and not old.recognises(set(HRDAG_2024_COLUMNS))
    assert {c.name for c in SCHEMA} <= set(HARMONISED)


def test_ingest_reads_both_layouts_into_one_harmonised_table(tmp_path: Path) -> None:
    s = ingest(_two_years(tmp_path), tmp_path / "out")
    assert (s.rows_read, s.rows_written) == (9, 9)
    layouts_read = {name.split(": ")[1]: (c["layout"], c["county"]) for name, c in s.by_member.items()}
    assert layouts_read == {
        "RIPA Stop Data_Riverside 2024_final.xlsx": ("2024", "Riverside"),
        "RIPA Stop Data_CHP 2024 Q1_final.xlsx": ("2024", "CHP"),
        "RIPA Stop Data _ Riverside 2022.xlsx": ("2018-2023", "Riverside"),
    }
    # G_FULL 6 is a 2024 code: accepted there, flagged in the 2022 file.
    assert s.doubtful_by_reason == {"G_FULL invalid": 1}
    t = pq.read_table(tmp_path / "out").to_pandas().set_index("DOJ_RECORD_ID")
    assert sorted(set(t.YEAR.astype(int))) == [2022, 2024]
    searched = t.ADS_SEARCH_PERSON.eq(1) | t.ADS_SEARCH_PROPERTY.eq(1)
    assert sorted(t.index[searched]) == ["O1", "S1", "S2"]  # the pat-down counts as a search
    assert t.loc["S1", "NFA_TERRY_FRISK"] == 1 and pd.isna(t.loc["O1", "NFA_TERRY_FRISK"])  # not in 2022
    assert sorted(t.index[t.CONTRABAND_FOUND == 1]) == ["O1", "S2"]
    assert (t.loc["S3", "ADS_ELECT_DEVICE"], t.loc["S6", "ADS_ELECT_DEVICE"]) == (0, 1)  # pointed vs fired
    assert (t.loc["S4", "ADS_OTHER_CONTACT"], t.loc["S4", "ADS_HANDCUFFED"]) == (1, 1)
    assert (t.loc["S5", "ROS_WARNING"], t.loc["S5", "G_FULL"]) == (1, 6) and pd.isna(t.loc["S5", "DOUBT"])
    assert t.loc["O2", "DOUBT"] == "G_FULL invalid"
    assert dict(t.LAYOUT.value_counts()) == {"2024": 7, "2018-2023": 2}


def test_k12_report_spans_the_layout_change(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "report", "k12", "--ripa", str(_two_years(tmp_path)), "--by", "year", "--cell-min", "1", "--n-min", "1",
        "--format", "json", stdout=out, stderr=StringIO(),
    )  # fmt: skip
    rows = json.loads(out.getvalue())
    by_year = {
        (r["year"], r["outcome"]): r
        for r in rows
        if r["breakdown"] == "year" and r["dimension"] == "race" and r["group"] == "All"
    }
    # K-12 stops: the six Riverside 2024 persons (the CHP stop is not a school stop), two in 2022.
    assert by_year[("2024", "searched")]["denominator"] == 6 and by_year[("2024", "searched")]["count"] == 2
    assert by_year[("2024", "force")]["count"] == 2  # S4 physical compliance, S6 device fired
    assert by_year[("2024", "handcuffed")]["count"] == 1
    assert by_year[("2022", "searched")]["denominator"] == 2 and by_year[("2022", "searched")]["count"] == 1
    gender = {r["group"] for r in rows if r["breakdown"] == "statewide" and r["dimension"] == "gender"}
    assert "Multigender" in gender


def test_a_slice_by_county_agency_district_or_school(tmp_path: Path) -> None:
    z = _two_years(tmp_path)
    s = ingest(z, tmp_path / "a", keep=RipaFilter(counties=("riverside",)))
    assert s.rows_written == 8 and all("CHP" not in name for name in s.by_member)
    s = ingest(z, tmp_path / "b", keep=RipaFilter(agency_oris=("ca0331100",)))
    assert (s.rows_read, s.rows_written) == (9, 1)
    s = ingest(z, tmp_path / "c", keep=RipaFilter(districts=("0110017",)))
    assert s.rows_written == 7  # every school stop but S6 (another district); the CHP stop has no school
    riverside_24 = next(c for name, c in s.by_member.items() if "Riverside 2024" in name)
    assert (riverside_24["rows"], riverside_24["written"]) == (6, 5)
    s = ingest(z, tmp_path / "d", keep=RipaFilter(schools=("33671163336218",), counties=("Riverside",)))
    assert s.rows_written == 1


def test_slice_mistakes_are_explained(tmp_path: Path) -> None:
    z = _two_years(tmp_path)
    with pytest.raises(
        InputError, match="no part for --county Orange; the counties its file names give: CHP, Riverside"
    ):
        ingest(z, tmp_path / "a", keep=RipaFilter(counties=("Orange",)))
    statewide = _book(tmp_path / "RIPA Stop Data 2018.xlsx", README_2021_COLUMNS, [_row("X1")])
    with pytest.raises(InputError, match="file names give no county"):
        ingest(statewide, tmp_path / "b", keep=RipaFilter(counties=("Riverside",)))
    err = StringIO()
    with pytest.raises(CommandError, match="--district '01-100': expected a CDS code of 7 or 14 digits"):
        call_command("ingest", "ripa", str(z), "--out", str(tmp_path / "c"), "--district", "01-100", stderr=err)


def test_the_command_prints_each_part_with_its_layout(tmp_path: Path) -> None:
    out = StringIO()
    call_command("ingest", "ripa", str(_two_years(tmp_path)), "--out", str(tmp_path / "o"), "--agency-ori",
                 "CA0330000", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "slice kept: agency CA0330000" in text
    assert (
        "ripa.zip: RIPA Stop Data_Riverside 2024_final.xlsx (2024 layout): 6 read, 0 flagged doubtful, 5 written"
        in text
    )
    assert "RIPA Stop Data _ Riverside 2022.xlsx (2018-2023 layout): 2 read, 1 flagged doubtful, 2 written" in text


def test_a_failed_ingest_leaves_the_previous_output_in_place(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(_two_years(tmp_path), out)
    before = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    broken = tmp_path / "RIPA Stop Data _ Kern 2024.csv"
    broken.write_text(",".join(HRDAG_2024_COLUMNS) + "\n" + "1,2\n" + ",".join(["x"] * 300) + "\n")
    with pytest.raises(InputError):
        ingest(broken, out)
    assert sorted(p.relative_to(out) for p in out.rglob("*.parquet")) == before
    assert not out.with_name("out.partial").exists()


@pytest.mark.parametrize(
    ("name", "county"),
    [
        ("RIPA Stop Data _ Riverside 2022.xlsx", "Riverside"),
        ("RIPA Stop Data_Riverside 2024_final.xlsx", "Riverside"),
        ("RIPA Stop Data _ Los Angeles 2018 Q3.xlsx", "Los Angeles"),
        ("RIPA Stop Data_Los Angeles 2024 Q1_final.xlsx", "Los Angeles"),
        ("RIPA Stop Data _ CHP 2023 Q1 final.xlsx", "CHP"),
        ("RIPA Stop Data _ San Luis Obispo 2021.csv", "San Luis Obispo"),
        ("RIPA Stop Data 2018.csv", None),
        ("12312022 Supplement RIPA SD final.xlsx", None),
    ],
)
def test_county_from_the_dojs_file_names(name: str, county: str | None) -> None:
    assert county_of(name) == county


def test_a_broken_crosswalk_is_refused_naming_each_line() -> None:
    from sro.core.datafiles import DataFileError, parse_toml
    from sro.incidents.ripa_layout import check_layouts

    text = """
[[layout]]
name = "2024"
marker = ["NFA_SEARCH_PERSON"]
source = "test"

[layout.ranges]
ADS_HANDCUFFED = [1, 6]

[layout.columns]
ADS_SEARCH_PERSON = ["NFA_SEARCH_PERSON", "NFA_TERRY_FRISK"]
NOT_A_COLUMN = ["X"]
AGE = ["A", "B"]
"""
    with pytest.raises(DataFileError) as caught:
        check_layouts(parse_toml(text, "layouts.toml"))
    got = [(p.line, p.message) for p in caught.value.problems]
    assert got == [
        (12, "NOT_A_COLUMN: not a harmonised column (ripa_layout.py)"),
        (13, "AGE: only a 0/1 flag can be read from several columns"),
        (8, "ADS_HANDCUFFED: expected a coded column = [lowest, highest]"),
    ]


def test_a_csv_saved_in_a_windows_code_page_is_read(tmp_path: Path) -> None:
    """Excel's "CSV" on Windows writes cp1252: "Peñasco" is one byte (0xF1) there, not UTF-8."""
    rows = [_row("W1", SCHOOL_NAME="Peñasco High"), _row("W2", RAE_FULL=7, SCHOOL_NAME="Cañon Middle")]
    path = tmp_path / "RIPA Stop Data _ Riverside 2022.csv"
    lines = [",".join(README_2021_COLUMNS)]
    lines += [",".join("" if v is None else v.strftime("%H:%M:%S") if isinstance(v, dt.time) else str(v) for v in r)
              for r in rows]  # fmt: skip
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    s = ingest(path, tmp_path / "out")
    assert (s.rows_written, s.rows_doubtful) == (2, 0)
    t = pq.read_table(tmp_path / "out").to_pandas().set_index("DOJ_RECORD_ID")
    assert (t.loc["W1", "SCHOOL_NAME"], t.loc["W2", "SCHOOL_NAME"]) == ("Peñasco High", "Cañon Middle")


def test_a_workbook_that_is_not_one_is_refused_by_name(tmp_path: Path) -> None:
    fake = tmp_path / "RIPA Stop Data _ Kern 2022.xlsx"
    fake.write_text("DOJ_RECORD_ID,PERSON_NUMBER\n")  # a CSV renamed .xlsx
    with pytest.raises(InputError, match=r"RIPA Stop Data _ Kern 2022.xlsx, file: not a readable Excel workbook"):
        ingest(fake, tmp_path / "out")


def test_progress_on_a_terminal_names_each_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro.oversight import validation

    seen: list[str] = []
    monkeypatch.setattr(validation, "show_progress", lambda: True)
    real = validation._bar

    def spy(description: str) -> Any:
        seen.append(description)
        return real(description)

    monkeypatch.setattr(validation, "_bar", spy)
    s = ingest(_two_years(tmp_path), tmp_path / "out")
    assert s.rows_written == 9
    assert seen[:2] == ["Unpacking ripa.zip", "Ingesting ripa.zip (3 part(s))"]
