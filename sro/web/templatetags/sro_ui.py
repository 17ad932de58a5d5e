"""Template tags shared by the staff pages and the public site.

`{% load sro_ui %}`, then:

- `{% in_reader_language item "title" %}`: a bilingual record's text in the reader's language. The
  record holds the English text in `title` and the Spanish in `title_es`; where the Spanish is
  empty, a Spanish reader sees the English text marked `lang="en"` and labelled "(in English)".
- `{{ item|reader_text:"title" }}`: the same text with no markup or label, for a page title.
- `{% scrolltable _("Training status by officer") %}<table>…</table>{% endscrolltable %}`: a data
  table in a keyboard-focusable region that scrolls sideways when the table is wider than the
  screen, with a "Scroll sideways" hint and a shadow at the edge that has more (web/site.css).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()

ENGLISH = "en"


def _reader_language() -> str:
    return (get_language() or ENGLISH).split("-")[0]


def _texts(obj: Any, field: str) -> tuple[str, str]:
    """(text in the reader's language or "", the English text)."""
    english = str(getattr(obj, field, "") or "")
    lang = _reader_language()
    if lang == ENGLISH:
        return english, english
    return str(getattr(obj, f"{field}_{lang}", "") or ""), english


@register.simple_tag
def in_reader_language(obj: Any, field: str) -> SafeString:
    """The field in the reader's language; else the English text, marked and labelled as English."""
    translated, english = _texts(obj, field)
    if translated or not english:
        return conditional_escape(translated)
    return format_html(
        '<span lang="en">{}</span> <span class="lang-fallback">{}</span>', english, gettext("(in English)")
    )


@register.filter
def reader_text(obj: Any, field: str) -> str:
    """The field in the reader's language, else in English; plain text (for a page's title)."""
    translated, english = _texts(obj, field)
    return translated or english


class ScrollTableNode(template.Node):
    def __init__(self, nodelist: NodeList, label: FilterExpression) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: template.Context) -> SafeString:
        return format_html(
            '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">'
            '<p class="table-scroll-hint">{}</p>{}</div>',
            self.label.resolve(context),
            gettext("Scroll sideways to see the whole table"),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 (the template's own output, already escaped)
        )


@register.tag
def scrolltable(parser: Parser, token: Token) -> ScrollTableNode:
    """`{% scrolltable label %}…{% endscrolltable %}`; the label names the region for screen readers."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scrolltable takes one argument: the table's label")
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, parser.compile_filter(bits[1]))
