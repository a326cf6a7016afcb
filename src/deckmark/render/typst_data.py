"""Card Markdown → JSON-ready blocks for the Typst templates (cards.typ, sheet.typ).

Text only ever travels as data: the templates build content with ``strong()``, ``emph()``,
``raw()`` and plain strings, so no character in a card can be read as Typst markup.

Block shapes (``t`` names the kind)::

    {"t": "par", "runs": [Run]}            {"t": "heading", "runs": [Run]}
    {"t": "list", "ordered": bool, "start": int, "tight": bool, "items": [[Block]]}
    {"t": "code", "s": str, "lang": str}   {"t": "quote", "blocks": [Block]}
    {"t": "table", "align": [str], "rows": [[[Run]]]}    (first row is the header)
    {"t": "html", "s": str}                {"t": "hr"}
    {"t": "math", "s": str, "tex": str}    (display math: Typst math, or "" with the TeX shown)
    {"t": "figure", "images": [Run]}      (a paragraph of images only, scaled to fit)
    {"t": "box", "kind": str, "title": [Run], "blocks": [Block]}
        (callouts, admonitions, tabs, <details>, definition terms, footnotes)

An image run is ``{"t": "img", "src": str, "alt": str, "ref": str}`` (``src`` "" when only the
alt text can show: missing, remote, or a sound, ``audio`` true).
A run is one leaf of inline text: ``{"t": "text" | "code" | "blank" | "br" | "math", "s": str}``
plus the flags ``b`` (bold), ``i`` (italic), ``a`` (link text), ``m`` (``==highlight==``) and
``hl`` (cloze answer), each present only when true. A math run's ``s`` is Typst math (``tex``
holds the TeX as written; ``s`` is "" when it could not be converted).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from markdown_it.token import Token

from deckmark.markdown import docusaurus_title, markdown, parse, soft_break_text
from deckmark.model import CLOZE_RE, Card, MediaFile
from deckmark.parse.outline import language_name
from deckmark.render.typst_math import tex_to_typst

Block = dict[str, Any]
Run = dict[str, Any]

# Private-use sentinels survive markdown-it untouched, so a cloze deletion can be marked in the
# Markdown before parsing and recovered from the text tokens afterwards.
_BLANK_OPEN, _BLANK_CLOSE, _HL_OPEN, _HL_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_SENTINELS = _BLANK_OPEN + _BLANK_CLOSE + _HL_OPEN + _HL_CLOSE
_SENTINEL_RE = re.compile(f"([{_SENTINELS}])")
_STRIP_SENTINELS = str.maketrans("", "", _SENTINELS)

CONTEXT_SEPARATOR = " \u203a "


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintedCard:
    """One physical card: a front and a back, as Typst blocks."""

    card: Card
    """The model card it was printed from (source location and key for warnings)."""
    context: str
    """The context line printed above the question."""
    front: tuple[Block, ...]
    back: tuple[Block, ...]
    variant: str = ""
    """Which printed side of the card this is: ``c2`` for a cloze deletion, ``reverse``."""
    part: int = 1
    """1-based position among the continuation cards of one answer."""
    parts: int = 1
    """How many printed cards the answer was split over."""

    def as_json(self) -> dict[str, Any]:
        """The card as the templates read it."""
        return {
            "context": self.context,
            "front": list(self.front),
            "back": list(self.back),
            "part": self.part,
            "parts": self.parts,
        }


MEDIA_FOLDER = "media"
"""Where the PDF exporter puts a deck's packaged media, next to the templates."""


def blocks(
    markdown: str, blanks: Sequence[str] = (), media: Sequence[MediaFile] = ()
) -> list[Block]:
    """Parse Markdown into blocks; ``blanks`` are the labels of cloze blank sentinels.

    ``media`` are the card's resolved files: their images are shown, other images as alt text.
    """
    key = (markdown, tuple(blanks), tuple(media))
    found = _KNOWN.get(key)
    if found is None:
        found = _parsed_blocks(*key)
    if _USED is not None:
        _USED[key] = found
    return list(found)


FieldKey = tuple[str, tuple[str, ...], tuple[MediaFile, ...]]
"""A field's Markdown, its cloze blank labels and its media: what its blocks depend on."""

_KNOWN: Mapping[FieldKey, tuple[Block, ...]] = {}
_USED: dict[FieldKey, tuple[Block, ...]] | None = None


