"""Markdown → an outline: sections (headings and bold sub-labels) holding their blocks.

This is the only place that walks markdown-it tokens for notes. It keeps every block's
Markdown source and line so that cards can quote the user's text and point back at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from deckmark.model import SourceLocation


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


Block = Paragraph | ListBlock | CodeBlock | Table | Html


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


LANGUAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+#.-]{0,39}")
"""A fence language as notes write them (bash, c++, c#, objective-c); anything else is none."""


def language_name(info: str) -> str:
    """The language a fence's info string names, lower-cased; "" when it names none.

    The info string is user text that renderers put into attributes: only a plain name passes.
    """
    words = info.split(maxsplit=1)
    return words[0].lower() if words and LANGUAGE_NAME.fullmatch(words[0]) else ""


_BOLD_LABEL = re.compile(r"^\*\*([^*]+?)\*\*:?$|^__([^_]+?)__:?$")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def _loc(path: str, token: Token) -> SourceLocation:
    return SourceLocation(path=path, line=(token.map[0] + 1) if token.map else 1)


def parse_outline(text: str, path: str) -> Outline:
    """Split Markdown into sections; fenced code never yields headings."""
    tokens = _parser().parse(text)
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
        elif token.type == "heading_open":
            level = int(token.tag[1:])
            open_section(tokens[i + 1].content.strip(), level, _loc(path, token), label=False)
            i += 3
        elif token.type == "paragraph_open" and (
            match := _BOLD_LABEL.match(tokens[i + 1].content.strip())
        ):
            label = (match.group(1) or match.group(2)).strip()
            open_section(label, current_heading_level() + 1, _loc(path, token), label=True)
            i += 3
        else:
            block, i = _read_block(tokens, i, path)
            if block is not None:
                sections[-1].blocks.append(block)
    return Outline(
        path=path,
        front_matter=front_matter,
        front_matter_line=front_matter_line,
        sections=tuple(sections),
    )


def _read_block(tokens: list[Token], i: int, path: str) -> tuple[Block | None, int]:
    """Read the block starting at tokens[i]; return it (or None) and the index after it."""
    token = tokens[i]
    if token.type == "paragraph_open":
        text = " ".join(line.strip() for line in tokens[i + 1].content.splitlines())
        return Paragraph(text=text, source=_loc(path, token)), _skip(tokens, i)
    if token.type in ("bullet_list_open", "ordered_list_open"):
        return _read_list(tokens, i, path)
    if token.type in ("fence", "code_block"):
        lang = language_name(token.info)
        code = token.content.rstrip("\n")
        block = CodeBlock(
            code=code, lang=lang, fenced=token.type == "fence", source=_loc(path, token)
        )
        return block, i + 1
    if token.type == "html_block":
        return Html(html=token.content, source=_loc(path, token)), i + 1
    if token.type == "table_open":
        return _read_table(tokens, i, path)
    # Blockquotes, rules and anything else: their paragraphs and lists still count as content.
    return None, i + 1


def _skip(tokens: list[Token], i: int) -> int:
    """Index after the closing token matching tokens[i] (an ``_open`` token)."""
    depth = 0
    while True:
        depth += tokens[i].nesting
        i += 1
        if depth == 0:
            return i


def _read_list(tokens: list[Token], i: int, path: str) -> tuple[ListBlock, int]:
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
                text = " ".join(line.strip() for line in tokens[k + 1].content.splitlines())
                k = _skip(tokens, k)
                continue
            block, k = _read_block(tokens, k, path)
            if block is not None:
                children.append(block)
        items.append(ListItem(text=text, source=_loc(path, item_open), children=tuple(children)))
        j = item_end
    block = ListBlock(
        items=tuple(items),
        ordered=open_token.type == "ordered_list_open",
        source=_loc(path, open_token),
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
