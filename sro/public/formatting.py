"""Numbers, money, periods and withheld cells, formatted for the reader's language.

Numbers and money read the US way in English and in Spanish ("1,234.5", "$176,000.00"): the
Spanish format module (config/formats/es/formats.py) sets the separators; dates stay Spanish.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from sro.public.figures import FigureRow, Period
from sro.public.labels import WITHHELD, label


def number(value: float | int | Decimal | None, places: int = 1) -> str:
    """`value` rounded half away from zero to `places` decimals, grouped ("1,234.6").

    Django's number_format cuts the digits after `places` off (1.26 -> "1.2"), so the value is
    rounded here first, through its shortest decimal form (2.675 reads "2.68", as written).
    """
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)


def money(value: Decimal | None, places: int = 0) -> str:
    return "—" if value is None else f"${number(value, places)}"


def interval(lo: float | None, hi: float | None, places: int = 1) -> str:
    if lo is None or hi is None:
        return ""
    return _("%(lo)s to %(hi)s") % {"lo": number(lo, places), "hi": number(hi, places)}


def period_label(period: Period) -> str:
    if "Q" in period.key and ".." not in period.key:
        text = _("Q%(quarter)s %(year)s") % {"quarter": period.quarter, "year": period.start.year}
    else:
        text = _("%(start)s to %(end)s") % {
            "start": formats.date_format(period.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(period.end, "SHORT_DATE_FORMAT"),
        }
    if not period.partial:
        return text
    return _("%(period)s (in progress)") % {"period": text}


def withheld(row: FigureRow) -> str:
    return label(WITHHELD, row.reason, row.reason)


def cell(row: FigureRow | None) -> dict[str, str]:
    """What a table cell shows for one figure: count, rate and interval, or why it is withheld."""
    if row is None:
        return {"count": "—", "rate": "", "ci": "", "withheld": ""}
    if row.suppressed:
        return {"count": "", "rate": "", "ci": "", "withheld": withheld(row)}
    return {
        "count": number(row.count, 0),
        "rate": number(row.rate, 1),
        "ci": interval(row.rate_lo, row.rate_hi),
        "rr": number(row.rr, 2) if row.rr is not None else "",
        "rr_ci": interval(row.rr_lo, row.rr_hi, 2),
        "withheld": "",
    }
