"""Printable PDFs through Typst: duplex cut-out cards and a two-column study sheet.

Cards (``<slug>-cards.pdf``): 2 x 4 cards per sheet, fronts on odd pages and backs on even
pages, each back mirrored behind its front: long-edge flip reverses the columns, short-edge
flip reverses the rows. Empty slots stay empty on the last sheet so positions still pair up.

With ``duplex="none"`` (manual duplex) two files are written instead:
``<slug>-cards-fronts.pdf`` and ``<slug>-cards-backs.pdf``. The backs are laid out for a
long-edge flip and come in reverse page order, so after printing the fronts the stack is put
back face down and the backs file printed onto it.

Answers that do not fit a card at the floor size are split over continuation cards marked
"(cont. k/n)", found in two passes: Typst reports the size it fits each measured card side at
(``<fit>``), with the heights of what overflows at the floor size; Python splits those answers,
measures the new parts, and compiles once with every size known. Every split card is
reported as a warning.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckmark.exporters import Export, ExportOptions
from deckmark.exporters.chunking import ChunkSizes, chunk_ranges
from deckmark.exporters.pdf_pages import ColumnFlow, assembled, stamped
from deckmark.exporters.typst_jobs import (
    PdfError,
    TypstRejectedError,
    fonts_key,
    in_child,
    in_children,
    typst_pdf,
    typst_pdf_file,
    typst_query,
)
from deckmark.model import Card, Deck, Diagnostic
from deckmark.output import atomic_file
from deckmark.render.typst_data import (
    MEDIA_FOLDER,
    Block,
    Overflow,
    PrintedCard,
    known_fields,
    leaves,
    line_estimate,
    printed_cards,
    resplit,
    sheet_entry,
    split_card,
    with_text_for,
)

if TYPE_CHECKING:
    from deckmark.cache import BuildCache

__all__ = ["PdfError", "TypstRejectedError"]

FRONT_SIZE = 10.5
"""Question size in pt before shrinking."""
BACK_SIZE = 9.5
"""Answer size in pt before shrinking."""
FLOOR_SIZE = 5.5
"""Smallest text size in pt a card shrinks to before the answer continues on another card."""

# Text estimated (generously) to need at most this many lines is laid out without measuring:
# most cards are short, and measuring is what costs time.
CHARS_PER_LINE = 34
FRONT_LINES = 8
BACK_LINES = 10

MAX_SPLIT_PASSES = 4

CARD_CHUNKS = ChunkSizes(minimum=448, maximum=768, spread=64)
"""Chunks of the cards PDF, in printed cards: about 64 sheets and 130 MB of Typst a chunk.
A chunk starts on a fresh sheet: about half a sheet of empty slots a chunk, under 1 %."""
STAMP_PAGES = 512
"""Pages of card numbers laid out by one Typst process (about 120 MB)."""
FIT_BATCH = 256
"""Cards measured by one Typst process (only cards whose text may not fit are measured)."""
CARD_WORKERS = 2
"""Typst processes laying out card chunks at once (the machines have two cores or more)."""

NOTES = {
    "long": "Print at 100 % (actual size, no fit to page), double-sided, flip on long edge. "
    "Cut along the grey lines.",
    "short": "Print at 100 % (actual size, no fit to page), double-sided, flip on short edge. "
    "Cut along the grey lines.",
    "none": "Print at 100 % (actual size). Then put the stack back face down and print the "
    "backs file on it. Cut along the grey lines.",
}


SHEET_CHUNKS = ChunkSizes(minimum=400_000, maximum=900_000, spread=300)
"""Chunks of the study sheet, weighed in characters of their data (about 280 an entry): some
25 pages of two columns, about 170 MB of Typst; the last column of a chunk ends early."""
SHEET_MM = {"margin_x": 12.0, "margin_top": 13.0, "gutter": 6.0}
"""The sheet's page geometry that joining its chunks needs (as in sheet.typ)."""

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetLayout:
    """Where the cards sit on a sheet, in mm."""

    paper: str
    page_w: float
    page_h: float
    card_w: float
    card_h: float
    gutter: float = 3.0
    """Space between cards; the cut line runs in its middle."""
    inset: float = 4.0
    """Safe margin inside a card, so duplex drift and a rough cut never clip text."""
    rows: int = 4
    cols: int = 2

    @property
    def per_sheet(self) -> int:
        return self.rows * self.cols