@contextlib.contextmanager
def known_fields(
    known: Mapping[FieldKey, tuple[Block, ...]],
) -> Iterator[dict[FieldKey, tuple[Block, ...]]]:
    """Convert fields with ``known`` (an earlier build's blocks, from the build cache) taken as
    they are; yields the blocks of every field converted inside, for the next build."""
    global _KNOWN, _USED
    _KNOWN, _USED = known, {}
    try:
        yield _USED
    finally:
        _KNOWN, _USED = {}, None


@lru_cache(maxsize=8192)
def _parsed_blocks(
    markdown: str, blanks: tuple[str, ...], media: tuple[MediaFile, ...]
) -> tuple[Block, ...]:
    # The cards PDF and the sheet print the same fields: parse each once. Blocks are never
    # modified after parsing (splitting and joining make new ones), so sharing them is safe.
    tokens = parse(markdown)
    parsed, _ = _blocks(tokens, 0, len(tokens), _Inline(blanks, media))
    return tuple(parsed)


def printed_cards(cards: Iterable[Card]) -> list[PrintedCard]:
    """Every physical card the deck prints: one per cloze deletion, plus reversed sides."""
    printed: list[PrintedCard] = []
    for card in cards:
        context = CONTEXT_SEPARATOR.join(card.context[-2:])
        media = card.media
        if card.is_cloze:
            prompt = blocks(card.prompt, media=media) if card.prompt.strip() else []
            for number in card.cloze_numbers:
                front_md, hints = _cloze_markdown(card.front, number=number, reveal=False)
                back_md, _ = _cloze_markdown(card.front, number=number, reveal=True)
                back = blocks(back_md, media=media)
                if card.back.strip():
                    back += [{"t": "hr"}, *blocks(card.back, media=media)]
                printed.append(
                    PrintedCard(
                        card=card,
                        context=context,
                        front=(*prompt, *blocks(front_md, hints, media)),
                        back=tuple(back),
                        variant=f"c{number}",
                    )
                )
            continue
        question = tuple(blocks(card.front, media=media))
        answer = tuple(blocks(card.back, media=media))
        printed.append(PrintedCard(card=card, context=context, front=question, back=answer))
        if card.reverse:
            printed.append(
                PrintedCard(
                    card=card, context=context, front=answer, back=question, variant="reverse"
                )
            )
    return printed


def sheet_entry(card: Card) -> dict[str, Any]:
    """A card for the study sheet: question then answer; cloze text shown filled in."""
    media = card.media
    if card.is_cloze:
        question = blocks(card.prompt, media=media) if card.prompt.strip() else []
        filled, _ = _cloze_markdown(card.front, number=None, reveal=True)
        answer = blocks(filled, media=media)
        answer += blocks(card.back, media=media) if card.back.strip() else []
        if not question:
            question, answer = answer, []
    else:
        question, answer = blocks(card.front, media=media), blocks(card.back, media=media)
    weight = sum(_weight(b) for b in (*question, *answer))
    return {"q": question, "a": answer, "long": weight > 40}


@dataclass(frozen=True, slots=True, kw_only=True)
class Overflow:
    """What Typst measured on a card side that does not fit even at the floor size."""

    heights: tuple[float, ...]
    """Height of each block of the side at the floor size, in pt."""
    available: float
    """Height of the card body, in pt."""


@dataclass(frozen=True, slots=True)
class _Piece:
    """A block, or one line / item / row / word of a block too tall for one card."""

    block: Block
    height: float
    origin: int
    """Index of the block it came from: adjacent pieces of one block join up again."""


def split_card(
    card: PrintedCard, front: Overflow | None, back: Overflow | None
) -> list[PrintedCard]:
    """Continue an overflowing card on more cards, "(cont. k/n)".

    Each overflowing side is split at block boundaries, then inside blocks (lines, list items,
    table rows, words); a side that fits is repeated on every part.
    """
    sides = [
        None if overflow is None else _pieces(blocks, overflow)
        for blocks, overflow in ((card.front, front), (card.back, back))
    ]
    count = max(len(_pack(pieces, budget)) for pieces, budget in filter(None, sides))
    front_groups, back_groups = (
        [list(blocks)] * count if side is None else _pack_evenly(*side, count)
        for blocks, side in ((card.front, sides[0]), (card.back, sides[1]))
    )
    return [
        replace(card, front=tuple(f), back=tuple(b), part=index, parts=count)
        for index, (f, b) in enumerate(zip(front_groups, back_groups, strict=True), start=1)
    ]


