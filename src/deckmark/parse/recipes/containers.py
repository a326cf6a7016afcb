"""Callouts, admonitions, tabs and ``<details>``: a question card, or content like any other.

``<details><summary>Q</summary>A</details>`` asks its summary (unless the summary only says
"Answer"); a callout or admonition whose title is a question asks it. Any other container is
transparent: its blocks make cards as if they stood in the section itself.
"""

from __future__ import annotations

import re

from deckmark.model import CardKind
from deckmark.parse.outline import Block, Container
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, block_markdown

_POINTER = re.compile(r"^(?:see|click|show|view|open|read|expand)\b", re.IGNORECASE)


def asks(container: Container) -> str | None:
    """The question a container asks, or None when it is plain content."""
    title = re.sub(r"\*\*(.+?)\*\*", r"\1", container.title).strip()
    if not title or not container.blocks:
        return None
    if container.kind == "details":
        # "See 20 available translations": a fold-out of links, not a question.
        if container.reveals_answer or _POINTER.match(title):
            return None
        return title
    if container.kind in ("callout", "admonition", "docusaurus") and ph.is_question(title):
        return title
    return None


def is_example(container: Container) -> bool:
    """An example admonition or callout (``??? example``, ``> [!example]``, a title
    "Esempio", "Beispiel", "示例"): a worked example, not facts to learn."""
    if container.kind not in ("callout", "admonition", "docusaurus"):
        return False
    return container.type.lower() == "example" or ph.is_example_title(container.title)


def answer_markdown(blocks: tuple[Block, ...] | list[Block]) -> str:
    return "\n\n".join(text for text in map(block_markdown, blocks) if text)


_YES_NO = re.compile(
    r"^\W*(?:yes|no|ja|nein|sì|si|sí|oui|non|sim|não|是的?|不是|对|否)(?![\w'’])", re.IGNORECASE
)


def question_card(out: SectionCards, container: Container, question: str) -> None:
    answer = answer_markdown(container.blocks)
    yes_no = _YES_NO.match(re.sub(r"^(?:>\s*)*(?:\[![^\]]*\][+-]?\s*)?", "", answer))
    if yes_no and _words_of(question) <= _words_of(" ".join(out.section.path)):
        # "Are callouts foldable?" -> "Yes!" under "Foldable callouts": the heading answers it.
        out.leave_out(container.source, "a yes/no question its heading answers", question)
        return
    out.add(CardKind.FACT, question, answer, container.source)


def _words_of(text: str) -> set[str]:
    """The content words of ``text``, lower-cased, a plural "s" aside."""
    words = (w.lower().removesuffix("s") for w in ph.words(text))
    return {w for w in words if len(w) > 2 and not ph.is_function_word(w) and not ph.is_verb(w)}
