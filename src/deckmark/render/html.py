"""Card Markdown → HTML for Anki. Raw HTML in notes is shown as text, never executed.

Tokens come from the one shared parser (:mod:`deckmark.markdown`); this module only says how
each kind is shown: math as MathJax ``\\(…\\)``/``\\[…\\]`` exactly as written, callouts,
admonitions, tabs and ``<details>`` as styled blocks with their titles, wikilinks as their text.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from collections.abc import Mapping, Sequence, Set
from functools import cache, lru_cache
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from deckmark.markdown import (
    SAFE_URL_SCHEMES,
    docusaurus_title,
    is_safe_url,
    markdown,
    parse,
    soft_break_text,
)
from deckmark.parse.outline import language_name
from deckmark.render.highlight import highlight_html

__all__ = ["SAFE_URL_SCHEMES", "is_safe_url", "markdown_inline_to_html", "markdown_to_html"]

# The one tag notes commonly use inline; everything else stays escaped text. Code keeps it as text.
_ESCAPED_BR = re.compile(r"&lt;br\s*/?&gt;", re.IGNORECASE)
_CODE = re.compile(r"(<pre\b.*?</pre>|<code>.*?</code>)", re.DOTALL)
_CLOZE_BODY = re.compile(r"(\{\{c\d+::)(.*?)(\}\})", re.DOTALL)
# MathJax takes these environments only at the top level; inside \[…\] their inner forms work.
_DISPLAY_ENVIRONMENTS = re.compile(r"\\(begin|end)\{(align|gather|equation|multline)\*?\}")
_INNER = {"align": "aligned", "gather": "gathered", "equation": "", "multline": "gathered"}

Rule = Any


def _escape(text: str) -> str:
    return htmllib.escape(text, quote=True)


def _as_text(tokens: Sequence[Token], idx: int, *_: Any) -> str:
    return _escape(tokens[idx].content)


def _hashtag(tokens: Sequence[Token], idx: int, *_: Any) -> str:
    return _escape("#" + tokens[idx].content)


def _tex(tex: str) -> str:
    """TeX for MathJax as written: only what HTML needs (``&``, ``<``, ``>``) escaped."""
    return htmllib.escape(tex, quote=False)


def _math_inline(tokens: Sequence[Token], idx: int, *_: Any) -> str:
    return f"\\({_tex(tokens[idx].content)}\\)"


def _display_math(tex: str) -> str:
    def inner(match: re.Match[str]) -> str:
        name = _INNER[match.group(2)]
        return f"\\{match.group(1)}{{{name}}}" if name else ""

    return f"\\[{_tex(_DISPLAY_ENVIRONMENTS.sub(inner, tex.strip()))}\\]"


def _math_block(tokens: Sequence[Token], idx: int, *_: Any) -> str:
    return f'<div class="math">{_display_math(tokens[idx].content)}</div>\n'


def _titled_open(kind: str, type_: str, title_html: str) -> str:
    classes = f"dm-block dm-{kind}" + (f" dm-{type_}" if type_ else "")
    title = f'<div class="dm-title">{title_html}</div>' if title_html else ""
    return f'<div class="{_escape(classes)}">{title}\n'


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with deckmark's rules for the dialects' tokens."""

    def title(self, text: str, options: OptionsDict, env: EnvType) -> str:
        return self.renderInline(markdown().parseInline(text, env)[0].children or [], options, env)

    def callout_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        meta = tokens[idx].meta
        title = meta["title"] or meta["kind"].capitalize()
        return _titled_open("callout", meta["kind"], self.title(title, options, env))

    def admonition_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        tag = str(tokens[idx].meta.get("tag", ""))
        return _titled_open("admonition", tag, "")

    def admonition_title_open(self, *_: Any) -> str:
        return '<div class="dm-title">'

    def admonition_title_close(self, *_: Any) -> str:
        return "</div>\n"

    def container_docusaurus_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        type_, title = docusaurus_title(tokens[idx].info)
        title = title or type_.capitalize()
        return _titled_open("admonition", type_, self.title(title, options, env))

    def tab_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _titled_open("tab", "", self.title(tokens[idx].meta["title"], options, env))

    def details_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        summary = tokens[idx].meta["summary"]
        return _titled_open("details", "", self.title(summary, options, env))

    def block_close(self, *_: Any) -> str:
        return "</div>\n"

    def task_checkbox(self, tokens: Sequence[Token], idx: int, *_: Any) -> str:
        return "☑ " if tokens[idx].meta.get("checked") else "☐ "

    def nothing(self, *_: Any) -> str:
        return ""

    def softbreak(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # Between two CJK characters a line break is no space (a browser would show one).
        return "\n" if soft_break_text(tokens, idx) else ""

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # A link to a packaged image (a linked screenshot) points at the packaged file.
        href = str(tokens[idx].attrs.get("href", ""))
        name = env.get("media", {}).get(href)
        if name and not name.startswith("[sound:"):
            return f'<a href="{_escape(name)}">'
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        alt = self.renderInlineAsText(token.children or [], options, env)
        media: Mapping[str, str] = env.get("media", {})
        name = media.get(src)
        if name is None:
            if re.match(r"^https?://", src, re.IGNORECASE):
                return f'<img src="{_escape(src)}" alt="{_escape(alt)}">'
            return _escape(alt)  # missing or not packaged: warned about when resolved
        if name.startswith("[sound:"):
            return _escape(name)
        width = str(token.meta.get("width", "")) if token.meta else ""
        size = f' width="{_escape(width.split("x")[0])}"' if width else ""
        return f'<img src="{_escape(name)}" alt="{_escape(alt)}"{size}>'


@cache
def _renderer() -> _Renderer:
    renderer = _Renderer()
    # The plugins' own rules (footnotes, definition lists, ...); the defaults stay ours.
    plugin_rules = markdown().renderer.rules  # type: ignore[attr-defined]
    renderer.rules.update({k: v for k, v in plugin_rules.items() if k not in renderer.rules})
    rules: dict[str, Rule] = {
        "html_block": _as_text,
        "html_inline": _as_text,
        "math_inline": _math_inline,
        "math_inline_double": _math_block,
        "math_block": _math_block,
        "math_block_label": _math_block,
        "math_block_eqno": _math_block,
        "amsmath": _math_block,
        "wikilink": _as_text,
        "embed": _as_text,
        "hashtag": _hashtag,
        "front_matter": renderer.nothing,
        "task_checkbox": renderer.task_checkbox,
        "image": renderer.image,
        "link_open": renderer.link_open,
        "callout_open": renderer.callout_open,
        "admonition_open": renderer.admonition_open,
        "admonition_title_open": renderer.admonition_title_open,
        "admonition_title_close": renderer.admonition_title_close,
        "container_docusaurus_open": renderer.container_docusaurus_open,
        "tab_open": renderer.tab_open,
        "details_open": renderer.details_open,
    }
    for close in ("callout", "admonition", "container_docusaurus", "tab", "details"):
        rules[f"{close}_close"] = renderer.block_close
    renderer.rules.update(rules)
    return renderer


def _highlight(code: str, lang: str, _attrs: str) -> str:
    # markdown-it passes the info string's first word unescaped: only a plain name reaches HTML.
    return highlight_html(code.rstrip("\n"), language_name(lang))


@cache
def _options() -> OptionsDict:
    options = OptionsDict(dict(markdown().options))  # type: ignore[arg-type]
    options["highlight"] = _highlight
    return options


def markdown_to_html(
    markdown_text: str, *, literal_cloze_text: bool = False, media: Mapping[str, str] | None = None
) -> str:
    """Render card Markdown (cloze markers pass through untouched) to an HTML fragment.

    ``literal_cloze_text``: the hidden text of each deletion is the user's text, not Anki
    syntax, so a ``::`` in it (``std::vector``) must not become a cloze hint.
    ``media``: image or audio reference as written → packaged file name (or ``[sound:…]``);
    references not in it show their alt text (remote ``http(s)`` images stay links).
    """
    if media:
        return _render(markdown_text, literal_cloze_text, media)
    return _render_cached(markdown_text, literal_cloze_text)


_RENDERED: dict[tuple[str, bool], str] = {}
"""(Markdown, literal cloze text) → HTML of every field rendered in this process: cards repeat
fields (a code block on three cards), the blank-side check and the .apkg exporter render the
same cloze fronts, and a rebuild starts from the last build's renders (build cache)."""
_MAX_RENDERED = 1 << 20
"""About 400 bytes an entry: some 40 MB for 100,000 notes. A deck of 20,000 sections (80,000
cloze fronts) must fit whole: its exporter comes back to each front after all the others."""


def _render_cached(markdown_text: str, literal_cloze_text: bool) -> str:
    key = (markdown_text, literal_cloze_text)
    html = _RENDERED.get(key)
    if html is None:
        if len(_RENDERED) >= _MAX_RENDERED:
            _RENDERED.clear()  # a long watch session: start again rather than grow
        html = _RENDERED[key] = _render(markdown_text, literal_cloze_text, {})
    return html


def field_renders(fields: Set[str]) -> dict[tuple[str, bool], str]:
    """The renders of these fields' Markdown made or known in this process (for the cache)."""
    return {key: html for key, html in _RENDERED.items() if key[0] in fields}


def remember_field_renders(renders: Mapping[tuple[str, bool], str]) -> None:
    """Take renders an earlier build made (same deckmark: the build cache's keys say so)."""
    _RENDERED.update(renders)


def _render(markdown_text: str, literal_cloze_text: bool, media: Mapping[str, str]) -> str:
    env: dict[str, Any] = {"media": media}
    html = _renderer().render(parse(markdown_text, env), _options(), env).strip()
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


@lru_cache(maxsize=4096)
def markdown_inline_to_html(markdown_text: str) -> str:
    """Render one line of Markdown (a heading, a context line) without block markup."""
    env: dict[str, Any] = {}
    tokens = markdown().parseInline(markdown_text, env)
    return _renderer().renderInline(tokens[0].children or [], _options(), env)


_EMPHASIS_ONLY = re.compile(r"(\*\*|__|\*|_|==)[A-Za-z0-9][A-Za-z0-9 ]*\1")
_CODE_SPAN_ONLY = re.compile(r"`([^`\n\r\x00]+)`")


def shows_something(markdown_text: str, media: Mapping[str, str] | None = None) -> bool:
    """Whether the Markdown, rendered for Anki, shows anything: visible text or an image.

    ``media`` as for :func:`markdown_to_html`: an image that is not packaged shows its alt text,
    which may be empty. ``<br>``, empty emphasis, spaces and invisible characters (zero-width,
    word joiner) do not count.
    """
    # The shapes of most deletions, answered without rendering them (a cloze card has two).
    if markdown_text[:1].isascii() and markdown_text[:1].isalpha():
        return True  # no Markdown construct starts with a letter: it shows as text
    if _EMPHASIS_ONLY.fullmatch(markdown_text):
        return True  # letters and digits, emphasised or not
    if code := _CODE_SPAN_ONLY.fullmatch(markdown_text):
        return _visible(code.group(1))  # a code span shows what it holds, as written
    return shows_when_rendered(markdown_text, media)


def shows_when_rendered(markdown_text: str, media: Mapping[str, str] | None = None) -> bool:
    """:func:`shows_something`, found by rendering the Markdown."""
    rendered = markdown_to_html(markdown_text, media=media)
    if "<img" in rendered:
        return True
    return _visible(htmllib.unescape(re.sub(r"<[^>]*>", "", rendered)))


def _visible(text: str) -> bool:
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in text)
