"""Helpers shared by the recipe tests: build a fixture's cards, and pick them by heading."""

from __future__ import annotations

from pathlib import Path

from deckmark.model import Card
from deckmark.parse.notes import NotesResult, extract_cards
from deckmark.parse.outline import parse_outline

FIXTURES = Path(__file__).parent / "fixtures" / "notes"


def extract(name: str, text: str | None = None) -> NotesResult:
    """The cards of ``tests/fixtures/notes/<name>``, or of ``text`` read as that file."""
    source = text if text is not None else (FIXTURES / name).read_text(encoding="utf-8")
    return extract_cards(parse_outline(source, name), "deck", set(), key_path=name)


def cards_under(result: NotesResult, heading: str) -> list[Card]:
    return [card for card in result.cards if card.context[-1:] == (heading,)]


def left_out(result: NotesResult, heading: str) -> list[str]:
    """What ``deckmark check`` lists as left for a hand-written card under ``heading``."""
    return [d.message for s in result.sections if s.path[-1:] == (heading,) for d in s.left_out]