def resplit(card: PrintedCard, *, front: bool, back: bool) -> list[PrintedCard]:
    """Split one continuation part that still overflows in two (heights unknown)."""
    halves = []
    for blocks, split in ((card.front, front), (card.back, back)):
        pieces = [p for i, b in enumerate(blocks) for p in _split_block(b, 2.0, 1.0, i)]
        if split and len(pieces) > 1:
            middle = len(pieces) // 2
            halves.append((_join(pieces[:middle]), _join(pieces[middle:])))
        else:
            halves.append((list(blocks), list(blocks)))
    if halves == [(list(card.front),) * 2, (list(card.back),) * 2]:
        return [card]
    return [
        replace(card, front=tuple(halves[0][i]), back=tuple(halves[1][i]), parts=2) for i in (0, 1)
    ]


def _pieces(blocks: Sequence[Block], overflow: Overflow) -> tuple[list[_Piece], float]:
    budget = overflow.available * 0.94  # block spacing is not in the per-block heights
    pieces: list[_Piece] = []
    for origin, (block, height) in enumerate(zip(blocks, overflow.heights, strict=True)):
        pieces += _split_block(block, height, budget, origin)
    return pieces, budget


def _pack_evenly(pieces: Sequence[_Piece], budget: float, count: int) -> list[list[Block]]:
    """At most ``count`` groups filled evenly, so no part is shrunk more than needed."""
    even = sum(piece.height for piece in pieces) / count
    groups = _pack(pieces, even)
    while len(groups) > count and even < budget:
        even *= 1.05
        groups = _pack(pieces, even)
    if len(groups) > count:  # the other side needs fewer cards: put the rest on the last
        groups[count - 1 :] = [[b for group in groups[count - 1 :] for b in group]]
    return [_join(group) for group in groups] + [[] for _ in range(count - len(groups))]


def _pack(pieces: Sequence[_Piece], budget: float) -> list[list[_Piece]]:
    """Greedy: fill each card up to ``budget`` before starting the next."""
    groups: list[list[_Piece]] = [[]]
    used = 0.0
    for piece in pieces:
        if groups[-1] and used + piece.height > budget:
            groups.append([])
            used = 0.0
        groups[-1].append(piece)
        used += piece.height
    return groups


def _join(pieces: Sequence[_Piece]) -> list[Block]:
    """Blocks again: adjacent pieces of one block become one block."""
    out: list[Block] = []
    previous = -1
    for piece in pieces:
        block = piece.block
        if piece.origin != previous or not out:
            out.append(block)
        elif block["t"] == "code":
            out[-1] = {**out[-1], "s": out[-1]["s"] + "\n" + block["s"]}
        elif block["t"] == "list":
            out[-1] = {**out[-1], "items": out[-1]["items"] + block["items"]}
        elif block["t"] == "table":
            out[-1] = {**out[-1], "rows": out[-1]["rows"] + block["rows"][1:]}
        elif block["t"] == "quote":
            out[-1] = {**out[-1], "blocks": out[-1]["blocks"] + block["blocks"]}
        elif block["t"] == "par":
            out[-1] = {**out[-1], "runs": out[-1]["runs"] + block["runs"]}
        else:
            out.append(block)
        previous = piece.origin
    return out


def _split_block(block: Block, height: float, budget: float, origin: int) -> list[_Piece]:
    """A block too tall for ``budget`` as its lines, items, rows or words (estimated heights)."""
    kind = block["t"]
    parts: list[Block] = []
    if height <= budget:
        parts = [block]
    elif kind == "code":
        parts = [{**block, "s": line} for line in block["s"].split("\n")]
    elif kind == "list":
        parts = [
            {**block, "items": [item], "start": block["start"] + i}
            for i, item in enumerate(block["items"])
        ]
    elif kind == "table":
        header, *rows = block["rows"]
        parts = [{**block, "rows": [header, row]} for row in rows]
    elif kind == "quote":
        parts = [{**block, "blocks": [inner]} for inner in block["blocks"]]
    elif kind == "par":
        words: list[Run] = []
        for run in block["runs"]:
            if run["t"] == "text":
                words += [{**run, "s": word} for word in re.findall(r"\S+\s*|\s+", run["s"])]
            else:
                words.append(run)
        parts = [{**block, "runs": [word]} for word in words]
    parts = parts or [block]
    return [_Piece(part, height / len(parts), origin) for part in parts]


