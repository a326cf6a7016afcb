"""Plain-text reports for the terminal."""

from __future__ import annotations

import re
from collections import Counter

from deckmark.model import Deck

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Controls (an ESC can retitle or rewrite the terminal), line separators, bidi overrides."""


def terminal_text(text: str) -> str:
    """``text`` with every character that would act on the terminal shown as an escape."""
    return _UNPRINTABLE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def coverage_report(deck: Deck) -> str:
    """Every heading of the notes with the cards it produced, or why none."""
    kinds = {card.key: card.kind.value for card in deck.cards}
    lines = [f"{deck.name} ({len(deck.cards)} notes)"]
    current_file = ""
    for section in deck.sections:
        if section.source.path != current_file:
            current_file = section.source.path
            lines.append(f"  {current_file}")
        indent = "  " * len(section.path)
        title = f"{indent}{section.path[-1] if section.path else '(before the first heading)'}"
        if section.card_keys:
            counts = Counter(kinds.get(key, "?") for key in section.card_keys)
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
            n = len(section.card_keys)
            status = f"{n} card{'s' if n != 1 else ''} ({detail})"
        elif section.covered_by:
            status = f"covered by {len(section.covered_by)} hand-written cards"
        else:
            status = f"no cards: {section.reason or 'no content'}"
        lines.append(f"  {title:<62} {status}  [line {section.source.line}]")
        for left in section.left_out:
            where = f"line {left.location.line}"
            lines.append(f"  {indent}  left for a hand-written card ({where}): {left.message}")
    written = [c for c in deck.cards if c.kind.value == "written"]
    if written:
        files = Counter(c.source.path for c in written)
        for path, n in sorted(files.items()):
            lines.append(f"  {path}: {n} hand-written cards")
    return "\n".join(lines)
