"""Small horizontal bar charts as static SVG, drawn on the server for the board report (page and PDF).

No JavaScript and no image export library: plain SVG elements with presentation attributes
(no style attributes, so the page's Content-Security-Policy allows it inline).
"""

from __future__ import annotations

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


def bar_chart(bars: list[Bar], *, title: str, summary: str, unit: str = "", width: int = 640) -> SafeString:
    """A labelled bar per item with an optional interval whisker; withheld items show their note."""
    label_w, value_w, row_h, top = 230, 120, 26, 8
    plot_w = width - label_w - value_w
    values = [b.hi if b.hi is not None else b.value for b in bars if b.value is not None]
    scale_max = max(values) if values else 1.0
    scale = plot_w / (scale_max or 1.0)
    height = top * 2 + row_h * max(1, len(bars))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>",
    ]
    for i, b in enumerate(bars):
        y = top + i * row_h
        mid = y + row_h / 2
        parts.append(
            f'<text x="{label_w - 8}" y="{mid + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(b.label)}</text>'
        )
        if b.value is None:
            parts.append(f'<text x="{label_w}" y="{mid + 4:.1f}" fill="#57606a">{escape(b.note)}</text>')
            continue
        w = max(1.0, b.value * scale)
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="#0b5cad"/>')
        if b.lo is not None and b.hi is not None:
            x1, x2 = label_w + b.lo * scale, label_w + b.hi * scale
            parts.append(f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="#1b1f24"/>')
            for x in (x1, x2):
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{mid - 5:.1f}" y2="{mid + 5:.1f}" stroke="#1b1f24"/>'
                )
        text = f"{number(b.value)}{unit}"
        parts.append(f'<text x="{width - value_w + 8}" y="{mid + 4:.1f}" fill="#1b1f24">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece is escaped above
