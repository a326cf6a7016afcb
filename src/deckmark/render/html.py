"""Card Markdown → HTML for Anki. Raw HTML in notes is shown as text, never executed."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from deckmark.render.highlight import highlight_html

# The one tag notes commonly use inline; everything else stays escaped text.
_ESCAPED_BR = re.compile(r"&lt;br\s*/?&gt;", re.IGNORECASE)


@cache
def _markdown() -> MarkdownIt:
    # html=False: <script>, event handlers, iframes... arrive as visible text, not markup.
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")
    return md


def _highlight(code: str, lang: str, _attrs: str) -> str:
    return highlight_html(code.rstrip("\n"), lang.lower())


def markdown_to_html(markdown: str) -> str:
    """Render card Markdown (cloze markers pass through untouched) to an HTML fragment."""
    html = _markdown().render(markdown).strip()
    html = _ESCAPED_BR.sub("<br>", html)
    # A single paragraph needs no <p> margins on a card.
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
