"""CRDC school-level files: referrals to law enforcement and school-related arrests.

Reads the ``SCH_DISCWODIS_{REF,ARR}_{race}_{sex}``, ``SCH_DISCWDIS_{REF,ARR}_IDEA_{race}_{sex}``
and ``SCH_DISCWDIS_{REF,ARR}_504_{sex}`` families keyed by ``COMBOKEY``. Negative values
are CRDC reserve codes and are read as missing, never as numbers.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pandas as pd

from sro.oversight.metrics import Col, Settings, disparity, untyped, window
from sro.oversight.validation import InputError, Problem, progress_open

RACES = {"HI": "Hispanic", "AM": "American Indian/Alaska Native", "AS": "Asian",
         "HP": "Native Hawaiian/Pacific Islander", "BL": "Black", "WH": "White", "TR": "Two or more races"}  # fmt: skip
SEXES = {"M": "Male", "F": "Female", "X": "Nonbinary"}
KEYS = ("COMBOKEY", "LEAID", "LEA_STATE")
OPTIONAL = ("LEA_NAME", "SCH_NAME", "SCH_FTESECURITY_LEO")


def cell_columns(sexes: tuple[str, ...] = ("M", "F")) -> list[tuple[str, str, str, str, str]]:
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
        cells.append((f"SCH_DISCWDIS_REF_504_{sex}", f"SCH_DISCWDIS_ARR_504_{sex}", "Section 504", "", sex))
    return cells


def read_crdc(path: Path) -> pd.DataFrame:
    """Long rows: COMBOKEY, LEAID, LEA_STATE, category, race, sex, referrals, arrests (nullable)."""
    with progress_open(path, f"Reading {path.name}") as fh:
        header = pd.read_csv(fh, nrows=0).columns
        sexes = ("M", "F", "X") if "SCH_DISCWODIS_REF_HI_X" in header else ("M", "F")
        cells = cell_columns(sexes)
        needed = [*KEYS, *(c for cell in cells for c in cell[:2])]
        missing = [c for c in needed if c not in header]
        if missing:
            raise InputError(str(path), [Problem(1, c, "missing column") for c in missing])
        fh.seek(0)
        usecols = needed + [c for c in OPTIONAL if c in header]
        raw = pd.read_csv(fh, usecols=usecols, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    values: dict[str, pd.Series] = {}
    for col in (c for cell in cells for c in cell[:2]):
        text = raw[col].str.strip()
        num = pd.to_numeric(text, errors="coerce")
        bad = num.isna() & (text != "") | (num.notna() & (num != np.floor(num.fillna(0))))
        problems += [Problem(int(i) + 2, col, f"not a whole number: {text[i]!r}") for i in raw.index[bad]]
        values[col] = num.where(num >= 0).astype("Int64")  # reserve codes (negative) -> missing
    for ref, arr, *_ in cells:
        over = (values[arr] > values[ref]).fillna(False)
        problems += [
            Problem(int(i) + 2, arr, f"arrests {values[arr][i]} exceed referrals {values[ref][i]} ({ref})")
            for i in raw.index[over.to_numpy(dtype=bool)]
        ]
    for key in ("COMBOKEY", "LEAID"):
        problems += [Problem(int(i) + 2, key, "empty") for i in raw.index[raw[key].str.strip() == ""]]
    if problems:
        problems.sort(key=lambda p: (p.line, p.column))
        raise InputError(str(path), problems)
    frames = [
        pd.DataFrame({**{k: raw[k] for k in KEYS}, "category": cat, "race": race, "sex": sex,
                      "referrals": values[ref], "arrests": values[arr]})
        for ref, arr, cat, race, sex in cells
    ]  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def officers(path: Path) -> pd.DataFrame:
    """FTE sworn law enforcement officers per school (reserve codes read as missing)."""
    raw = pd.read_csv(path, usecols=["COMBOKEY", "SCH_FTESECURITY_LEO"], dtype=str, keep_default_na=False)
    fte = pd.to_numeric(raw["SCH_FTESECURITY_LEO"], errors="coerce")
    return pd.DataFrame({"COMBOKEY": raw["COMBOKEY"], "leo_fte": fte.where(fte >= 0)})


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


def crdc_report(long: ibis.Table, settings: Settings) -> ibis.Table:
    """Referral counts and arrests per 100 referrals by group, per school, district and state.

    ``outcome = referrals`` rows give each group's share of all referrals (per
    ``settings.per``); ``outcome = arrests`` rows give arrests per referral, with
    the risk ratio against all other referred students (an OJJDP-style stage ratio).
    """
    levels = {"school": long.COMBOKEY, "district": long.LEAID, "state": long.LEA_STATE}
    g = ibis.union(*(_groups(long, lvl, k) for lvl, k in levels.items()), distinct=False)
    w = window(group_by=["level", "key", "dimension"])
    counts = ibis.union(
        g.select("level", "key", "dimension", "group", outcome=ibis.literal("referrals"),
                 count=g.referrals.cast("int64"), denominator=g.referrals.sum().over(w).cast("int64")),
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