LAYOUTS = {
    "a4": SheetLayout(paper="a4", page_w=210.0, page_h=297.0, card_w=92.0, card_h=66.0),
    "letter": SheetLayout(paper="us-letter", page_w=215.9, page_h=279.4, card_w=96.0, card_h=62.0),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    """A card's position on one page: row, column and index in the printed cards."""

    r: int
    c: int
    card: int


def back_slot(r: int, c: int, layout: SheetLayout, duplex: str) -> tuple[int, int]:
    """Where the back of slot (r, c) goes so it lands behind its front after the flip."""
    if duplex == "short":
        return layout.rows - 1 - r, c
    return r, layout.cols - 1 - c


def card_pages(count: int, layout: SheetLayout, duplex: str) -> list[tuple[str, list[Slot]]]:
    """Pages as (side, slots): each sheet's fronts, then its mirrored backs."""
    pages: list[tuple[str, list[Slot]]] = []
    for first in range(0, count, layout.per_sheet):
        fronts, backs = [], []
        for i in range(first, min(first + layout.per_sheet, count)):
            r, c = divmod(i - first, layout.cols)
            fronts.append(Slot(r=r, c=c, card=i))
            br, bc = back_slot(r, c, layout, duplex)
            backs.append(Slot(r=br, c=bc, card=i))
        pages += [("front", fronts), ("back", backs)]
    return pages


def export_cards_pdf(
    deck: Deck, out_dir: Path, options: ExportOptions, *, cache: BuildCache | None = None
) -> Export:
    """Write the duplex cut-out cards: ``<slug>-cards.pdf`` (or fronts and backs files)."""
    layout = LAYOUTS[options.paper]
    kind = f"typst-{deck.slug}-cards"
    with _workspace(deck) as root:
        with _fields_cached(cache, kind):
            printed = printed_cards(deck.cards)
        shown, math, images = _check_shown(root, [(p.card, [*p.front, *p.back]) for p in printed])
        if math or images:
            printed = [
                replace(
                    p,
                    front=tuple(with_text_for(p.front, math, images)),
                    back=tuple(with_text_for(p.back, math, images)),
                )
                for p in printed
            ]
        chunks = _Chunks(cache=cache, kind=kind) if cache else None
        cards, problems, sizes = _fit_cards(root, printed, deck.name, layout, chunks)
        del printed  # the cards as fitted are what is laid out
        warnings = shown + _continuation_warnings(cards) + problems
        compile_to = partial(_compile_cards, root, cards, deck.name, layout, options.duplex, sizes)
        if options.duplex == "none":
            fronts = out_dir / f"{deck.slug}-cards-fronts.pdf"
            backs = out_dir / f"{deck.slug}-cards-backs.pdf"
            joined = root / "joined.pdf"
            pages = list(range(compile_to(chunks, joined, None)))
            with atomic_file(fronts) as file:
                _pages_of(joined, pages[0::2], file)
            with atomic_file(backs) as file:
                _pages_of(joined, pages[1::2][::-1], file)
            return Export(paths=(fronts, backs), warnings=tuple(warnings))
        path = out_dir / f"{deck.slug}-cards.pdf"
        flip = "/DuplexFlipLongEdge" if options.duplex == "long" else "/DuplexFlipShortEdge"
        with atomic_file(path) as file:
            compile_to(chunks, file, flip)
    return Export(paths=(path,), warnings=tuple(warnings))


def export_sheet_pdf(
    deck: Deck, out_dir: Path, options: ExportOptions, *, cache: BuildCache | None = None
) -> Export:
    """Write the study sheet ``<slug>-sheet.pdf``: sections in notes order, two columns."""
    kind = f"typst-{deck.slug}-sheet"
    with _fields_cached(cache, kind):
        sections = [
            (path, [(card, sheet_entry(card)) for card in cards])
            for path, cards in sheet_sections(deck)
        ]
    path = out_dir / f"{deck.slug}-sheet.pdf"
    with _workspace(deck) as root:
        shown = [(card, [*e["q"], *e["a"]]) for _, entries in sections for card, e in entries]
        warnings, math, images = _check_shown(root, shown)
        if math or images:
            sections = [
                (
                    path,
                    [
                        (
                            card,
                            {
                                **entry,
                                "q": with_text_for(entry["q"], math, images),
                                "a": with_text_for(entry["a"], math, images),
                            },
                        )
                        for card, entry in entries
                    ],
                )
                for path, entries in sections
            ]
        layout = LAYOUTS[options.paper]
        chunks = _Chunks(cache=cache, kind=kind) if cache else None
        with atomic_file(path) as file:
            _compile_sheet(root, deck.name, layout, sections, chunks, file)
    return Export(paths=(path,), warnings=tuple(warnings))


def _compile_sheet(
    root: Path,
    title: str,
    layout: SheetLayout,
    sections: Sequence[tuple[tuple[str, ...], Sequence[tuple[Card, dict[str, Any]]]]],
    cache: _Chunks | None,
    out_file: Path,
) -> None:
    """The study sheet written to ``out_file``, laid out in chunks of whole entries (see
    deckmark.exporters.pdf_pages).

    A chunk may start inside a section: it goes on without the heading, as the sheet does when
    a column ends inside a section."""
    flat = [(n, entry) for n, (_, entries) in enumerate(sections) for _, entry in entries]
    weighed = [(card.key, len(_json(entry))) for _, entries in sections for card, entry in entries]
    page = {"title": title, "page_w": layout.page_w, "page_h": layout.page_h}

    def chunks() -> Iterator[str]:
        for number, items in enumerate(chunk_ranges(weighed, SHEET_CHUNKS)):
            parts: list[dict[str, Any]] = []
            for i in items:
                section, entry = flat[i]
                if i == items.start or flat[i - 1][0] != section:
                    heading = i == 0 or flat[i - 1][0] != section  # else it continues a section
                    path = list(sections[section][0]) if heading else []
                    parts.append({"path": path, "cards": []})
                parts[-1]["cards"].append(entry)
            mode = "first" if number == 0 else "column"
            yield _json({**page, "mode": mode, "sections": parts})

    laid_out = _laid_out(root, "sheet.typ", chunks(), "<sheet-end>", cache, workers=1)
    top = SHEET_MM["margin_top"] * PT_PER_MM
    whole: list[tuple[str, int]] = []
    used: list[int] = []
    right_free = False
    for number, (pdf, [end]) in enumerate(laid_out):
        empty_at_end = end["y"] <= top + 0.5 and end["page"] > 1  # a full page or column
        if number == 0:
            left = end["x"] < layout.page_w * PT_PER_MM / 2
            whole.append((str(pdf), end["page"] - (empty_at_end and left)))
            right_free = left != empty_at_end
        else:
            used.append(end["page"] - empty_at_end)
    columns = sum(used)
    pages = whole[0][1] + math.ceil(max(0, columns - right_free) / 2)
    column_w = (layout.page_w - 2 * SHEET_MM["margin_x"] - SHEET_MM["gutter"]) / 2
    flow = ColumnFlow(
        pdfs=tuple(str(pdf) for pdf, _ in laid_out[1:]),
        used=tuple(used),
        x=(
            SHEET_MM["margin_x"] * PT_PER_MM,
            (SHEET_MM["margin_x"] + column_w + SHEET_MM["gutter"]) * PT_PER_MM,
        ),
        right_free=right_free,
    )
    footers = _json({**page, "mode": "footer", "pages": pages})
    in_child(stamped, str(root), "sheet.typ", footers, whole, flow if used else None, str(out_file))


@contextlib.contextmanager
def _fields_cached(cache: BuildCache | None, kind: str) -> Iterator[None]:
    """Convert the cards' fields to Typst blocks with those the last build of this PDF
    converted taken from the cache, and keep this build's for the next: after editing one file,
    only its fields are converted again."""
    from deckmark.cache import cache_key

    if cache is None:
        yield
        return
    key = cache_key("fields")
    known = cache.get(kind, key)
    with known_fields(known if isinstance(known, dict) else {}) as converted:
        yield
    cache.put(kind, key, converted)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Chunks:
    """Where the Typst chunks of one PDF of one deck are kept."""

    cache: BuildCache
    kind: str


def _laid_out(
    root: Path,
    template: str,
    chunks: Iterable[str],
    selector: str | None,
    cache: _Chunks | None,
    workers: int,
) -> list[tuple[Path, list[dict[str, Any]]]]:
    """Each chunk's PDF (a file in ``root``) and what ``selector`` finds in it; chunks laid out
    before (the same data, templates, fonts and deckmark) come from the cache, the others
    ``workers`` at a time.

    Data and PDFs go through files, one chunk's data in memory at a time: the build process
    never holds a whole document's data or pages (at 20,000 sections, 130 MB of each)."""
    from deckmark.cache import cache_key

    folder = Path(tempfile.mkdtemp(dir=root, prefix="chunks-"))
    found: list[tuple[Path, str | None]] = []
    missing: list[tuple[int, str]] = []
    jobs = []
    for n, data in enumerate(chunks):
        key = cache_key("typst", template, data, fonts_key())
        pdf = folder / f"{n}.pdf"
        query = _cached_layout(cache, key, pdf) if cache is not None else None
        if query is None:
            data_file = folder / f"{n}.json"
            data_file.write_text(data, encoding="utf-8")
            jobs.append((typst_pdf_file, (str(root), template, str(data_file), str(pdf), selector)))
            missing.append((n, key))
        found.append((pdf, query))
    for (n, key), query in zip(missing, in_children(jobs, workers), strict=True):
        found[n] = (found[n][0], query)
        if cache is not None:
            cache.cache.put_file(cache.kind, key, found[n][0])
            cache.cache.put(cache.kind, key, query)
    return [(pdf, json.loads(query or "[]")) for pdf, query in found]


def _cached_layout(cache: _Chunks, key: str, pdf: Path) -> str | None:
    """What the chunk's query found, its PDF copied to ``pdf``; None if not both are kept."""
    query = cache.cache.get(cache.kind, key)
    if isinstance(query, str) and cache.cache.get_file(cache.kind, key, pdf):
        return query
    return None


@contextlib.contextmanager
def _workspace(deck: Deck) -> Iterator[Path]:
    """A Typst root holding the templates and the deck's media (Typst reads only inside it)."""
    with tempfile.TemporaryDirectory(prefix="deckmark-typst-") as tmp:
        root = Path(tmp)
        for template in resources.files("deckmark.render").iterdir():
            if template.name.endswith(".typ"):
                (root / template.name).write_bytes(template.read_bytes())
        media = root / MEDIA_FOLDER
        media.mkdir()
        for card in deck.cards:
            for file in card.media:
                if not file.audio and Path(file.name).suffix in _TYPST_IMAGES:
                    shutil.copyfile(file.path, media / file.name)
        yield root


_TYPST_IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
_PROBE = '#import "content.typ": blocks\n#blocks(json(bytes(sys.inputs.data)))\n'


def _check_shown(
    root: Path, sides: Sequence[tuple[Card, Sequence[Block]]]
) -> tuple[list[Diagnostic], set[str], set[str]]:
    """Warnings, and the formulas and images Typst cannot show (they fall back to text).

    Math tex2typst could not convert is already text; the rest is tried in Typst together,
    and one by one only when that fails (a bad formula or image would stop the whole PDF).
    """
    warnings: dict[tuple[str, str], Diagnostic] = {}

    def warn(card: Card, message: str) -> None:
        warnings.setdefault(
            (str(card.source), message), Diagnostic(location=card.source, message=message)
        )

    def cannot_show(card: Card, leaf: Block, why: str) -> None:
        if leaf["t"] == "math":
            warn(card, f"math shown as written in the PDF ({why}): {leaf['tex']}")
        else:
            warn(card, f"image {leaf['ref']} cannot be shown in the PDF ({why}); alt text instead")

    trial: dict[tuple[str, str], tuple[Card, Block]] = {}
    for card, side in sides:
        for leaf in leaves(side):
            if leaf["t"] == "math" and not leaf["s"]:
                cannot_show(card, leaf, "no Typst form")
            elif leaf["t"] == "math":
                trial.setdefault(("math", leaf["s"]), (card, leaf))
            elif leaf["t"] == "img" and leaf["src"]:
                trial.setdefault(("img", leaf["src"]), (card, leaf))
            elif leaf["t"] == "img" and re.match(r"^https?://", leaf["ref"], re.IGNORECASE):
                warn(card, f"remote image {leaf['ref']} shown as its alt text in the PDF")
    math: set[str] = set()
    images: set[str] = set()
    if trial and not _renders(root, [leaf for _, leaf in trial.values()]):
        for (kind, key), (card, leaf) in trial.items():
            if kind == "img" and not (root / key).is_file():
                images.add(key)
                cannot_show(card, leaf, "not a format Typst reads")
            elif not _renders(root, [leaf]):
                (math if kind == "math" else images).add(key)
                cannot_show(card, leaf, "Typst rejected it")
    return list(warnings.values()), math, images


def _renders(root: Path, leaves_: Sequence[Block]) -> bool:
    (root / "probe.typ").write_text(_PROBE, encoding="utf-8")
    blocks = [
        leaf if leaf["t"] in ("math", "figure") else {"t": "par", "runs": [leaf]}
        for leaf in leaves_
    ]
    try:
        in_child(typst_pdf, str(root), "probe.typ", _json(blocks))
    except TypstRejectedError:
        return False
    return True


def sheet_sections(deck: Deck) -> list[tuple[tuple[str, ...], list[Card]]]:
    """Sections in notes order, each with its cards and the hand-written cards covering it.

    A card appears once, under the first section that lists it; cards no section lists go
    at the end under "More cards" (grouped by context when the deck has no sections).
    """
    by_key = {card.key: card for card in deck.cards}
    placed: set[str] = set()
    groups: list[tuple[tuple[str, ...], list[Card]]] = []
    for section in deck.sections:
        cards = []
        for key in (*section.card_keys, *section.covered_by):
            if key in by_key and key not in placed:
                placed.add(key)
                cards.append(by_key[key])
        if cards:
            groups.append((section.path, cards))
    rest = [card for card in deck.cards if card.key not in placed]
    if rest and deck.sections:
        groups.append((("More cards",), rest))
    elif rest:
        by_context: dict[tuple[str, ...], list[Card]] = {}
        for card in rest:
            by_context.setdefault(card.context, []).append(card)
        groups += list(by_context.items())
    return groups


def _fit_cards(
    root: Path, cards: list[PrintedCard], title: str, layout: SheetLayout, cache: _Chunks | None
) -> tuple[list[PrintedCard], list[Diagnostic], dict[int, dict[str, float]]]:
    """Split cards that overflow at the floor size until every card fits (or cannot split).

    Typst measures only the cards whose text may not fit, in a document of just those, and
    after a split only the parts of the cards that overflowed: a card's fit depends on its own
    text alone, so the work grows with the cards that need it, not with the deck. Returns the
    cards, the problems, and the text size found for each measured side (by card index), so
    the final layout does not measure again.
    """
    pending = [i for i, card in enumerate(cards) if any(_measured_sides(card))]
    overflows: dict[int, dict[str, Overflow]] = {}
    sizes: dict[int, dict[str, float]] = {}
    for attempt in range(MAX_SPLIT_PASSES + 1):
        overflows, found = _fits(root, [cards[i] for i in pending], title, layout, pending, cache)
        for i, measured in found.items():
            sizes.setdefault(i, {}).update(measured)
        if not overflows or attempt == MAX_SPLIT_PASSES:
            break
        result: list[PrintedCard] = []
        kept: dict[int, dict[str, float]] = {}  # sizes of the cards that stay as they are
        changed: list[int] = []  # indices in ``result`` of the cards that overflowed
        for i, card in enumerate(cards):
            sides = overflows.get(i, {})
            if not sides:
                if i in sizes:
                    kept[len(result)] = sizes[i]
                result.append(card)
                continue
            first = len(result)
            if card.parts == 1:
                result += split_card(card, sides.get("front"), sides.get("back"))
            else:
                result += resplit(card, front="front" in sides, back="back" in sides)
            changed += range(first, len(result))
        if len(result) == len(cards):
            break  # nothing left that splitting can help
        cards, sizes = _renumber(result), kept  # _renumber keeps every card's place
        pending = [i for i in changed if any(_measured_sides(cards[i]))]
    cut_off = {
        (cards[i].card.source, cards[i].variant, side)
        for i, sides in overflows.items()
        for side in sides
    }
    problems = [
        Diagnostic(
            location=source,
            message=f"{'question' if side == 'front' else 'answer'} too long for one printed "
            "card even when continued; its end is cut off",
        )
        for source, _, side in sorted(cut_off)
    ]
    return cards, problems, sizes


def _fits(
    root: Path,
    cards: list[PrintedCard],
    title: str,
    layout: SheetLayout,
    indices: list[int],
    cache: _Chunks | None,
) -> tuple[dict[int, dict[str, Overflow]], dict[int, dict[str, float]]]:
    """What Typst measured on ``cards``, keyed by ``indices`` (their places in the deck): the
    sides that overflow at the floor size, and the size each measured side is laid out at.

    A card's fit depends on its own text alone: each is cached under the data of a document of
    that card only, and the others are measured ``FIT_BATCH`` cards a Typst process."""
    from deckmark.cache import cache_key

    keys = [
        cache_key("fit", _json(_cards_data([card], title, layout, "long")), fonts_key())
        for card in cards
    ]
    measured: list[list[dict[str, Any]] | None] = [
        _cached_fit(cache, key) if cache is not None else None for key in keys
    ]
    missing = [i for i, found in enumerate(measured) if found is None]
    batches = [missing[n : n + FIT_BATCH] for n in range(0, len(missing), FIT_BATCH)]
    jobs = [
        (
            typst_query,
            (
                str(root),
                "cards.typ",
                _json(_cards_data([cards[i] for i in batch], title, layout, "long")),
                "<fit>",
            ),
        )
        for batch in batches
    ]
    for batch, found in zip(batches, in_children(jobs, CARD_WORKERS), strict=True):
        for i in batch:
            measured[i] = []
        for o in json.loads(found):
            measured[batch[o["card"]]].append({**o, "card": 0})
        for i in batch:
            if cache is not None:
                cache.cache.put(cache.kind, keys[i], measured[i])
    overflows: dict[int, dict[str, Overflow]] = {}
    sizes: dict[int, dict[str, float]] = {}
    for index, found_for_card in zip(indices, measured, strict=True):
        for o in found_for_card or ():
            sizes.setdefault(index, {})[o["side"]] = o["size"]
            if o["heights"] is not None:
                overflow = Overflow(heights=tuple(o["heights"]), available=o["available"])
                overflows.setdefault(index, {})[o["side"]] = overflow
    return overflows, sizes


def _cached_fit(cache: _Chunks, key: str) -> list[dict[str, Any]] | None:
    value = cache.cache.get(cache.kind, key)
    if isinstance(value, list) and all(isinstance(o, dict) for o in value):
        return value
    return None


def _measured_sides(card: PrintedCard) -> tuple[bool, bool]:
    """Whether Typst must measure the front and the back (short text surely fits unmeasured)."""
    return (
        line_estimate(card.front, CHARS_PER_LINE) > FRONT_LINES,
        line_estimate(card.back, CHARS_PER_LINE) > BACK_LINES,
    )


def _renumber(cards: list[PrintedCard]) -> list[PrintedCard]:
    """Number the consecutive parts of one card 1..n again after a further split."""
    out: list[PrintedCard] = []
    i = 0
    while i < len(cards):
        j = i + 1
        while (
            cards[i].parts > 1
            and j < len(cards)
            and cards[j].card is cards[i].card
            and cards[j].variant == cards[i].variant
        ):
            j += 1
        out += [replace(c, part=k, parts=j - i) for k, c in enumerate(cards[i:j], start=1)]
        i = j
    return out


def _continuation_warnings(cards: Sequence[PrintedCard]) -> list[Diagnostic]:
    """One warning per continued card, naming the side that did not fit."""
    warnings = []
    for i, card in enumerate(cards):
        if card.part != 1 or card.parts == 1:
            continue
        group = cards[i : i + card.parts]
        split = [
            side
            for side, differs in (
                ("question", any(c.front != card.front for c in group)),
                ("answer", any(c.back != card.back for c in group)),
            )
            if differs
        ]
        warnings.append(
            Diagnostic(
                location=card.card.source,
                message=f"{' and '.join(split) or 'answer'} too long for one printed card; "
                f"continued on {card.parts} cards",
            )
        )
    return warnings


def _cards_data(
    cards: Sequence[PrintedCard],
    title: str,
    layout: SheetLayout,
    duplex: str,
    sizes: dict[int, dict[str, float]] | None = None,
) -> dict[str, Any]:
    """The cards template's data; ``sizes``: text sizes already found (by card and side)."""
    sizes = sizes or {}
    return {
        **_cards_page(title, layout, duplex, "cards"),
        "pages": _pages_json(card_pages(len(cards), layout, _flip(duplex))),
        "cards": [
            {
                **card.as_json(),
                "measure_front": front,
                "measure_back": back,
                **{f"{side}_size": size for side, size in sizes.get(i, {}).items()},
            }
            for i, card in enumerate(cards)
            for front, back in [_measured_sides(card)]
        ],
    }


def _cards_page(title: str, layout: SheetLayout, duplex: str, mode: str) -> dict[str, Any]:
    return {
        "mode": mode,
        "title": title,
        "note": NOTES[duplex],
        "geometry": {
            "page_w": layout.page_w,
            "page_h": layout.page_h,
            "card_w": layout.card_w,
            "card_h": layout.card_h,
            "gutter": layout.gutter,
            "inset": layout.inset,
            "rows": layout.rows,
            "cols": layout.cols,
        },
        "sizes": {"front": FRONT_SIZE, "back": BACK_SIZE, "floor": FLOOR_SIZE},
    }


def _pages_json(pages: Sequence[tuple[str, Sequence[Slot]]]) -> list[Any]:
    return [
        {"side": side, "slots": [{"r": s.r, "c": s.c, "card": s.card} for s in slots]}
        for side, slots in pages
    ]


def _flip(duplex: str) -> str:
    return "long" if duplex == "none" else duplex  # manual duplex: backs laid out for long edge


def _compile_cards(
    root: Path,
    cards: list[PrintedCard],
    title: str,
    layout: SheetLayout,
    duplex: str,
    sizes: dict[int, dict[str, float]],
    cache: _Chunks | None,
    out_file: Path,
    flip: str | None,
) -> int:
    """The cards PDF written to ``out_file`` (``flip``: its viewer preferences' duplex), laid
    out in chunks of whole sheets, pages joined; its number of pages.

    A chunk of whole sheets is laid out exactly as in one document (a sheet depends on its own
    cards alone) and runs in its own process, so memory is bounded by the chunk. Chunks are cut
    by the cards' keys (deckmark.exporters.chunking), each starting on a fresh sheet, so one
    edited file changes only its own chunks; the cards' numbers, which count through the deck,
    are laid out in a stamp document and drawn over the joined pages.
    """
    ranges = chunk_ranges([(_card_key(card), 1) for card in cards], CARD_CHUNKS)
    chunks = (
        _json(
            _cards_data(
                cards[r.start : r.stop],
                title,
                layout,
                duplex,
                {i - r.start: sizes[i] for i in r if i in sizes},
            )
        )
        for r in ranges
    )
    laid_out = _laid_out(root, "cards.typ", chunks, None, cache, CARD_WORKERS)
    pages = [card_pages(len(r), layout, _flip(duplex)) for r in ranges]
    numbered = [
        {
            "side": side,
            "slots": [
                {"r": s.r, "c": s.c, "card": r.start + s.card}
                | {"part": cards[r.start + s.card].part, "parts": cards[r.start + s.card].parts}
                for s in slots
            ],
        }
        for r, chunk_pages in zip(ranges, pages, strict=True)
        for side, slots in chunk_pages
    ]
    numbers = _cards_page(title, layout, duplex, "numbers")
    pieces = (_json({**numbers, "pages": piece}) for piece in _pieces(numbered, STAMP_PAGES))
    stamps = [
        str(pdf) for pdf, _ in _laid_out(root, "cards.typ", pieces, None, cache, CARD_WORKERS)
    ]
    whole = [
        (str(pdf), len(chunk_pages)) for (pdf, _), chunk_pages in zip(laid_out, pages, strict=True)
    ]
    return in_child(assembled, whole, stamps, None, str(out_file), flip)


def _pieces(pages: list[Any], size: int) -> list[list[Any]]:
    return [pages[n : n + size] for n in range(0, max(len(pages), 1), size)]


def _card_key(card: PrintedCard) -> str:
    return f"{card.card.key}/{card.variant}/{card.part}"


def _query(root: Path, template: str, data: dict[str, Any], selector: str) -> list[dict[str, Any]]:
    found = in_child(typst_query, str(root), template, _json(data), selector)
    result: list[dict[str, Any]] = json.loads(found)
    return result


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def _pages_of(pdf: Path, pages: list[int], out_file: Path) -> None:
    """Write ``pages`` of ``pdf`` (in that order) to ``out_file``, with viewer preferences
    for printing at actual size, one-sided."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(pdf)
    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    prefs = writer.create_viewer_preferences()
    prefs[NameObject("/PrintScaling")] = NameObject("/None")
    prefs[NameObject("/Duplex")] = NameObject("/Simplex")
    writer.write(out_file)
