"""Table cards: a property table with a header row → "Subject › Row › Column?" per cell."""

from __future__ import annotations

from deckmark.model import CardKind
from deckmark.parse.outline import Table
from deckmark.parse.recipes.collector import SectionCards, TopicState


def table_cards(out: SectionCards, table: Table, state: TopicState) -> None:
    for row in table.rows:
        if not row or not row[0]:
            continue
        for header, cell in zip(table.header[1:], row[1:], strict=False):
            if cell.strip():
                question = f"{state.subject.name} › {row[0]} › {header}?".replace("›  ›", "›")
                out.add(CardKind.FACT, question, cell, table.source)
