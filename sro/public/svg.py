"""Small horizontal bar charts as static SVG, drawn on the server for the board report (page and PDF).

No JavaScript and no image export library: plain SVG elements with presentation attributes
(no style attributes, so the page's Content-Security-Policy allows it inline).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sro.public.formatting import number


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: withheld
    lo: float | None = None
    hi: float | None = None
    note: str = ""


# A label wraps onto up to LABEL_LINES lines of LABEL_CHARS characters (12 px sans-serif in the 222 px
# label column); a longer one ends in an ellipsis, with the whole label kept in the <title> of its row.
LABEL_CHARS, LABEL_LINES, LINE_H = 32, 3, 14


def _label_lines(text: str) -> list[str]:
    lines = textwrap.wrap(text, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_CHARS - 1].rstrip() + "…"
    return lines


def bar_chart(bars: list[Bar], *, title: str, summary: str, unit: str = "", width: int = 640) -> SafeString:
    """A labelled bar per item with an optional interval whisker; withheld items show their note.

    Long labels wrap (the row grows) instead of running off the left edge of the drawing."""
    label_w, value_w, row_h, top = 230, 120, 26, 8
    plot_w = width - label_w - value_w
    values = [b.hi if b.hi is not None else b.value for b in bars if b.value is not None]
    scale_max = max(values) if values else 1.0
    scale = plot_w / (scale_max or 1.0)
    labels = [_label_lines(b.label) for b in bars]
    heights = [max(row_h, len(lines) * LINE_H + 12) for lines in labels]
    height = top * 2 + (sum(heights) if bars else row_h)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>",
    ]
    y = top
    for b, lines, h in zip(bars, labels, heights, strict=True):
        mid = y + h / 2
        first = mid + 4 - (len(lines) - 1) * LINE_H / 2
        spans = "".join(
            f'<tspan x="{label_w - 8}" y="{first + k * LINE_H:.1f}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end" fill="#1b1f24"><title>{escape(b.label)}</title>{spans}</text>')
        if b.value is None:
            parts.append(f'<text x="{label_w}" y="{mid + 4:.1f}" fill="#57606a">{escape(b.note)}</text>')
            y += h
            continue
        w = max(1.0, b.value * scale)
        bar_h = row_h - 10
        parts.append(f'<rect x="{label_w}" y="{mid - bar_h / 2:.1f}" width="{w:.1f}" height="{bar_h}" fill="#0b5cad"/>')
        if b.lo is not None and b.hi is not None:
            x1, x2 = label_w + b.lo * scale, label_w + b.hi * scale
            parts.append(f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="#1b1f24"/>')
            for x in (x1, x2):
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{mid - 5:.1f}" y2="{mid + 5:.1f}" stroke="#1b1f24"/>'
                )
        text = f"{number(b.value)}{unit}"
        parts.append(f'<text x="{width - value_w + 8}" y="{mid + 4:.1f}" fill="#1b1f24">{escape(text)}</text>')
        y += h
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece is escaped above