def line_estimate(blocks: Sequence[Block], chars_per_line: int) -> float:
    """A generous count of printed lines, to skip measuring text that surely fits."""
    lines = 0.0
    for block in blocks:
        kind = block["t"]
        if kind in ("par", "heading"):
            chars = sum(len(run["s"]) + 2 * (run["t"] != "text") for run in block["runs"])
            lines += -(-chars // chars_per_line) + 0.5 * sum(r["t"] == "br" for r in block["runs"])
        elif kind in ("code", "html"):
            lines += sum(max(1, -(-len(line) // chars_per_line)) for line in block["s"].split("\n"))
            lines += 1  # padding
        elif kind == "list":
            lines += sum(line_estimate(item, chars_per_line - 3) for item in block["items"])
        elif kind == "quote":
            lines += line_estimate(block["blocks"], chars_per_line - 3)
        elif kind == "hr":
            lines += 1
        else:
            return float("inf")  # tables: always measure
        lines += 0.6  # block spacing
    return lines


def _weight(block: Block) -> int:
    """A rough line count, to spot blocks worth measuring before keeping them unbroken."""
    kind = block["t"]
    if kind == "code":
        return int(block["s"].count("\n") + 1)
    if kind == "list":
        return sum(_weight(b) for item in block["items"] for b in item)
    if kind == "quote":
        return sum(_weight(b) for b in block["blocks"])
    if kind == "table":
        return len(block["rows"])
    if kind in ("par", "heading"):
        return 1 + sum(len(r["s"]) for r in block["runs"]) // 60
    return 1


def _cloze_markdown(text: str, *, number: int | None, reveal: bool) -> tuple[str, list[str]]:
    """Mark cloze deletions with sentinels; ``number=None`` reveals every deletion.

    Returns the Markdown and the labels of the blanks (``[…]`` or ``[hint]``), by index.
    """
    blanks: list[str] = []

    def mark(match: re.Match[str]) -> str:
        content = match.group(2)
        if number is not None and int(match.group(1)) != number:
            return content
        if reveal:
            return _HL_OPEN + content + _HL_CLOSE
        hint = match.group(3)
        blanks.append(f"[{hint}]" if hint else "[…]")
        return f"{_BLANK_OPEN}{len(blanks) - 1}{_BLANK_CLOSE}"

    return CLOZE_RE.sub(mark, text.translate(_STRIP_SENTINELS)), blanks


class _Inline:
    """Turns inline tokens into flat runs, tracking style across tokens (cloze marks too)."""

    def __init__(self, blanks: Sequence[str], media: Sequence[MediaFile] = ()) -> None:
        self.blanks = blanks
        self.media = {m.ref: m for m in media}
        self.depth = {"b": 0, "i": 0, "a": 0, "m": 0, "hl": 0}
        self.in_blank = False

    def runs(self, children: Sequence[Token]) -> list[Run]:
        out: list[Run] = []
        for index, token in enumerate(children):
            kind = token.type
            if kind in ("text", "html_inline"):
                self._text(token.content, "text", out)
            elif kind == "code_inline":
                self._text(token.content, "code", out)
            elif kind == "softbreak":
                self._text(soft_break_text(children, index), "text", out)
            elif kind == "hardbreak":
                out.append({"t": "br", "s": ""})
            elif kind == "image":
                out.append(self._image(token))
            elif kind in ("wikilink", "embed"):
                self._text(token.content, "text", out)
            elif kind == "hashtag":
                self._text("#" + token.content, "text", out)
            elif kind in ("math_inline", "math_inline_double"):
                out.append(_math_run(self.plain(token.content)))
            elif kind == "footnote_ref":
                self._text(f"[{token.meta.get('id', 0) + 1}]", "text", out)
            elif kind == "task_checkbox":
                self._text("☑ " if token.meta.get("checked") else "☐ ", "text", out)
            elif kind.endswith("_open") or kind.endswith("_close"):
                flag = {"strong": "b", "em": "i", "link": "a", "mark": "m"}.get(
                    kind.rsplit("_", 1)[0]
                )
                if flag:
                    self.depth[flag] += 1 if kind.endswith("_open") else -1
        return out

    def _image(self, token: Token) -> Run:
        """An image run: ``src`` under the media folder, or "" when only its alt text shows."""
        ref = str(token.attrs.get("src", ""))
        alt = self.plain("".join(c.content for c in token.children or []))
        found = self.media.get(ref)
        if found is None or found.audio:
            return {"t": "img", "src": "", "alt": alt, "ref": ref, "audio": bool(found)}
        return {"t": "img", "src": f"{MEDIA_FOLDER}/{found.name}", "alt": alt, "ref": ref}

    def _text(self, text: str, kind: str, out: list[Run]) -> None:
        for part in _SENTINEL_RE.split(text):
            if part == _HL_OPEN:
                self.depth["hl"] += 1
            elif part == _HL_CLOSE:
                self.depth["hl"] = max(0, self.depth["hl"] - 1)
            elif part == _BLANK_OPEN:
                self.in_blank = True
            elif part == _BLANK_CLOSE:
                self.in_blank = False
            elif self.in_blank:
                out.append({"t": "blank", "s": self._blank_label(part)})
            elif part:
                run: Run = {"t": kind, "s": part}
                run.update({flag: True for flag, depth in self.depth.items() if depth > 0})
                out.append(run)

    def _blank_label(self, index: str) -> str:
        return (
            self.blanks[int(index)] if index.isdigit() and int(index) < len(self.blanks) else "[…]"
        )

    def plain(self, text: str) -> str:
        """Text for a code block: blanks as their labels, highlight marks dropped."""
        parts = _SENTINEL_RE.split(text)
        out: list[str] = []
        in_blank = False
        for part in parts:
            if part in (_BLANK_OPEN, _BLANK_CLOSE):
                in_blank = part == _BLANK_OPEN
            elif part not in (_HL_OPEN, _HL_CLOSE):
                out.append(self._blank_label(part) if in_blank else part)
        return "".join(out)


def _blocks(
    tokens: Sequence[Token], start: int, end: int, inline: _Inline
) -> tuple[list[Block], int]:
    """Blocks from ``tokens[start:end]`` until a closing token at this level; returns next index."""
    out: list[Block] = []
    i = start
    while i < end:
        token = tokens[i]
        kind = token.type
        if kind.endswith("_close"):
            return out, i
        if kind in ("paragraph_open", "heading_open"):
            runs = inline.runs(tokens[i + 1].children or [])
            shown = [r for r in runs if r["t"] != "br" and (r["t"] != "text" or r["s"].strip())]
            if kind == "paragraph_open" and shown and all(r["t"] == "img" for r in shown):
                out.append({"t": "figure", "images": shown})
            else:
                out.append({"t": "par" if kind == "paragraph_open" else "heading", "runs": runs})
            i += 3
        elif kind in ("fence", "code_block"):
            lang = language_name(token.info)
            out.append({"t": "code", "s": inline.plain(token.content).rstrip("\n"), "lang": lang})
            i += 1
        elif kind == "html_block":
            out.append({"t": "html", "s": inline.plain(token.content).rstrip("\n")})
            i += 1
        elif kind == "hr":
            out.append({"t": "hr"})
            i += 1
        elif kind in _MATH_BLOCKS:
            out.append({**_math_run(inline.plain(token.content), display=True), "t": "math"})
            i += 1
        elif kind in _TITLED:
            title = _box_title(token, inline)
            inner, i = _blocks(tokens, i + 1, end, inline)
            if kind == "admonition_open" and inner and inner[0]["t"] == "title":
                title = inner.pop(0)["runs"]
            out.append({"t": "box", "kind": _TITLED[kind], "title": title, "blocks": inner})
            i += 1
        elif kind == "admonition_title_open":
            out.append({"t": "title", "runs": inline.runs(tokens[i + 1].children or [])})
            i += 3
        elif kind == "dt_open":
            term = inline.runs(tokens[i + 1].children or [])
            out.append({"t": "par", "runs": [{**r, "b": True} for r in term]})
            i += 3
        elif kind in ("dd_open", "footnote_block_open"):
            inner, i = _blocks(tokens, i + 1, end, inline)
            if kind == "footnote_block_open":
                out.append({"t": "hr"})
            out.append({"t": "quote", "blocks": inner})
            i += 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            block, i = _list(tokens, i, end, inline)
            out.append(block)
        elif kind == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, end, inline)
            out.append({"t": "quote", "blocks": inner})
            i += 1
        elif kind == "table_open":
            block, i = _table(tokens, i, inline)
            out.append(block)
        else:
            i += 1
    return out, i


_MATH_BLOCKS = frozenset(
    {"math_block", "math_block_label", "math_block_eqno", "math_inline_double", "amsmath"}
)
_TITLED = {
    "callout_open": "callout",
    "admonition_open": "admonition",
    "container_docusaurus_open": "admonition",
    "tab_open": "tab",
    "details_open": "details",
}


def _box_title(token: Token, inline: _Inline) -> list[Run]:
    """The title of a callout, Docusaurus block, tab or <details> as runs."""
    if token.type == "callout_open":
        title = token.meta["title"] or token.meta["kind"].capitalize()
    elif token.type == "container_docusaurus_open":
        kind, title = docusaurus_title(token.info)
        title = title or kind.capitalize()
    elif token.type == "tab_open":
        title = token.meta["title"]
    elif token.type == "details_open":
        title = token.meta["summary"]
    else:
        return []
    return inline.runs(markdown().parseInline(title)[0].children or [])


def _math_run(tex: str, *, display: bool = False) -> Run:
    """Math as Typst math when tex2typst converts it; otherwise the TeX, shown verbatim."""
    return {"t": "math", "s": tex_to_typst(tex) or "", "tex": tex.strip(), "display": display}


def with_text_for(blocks: Sequence[Block], math: Set[str], images: Set[str]) -> list[Block]:
    """New blocks in which the given formulas (Typst math) and images (``src``) show as text.

    Parsed blocks are shared (memoised), so they are copied here, never changed in place.
    """

    def change(leaf: Run) -> Run:
        if leaf["t"] == "math" and leaf["s"] in math:
            return {**leaf, "s": ""}
        if leaf["t"] == "img" and leaf["src"] in images:
            return {**leaf, "src": ""}
        return leaf

    out: list[Block] = []
    for block in blocks:
        new = {**change(block)}
        for key in ("runs", "title", "images"):
            if key in new:
                new[key] = [change(run) for run in new[key]]
        if "blocks" in new:
            new["blocks"] = with_text_for(new["blocks"], math, images)
        if new["t"] == "list":
            new["items"] = [with_text_for(item, math, images) for item in new["items"]]
        if new["t"] == "table":
            new["rows"] = [[[change(r) for r in cell] for cell in row] for row in new["rows"]]
        out.append(new)
    return out


def leaves(printed: Iterable[Block]) -> list[Run]:
    """Every run and leaf block (math, figure images) in these blocks, nested ones too."""
    found: list[Run] = []
    for block in printed:
        found.append(block)
        for key in ("runs", "title", "images"):
            found += block.get(key, [])
        found += leaves(block.get("blocks", []))
        for item in block.get("items", []) if block["t"] == "list" else []:
            found += leaves(item)
        for row in block.get("rows", []) if block["t"] == "table" else []:
            found += [run for cell in row for run in cell]
    return found


def _list(tokens: Sequence[Token], i: int, end: int, inline: _Inline) -> tuple[Block, int]:
    opening = tokens[i]
    ordered = opening.type == "ordered_list_open"
    start = int(str(opening.attrs.get("start", 1))) if ordered else 1
    items: list[list[Block]] = []
    tight = True
    i += 1
    while tokens[i].type == "list_item_open":
        item_start = i
        item, i = _blocks(tokens, i + 1, end, inline)
        # markdown-it hides the paragraphs of tight list items
        tight = tight and not any(
            t.type == "paragraph_open" and not t.hidden and t.level == opening.level + 2
            for t in tokens[item_start:i]
        )
        items.append(item)
        i += 1  # list_item_close
    return {"t": "list", "ordered": ordered, "start": start, "tight": tight, "items": items}, i + 1


def _table(tokens: Sequence[Token], i: int, inline: _Inline) -> tuple[Block, int]:
    rows: list[list[list[Run]]] = []
    align: list[str] = []
    i += 1
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrs.get("style", ""))
            if not rows[1:]:
                align.append(style.removeprefix("text-align:") or "left")
            rows[-1].append(inline.runs(tokens[i + 1].children or []))
        i += 1
    return {"t": "table", "align": align, "rows": rows}, i + 1
