"""Text exports: Anki's text-import file and a Quizlet term/definition list.

The Anki file carries the same GUIDs, note types, field order and HTML as the ``.apkg``
(``deckmark.exporters.anki``), so importing either updates the same notes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from markdown_it.token import Token

from deckmark.exporters import Export, ExportOptions
from deckmark.markdown import parse, soft_break_text
from deckmark.model import CLOZE_RE, Card, Deck
from deckmark.output import write_atomic

_BLANK = "\ue000"
"""Stands for a cloze blank while the Markdown is parsed (``___`` would read as a rule)."""


def export_anki_txt(
    deck: Deck, out_dir: Path, options: ExportOptions, *, cache: object = None
) -> Export:
    """Write ``<out_dir>/<deck.slug>.txt`` in Anki's text import format (File > Import)."""
    from deckmark.exporters.anki import card_fields, card_tags, deck_name, note_type_name

    rows = [
        [
            card.guid,
            note_type_name(card),
            deck_name(deck, card),
            *card_fields(card, options.source_link),
        ]
        for card in deck.cards
    ]
    width = max((len(row) for row in rows), default=3)
    buffer = io.StringIO()
    buffer.write(
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        f"#tags column:{width + 1}\n"
    )
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    for card, row in zip(deck.cards, rows, strict=True):
        writer.writerow([*row, *[""] * (width - len(row)), " ".join(card_tags(card))])
    path = out_dir / f"{deck.slug}.txt"
    write_atomic(path, buffer.getvalue().encode("utf-8"))
    return Export(paths=(path,))


def export_quizlet(
    deck: Deck, out_dir: Path, options: ExportOptions, *, cache: object = None
) -> Export:
    """Write ``<out_dir>/<deck.slug>-quizlet.txt``: plain ``term<TAB>definition`` lines.

    Paste it into Quizlet's import with "Tab" between term and definition and "New line"
    between rows. A cloze note gives one row per deletion number: the text with that blank as
    ``___`` is the term, the deleted text the definition.
    """
    lines = [
        f"{term}\t{definition}\n" for card in deck.cards for term, definition in quizlet_rows(card)
    ]
    path = out_dir / f"{deck.slug}-quizlet.txt"
    write_atomic(path, "".join(lines).encode("utf-8"))
    return Export(paths=(path,))


def quizlet_rows(card: Card) -> list[tuple[str, str]]:
    """The card's (term, definition) rows as single-line plain text."""
    if not card.is_cloze:
        return [(_with_context(card, plain_text(card.front)), plain_text(card.back))]
    rows = []
    for number in card.cloze_numbers:
        answers: list[str] = []

        def blank(m: re.Match[str], number: int = number, answers: list[str] = answers) -> str:
            if int(m.group(1)) != number:
                return m.group(2)
            answers.append(m.group(2))
            return _BLANK

        text = CLOZE_RE.sub(blank, card.front)
        term = plain_text(f"{card.prompt}\n\n{text}" if card.prompt else text)
        term = term.replace(_BLANK, "___")
        definition = "; ".join(plain_text(a) for a in answers)
        if card.back:
            definition += f" ({plain_text(card.back)})"
        rows.append((_with_context(card, term), definition))
    return rows


def plain_text(markdown: str) -> str:
    """Markdown as one line of plain text: markup dropped, blocks and lines joined by ``; ``."""
    segments: list[str] = []
    row: list[str] | None = None  # cells of the table row being read
    for token in parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            segments.append(" | ".join(row))
            row = None
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            (row if row is not None else segments).append(text)
        elif token.type in ("fence", "code_block", "html_block"):
            segments.extend(token.content.splitlines())
        elif token.type.startswith("math_block") or token.type == "amsmath":
            segments.append(f"\\[{token.content.strip()}\\]")
    return "; ".join(s for s in (" ".join(s.split()) for s in segments) if s)


def _inline_text(children: list[Token]) -> str:
    parts = []
    for index, child in enumerate(children):
        if child.type in ("text", "code_inline", "html_inline", "wikilink", "embed"):
            parts.append(child.content)
        elif child.type == "hashtag":
            parts.append("#" + child.content)
        elif child.type == "math_inline":
            parts.append(f"\\({child.content}\\)")
        elif child.type == "softbreak":
            parts.append(soft_break_text(children, index))
        elif child.type == "hardbreak":
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return re.sub(r"<br\s*/?>", " ", "".join(parts), flags=re.IGNORECASE)


def _with_context(card: Card, term: str) -> str:
    """Prefix the nearest heading when the term does not mention it (cards are read alone)."""
    heading = card.context[-1] if card.context else ""
    if not heading or heading.lower() in term.lower():
        return term
    return f"{heading}: {term}"
