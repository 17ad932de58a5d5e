"""The board report's bar charts keep every label inside the drawing."""

from __future__ import annotations

import re

from sro.public.svg import LABEL_CHARS, Bar, bar_chart

LONG = "Students with disabilities (IDEA or Section 504) who are also English learners"


def _lines(svg: str) -> list[str]:
    return re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)


def _height(svg: str) -> int:
    found = re.search(r'height="(\d+)"', svg)
    assert found is not None
    return int(found[1])


def test_a_long_label_wraps_onto_lines_that_fit_the_label_column() -> None:
    svg = bar_chart([Bar(LONG, 12.0), Bar("White", 3.0)], title="t", summary="s")
    lines = _lines(svg)
    assert len(lines) == 4  # three for the long label, one for "White"
    assert all(len(line) <= LABEL_CHARS for line in lines)
    assert "".join(lines[:3]).replace(" ", "") in LONG.replace(" ", "")
    assert f"<title>{LONG}</title>" in svg  # the whole label stays readable as the row's title


def test_a_wrapped_label_makes_its_row_taller_and_the_drawing_with_it() -> None:
    short = bar_chart([Bar("Asian", 1.0), Bar("White", 2.0)], title="t", summary="s")
    long = bar_chart([Bar(LONG, 1.0), Bar("White", 2.0)], title="t", summary="s")
    assert _height(long) > _height(short)


def test_a_label_longer_than_three_lines_ends_in_an_ellipsis() -> None:
    svg = bar_chart([Bar(LONG * 2, None, note="withheld")], title="t", summary="s")
    lines = _lines(svg)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
