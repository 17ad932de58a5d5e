"""Checks for California CDS codes (County-District-School, 14 digits)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

SCHOOL_PART_OF_DISTRICT = "0000000"


def cds_problem(code: str) -> str | None:
    """Why `code` is not a valid 14-digit CDS code, or None when it is."""
    if not code:
        return "is required"
    if not code.isdigit():
        return f"'{code}' must contain digits only"
    if len(code) != 14:
        return f"'{code}' must be 14 digits (2 county, 5 district, 7 school); it has {len(code)}"
    county = int(code[:2])
    if not 1 <= county <= 58:
        return f"'{code}' starts with county code {code[:2]}; California county codes run 01-58"
    return None


def validate_cds_code(value: str) -> None:
    problem = cds_problem(value)
    if problem:
        raise ValidationError(f"CDS code {problem}.", code="invalid_cds")


def validate_school_cds_code(value: str) -> None:
    validate_cds_code(value)
    if value[7:] == SCHOOL_PART_OF_DISTRICT:
        raise ValidationError(
            "CDS code ends in 0000000, which identifies a district, not a school.",
            code="district_code",
        )


def validate_district_code(value: str) -> None:
    if not (value.isdigit() and len(value) == 7):
        raise ValidationError(
            f"District code '{value}' must be 7 digits (2 county + 5 district), e.g. 3367173.",
            code="invalid_district_code",
        )
    if not 1 <= int(value[:2]) <= 58:
        raise ValidationError(f"District code '{value}' has no California county code 01-58.")
