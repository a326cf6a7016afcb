"""Question/answer cards: a heading phrased as a question is asked as written; its body answers.

In a Q&A file the question is followed by an answer marker: an "Answer: D" heading or
paragraph, or a ``<details>`` block whose summary only says "Answer". Everything before the
marker (the question's code, the options A–D) goes on the front; the marker and what follows
(the letter and the explanation) on the back: one card per question.
"""

from __future__ import annotations

import re

from deckmark.model import CardKind
from deckmark.parse.outline import ANSWER_HEADING, Block, CodeBlock, Container, Html, Paragraph
from deckmark.parse.outline import Section as OutlineSection
from deckmark.parse.recipes import code, containers
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, block_markdown

# "1. What is HTTP?", "Q3) ...": FAQ numbering is not part of the question.
_NUMBERING = re.compile(r"^\s*(?:Q\s*)?\d+[.):]\s+", re.IGNORECASE)


def _plain(title: str) -> str:
    """A summary or label without its emphasis: "**Answer**" → "Answer"."""
    return re.sub(r"</?\w+[^>]*>|\*\*|__", "", title).strip()


def _is_hint(block: Block) -> bool:
    return isinstance(block, Container) and bool(
        re.search(r"\bhints?\b|\btipp?s?\b|\bsuggeriment", _plain(block.title), re.I)
    )


def answer_split(blocks: list[Block]) -> tuple[list[Block], list[Block]] | None:
    """(question blocks, answer blocks) when the body holds an answer marker, else None."""
    for index, block in enumerate(blocks):
        if isinstance(block, Container) and (
            block.reveals_answer
            or (block.kind == "details" and not _plain(block.title))
            or ANSWER_HEADING.match(re.sub(r"^\W+", "", _plain(block.title)))
        ):
            # "> [!success]- ✅ Solution": the hints before it stay off the front too.
            asked = [b for b in blocks[:index] if not _is_hint(b)]
            return asked, list(block.blocks)
        if isinstance(block, Paragraph) and ANSWER_HEADING.match(_plain(block.text)):
            return blocks[:index], blocks[index:]
    return None


def _only_an_introduction(blocks: list[Block]) -> bool:
    """One or two sentences of prose, or a paragraph leading into what follows."""
    if not all(isinstance(b, Paragraph) for b in blocks):
        return False
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    return text.rstrip().endswith((":", "：")) or len(ph.split_sentences(text)) <= 2


def _markdown(blocks: list[Block]) -> str:
    return "\n\n".join(
        text for b in blocks if not isinstance(b, Html) and (text := block_markdown(b).strip())
    )


_PROBLEM = re.compile(r"^(?:problem|problema|problème|problemstellung|问题)\s*[:：]", re.I)
"""A problem statement ("Problem: ...") whose "Lösung:"/"Solution:" answer follows."""


def _solution_of_problem(
    asked: list[Block], answer: list[Block]
) -> tuple[list[Block], list[Block]]:
    """(the answer, the blocks after it): after a "Problem:" paragraph, the "Lösung:" paragraph
    and the code right after it answer; what follows is the section's other content, not part
    of that answer. A quiz's answer runs to the section's end."""
    if not (
        asked
        and isinstance(asked[0], Paragraph)
        and _PROBLEM.match(_plain(asked[0].text))
        and answer
        and isinstance(answer[0], Paragraph)
    ):
        return answer, []
    end = 1
    while end < len(answer) and isinstance(answer[end], CodeBlock):
        end += 1
    return answer[:end], answer[end:]


def question_cards(
    out: SectionCards, section: OutlineSection, blocks: list[Block], *, has_children: bool
) -> list[Block]:
    """The section's question cards; returns the blocks that are no part of any question (the
    rest of a section after a problem and its solution), for the other recipes."""
    title = _NUMBERING.sub("", section.title)
    split = answer_split(blocks)
    if split is not None:
        asked, answer = split
        answer, rest = _solution_of_problem(asked, answer)
        front = "\n\n".join(part for part in (title, _markdown(asked)) if part)
        out.add(CardKind.FACT, front, _markdown(answer), blocks[0].source)
        return rest
    # A <details> or callout asking its own question is its own card, not part of this answer.
    asking = [b for b in blocks if isinstance(b, Container) and containers.asks(b)]
    answer_blocks = [b for b in blocks if b not in asking]
    answer_text = "\n\n".join(filter(None, map(block_markdown, answer_blocks)))
    if has_children and answer_blocks and _only_an_introduction(answer_blocks):
        # "Let's look at each of the two main methods:" — the sub-sections are the answer.
        out.leave_out(blocks[0].source, "the answer is in its sub-sections", answer_text)
    elif answer_blocks:
        out.add(CardKind.FACT, title, answer_text, answer_blocks[0].source)
    for block in blocks:
        if isinstance(block, CodeBlock):
            subject = ph.Subject(section.title.rstrip("?"))
            code.code_cards(out, block, subject, None, block_card=False)
        elif isinstance(block, Container) and (own := containers.asks(block)):
            containers.question_card(out, block, own)
    return []
