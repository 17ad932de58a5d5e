"""Personal data in free text: the check run on narrative fields before they are saved.

A narrative (the emergency note, the 625.6(c) note) is read by reviewers, the agency and, in
aggregate, the public; it should say what happened, not who the student is. Before saving, the
text is checked for:

- **names** of students: the names the caller knows (the students of the linked incident and of
  the campus's recent incidents), and capitalised words after a word that introduces a person
  ("student", "named", "juvenile", "Mr." ...);
- **phone numbers**: numbers the `phonenumbers` library (Google's libphonenumber rules) finds
  valid for the US, and a seven-digit number after a phone word ("cell", "call", "text" ...);
  "Room 555-1212" is a room, not a phone;
- **street addresses**: a house number, up to three capitalised words and a street type
  ("1801 E Ramon Rd", "450 Sunrise Way");
- **student ids**: the district's id pattern (the setting `SRO_STUDENT_ID_PATTERN`);
- **dates of birth**: a date after "DOB", "date of birth", "born" or "birthday".

These are the project's own recognisers, not a model: Microsoft Presidio's analyzer finds names
with a spaCy language model (its getting-started guide installs `en_core_web_lg` with
`python -m spacy download`), which would have to be downloaded and would not run in the officer's
browser, and the check must run there too, offline.
The same rules are given to the browser as JSON (`client_rules`), so the page warns before it is
sent and the server, the authority, checks again. What they miss: a name with no introducing word
that is not a known student's, a nickname, an address without a house number. What they flag
wrongly: a capitalised word after "student" that is not a name ("student Council"), a long
number that is not an id. The officer sees each match and redacts it or confirms the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _

REDACTED = "[REDACTED]"

NAME, PHONE, ADDRESS, STUDENT_ID, BIRTH_DATE = "name", "phone", "address", "student_id", "birth_date"
KIND_LABELS = {
    NAME: _("a name"),
    PHONE: _("a phone number"),
    ADDRESS: _("a street address"),
    STUDENT_ID: _("a student id"),
    BIRTH_DATE: _("a date of birth"),
}

# Each pattern is written in the syntax Python's `re` and JavaScript's RegExp share (no inline
# flags, no named groups, ASCII classes), so the browser runs the same rule. `group` is the part
# of the match that is personal data (0: all of it).
_CAP = r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?"
_INTRO = (
    r"\b(?:[Ss]tudents?|[Nn]amed|[Cc]alled|[Jj]uvenile|[Mm]inor|[Pp]upil|[Ss]uspect|[Vv]ictim|[Ww]itness|"
    r"[Bb]oy|[Gg]irl|[Bb]rother|[Ss]ister|[Mm]other|[Ff]ather|[Pp]arent|[Gg]uardian|Mr\.?|Mrs\.?|Ms\.?|Miss)"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH} \d{{4}})"
)
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Way|Court|Ct|Circle|Cir|Place|Pl|"
    "Trail|Trl|Parkway|Pkwy|Highway|Hwy|Terrace|Ter|Canyon|Cyn"
)
PATTERNS: list[tuple[str, str, int]] = [
    (BIRTH_DATE, rf"\b(?:DOB|D\.O\.B\.?|[Dd]ate of [Bb]irth|[Bb]orn(?: on)?|[Bb]irthday)[:\s]*({_DATE})", 1),
    (
        ADDRESS,
        rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:(?:{_CAP}|\d+(?:st|nd|rd|th))\s+){{1,3}}(?:{_STREET_TYPES})\b",
        0,
    ),
    (NAME, rf"{_INTRO}\s+(?!(?:Mr|Mrs|Ms|Miss|Dr)\b)({_CAP}(?:\s+{_CAP})?)", 1),
    # A seven-digit local number counts only after a phone word: "Room 555-1212" is a room.
    (
        PHONE,
        r"\b(?:[Cc]ell|[Pp]hone|[Cc]all|[Tt]ext|[Nn]umber|[Tt]el|#)[:\s]*(?:is\s+|at\s+)?([2-9]\d{2}[-. ]\d{4})\b",
        1,
    ),
]
# The browser's stand-in for `phonenumbers`: a ten-digit North American number.
CLIENT_PHONE = r"(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)|\b[2-9]\d{2})[\s.-]?[2-9]\d{2}[\s.-]?\d{4}\b"
DEFAULT_STUDENT_ID_PATTERN = r"\b\d{6,10}\b"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def student_id_pattern() -> str:
    return str(getattr(settings, "SRO_STUDENT_ID_PATTERN", "") or DEFAULT_STUDENT_ID_PATTERN)


def _phones(text: str) -> list[Finding]:
    out = []
    for m in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID):
        out.append(Finding(PHONE, m.start, m.end, m.raw_string))
    return out


def _known_names(text: str, names: Iterable[str]) -> list[Finding]:
    out = []
    for name in {" ".join(n.split()) for n in names if len(n.strip()) >= 3}:
        words = [re.escape(w) for w in name.split()]
        pattern = r"\b" + r"\s+".join(words) + r"\b"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            out.append(Finding(NAME, m.start(), m.end(), m.group(0)))
    return out


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Every stretch of `text` that looks like personal data, in order, without overlaps (the
    earlier-listed kind wins an overlap: a known name, a phone number, then the patterns)."""
    if not text.strip():
        return []
    found = _known_names(text, names) + _phones(text)
    for kind, pattern, group in [*PATTERNS, (STUDENT_ID, student_id_pattern(), 0)]:
        for m in re.finditer(pattern, text, flags=re.ASCII):
            found.append(Finding(kind, m.start(group), m.end(group), m.group(group)))
    kept: list[Finding] = []
    for f in found:  # in priority order; a later finding overlapping a kept one is dropped
        if not any(f.start < k.end and k.start < f.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def redact(text: str, findings: Iterable[Finding]) -> str:
    """`text` with each finding replaced by [REDACTED]."""
    out, last = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < last:
            continue
        out += [text[last : f.start], REDACTED]
        last = f.end
    out.append(text[last:])
    return "".join(out)


def describe(findings: Iterable[Finding]) -> str:
    """The findings in words, for a warning: `a phone number ("760-555-0134"), a name ("Maria")`."""
    return ", ".join(f"{f.label} (“{f.text}”)" for f in findings)


def client_rules() -> dict[str, Any]:
    """The rules for the browser (the same patterns; a ten-digit pattern stands in for phonenumbers)."""
    rules = [{"kind": PHONE, "pattern": CLIENT_PHONE, "group": 0}]
    rules += [{"kind": k, "pattern": p, "group": g} for k, p, g in PATTERNS]
    rules.append({"kind": STUDENT_ID, "pattern": student_id_pattern(), "group": 0})
    return {"redacted": REDACTED, "labels": {k: str(v) for k, v in KIND_LABELS.items()}, "rules": rules}
