"""Footnotes go with the cards citing them: ``[^1]`` becomes ``[1]``, its text ends the answer."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from deckmark.model import Card

_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:\s*")


def with_footnotes(cards: Sequence[Card], footnotes: Mapping[str, str]) -> list[Card]:
    """Each card with its footnote references numbered and their texts after its answer."""
    if not footnotes:
        return list(cards)
    numbers = {label: n for n, label in enumerate(footnotes, 1)}
    out = []
    for card in cards:
        cited = [
            label
            for label in dict.fromkeys(_REF.findall(f"{card.prompt}\n{card.front}\n{card.back}"))
            if label in numbers
        ]
        if not cited:
            out.append(card)
            continue

        def number(match: re.Match[str]) -> str:
            label = match.group(1)
            return f"[{numbers[label]}]" if label in numbers else match.group(0)

        notes = [f"[{numbers[label]}] {_DEFINITION.sub('', footnotes[label])}" for label in cited]
        back = "\n\n".join([_REF.sub(number, card.back), *notes]).strip()
        out.append(
            replace(
                card,
                front=_REF.sub(number, card.front),
                prompt=_REF.sub(number, card.prompt),
                back=back,
            )
        )
    return out
