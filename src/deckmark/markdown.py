"""The one configured markdown-it instance: the only place that knows Markdown dialects.

The outline parser (notes → sections and blocks) and every renderer (HTML for Anki, Typst data
for the PDFs, plain text) call :func:`parse`, so what the parser reads and what a card shows
never disagree. Dialects are markdown-it plugins: mdit-py-plugins where a maintained one exists,
and small ones here for the rest (Obsidian callouts, highlights, comments, block ids, wikilinks
and embeds, tags; ``<details>``; MkDocs content tabs; abbreviation definitions).

Token types beyond CommonMark + tables that consumers meet (``meta`` keys in brackets):

- ``front_matter`` (front_matter plugin; ``content`` is the YAML text)
- ``math_inline`` / ``math_block`` (``content`` is the TeX as written; from ``$…$``,
  ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``, ```` ```math ```` fences and ``\\begin{…}`` environments)
- ``callout_open``/``_close`` [kind, title, fold] from ``> [!type] Title``;
  ``admonition_open``/``_close`` (MkDocs ``!!!``/``???``, admon plugin: meta ``tag``, then an
  ``admonition_title`` paragraph); ``container_docusaurus_open``/``_close`` (``:::type Title``,
  ``info`` holds ``type Title``); ``tab_open``/``_close`` [title] (MkDocs ``=== "Tab"``);
  ``details_open``/``_close`` [summary] (HTML ``<details><summary>``, body parsed as Markdown)
- ``dl_open``, ``dt_open``, ``dd_open`` (deflist); ``footnote_ref`` and the footnote block
- ``mark_open``/``_close`` (``==x==``); ``wikilink`` [target, heading, label] (``[[Note|x]]``);
  ``embed`` [target, heading] (``![[Note#Heading]]``); ``image`` also for ``![[x.png|300]]``
  [wiki, width]; ``hashtag`` (``#tag``; ``content`` is the tag)
- ``s_open`` (strikethrough); ``task_checkbox`` [checked] first in a task list item.
- inline HTML that only formats arrives as Markdown tokens (``<b>`` → ``strong_open``,
  ``<code>…</code>`` → ``code_inline``, ``<br>`` → ``hardbreak``, ``<a href>`` → ``link_open``,
  ``<img>`` → ``image``); other HTML stays ``html_inline``/``html_block`` (shown as text).

API: :func:`parse` (tokens; pass ``env`` to get footnotes, references, abbreviations) and
:func:`markdown` (the instance, for its renderer's plugin rules) are all most callers need;
the helpers below say in one place how card text is written (:func:`join_lines`,
:func:`normalise_inline`, :func:`inline_references`), found (:func:`image_sources`) and
shown (:func:`soft_break_text`, :func:`docusaurus_title`, :func:`is_safe_url`).

Dropped while parsing, so no consumer can show them: ``%%comments%%``, ``^block-ids``,
``*[ABBR]: …`` definitions (kept in ``env["abbreviations"]``), attribute lists ``{: #id}``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt, rules_core
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_cjk_friendly import cjk_friendly, is_cjk
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from mdit_py_plugins.texmath import texmath_plugin

__all__ = [
    "AUDIO_EXTENSIONS",
    "IMAGE_EXTENSIONS",
    "MAX_NESTING",
    "SAFE_URL_SCHEMES",
    "docusaurus_title",
    "image_sources",
    "images_only_html",
    "inline_references",
    "is_cjk",
    "is_safe_url",
    "join_lines",
    "markdown",
    "normalise_inline",
    "parse",
    "soft_break_text",
    "unread_content",
]

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"})
AUDIO_EXTENSIONS = frozenset({".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac", ".opus"})

_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
SAFE_URL_SCHEMES = frozenset({"http", "https"})
"""Links and images may point to the web or, without a scheme, to the deck's own media."""


def is_safe_url(url: str) -> bool:
    """http(s) or a relative reference: never javascript:, data:, file:, vbscript:, ..."""
    scheme = _URL_SCHEME.match(url.strip())
    return scheme is None or scheme.group(1).lower() in SAFE_URL_SCHEMES


