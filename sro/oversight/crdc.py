"""CRDC school-level files: referrals to law enforcement and school-related arrests.

Reads the ``SCH_DISCWODIS_{REF,ARR}_{race}_{sex}``, ``SCH_DISCWDIS_{REF,ARR}_IDEA_{race}_{sex}``
and ``SCH_DISCWDIS_{REF,ARR}_504_{sex}`` families keyed by ``COMBOKEY``, as published in the
Referrals and Arrests module (2017-18, 2020-21) or the single combined school file (2015-16);
the layout is told from the header. The Enrollment module (``SCH_ENR_*``) gives per-enrolment
rates and the School Support module (``SCH_FTESECURITY_LEO``) the schools with sworn officers.

Published files are Latin-1 (Windows-1252); UTF-8 (with or without a BOM) is read too.
Negative values are CRDC reserve codes and are read as missing, never as numbers. The public
files are perturbed by plus or minus one case, so a school can show more arrests than
referrals: such schools are flagged and left out of the report, with a count, never refused.
See docs/metrics.md for the sources of every column list.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa

from sro.oversight.metrics import TOTAL, Col, Settings, disparity, untyped, window
from sro.oversight.validation import InputError, Problem

RACES = {"HI": "Hispanic", "AM": "American Indian/Alaska Native", "AS": "Asian",
         "HP": "Native Hawaiian/Pacific Islander", "BL": "Black", "WH": "White", "TR": "Two or more races"}  # fmt: skip
SEXES = {"M": "Male", "F": "Female", "X": "Nonbinary"}
CATEGORIES = ("Without disabilities", "IDEA", "Section 504")
KEYS = ("COMBOKEY", "LEAID", "LEA_STATE")
OPTIONAL = ("LEA_NAME", "SCH_NAME")
LEO = "SCH_FTESECURITY_LEO"

# Reserve codes: negative values that are not counts. 2017-18 definitions from the CRDC 2017-18
# Public-Use Data File Manual as listed by CBS News (shared/hand/1718-crdc-reserve-codes.csv);
# -2, -4, -7, -12 and -13 as other years' manuals define them (see docs/metrics.md).
RESERVE_CODES = {
    -2: "small cell value (2015-16)",
    -3: "skip logic failure",
    -4: "missing optional data",
    -5: "action plan",
    -6: "force certified",
    -7: "system error (2015-16)",
    -8: "EDFacts missing data",
    -9: "not applicable / skipped",
    -11: "suppressed (data quality)",
    -12: "suppressed for privacy protection",
    -13: "missing COVID directional indicator (skip logic)",
}

LAYOUT_COMBINED = "combined school file (2015-16)"
LAYOUT_MODULE = "Referrals and Arrests module (2017-18, 2020-21)"

PERTURBED_NOTE = "more arrests than referrals, the CRDC's deliberate perturbation"


def cell_columns(sexes: tuple[str, ...] = ("M", "F"), section_504: bool = True) -> list[tuple[str, str, str, str, str]]:
    """(referral column, arrest column, category, race, sex) for every CRDC cell."""
    cells = []
    for sex in sexes:
        for race in RACES:
            cells.append(
                (
                    f"SCH_DISCWODIS_REF_{race}_{sex}",
                    f"SCH_DISCWODIS_ARR_{race}_{sex}",
                    "Without disabilities",
                    race,
                    sex,
                )
            )
            cells.append(
                (f"SCH_DISCWDIS_REF_IDEA_{race}_{sex}", f"SCH_DISCWDIS_ARR_IDEA_{race}_{sex}", "IDEA", race, sex)
            )
        if section_504:
            cells.append((f"SCH_DISCWDIS_REF_504_{sex}", f"SCH_DISCWDIS_ARR_504_{sex}", "Section 504", "", sex))
    return cells


def enrolment_columns(sexes: tuple[str, ...] = ("M", "F")) -> list[str]:
    """Enrollment-module columns read: by race and sex, and IDEA and Section 504 by sex."""
    return [
        *(f"SCH_ENR_{race}_{sex}" for sex in sexes for race in RACES),
        *(f"SCH_ENR_IDEA_{sex}" for sex in sexes),
        *(f"SCH_ENR_504_{sex}" for sex in sexes),
    ]


# ---------------------------------------------------------------------------- reading


def _decode(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read in: UTF-8 (BOM dropped), else Windows-1252, else Latin-1."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), [Problem(0, "", f"cannot be read: {exc.strerror or exc}")]) from exc
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


@dataclass
class _Text:
    path: Path
    text: str
    encoding: str
    header: list[str]


def _open(path: Path) -> _Text:
    text, encoding = _decode(path)
    try:
        header = [c.strip() for c in pd.read_csv(io.StringIO(text), nrows=0).columns]
    except (pd.errors.EmptyDataError, pd.errors.ParserError):
        header = []
    return _Text(path, text, encoding, header)


def _read(src: _Text, wanted: set[str]) -> pd.DataFrame:
    """The wanted columns as text; a row with more or fewer cells than the header is reported with its line."""
    width = len(src.header)
    ragged = [
        Problem(line, "", f"malformed CSV row: {len(row)} cells, the header has {width}")
        for line, row in enumerate(csv.reader(io.StringIO(src.text)), start=1)
        if row and len(row) != width
    ]
    _raise(src.path, ragged)
    try:
        df = pd.read_csv(
            io.StringIO(src.text),
            usecols=lambda c: c.strip() in wanted,
            dtype=str,
            keep_default_na=False,
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else 0
        raise InputError(str(src.path), [Problem(line, "", f"malformed CSV row ({exc})")]) from exc
    df.columns = [c.strip() for c in df.columns]
    return df


def _not_crdc(src: _Text, what: str, expected: str) -> InputError:
    seen = ", ".join(src.header[:5]) + (" ..." if len(src.header) > 5 else "") if src.header else "no header"
    return InputError(
        str(src.path), [Problem(1, "", f"not a CRDC {what} file: expected {expected}; the header has {seen}")]
    )


def _require(src: _Text, needed: list[str]) -> None:
    missing = [c for c in needed if c not in src.header]
    if missing:
        raise InputError(str(src.path), [Problem(1, c, "missing column") for c in missing])


def _numbers(
    raw: pd.DataFrame, cols: list[str], problems: list[Problem], reserve: Counter[int], whole: bool = True
) -> dict[str, pd.Series]:
    """Columns as numbers; negative reserve codes become missing and are tallied; text is a problem."""
    out: dict[str, pd.Series] = {}
    for col in cols:
        text = raw[col].str.strip()
        num = pd.to_numeric(text, errors="coerce")
        bad = num.isna() & (text != "")
        if whole:
            bad |= num.notna() & (num != np.floor(num.fillna(0)))
        kind = "a whole number" if whole else "a number"
        problems += [Problem(int(i) + 2, col, f"not {kind}: {text[i]!r}") for i in raw.index[bad]]
        reserve.update(int(v) for v in num[num < 0])
        kept = num.where(num >= 0)
        out[col] = kept.astype("Int64") if whole else kept.astype("float64")
    return out


def _keys(raw: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """COMBOKEY (12 digits) and LEAID (7 digits), zero-padded when a file dropped their leading zeros."""
    out = pd.DataFrame(index=raw.index)
    for key, width in (("COMBOKEY", 12), ("LEAID", 7), ("LEA_STATE", 0)):
        if key not in raw.columns:
            continue
        v = raw[key].str.strip()
        problems += [Problem(int(i) + 2, key, "empty") for i in raw.index[v == ""]]
        out[key] = v.where(~v.str.fullmatch(r"\d+"), v.str.zfill(width)) if width else v
    if "COMBOKEY" in out.columns:  # one row per school: a repeat means two files were joined, or a copy
        keys = out["COMBOKEY"]
        first = keys.groupby(keys).transform(lambda k: k.index[0])
        again = keys.duplicated() & (keys != "")
        problems += [
            Problem(int(i) + 2, "COMBOKEY", f"school {keys[i]} repeated (first on line {int(first[i]) + 2})")
            for i in raw.index[again]
        ]
    return out


def _raise(path: Path, problems: list[Problem]) -> None:
    if problems:
        problems.sort(key=lambda p: (p.line, p.column))
        raise InputError(str(path), problems)


@dataclass
class CrdcFile:
    """A CRDC referrals-and-arrests file as read: one row per school and cell, and what was noticed."""

    source: str
    layout: str
    encoding: str
    cells: pd.DataFrame  # KEYS, category, race, sex, referrals, arrests (nullable), perturbed
    schools: int
    perturbed: list[str]  # COMBOKEY of schools with more arrests than referrals in some cell
    reserve_codes: dict[int, int]  # reserve code -> cells in the referral and arrest columns
    section_504: bool
    sexes: tuple[str, ...]
    enrolment: pd.DataFrame | None = None  # from the same file (2015-16 combined)
    officers: pd.DataFrame | None = None  # from the same file (2015-16 combined)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "layout": self.layout,
            "encoding": self.encoding,
            "schools": self.schools,
            "schools_left_out_perturbed": len(self.perturbed),
            "left_out_reason": PERTURBED_NOTE,
            "reserve_codes": {
                f"{c} ({RESERVE_CODES.get(c, 'undocumented code')})": n for c, n in sorted(self.reserve_codes.items())
            },
            "section_504_columns": self.section_504,
        }


def load_crdc(path: Path) -> CrdcFile:
    """Read a Referrals and Arrests module file or a 2015-16 combined school file."""
    src = _open(path)
    header = set(src.header)
    if not any(c.startswith(("SCH_DISCWODIS_REF_", "SCH_DISCWODIS_ARR_")) for c in header):
        raise _not_crdc(src, "Referrals and Arrests", "COMBOKEY, LEAID, LEA_STATE and SCH_DISCWODIS_REF_* columns")
    layout = LAYOUT_COMBINED if any(c.startswith("SCH_ENR_") for c in header) else LAYOUT_MODULE
    sexes = ("M", "F", "X") if "SCH_DISCWODIS_REF_HI_X" in header else ("M", "F")
    has_504 = all(f"SCH_DISCWDIS_{k}_504_{s}" in header for k in ("REF", "ARR") for s in sexes)
    cells = cell_columns(sexes, section_504=has_504)
    count_cols = [c for cell in cells for c in cell[:2]]
    _require(src, [*KEYS, *count_cols])
    enr_cols = enrolment_columns(sexes)
    with_enrolment = layout == LAYOUT_COMBINED and all(c in header for c in enr_cols)
    with_officers = LEO in header
    wanted = {*KEYS, *count_cols, *OPTIONAL, *(enr_cols if with_enrolment else []), *([LEO] if with_officers else [])}
    raw = _read(src, wanted)

    problems: list[Problem] = []
    reserve: Counter[int] = Counter()
    keys = _keys(raw, problems)
    values = _numbers(raw, count_cols, problems, reserve)
    enrolment = _enrolment_frame(raw, keys, sexes, problems, Counter()) if with_enrolment else None
    officers = _officer_frame(raw, keys, problems) if with_officers else None
    _raise(path, problems)

    over = np.zeros(len(raw), dtype=bool)
    for ref, arr, *_ in cells:
        over |= (values[arr] > values[ref]).fillna(False).to_numpy(dtype=bool)
    frames = [
        pd.DataFrame({**{k: keys[k] for k in KEYS}, "category": cat, "race": race, "sex": sex,
                      "referrals": values[ref], "arrests": values[arr], "perturbed": over})
        for ref, arr, cat, race, sex in cells
    ]  # fmt: skip
    notes = []
    if not has_504:
        notes.append("no Section 504 referral and arrest columns in this file: the Section 504 group is left out")
    return CrdcFile(
        source=str(path),
        layout=layout,
        encoding=src.encoding,
        cells=pd.concat(frames, ignore_index=True),
        schools=len(raw),
        perturbed=sorted(keys["COMBOKEY"][over]),
        reserve_codes=dict(reserve),
        section_504=has_504,
        sexes=sexes,
        enrolment=enrolment,
        officers=officers,
        notes=notes,
    )


def _enrolment_frame(
    raw: pd.DataFrame, keys: pd.DataFrame, sexes: tuple[str, ...], problems: list[Problem], reserve: Counter[int]
) -> pd.DataFrame:
    values = _numbers(raw, enrolment_columns(sexes), problems, reserve)
    return pd.DataFrame({"COMBOKEY": keys["COMBOKEY"], **values})


def _officer_frame(raw: pd.DataFrame, keys: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    reserve: Counter[int] = Counter()
    fte = _numbers(raw, [LEO], problems, reserve, whole=False)[LEO]
    return pd.DataFrame({k: keys[k] for k in KEYS if k in keys.columns} | {"leo_fte": fte})


def read_enrolment_module(path: Path, sexes: tuple[str, ...] = ("M", "F")) -> pd.DataFrame:
    """The Enrollment module (or any file with its columns): COMBOKEY and the enrolment columns."""
    src = _open(path)
    if not any(c.startswith("SCH_ENR_") for c in src.header):
        raise _not_crdc(src, "Enrollment", "COMBOKEY and SCH_ENR_* columns")
    _require(src, ["COMBOKEY", *enrolment_columns(sexes)])
    raw = _read(src, {"COMBOKEY", *enrolment_columns(sexes)})
    problems: list[Problem] = []
    frame = _enrolment_frame(raw, _keys(raw, problems), sexes, problems, Counter())
    _raise(path, problems)
    return frame


def read_support_module(path: Path) -> pd.DataFrame:
    """The School Support module: COMBOKEY, LEAID, LEA_STATE and FTE sworn law enforcement officers."""
    src = _open(path)
    if LEO not in src.header and not any(c.startswith("SCH_FTE") for c in src.header):
        raise _not_crdc(src, "School Support", f"COMBOKEY and {LEO}")
    _require(src, [*KEYS, LEO])
    raw = _read(src, {*KEYS, LEO})
    problems: list[Problem] = []
    frame = _officer_frame(raw, _keys(raw, problems), problems)
    _raise(path, problems)
    return frame


def officers(path: Path) -> pd.DataFrame:
    """FTE sworn law enforcement officers per school (reserve codes read as missing)."""
    return read_support_module(path)


# ---------------------------------------------------------------------------- reports


def _groups(long: ibis.Table, level: str, key: Col) -> ibis.Table:
    t = long.filter(long.referrals.notnull() & long.arrests.notnull())
    race_label = t.race.substitute(RACES)
    dims = {
        "race": (t.category != "Section 504", race_label),
        "sex": (ibis.literal(True), t.sex.substitute(SEXES)),
        "race_sex": (t.category != "Section 504", race_label.concat(" ", t.sex.substitute(SEXES))),
        "disability": (ibis.literal(True), t.category),
    }
    parts = []
    for dim, (keep, group) in dims.items():
        sub = t.mutate(key=key, group=group, keep=keep).filter(lambda x: x.keep)
        agg = sub.group_by(["key", "group"]).aggregate(referrals=sub.referrals.sum(), arrests=sub.arrests.sum())
        parts.append(agg.mutate(level=ibis.literal(level), dimension=ibis.literal(dim)))
    return ibis.union(*parts, distinct=False)


def _reported(long: ibis.Table) -> ibis.Table:
    """Leave out the schools flagged as perturbed (more arrests than referrals)."""
    return long.filter(~long.perturbed) if "perturbed" in long.columns else long


def crdc_report(long: ibis.Table, settings: Settings) -> ibis.Table:
    """Referral counts and arrests per 100 referrals by group, per school, district and state.

    ``outcome = referrals`` rows give each group's share of all referrals (per
    ``settings.per``); ``outcome = arrests`` rows give arrests per referral, with
    the risk ratio against all other referred students (an OJJDP-style stage ratio).
    Schools flagged ``perturbed`` are left out.

    Every group's referrals row has the partition's referrals as its denominator, so the
    ``All`` row of the referrals outcome is given explicitly (all referrals over all
    referrals); summing the groups' denominators would count the total once per group.
    """
    long = _reported(long)
    levels = {"school": long.COMBOKEY, "district": long.LEAID, "state": long.LEA_STATE}
    g = ibis.union(*(_groups(long, lvl, k) for lvl, k in levels.items()), distinct=False)
    w = window(group_by=["level", "key", "dimension"])
    totals = g.group_by(["level", "key", "dimension"]).aggregate(referrals=g.referrals.sum())
    counts = ibis.union(
        g.select("level", "key", "dimension", "group", outcome=ibis.literal("referrals"),
                 count=g.referrals.cast("int64"), denominator=g.referrals.sum().over(w).cast("int64")),
        totals.select("level", "key", "dimension", group=ibis.literal(TOTAL), outcome=ibis.literal("referrals"),
                      count=totals.referrals.cast("int64"), denominator=totals.referrals.cast("int64")),
        g.select("level", "key", "dimension", "group", outcome=ibis.literal("arrests"),
                 count=g.arrests.cast("int64"), denominator=g.referrals.cast("int64")),
        distinct=False,
    )  # fmt: skip
    out = disparity(counts, keys=["level", "key", "dimension"], settings=settings)
    # A group's referral count is published only through its own (suppressible) referrals row.
    return out.mutate(
        denominator=untyped.ifelse(out.outcome == "arrests", ibis.null("int64"), out.denominator),
        rr=untyped.ifelse(out.outcome == "referrals", ibis.null("float64"), out.rr),
        rr_lo=untyped.ifelse(out.outcome == "referrals", ibis.null("float64"), out.rr_lo),
        rr_hi=untyped.ifelse(out.outcome == "referrals", ibis.null("float64"), out.rr_hi),
        rd=untyped.ifelse(out.outcome == "referrals", ibis.null("float64"), out.rd),
    )


@dataclass
class EnrolmentGroups:
    """Referrals, arrests and enrolment per school and group, and the schools left out with why."""

    groups: pd.DataFrame  # KEYS, dimension, group, referrals, arrests, enrolled
    left_out: dict[str, int]


def enrolment_groups(crdc: CrdcFile, enrolment: pd.DataFrame) -> EnrolmentGroups:
    """Per school and group: referrals, arrests and the group's enrolment from the Enrollment module.

    Race groups count students without disabilities and IDEA students (the CRDC gives no race
    for Section 504 referrals) over the race's whole enrolment; sex and disability groups count
    everyone. A school is left out (and counted) when it is flagged as perturbed, has a reserve
    code in a referral or arrest column, is missing from the Enrollment file or has a reserve
    code there, or shows more referrals in a group than students enrolled in it.
    """
    cells = crdc.cells
    sexes = crdc.sexes
    left: Counter[str] = Counter()
    schools = cells.drop_duplicates("COMBOKEY").set_index("COMBOKEY")[["LEAID", "LEA_STATE", "perturbed"]]
    incomplete = (cells.referrals.isna() | cells.arrests.isna()).groupby(cells.COMBOKEY).any()
    enr = enrolment.drop_duplicates("COMBOKEY").set_index("COMBOKEY")
    enr = enr.reindex(schools.index)
    enr_missing = enr.isna().any(axis=1)
    keep = pd.Series(True, index=schools.index)
    for reason, mask in (
        (PERTURBED_NOTE, schools.perturbed),
        ("a reserve code in the referral or arrest columns", incomplete.reindex(schools.index) & keep),
        ("no enrolment (not in the Enrollment file, or a reserve code there)", enr_missing & keep),
    ):
        mask = mask & keep
        left[reason] += int(mask.sum())
        keep &= ~mask
    ok = schools.index[keep]
    c = cells[cells.COMBOKEY.isin(ok)].copy()
    c["race_label"] = c.race.map(RACES)
    c["sex_label"] = c.sex.map(SEXES)
    e = enr.loc[ok]
    rows = []

    def add(dim: str, group: str, sel: pd.Series, enrolled: pd.Series) -> None:
        sums = c[sel].groupby("COMBOKEY")[["referrals", "arrests"]].sum().reindex(ok, fill_value=0)
        rows.append(pd.DataFrame({"COMBOKEY": ok, "dimension": dim, "group": group,
                                  "referrals": sums.referrals.to_numpy(), "arrests": sums.arrests.to_numpy(),
                                  "enrolled": enrolled.reindex(ok).to_numpy()}))  # fmt: skip

    not_504 = c.category != "Section 504"
    by_sex = {s: sum((e[f"SCH_ENR_{r}_{s}"] for r in RACES), start=pd.Series(0, index=e.index)) for s in sexes}
    total = sum(by_sex.values(), start=pd.Series(0, index=e.index))
    for r, label in RACES.items():
        add("race", label, not_504 & (c.race == r), sum((e[f"SCH_ENR_{r}_{s}"] for s in sexes), start=0 * total))
        for s in sexes:
            add("race_sex", f"{label} {SEXES[s]}", not_504 & (c.race == r) & (c.sex == s), e[f"SCH_ENR_{r}_{s}"])
    for s in sexes:
        add("sex", SEXES[s], c.sex == s, by_sex[s])
    idea = sum((e[f"SCH_ENR_IDEA_{s}"] for s in sexes), start=0 * total)
    s504 = sum((e[f"SCH_ENR_504_{s}"] for s in sexes), start=0 * total)
    add("disability", "IDEA", c.category == "IDEA", idea)
    if crdc.section_504:
        add("disability", "Section 504", c.category == "Section 504", s504)
        add("disability", "Without disabilities", c.category == "Without disabilities", total - idea - s504)
    groups = pd.concat(rows, ignore_index=True)
    over = groups.referrals > groups.enrolled
    bad = set(groups.COMBOKEY[over])
    left["more referrals than students enrolled in a group"] += len(bad)
    groups = groups[~groups.COMBOKEY.isin(bad)]
    groups = groups.join(schools[["LEAID", "LEA_STATE"]], on="COMBOKEY")
    for col in ("referrals", "arrests", "enrolled"):
        groups[col] = groups[col].astype("int64")
    return EnrolmentGroups(groups.reset_index(drop=True), {k: v for k, v in left.items() if v})


def crdc_enrolment_report(groups: ibis.Table, settings: Settings) -> ibis.Table:
    """Referrals and arrests per ``settings.per`` students enrolled, by group, per school, district and state."""
    levels = {"school": groups.COMBOKEY, "district": groups.LEAID, "state": groups.LEA_STATE}
    parts = []
    for level, key in levels.items():
        t = groups.mutate(key=key)
        agg = t.group_by(["key", "dimension", "group"]).aggregate(
            referrals=t.referrals.sum(), arrests=t.arrests.sum(), enrolled=t.enrolled.sum()
        )
        parts.append(agg.mutate(level=ibis.literal(level)))
    g = ibis.union(*parts, distinct=False)
    counts = ibis.union(
        *(
            g.select("level", "key", "dimension", "group", outcome=ibis.literal(o),
                     count=g[o].cast("int64"), denominator=g.enrolled.cast("int64"))
            for o in ("referrals", "arrests")
        ),
        distinct=False,
    )  # fmt: skip
    return disparity(counts, keys=["level", "key", "dimension"], settings=settings)


def officers_report(support: pd.DataFrame, crdc: CrdcFile | None = None) -> pd.DataFrame:
    """Schools with sworn law enforcement officers (``SCH_FTESECURITY_LEO`` above zero), by state and district.

    ``schools_no_data`` counts schools whose officer count is a reserve code. With a
    referrals file, ``referrals`` and ``arrests`` are summed over the schools with officers
    and over those without (schools flagged as perturbed left out).
    """
    s = support.copy()
    s["reported"] = s.leo_fte.notna()
    s["with_officers"] = s.leo_fte.fillna(0) > 0
    if crdc is not None:
        cells = crdc.cells[~crdc.cells.perturbed].dropna(subset=["referrals", "arrests"])
        sums = cells.groupby("COMBOKEY")[["referrals", "arrests"]].sum()
        s = s.join(sums, on="COMBOKEY")
    rows = []
    for level, key in (("state", "LEA_STATE"), ("district", "LEAID")):
        for k, grp in s.groupby(key, sort=True):
            row: dict[str, Any] = {
                "level": level,
                "key": str(k),
                "schools": len(grp),
                "schools_no_data": int((~grp.reported).sum()),
                "schools_with_officers": int(grp.with_officers.sum()),
                "officer_fte": round(float(grp.leo_fte.sum()), 2),
            }
            if crdc is not None:
                yes, no = grp[grp.with_officers], grp[grp.reported & ~grp.with_officers]
                row |= {
                    "referrals_with_officers": int(yes.referrals.sum()),
                    "arrests_with_officers": int(yes.arrests.sum()),
                    "referrals_without_officers": int(no.referrals.sum()),
                    "arrests_without_officers": int(no.arrests.sum()),
                }
            rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class CrdcReport:
    """The tables behind ``sro report crdc`` and what was left out of them."""

    report: pa.Table
    per_enrolment: pa.Table | None
    officers: pa.Table | None
    summary: dict[str, Any]

    def messages(self) -> list[str]:
        """What a reader of the report must know: the layout read and every school left out."""
        s = self.summary
        out = [f"{s['source']}: {s['layout']}, {s['encoding']}, {s['schools']:,} schools"]
        out.append(f"{s['schools_left_out_perturbed']:,} schools left out: {PERTURBED_NOTE}")
        if s["reserve_codes"]:
            codes = "; ".join(f"{k}: {v:,}" for k, v in s["reserve_codes"].items())
            out.append(f"reserve codes read as missing (cells): {codes}")
        out += s.get("notes", [])
        for reason, n in s.get("per_enrolment_left_out", {}).items():
            out.append(f"per-enrolment rates: {n:,} schools left out: {reason}")
        return out


def crdc_files_report(
    path: Path, settings: Settings, *, enrolment: Path | None = None, support: Path | None = None
) -> CrdcReport:
    """Read a CRDC referrals file (and optionally the Enrollment and School Support modules) and report."""
    crdc = load_crdc(path)
    enr = read_enrolment_module(enrolment, crdc.sexes) if enrolment is not None else crdc.enrolment
    sup = read_support_module(support) if support is not None else crdc.officers
    summary = crdc.summary() | {"notes": list(crdc.notes)}
    report = crdc_report(ibis.memtable(crdc.cells), settings).to_pyarrow()
    per_enrolment = None
    if enr is not None:
        eg = enrolment_groups(crdc, enr)
        summary["per_enrolment_left_out"] = eg.left_out
        if not eg.groups.empty:
            per_enrolment = crdc_enrolment_report(ibis.memtable(eg.groups), replace(settings, per=1000)).to_pyarrow()
    officer_table = None
    if sup is not None:
        officer_table = pa.Table.from_pandas(officers_report(sup, crdc), preserve_index=False)
    meta = {b"crdc_summary": json.dumps(summary).encode()}
    report = report.replace_schema_metadata({**(report.schema.metadata or {}), **meta})
    return CrdcReport(report, per_enrolment, officer_table, summary)
