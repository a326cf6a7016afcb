"""Markdown → an outline: sections (headings and bold sub-labels) holding their blocks.

This is the only place that walks markdown-it tokens for notes. It keeps every block's
Markdown source and line so that cards can quote the user's text and point back at it.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from deckmark.markdown import (
    docusaurus_title,
    images_only_html,
    inline_references,
    join_lines,
    parse,
    unread_content,
)
from deckmark.model import Diagnostic, SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    text: str
    """Inline Markdown source, lines joined with spaces."""
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItem:
    text: str
    """Inline Markdown of the item's first paragraph ("" if it starts with something else)."""
    source: SourceLocation
    children: tuple[Block, ...] = ()
    """Nested lists, code and further paragraphs inside the item."""

    @property
    def sublists(self) -> tuple[ListBlock, ...]:
        return tuple(b for b in self.children if isinstance(b, ListBlock))


@dataclass(frozen=True, slots=True, kw_only=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeBlock:
    code: str
    lang: str
    """The fence's language, lower-cased ("" when none)."""
    fenced: bool = True
    """A ``` fence (the code starts on the line after ``source``), not an indented block."""
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Html:
    html: str
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Container:
    """A titled block around other blocks: a callout, admonition, tab or ``<details>``."""

    kind: str
    """``callout`` (Obsidian ``> [!tip]``), ``admonition`` (MkDocs ``!!!``/``???``),
    ``docusaurus`` (``:::tip``), ``tab`` (MkDocs ``=== "Tab"``) or ``details`` (HTML)."""
    type: str
    """The callout or admonition type (``tip``, ``note``, ...); "" for tabs and details."""
    title: str
    """Inline Markdown: the callout/admonition title, tab label or ``<summary>`` text."""
    blocks: tuple[Block, ...]
    markdown: str
    """The container's Markdown source as written, for answers that quote it whole."""
    source: SourceLocation

    @property
    def reveals_answer(self) -> bool:
        """A ``<details>`` whose summary only says "Answer": it answers the question above it."""
        return self.kind == "details" and bool(_REVEAL.match(self.title.replace("*", "")))


@dataclass(frozen=True, slots=True, kw_only=True)
class Definition:
    term: str
    """Inline Markdown of the term."""
    definitions: tuple[str, ...]
    """Each ``: definition`` as Markdown."""
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class DefinitionList:
    items: tuple[Definition, ...]
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """A line that only shows something: an image, audio, or display math."""

    markdown: str
    source: SourceLocation


@dataclass(frozen=True, slots=True, kw_only=True)
class Embed:
    """``![[Note]]`` or ``![[Note#Heading]]`` on its own line: another note's text goes here."""

    target: str
    heading: str
    source: SourceLocation


Block = (
    Paragraph | ListBlock | CodeBlock | Table | Html | Container | DefinitionList | Figure | Embed
)


@dataclass(slots=True, kw_only=True)
class Section:
    """A heading (or a bold sub-label, ``label=True``) and the blocks up to the next one."""

    title: str
    level: int
    source: SourceLocation
    path: tuple[str, ...]
    """Titles from the outermost heading down to this one."""
    occurrence: int = 1
    """1 for the first section with this path, 2 for a repeated heading, ..."""
    label: bool = False
    """A bold-only paragraph (``**Container**``) acting as a sub-heading."""
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Outline:
    path: str
    front_matter: str
    """Raw front matter text ("" if none)."""
    front_matter_line: int
    sections: tuple[Section, ...]
    """In source order; the first has an empty title when text comes before any heading."""
    footnotes: dict[str, str] = field(default_factory=dict)
    """Footnote label → its definition's Markdown (``[^1]: text``), shown with answers."""
    tags: tuple[str, ...] = ()
    """Obsidian ``#tags`` written in the text, in order of appearance."""
    warnings: tuple[Diagnostic, ...] = ()
    """Content markdown-it could not read as meant (nested too deep, a fence never closed)."""


LANGUAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+#.-]{0,39}")
"""A fence language as notes write them (bash, c++, c#, objective-c); anything else is none."""


def language_name(info: str) -> str:
    """The language a fence's info string names, lower-cased; "" when it names none.

    The info string is user text that renderers put into attributes: only a plain name passes.
    """
    words = info.split(maxsplit=1)
    return words[0].lower() if words and LANGUAGE_NAME.fullmatch(words[0]) else ""


# Summaries that only reveal an answer to the question written above them.
_REVEAL = re.compile(
    r"^(?:show |click (?:here )?(?:to|for) (?:see |show |expand |view )?(?:the )?)?"
    r"(?:answers?|solutions?|explanation|hint|expand|more|details|reveal|antwort|"
    r"l[öo]sung|risposta|soluzione|respuesta|soluci[óo]n|r[ée]ponse|答案|解答|解析|回答)\W*$",
    re.IGNORECASE,
)
_BOLD_LABEL = re.compile(r"^\*\*([^*]+?)\*\*:?$|^__([^_]+?)__:?$")
ANSWER_HEADING = re.compile(
    r"^(?:answers?|solutions?|antwort|l[öo]sung|risposta|respuesta|r[ée]ponse|答案|解答)"
    r"\s*(?:[:：.\-–—]|$)",
    re.IGNORECASE,
)
"""An "Answer: D" heading or bold label belongs to the question above it: it opens no section."""


def _loc(path: str, token: Token) -> SourceLocation:
    return SourceLocation(path=path, line=(token.map[0] + 1) if token.map else 1)


def parse_outline(text: str, path: str) -> Outline:
    """Split Markdown into sections; fenced code never yields headings."""
    env: dict[str, Any] = {}
    tokens = parse(text, env, inline=_READS_CHILDREN.search)
    for token in tokens:  # cards quote text out of the note: its link definitions go along
        if token.type == "inline" and env.get("references"):
            token.content = inline_references(token.content, env["references"])
    reader = _Reader(path, text.split("\n"))  # markdown-it numbers lines by "\n" only
    front_matter, front_matter_line = "", 0
    root = Section(title="", level=0, source=SourceLocation(path=path, line=1), path=())
    sections = [root]
    heading_stack: list[Section] = []
    seen: dict[tuple[str, ...], int] = {}

    def open_section(title: str, level: int, source: SourceLocation, label: bool) -> None:
        while heading_stack and heading_stack[-1].level >= level:
            heading_stack.pop()
        parent_path = heading_stack[-1].path if heading_stack else ()
        section_path = (*parent_path, title)
        seen[section_path] = seen.get(section_path, 0) + 1
        section = Section(
            title=title,
            level=level,
            source=source,
            path=section_path,
            occurrence=seen[section_path],
            label=label,
        )
        heading_stack.append(section)
        sections.append(section)

    def current_heading_level() -> int:
        for section in reversed(heading_stack):
            if not section.label:
                return section.level
        return 0

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "front_matter":
            front_matter, front_matter_line = token.content, _loc(path, token).line
            i += 1
        elif token.type == "heading_open" and not ANSWER_HEADING.match(tokens[i + 1].content):
            level = int(token.tag[1:])
            open_section(tokens[i + 1].content.strip(), level, _loc(path, token), label=False)
            i += 3
        elif (
            token.type == "paragraph_open"
            and (match := _BOLD_LABEL.match(tokens[i + 1].content.strip()))
            and not ANSWER_HEADING.match(match.group(1) or match.group(2))
        ):
            label = (match.group(1) or match.group(2)).strip()
            open_section(label, current_heading_level() + 1, _loc(path, token), label=True)
            i += 3
        elif token.type == "footnote_block_open":
            reader.footnotes(tokens, i)
            i = _skip(tokens, i)
        else:
            block, i = reader.block(tokens, i)
            if block is not None:
                sections[-1].blocks.append(block)
    return Outline(
        path=path,
        front_matter=front_matter,
        front_matter_line=front_matter_line,
        sections=tuple(sections),
        footnotes=reader.footnote_sources,
        tags=tuple(dict.fromkeys(t.content for t in _walk(tokens) if t.type == "hashtag")),
        warnings=tuple(
            Diagnostic(location=SourceLocation(path=path, line=line + 1), message=message)
            for line, message in unread_content(tokens, text)
        ),
    )


def _skip(tokens: list[Token], i: int) -> int:
    """Index after the closing token matching tokens[i] (an ``_open`` token)."""
    depth = 0
    while True:
        depth += tokens[i].nesting
        i += 1
        if depth == 0:
            return i


def _alt(image: Token) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", image.content)


def _walk(tokens: list[Token]) -> list[Token]:
    return [c for t in tokens for c in (t, *(t.children or []))]


_READS_CHILDREN = re.compile(r"[#!<]")
"""The inline tokens whose children the outline reads: only hashtags, images and embeds (and
``<img>``) make a paragraph metadata, a figure or an embed; the rest is kept as Markdown text."""
_FIGURE_TOKENS = frozenset({"image", "softbreak", "hardbreak", "link_open", "link_close"})
_CONTAINERS = {
    "callout_open": "callout",
    "admonition_open": "admonition",
    "container_docusaurus_open": "docusaurus",
    "tab_open": "tab",
    "details_open": "details",
}


class _Reader:
    """Reads blocks from tokens, with the source lines at hand for containers and footnotes."""

    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.footnote_sources: dict[str, str] = {}

    def loc(self, token: Token) -> SourceLocation:
        return _loc(self.path, token)

    def source_of(self, token: Token) -> str:
        if not token.map:
            return ""
        return textwrap.dedent("\n".join(self.lines[token.map[0] : token.map[1]])).strip("\n")

    def block(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        """Read the block starting at tokens[i]; return it (or None) and the index after it."""
        token = tokens[i]
        if token.type == "paragraph_open":
            inline = tokens[i + 1]
            children = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
            if children and all(c.type == "hashtag" for c in children):
                return None, _skip(tokens, i)  # a line of #tags: metadata
            if len(children) == 1 and children[0].type == "embed":
                meta = children[0].meta
                embed = Embed(
                    target=meta["target"], heading=meta["heading"], source=self.loc(token)
                )
                return embed, _skip(tokens, i)
            if any(c.type == "image" for c in children) and all(
                c.type in _FIGURE_TOKENS for c in children
            ):  # images only (a linked image too)
                figure = Figure(markdown=inline.content.strip(), source=self.loc(token))
                return figure, _skip(tokens, i)
            text = join_lines(inline.content)
            return Paragraph(text=text, source=self.loc(token)), _skip(tokens, i)
        if token.type == "heading_open":
            # An "Answer:" heading, or a heading inside a container: text, not a section.
            text = join_lines(tokens[i + 1].content)
            return Paragraph(text=text, source=self.loc(token)), i + 3
        if token.type == "amsmath":  # \begin{align}...\end{align}, as written
            return Figure(markdown=token.content.strip(), source=self.loc(token)), i + 1
        if token.type.startswith("math_block"):  # $$…$$, \[…\], ```math
            tex = token.content.strip()
            return Figure(markdown=f"$$\n{tex}\n$$", source=self.loc(token)), i + 1
        if token.type in ("bullet_list_open", "ordered_list_open"):
            return self.list(tokens, i)
        if token.type in ("fence", "code_block"):
            lang = language_name(token.info)
            code = token.content.rstrip("\n")
            block = CodeBlock(
                code=code, lang=lang, fenced=token.type == "fence", source=self.loc(token)
            )
            return block, i + 1
        if token.type == "html_block":
            images = images_only_html(token.content)
            if images:
                markdown = "\n".join(f"![{_alt(t)}](<{t.attrs['src']}>)" for t in images)
                return Figure(markdown=markdown, source=self.loc(token)), i + 1
            return Html(html=token.content, source=self.loc(token)), i + 1
        if token.type == "table_open":
            return _read_table(tokens, i, self.path)
        if token.type in _CONTAINERS:
            return self.container(tokens, i)
        if token.type == "dl_open":
            return self.definitions(tokens, i)
        # Blockquotes, rules and anything else: their paragraphs and lists still count as content.
        return None, i + 1

    def children(self, tokens: list[Token], i: int) -> tuple[list[Block], int]:
        """The blocks inside the container opened at tokens[i], and the index after it."""
        end = _skip(tokens, i)
        blocks: list[Block] = []
        k = i + 1
        while k < end - 1:
            block, k = self.block(tokens, k)
            if block is not None:
                blocks.append(block)
        return blocks, end

    def container(self, tokens: list[Token], i: int) -> tuple[Container, int]:
        token = tokens[i]
        kind = _CONTAINERS[token.type]
        title, type_ = "", ""
        if kind == "callout":
            type_, title = token.meta["kind"], token.meta["title"]
        elif kind == "admonition":
            type_ = str(token.meta.get("tag", ""))
            title = token.content.strip()
        elif kind == "docusaurus":
            type_, title = docusaurus_title(token.info)
        elif kind == "tab":
            title = token.meta["title"]
        else:
            title = token.meta["summary"]
        blocks, end = self.children(tokens, i)
        first = blocks[0] if blocks else None
        if kind == "admonition" and isinstance(first, Paragraph) and first.text == title:
            blocks = blocks[1:]  # the admonition_title paragraph
        block = Container(
            kind=kind,
            type=type_.lower(),
            title=title.strip().strip('"'),
            blocks=tuple(blocks),
            markdown=self.source_of(token),
            source=self.loc(token),
        )
        return block, end

    def definitions(self, tokens: list[Token], i: int) -> tuple[DefinitionList, int]:
        end = _skip(tokens, i)
        items: list[Definition] = []
        k = i + 1
        while k < end - 1:
            token = tokens[k]
            if token.type == "dt_open":
                items.append(
                    Definition(
                        term=tokens[k + 1].content.strip(), definitions=(), source=self.loc(token)
                    )
                )
                k = _skip(tokens, k)
            elif token.type == "dd_open" and items:
                inner = tokens[k : _skip(tokens, k)]
                body = "\n\n".join(join_lines(t.content) for t in inner if t.type == "inline")
                last = items[-1]
                items[-1] = Definition(
                    term=last.term, definitions=(*last.definitions, body), source=last.source
                )
                k = _skip(tokens, k)
            else:
                k += 1
        return DefinitionList(items=tuple(items), source=self.loc(tokens[i])), end

    def footnotes(self, tokens: list[Token], i: int) -> None:
        end = _skip(tokens, i)
        for k in range(i, end):
            if tokens[k].type != "footnote_open":
                continue
            label = str(tokens[k].meta.get("label", ""))
            body = next((t for t in tokens[k:end] if t.map), None)
            if not label or body is None or not body.map:
                continue
            first, last = body.map
            while first > 0 and not self.lines[first].lstrip().startswith(f"[^{label}]:"):
                first -= 1
            self.footnote_sources[label] = join_lines("\n".join(self.lines[first:last]))

    def list(self, tokens: list[Token], i: int) -> tuple[ListBlock, int]:
        open_token = tokens[i]
        end = _skip(tokens, i)
        items: list[ListItem] = []
        j = i + 1
        while j < end - 1:
            item_open = tokens[j]
            item_end = _skip(tokens, j)
            k = j + 1
            text = ""
            children: list[Block] = []
            while k < item_end - 1:
                if tokens[k].type == "paragraph_open" and not text and not children:
                    text = join_lines(tokens[k + 1].content)
                    k = _skip(tokens, k)
                    continue
                block, k = self.block(tokens, k)
                if block is not None:
                    children.append(block)
            items.append(ListItem(text=text, source=self.loc(item_open), children=tuple(children)))
            j = item_end
        block = ListBlock(
            items=tuple(items),
            ordered=open_token.type == "ordered_list_open",
            source=self.loc(open_token),
        )
        return block, end


def _read_table(tokens: list[Token], i: int, path: str) -> tuple[Table, int]:
    end = _skip(tokens, i)
    rows: list[list[str]] = []
    for token in tokens[i:end]:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token.content.strip())
    header, *body = rows or [[]]
    return (
        Table(
            header=tuple(header), rows=tuple(tuple(r) for r in body), source=_loc(path, tokens[i])
        ),
        end,
    )