MAX_NESTING = 100
"""Block nesting markdown-it reads (a list level takes two): CommonMark's preset stops at 20,
which loses the 10th level of a nested list without a word."""


def unread_content(tokens: list[Token], text: str) -> list[tuple[int, str]]:
    """(0-based line, problem) for content markdown-it could not read as the author meant:
    containers nested past :data:`MAX_NESTING` (their content is skipped) and code fences that
    are never closed (the rest of their container became code)."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    for token in tokens:
        if token.map is None:
            continue
        start, end = token.map
        if token.nesting == 1 and token.level + 1 >= MAX_NESTING:
            found.append(
                (
                    start,
                    f"nested too deep to read (over {MAX_NESTING // 2} list or {MAX_NESTING} "
                    "quote levels): what is inside is left out; flatten it",
                )
            )
            break  # everything below is cut at the same depth
        if token.type == "fence" and not _closes_fence(token.markup, lines[start + 1 : end]):
            found.append(
                (
                    start,
                    "code fence is never closed: everything after it became code; "
                    f"close it with {token.markup}",
                )
            )
    return found


def _closes_fence(markup: str, body: list[str]) -> bool:
    if not body:
        return False
    closing = body[-1].lstrip(" \t>")
    return closing.startswith(markup) and not closing.strip(markup[0] + " \t")


@cache
def markdown() -> MarkdownIt:
    """The configured parser (shared, do not add rules to it from elsewhere).

    ``html`` is on so that ``<details>`` and HTML blocks are seen as what they are; renderers
    decide how HTML tokens are shown (deckmark's show them as text).
    """
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # markdown-it leaves a link it refuses as text; its own check allows data:image and mailto.
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.use(front_matter_plugin)
    # Currency ("$5 and $10") is not math: no space inside the dollars, no digit after them.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.inline.ruler.at("math_inline", _math_inline_dollar)
    md.use(texmath_plugin, delimiters="brackets")
    md.use(amsmath_plugin)
    md.use(deflist_plugin)
    md.use(footnote_plugin)
    md.use(attrs_plugin)
    md.use(admon_plugin)
    md.use(container_plugin, "docusaurus", validate=_docusaurus_type)
    md.use(tasklists_plugin)
    md.use(cjk_friendly)
    md.block.ruler.before("fence", "comment_block", _comment_block, {"alt": ["paragraph"]})
    md.block.ruler.before("html_block", "details", _details, {"alt": ["paragraph"]})
    md.block.ruler.before("fence", "tab", _tab, {"alt": ["paragraph"]})
    md.block.ruler.before("reference", "abbreviation", _abbreviation, {"alt": ["paragraph"]})
    md.inline.ruler.before("emphasis", "mark", _mark)
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.at("text", _text)
    md.inline.ruler.after("text", "comment_inline", _comment_inline)
    md.inline.ruler.after("comment_inline", "hashtag", _hashtag)
    md.core.ruler.before("inline", "dialect_blocks", _dialect_blocks)
    md.core.ruler.after("block", "math_fence", _math_fence)
    md.core.ruler.push("task_checkbox", _task_checkbox)
    md.core.ruler.push("inline_code_language", _inline_code_language)
    md.core.ruler.push("html_markup", _html_markup)
    return md


_BLOCK_START = re.compile(r"[\s#>*+\-=_`~<$\\%\[!?:|^]|\d{1,9}[.)]")
"""What a line may start with to open a block other than a paragraph, in any of our dialects
(headings, quotes and callouts, lists, rules, fences, HTML and ``<details>``, math, comments,
references and footnotes, admonitions and containers, tabs, abbreviations, block ids)."""


def parse(
    text: str, env: dict[str, Any] | None = None, *, inline: Callable[[str], object] | None = None
) -> list[Token]:
    """Tokens of ``text`` (``env`` collects footnotes and abbreviations if given).

    ``inline``: which inline tokens, by their content, the caller reads the children of; the
    others are left without children (their inline parse is most of the time of a whole
    note's parse). Nothing else changes: the block tokens, and the definitions ``env``
    collects, are those of a full parse.
    """
    env = env if env is not None else {}
    if inline is not None:
        return _parse_inline_where(text, env, inline)
    if _only_a_paragraph(text):
        return _paragraph(text, env)
    return markdown().parse(text, env)


def _parse_inline_where(
    text: str, env: dict[str, Any], wanted: Callable[[str], object]
) -> list[Token]:
    md = markdown()
    state = StateCore(text, md, env)
    for rule in md.core.ruler.getRules(""):
        if rule is not rules_core.inline:
            rule(state)
            continue
        for token in state.tokens:
            if token.type != "inline":
                continue
            if token.children is None:
                token.children = []
            # Footnotes reach env from the inline rules; the tasklists rule reads the children
            # of an item that starts "[ ]".
            content = token.content
            if wanted(content) or "^" in content or content.startswith("["):
                md.inline.parse(content, md, env, token.children)
    return state.tokens


def _only_a_paragraph(text: str) -> bool:
    """Whether ``text`` is one line that every block rule leaves to the paragraph rule, which
    keeps it whole: no footnote (``^[…]``, ``[^…]``), block id or attribute list at its end."""
    if not text or "\n" in text or "\r" in text or text.strip() != text or "^" in text:
        return False
    return not _BLOCK_START.match(text) and not _ATTR_LIST.search(text)


def _paragraph(line: str, env: dict[str, Any]) -> list[Token]:
    """The tokens ``markdown().parse`` gives a line that can only be a paragraph, without
    running the block rules: most card fields are one such line, and the block parser's
    set-up costs more than their inline parse."""
    inline, *tail = markdown().parseInline(line, env)  # tail: footnotes the env held
    inline.level, inline.block = 1, True
    opened = Token("paragraph_open", "p", 1, map=[0, 1], block=True)
    closed = Token("paragraph_close", "p", -1, block=True)
    return [opened, inline, closed, *tail]


def image_sources(text: str) -> list[str]:
    """The ``src`` of every image (``![](…)``, ``![[…]]``, ``<img>``) in ``text``, in order."""
    if "!" not in text and "<img" not in text.lower():
        return []  # most card text: no need to parse it again
    found: list[str] = []
    for token in parse(text):
        for child in token.children or []:
            if child.type == "image":
                found.append(str(child.attrs.get("src", "")))
    return found


def images_only_html(html: str) -> list[Token] | None:
    """The ``<img>`` tags of an HTML block that only shows images (wrappers aside), else None."""
    rest = re.sub(r"<img\b[^>]*>", "", html, flags=re.IGNORECASE)
    rest = re.sub(r"</?(?:p|div|a|center|picture|br|figure)\b[^>]*>", "", rest, flags=re.I)
    images = re.findall(r"<img\b[^>]*>", html, flags=re.IGNORECASE)
    return [_img_token(tag) for tag in images] if images and not rest.strip() else None


_DOUBLE_TICKS = re.compile(r"(?<!`)``(?!`) ?([^`\n]+?) ?(?<!`)``(?!`)")
_TRAILING_TAGS = re.compile(r"(?:\s+#[^\W\d_][\w/-]*)+\s*$")


def normalise_inline(text: str) -> str:
    """Inline Markdown as deckmark's card text writes it: ````x```` as `` `x` `` when ``x`` has
    no backtick (so a cloze can wrap it), Obsidian ``#tags`` at the end dropped (they are tags).
    """
    text = _DOUBLE_TICKS.sub(r"`\1`", text)
    stripped = _TRAILING_TAGS.sub("", text)
    return stripped if stripped.strip() else text


def soft_break_text(children: Sequence[Token], index: int) -> str:
    """What the soft line break ``children[index]`` reads as: a space, or nothing between CJK."""
    before = children[index - 1].content[-1:] if index > 0 else ""
    after = children[index + 1].content[:1] if index + 1 < len(children) else ""
    return "" if before and after and is_cjk(before) and is_cjk(after) else " "


_REF_IMAGE = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?(?![(:])")
_REF_LINK = re.compile(
    r"(?<![!\\])\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?:\[([^\[\]\n]*)\])?(?![(:])"
)


def inline_references(text: str, references: Mapping[str, Any]) -> str:
    """Reference-style links and images (``![alt][ref]``, ``[text][]``, ``[ref]``) written
    inline, so a card's text shows them without the definitions at the end of the note."""
    if not references:
        return text

    def inline(match: re.Match[str], bang: str) -> str:
        label = match.group(2) or match.group(1)
        found = references.get(normalizeReference(label))
        if found is None:
            return match.group(0)
        return f"{bang}[{match.group(1)}](<{found['href']}>)"

    text = _REF_IMAGE.sub(lambda m: inline(m, "!"), text)
    return _REF_LINK.sub(lambda m: inline(m, ""), text)


def join_lines(text: str) -> str:
    """Lines of one paragraph as one line: a space between them, none between CJK characters."""
    lines = [line.strip() for line in text.splitlines()]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return normalise_inline(out)


# -- containers -------------------------------------------------------------------------------


def _docusaurus_type(params: str, *_args: Any) -> bool:
    return bool(_DOCUSAURUS.match(params.strip()))


_DOCUSAURUS = re.compile(r"^(\w[\w-]*)(?:\[([^\]\n]*)\])?[ \t]*(.*)$")


def docusaurus_title(info: str) -> tuple[str, str]:
    """(type, title) of a ``:::type Title`` or ``:::type[Title]`` block; title "" if none."""
    match = _DOCUSAURUS.match(info.strip())
    if not match:
        return "", ""
    return match.group(1).lower(), (match.group(2) or match.group(3) or "").strip()


_CALLOUT = re.compile(r"^\[!([\w-]+)\]([+-]?)[ \t]*(.*)$")
_BLOCK_ID = re.compile(r"(?:^|[ \t]+)\^[A-Za-z0-9-]+[ \t]*$")
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*[#.:][^{}\n]*\}[ \t]*$|[ \t]*\{:[^{}\n]*\}[ \t]*$")


def _dialect_blocks(state: StateCore) -> None:
    """Callouts out of blockquotes; block ids and attribute lists off the ends of blocks."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open" and i + 2 < len(tokens):
            inline = tokens[i + 2]
            if tokens[i + 1].type != "paragraph_open" or inline.type != "inline":
                continue
            first, _, rest = inline.content.partition("\n")
            match = _CALLOUT.match(first.strip())
            if not match:
                continue
            token.type = "callout_open"
            token.meta = {
                "kind": match.group(1).lower(),
                "fold": match.group(2),
                "title": match.group(3).strip(),
            }
            _close_of(tokens, i).type = "callout_close"
            inline.content = rest
            if not rest.strip():  # only the marker line: drop the emptied paragraph
                for j in (i + 1, i + 2, i + 3):
                    tokens[j].hidden = True
                    tokens[j].type = "callout_title"
                    tokens[j].nesting = 0
    kept: list[Token] = []
    for token in tokens:
        if token.type == "inline" and token.content:
            content = _ATTR_LIST.sub("", _BLOCK_ID.sub("", token.content))
            token.content = content
            if not content.strip() and kept and kept[-1].type == "paragraph_open":
                kept.pop()
                token.type = "dropped"
        elif token.type == "paragraph_close" and kept and kept[-1].type == "dropped":
            kept.pop()
            continue
        kept.append(token)
    state.tokens = [t for t in kept if t.type != "callout_title"]


def _close_of(tokens: list[Token], i: int) -> Token:
    depth = 0
    for token in tokens[i:]:
        depth += token.nesting
        if depth == 0:
            return token
    return tokens[-1]


def _math_fence(state: StateCore) -> None:
    """```math fences are display math."""
    for token in state.tokens:
        if token.type == "fence" and token.info.strip().lower() in ("math", "latex-math"):
            token.type = "math_block"
            token.content = token.content.rstrip("\n")


_STRICT_DOLLAR = math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True)
_LOOSE_DOLLAR = math_inline_dollar(allow_space=False, allow_digits=True, allow_double=True)


_TEXT_RUN = re.compile(r"(?:[^\n!#$%&*<=\[\]\\^_`{~]|\{\{)+")
"""A run of characters at which none of the inline rules can start (newline; image, embed;
hashtag; math; comment; entity; emphasis; autolink, HTML; highlight; link, wikilink,
footnote; escape, ``\\(`` math; inline footnote; code; attributes, which never start
``{{``; strikethrough), and no ``]``: a link label ends where skipping tokens stops at one."""


def _text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, stopping only where one of our inline rules may start.

    Its own stops at every character any extension might use (``:``, ``}``, ``-``, ...),
    where every rule is then tried in turn and fails: a cloze marker ``{{c1::…}}`` cost
    six such trials. The text rule only gathers characters, so the tokens are the same.
    """
    run = _TEXT_RUN.match(state.src, state.pos, state.posMax)
    if run is None:
        return False
    if not silent:
        state.pending += run.group()
    state.pos = run.end()
    return True


def _math_inline_dollar(state: StateInline, silent: bool) -> bool:
    """dollarmath's inline rule, right at the start of a text too.

    Its "no digit before the opening $" check reads ``src[pos - 1]``, which at position 0 is
    the text's *last* character: "$n=1$ gives 2" was not math. At position 0 there is nothing
    before, so only the "no digit after the closing $" check applies ("$5 and $10").
    """
    if state.pos > 0:
        return bool(_STRICT_DOLLAR(state, silent))
    count = len(state.tokens)
    if not _LOOSE_DOLLAR(state, silent):
        return False
    if state.pos < state.posMax and state.src[state.pos].isdigit():
        del state.tokens[count:]
        state.pos = 0
        return False
    return True


def _task_checkbox(state: StateCore) -> None:
    """The tasklists plugin's ``<input>`` as a ``task_checkbox`` token (meta: checked)."""
    for token in state.tokens:
        for child in token.children or []:
            if child.type == "html_inline" and "task-list-item-checkbox" in child.content:
                child.type = "task_checkbox"
                child.meta = {"checked": 'checked="checked"' in child.content}
                child.content = ""


_INLINE_CODE_LANGUAGE = re.compile(r"^#!([\w+#-]+)\s+(?=\S)")


def _inline_code_language(state: StateCore) -> None:
    """``#!c top++;`` (MkDocs' inline highlighting): the language goes to ``info``, the code
    is shown without it."""
    for token in state.tokens:
        for child in token.children or []:
            if child.type == "code_inline" and (lang := _INLINE_CODE_LANGUAGE.match(child.content)):
                child.info = lang.group(1)
                child.content = child.content[lang.end() :]


_LINK_OPEN = re.compile(r"^<a\b([^>]*)>$", re.IGNORECASE)
_LINK_CLOSE = re.compile(r"^</a\s*>$", re.IGNORECASE)
# Tags that only style or anchor text: the text stays, the tag goes.
_PRESENTATIONAL = re.compile(
    r"^</?(?:span|font|small|big|center|abbr|ins|u|tt|nobr|wbr|a)\b[^>]*>$", re.IGNORECASE
)
_SIMPLE_TAG = re.compile(r"^<(/?)(b|strong|i|em|u|s|del|sub|sup|mark|code|kbd|br)\s*/?>$", re.I)
_IMG_TAG = re.compile(r"^<img\b[^>]*>$", re.IGNORECASE)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_STYLE = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "s": "s", "del": "s"}


def _img_token(html: str) -> Token:
    attrs = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _ATTR.finditer(html)
    }
    token = Token("image", "img", 0)
    token.attrs = {"src": attrs.get("src", ""), "alt": ""}
    alt = Token("text", "", 0)
    alt.content = attrs.get("alt", "")
    token.children = [alt]
    token.content = alt.content
    token.meta = {"width": attrs.get("width", "").removesuffix("px")}
    return token


def _html_markup(state: StateCore) -> None:
    """Inline HTML that only formats (``<b>``, ``<code>``, ``<br>``, ``<img>``) as Markdown tokens.

    Everything else stays an ``html_inline`` token (shown as text by deckmark's renderers).
    """
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        out: list[Token] = []
        code: list[Token] | None = None
        links: list[bool] = []  # per open <a>: did it become a link?
        for child in token.children:
            match = _SIMPLE_TAG.match(child.content) if child.type == "html_inline" else None
            if code is not None:
                if match and match.group(2).lower() in ("code", "kbd") and match.group(1):
                    span = Token("code_inline", "code", 0)
                    span.content = "".join(c.content for c in code)
                    out.append(span)
                    code = None
                else:
                    code.append(child)
                continue
            if child.type == "html_inline" and _IMG_TAG.match(child.content):
                out.append(_img_token(child.content))
            elif child.type == "html_inline" and (link := _LINK_OPEN.match(child.content)):
                attrs = {
                    m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                    for m in _ATTR.finditer(link.group(1))
                }
                href = attrs.get("href", "")
                links.append(bool(href) and state.md.validateLink(href))
                if links[-1]:
                    opened = Token("link_open", "a", 1)
                    opened.attrs = {"href": state.md.normalizeLink(href)}
                    out.append(opened)
            elif child.type == "html_inline" and _LINK_CLOSE.match(child.content):
                if links and links.pop():
                    out.append(Token("link_close", "a", -1))
            elif child.type == "html_inline" and _PRESENTATIONAL.match(child.content):
                continue
            elif match is None:
                out.append(child)
            else:
                closing, name = bool(match.group(1)), match.group(2).lower()
                if name == "br":
                    out.append(Token("hardbreak", "br", 0))
                elif name in ("code", "kbd"):
                    if not closing:
                        code = []
                else:
                    kind = _STYLE.get(name, name)
                    out.append(
                        Token(
                            f"{kind}_{'close' if closing else 'open'}", name, -1 if closing else 1
                        )
                    )
        if code is not None:  # an unclosed <code>: keep what it held
            out.extend(code)
        token.children = out


def _line(state: StateBlock, line: int) -> str:
    start = state.bMarks[line] + state.tShift[line]
    return state.src[start : state.eMarks[line]]


_DETAILS_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)
_DETAILS_ANY = re.compile(r"<(/?)details\b[^>]*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ANSWER_WRAP = re.compile(r"^(?:\s*<br\s*/?>)*\s*<(?:b|strong)>[ \t]*", re.IGNORECASE)


def _details(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """``<details><summary>Q</summary> A </details>``: the body is read as Markdown."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if not _DETAILS_OPEN.match(_line(state, start_line)):
        return False
    depth, line = 0, start_line
    while line < end_line:
        for match in _DETAILS_ANY.finditer(_line(state, line)):
            depth += -1 if match.group(1) else 1
        if depth <= 0:
            break
        line += 1
    if depth > 0:
        return False  # never closed: leave it to the HTML block rule
    if silent:
        return True
    first = state.bMarks[start_line] + state.tShift[start_line]
    source = state.src[first : state.eMarks[line]]
    opening = _DETAILS_OPEN.match(source)
    assert opening is not None
    inner = source[opening.end() : source.rfind("</")]
    summary = ""
    if found := _SUMMARY.match(inner.lstrip()):
        summary = _summary_text(found.group(1))
        inner = inner.lstrip()[found.end() :]
    offset = source[: len(source) - len(inner) - len(source[source.rfind("</") :])].count("\n")
    # Interview repos wrap answers as <summary>Q</summary><br><b> A </b>: the tags only format.
    wrapped = _ANSWER_WRAP.match(inner)
    if wrapped and re.search(r"</(?:b|strong)>\s*$", inner, re.IGNORECASE):
        inner = re.sub(r"</(?:b|strong)>\s*$", "", inner[wrapped.end() :], flags=re.IGNORECASE)
        inner = "\n" * wrapped.group(0).count("\n") + inner
    token = state.push("details_open", "details", 1)
    token.meta = {"summary": summary}
    token.map = [start_line, line + 1]
    body = _html_lead_unindented(textwrap.dedent(inner.strip("\n") if inner.strip() else ""))
    leading = len(inner) - len(inner.lstrip("\n"))
    if body.strip():
        nested: list[Token] = []
        state.md.block.parse(body, state.md, state.env, nested)
        for child in nested:
            child.level += state.level
            if child.map:
                child.map = [m + start_line + offset + leading for m in child.map]
        state.tokens.extend(nested)
    state.push("details_close", "details", -1)
    state.line = line + 1
    return True


_FENCE_LINE = re.compile(r"^\s*(?:```|~~~)")


def _html_lead_unindented(body: str) -> str:
    """The body's lines up to its first blank line without their indent.

    GitHub reads them as part of the ``<details>`` HTML block, where an indent means nothing:
    ``<summary>Q</summary><br><b>`` then a tab-indented answer is text, not an indented code
    block. A fence there is kept as written (authors mean it as code).
    """
    lines = body.split("\n")
    lead = next((i for i, text in enumerate(lines) if not text.strip()), len(lines))
    if lines[0][:1] not in (" ", "\t") or any(map(_FENCE_LINE.match, lines[:lead])):
        return body
    return "\n".join([text.lstrip() for text in lines[:lead]] + lines[lead:])


def _summary_text(html: str) -> str:
    """A summary as Markdown: its text on one line, and a fenced block it holds (the code a
    question asks about) kept as written, not folded into that line."""
    fence = re.search(r"^[ \t]*(?:```|~~~)", html, re.MULTILINE)
    if fence is None:
        return _inline_html_text(html)
    code = textwrap.dedent(html[fence.start() :]).strip()
    return f"{_inline_html_text(html[: fence.start()])}\n\n{code}"


def _inline_html_text(html: str) -> str:
    """Inline HTML of a summary as Markdown text: ``<code>`` as backticks, other tags dropped."""
    html = re.sub(r"<code\b[^>]*>(.*?)</code>", r"`\1`", html, flags=re.IGNORECASE | re.DOTALL)
    html = re.sub(
        r"<img\b[^>]*>",
        lambda m: f"![{_img_token(m.group(0)).content}](<{_img_token(m.group(0)).attrs['src']}>)",
        html,
        flags=re.IGNORECASE,
    )
    html = re.sub(r"</?(?:b|strong)\b[^>]*>", "**", html, flags=re.IGNORECASE)
    text = " ".join(_TAG.sub("", html).split())
    return text.replace("****", "").strip()


_TAB = re.compile(r'^===[!+]?[ \t]+"([^"\n]*)"[ \t]*$')


def _tab(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """MkDocs Material content tabs: ``=== "Title"`` over content indented four spaces."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = _TAB.match(_line(state, start_line))
    if not match:
        return False
    if silent:
        return True
    indent = state.sCount[start_line] + 4
    line = start_line + 1
    while line < end_line:
        blank = state.isEmpty(line)
        if not blank and state.sCount[line] < indent:
            break
        line += 1
    while line > start_line + 1 and state.isEmpty(line - 1):
        line -= 1
    old_indent, old_parent, old_max = state.blkIndent, state.parentType, state.lineMax
    token = state.push("tab_open", "div", 1)
    token.meta = {"title": match.group(1)}
    token.map = [start_line, line]
    state.blkIndent, state.parentType, state.lineMax = indent, "tab", line
    state.md.block.tokenize(state, start_line + 1, line)
    state.blkIndent, state.parentType, state.lineMax = old_indent, old_parent, old_max
    state.push("tab_close", "div", -1)
    state.line = line
    return True


_ABBREVIATION = re.compile(r"^\*\[([^\]\n]+)\]:[ \t]*(.*)$")


def _abbreviation(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """``*[HTML]: Hyper Text Markup Language`` lines define, and are never shown."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = _ABBREVIATION.match(_line(state, start_line))
    if not match:
        return False
    if silent:
        return True
    state.env.setdefault("abbreviations", {})[match.group(1)] = match.group(2).strip()
    state.line = start_line + 1
    return True


def _comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Obsidian ``%% … %%`` comment lines (possibly many) are dropped."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    first = _line(state, start_line)
    if not first.startswith("%%"):
        return False
    line = start_line
    if not (len(first) > 2 and first.rstrip().endswith("%%") and len(first.rstrip()) >= 4):
        line += 1
        while line < end_line and not _line(state, line).rstrip().endswith("%%"):
            line += 1
        if line >= end_line:
            return False
    if silent:
        return True
    state.line = line + 1
    return True


# -- inline -----------------------------------------------------------------------------------


def _mark(state: StateInline, silent: bool) -> bool:
    """``==highlight==`` as ``mark_open``/``mark_close`` around parsed inline content."""
    src, start = state.src, state.pos
    if not src.startswith("==", start) or start + 2 >= state.posMax:
        return False
    if src[start + 2] in " \t\n=":
        return False
    end = src.find("==", start + 3)
    while end != -1 and src[end - 1] in " \t\n":
        end = src.find("==", end + 2)
    if end == -1 or end + 2 > state.posMax:
        return False
    if not silent:
        state.push("mark_open", "mark", 1).markup = "=="
        old_max = state.posMax
        state.pos, state.posMax = start + 2, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1).markup = "=="
    state.pos = end + 2
    return True


_PLACEMENT = frozenset({"center", "centre", "left", "right", "inline", "small", "float"})
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n|#^]*)(?:#([^\[\]\n|]*))?(?:\|([^\[\]\n]*))?\]\]")


def _wikilink(state: StateInline, silent: bool) -> bool:
    """``[[Note#Heading|label]]`` links, ``![[x.png|300]]`` images, ``![[Note]]`` embeds."""
    if state.src[state.pos] not in "![":
        return False
    match = _WIKILINK.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    bang, target, heading, label = match.groups()
    target, heading, label = target.strip(), (heading or "").strip(), (label or "").strip()
    suffix = target[target.rfind(".") :].lower() if "." in target else ""
    if not silent:
        if bang and suffix in IMAGE_EXTENSIONS | AUDIO_EXTENSIONS:
            token = state.push("image", "img", 0)
            # ![[x.png|300]], ![[x.png|300x200]], ![[x.png|center|400]], ![[x.png|a caption]]
            parts = [p.strip() for p in label.split("|") if p.strip()]
            sizes = [p for p in parts if re.fullmatch(r"\d+(?:x\d+)?", p)]
            words = [p for p in parts if p not in sizes and p.lower() not in _PLACEMENT]
            width = sizes[0] if sizes else ""
            alt = " ".join(words) or target.rsplit("/", 1)[-1]
            token.attrs = {"src": target, "alt": ""}
            token.content = alt
            token.meta = {"wiki": True, "width": width}
            text = Token("text", "", 0)
            text.content = alt
            token.children = [text]
        elif bang:
            token = state.push("embed", "", 0)
            token.meta = {"target": target, "heading": heading}
            token.content = f"{target} › {heading}" if target and heading else target or heading
        else:
            token = state.push("wikilink", "", 0)
            shown = label or (f"{target} › {heading}" if target and heading else target or heading)
            token.content = shown.lstrip("^")
            token.meta = {"target": target, "heading": heading, "label": label}
    state.pos = match.end()
    return True


def _comment_inline(state: StateInline, silent: bool) -> bool:
    """``%%comment%%`` inside a line is dropped."""
    if not state.src.startswith("%%", state.pos):
        return False
    end = state.src.find("%%", state.pos + 2)
    if end == -1 or end + 2 > state.posMax:
        return False
    state.pos = end + 2
    return True


_HASHTAG = re.compile(r"#([^\W\d_][\w/-]*|\d+[^\W\d][\w/-]*)")


def _hashtag(state: StateInline, silent: bool) -> bool:
    """Obsidian ``#tag`` (not ``C#``, not ``#1``): a ``hashtag`` token."""
    pos = state.pos
    if state.src[pos] != "#" or (pos > 0 and not state.src[pos - 1].isspace()):
        return False
    match = _HASHTAG.match(state.src, pos, state.posMax)
    if not match:
        return False
    if not silent:
        token = state.push("hashtag", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True
