"""Question/answer cards: a heading phrased as a question is asked as written; its body answers."""

from __future__ import annotations

from deckmark.model import CardKind
from deckmark.parse.outline import Block, CodeBlock
from deckmark.parse.outline import Section as OutlineSection
from deckmark.parse.recipes import code
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, block_markdown


def question_cards(out: SectionCards, section: OutlineSection, blocks: list[Block]) -> None:
    answer = "\n\n".join(block_markdown(b) for b in blocks)
    out.add(CardKind.FACT, section.title, answer, blocks[0].source)
    for block in blocks:
        if isinstance(block, CodeBlock):
            subject = ph.Subject(section.title.rstrip("?"))
            code.code_cards(out, block, subject, None, block_card=False)
