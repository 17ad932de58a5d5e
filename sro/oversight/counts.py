"""Readers for small aggregated files: a counts CSV and an enrolment CSV by school and group."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from sro.oversight.metrics import TOTAL
from sro.oversight.validation import InputError, Problem, progress_open


def _int(value: str, line: int, column: str, problems: list[Problem], *, positive: bool = False) -> int:
    text = value.strip()
    if not re.fullmatch(r"-?\d+", text):
        problems.append(Problem(line, column, f"not a whole number: {value!r}"))
        return 0
    n = int(text)
    if n < 0:
        problems.append(Problem(line, column, f"negative count: {n}"))
    elif positive and n == 0:
        problems.append(Problem(line, column, "enrolment of zero (no denominator)"))
    return n


def read_counts(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """``group,enrolled,<outcome>...``: one row per group, optionally an ``All`` total row.

    Returns the rows (group, enrolled and one integer column per outcome) and the
    outcome names, or raises InputError listing every problem with line and column.
    """
    problems: list[Problem] = []
    rows: list[dict[str, object]] = []
    with progress_open(path, f"Reading {path.name}") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        for need in ("group", "enrolled"):
            if need not in header:
                problems.append(Problem(1, need, "missing column"))
        outcomes = [h for h in header if h not in {"group", "enrolled"}]
        if not outcomes:
            problems.append(Problem(1, "", "no outcome columns after group and enrolled"))
        if problems:
            raise InputError(str(path), problems)
        seen: dict[str, int] = {}
        for line, raw in enumerate(reader, start=2):
            if not any(v.strip() for v in raw):
                continue
            if len(raw) != len(header):
                problems.append(Problem(line, "", f"expected {len(header)} fields, found {len(raw)}"))
                continue
            rec = dict(zip(header, raw, strict=True))
            group = rec["group"].strip()
            if not group:
                problems.append(Problem(line, "group", "empty group name"))
            elif group in seen:
                problems.append(Problem(line, "group", f"{group!r} repeats line {seen[group]}"))
            seen[group] = line
            enrolled = _int(rec["enrolled"], line, "enrolled", problems, positive=True)
            row: dict[str, object] = {"group": group, "enrolled": enrolled}
            for o in outcomes:
                n = _int(rec[o], line, o, problems)
                if n > enrolled > 0:
                    problems.append(Problem(line, o, f"{n} exceeds enrolled {enrolled}"))
                row[o] = n
            rows.append(row)
    if problems:
        raise InputError(str(path), problems)
    if not rows:
        raise InputError(str(path), [Problem(2, "", "no data rows")])
    df = pd.DataFrame(rows)
    if TOTAL in seen:
        total = df[df.group == TOTAL].iloc[0]
        parts = df[df.group != TOTAL]
        for col in ["enrolled", *outcomes]:
            if int(parts[col].sum()) > int(total[col]):
                problems.append(Problem(seen[TOTAL], col, "the groups add up to more than the All row"))
    if problems:
        raise InputError(str(path), problems)
    return df.astype(dict.fromkeys(["enrolled", *outcomes], "int64")), outcomes


def read_enrolment(path: Path) -> pd.DataFrame:
    """``school_code,group,enrolled`` with 14-digit CDS codes and RIPA race labels as groups."""
    problems: list[Problem] = []
    rows: list[tuple[str, str, int]] = []
    with progress_open(path, f"Reading {path.name}") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("school_code", "group", "enrolled") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(str(path), [Problem(1, c, "missing column") for c in missing])
        seen: set[tuple[str, str]] = set()
        for line, rec in enumerate(reader, start=2):
            code, group = (rec["school_code"] or "").strip(), (rec["group"] or "").strip()
            if not re.fullmatch(r"\d{14}", code):
                problems.append(Problem(line, "school_code", f"not a 14-digit CDS code: {code!r}"))
            if not group:
                problems.append(Problem(line, "group", "empty group name"))
            elif group == TOTAL:
                problems.append(Problem(line, "group", "list the groups only; totals are computed"))
            elif (code, group) in seen:
                problems.append(Problem(line, "group", f"{group!r} repeats for school {code}"))
            seen.add((code, group))
            rows.append((code, group, _int(rec["enrolled"] or "", line, "enrolled", problems, positive=True)))
    if problems:
        raise InputError(str(path), problems)
    return pd.DataFrame(rows, columns=["school_code", "group", "enrolled"]).astype({"enrolled": "int64"})
