"""Card Markdown → HTML for Anki. Raw HTML in notes is shown as text, never executed."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from deckmark.parse.outline import language_name
from deckmark.render.highlight import highlight_html

# The one tag notes commonly use inline; everything else stays escaped text. Code keeps it as text.
_ESCAPED_BR = re.compile(r"&lt;br\s*/?&gt;", re.IGNORECASE)
_CODE = re.compile(r"(<pre\b.*?</pre>|<code>.*?</code>)", re.DOTALL)
_CLOZE_BODY = re.compile(r"(\{\{c\d+::)(.*?)(\}\})", re.DOTALL)
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
SAFE_URL_SCHEMES = frozenset({"http", "https"})
"""Links and images may point to the web or, without a scheme, to the deck's own media."""


def is_safe_url(url: str) -> bool:
    """http(s) or a relative reference: never javascript:, data:, file:, vbscript:, ..."""
    scheme = _URL_SCHEME.match(url.strip())
    return scheme is None or scheme.group(1).lower() in SAFE_URL_SCHEMES


@cache
def _markdown() -> MarkdownIt:
    # html=False: <script>, event handlers, iframes... arrive as visible text, not markup.
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")
    # markdown-it leaves a link it refuses as text; its own check allows data:image and mailto.
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    return md


def _highlight(code: str, lang: str, _attrs: str) -> str:
    # markdown-it passes the info string's first word unescaped: only a plain name reaches HTML.
    return highlight_html(code.rstrip("\n"), language_name(lang))


def markdown_to_html(markdown: str, *, literal_cloze_text: bool = False) -> str:
    """Render card Markdown (cloze markers pass through untouched) to an HTML fragment.

    ``literal_cloze_text``: the hidden text of each deletion is the user's text, not Anki
    syntax, so a ``::`` in it (``std::vector``) must not become a cloze hint.
    """
    html = _markdown().render(markdown).strip()
    html = "".join(
        part if _CODE.fullmatch(part) else _ESCAPED_BR.sub("<br>", part)
        for part in _CODE.split(html)
    )
    if literal_cloze_text:
        html = _CLOZE_BODY.sub(
            lambda m: m.group(1) + m.group(2).replace("::", ":&#58;") + m.group(3), html
        )
    # A single paragraph needs no <p> margins on a card.
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def markdown_inline_to_html(markdown: str) -> str:
    """Render one line of Markdown (a heading, a context line) without block markup."""
    html: str = _markdown().renderInline(markdown)
    return html
