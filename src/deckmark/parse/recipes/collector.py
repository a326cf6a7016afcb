"""What every recipe shares: the file being read, the section's card collector, the topic state.

A recipe either adds a card through :class:`SectionCards` or says why it made none
(:meth:`SectionCards.leave_out`); ``deckmark check`` lists what was left out, so the user can
write that card by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from deckmark.model import CLOZE_RE, Card, CardKind, Diagnostic, SourceLocation
from deckmark.parse.outline import (
    Block,
    CodeBlock,
    Container,
    DefinitionList,
    Figure,
    ListBlock,
    Paragraph,
    Table,
)
from deckmark.parse.outline import Section as OutlineSection
from deckmark.parse.recipes import phrasing as ph


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "x"


@dataclass(slots=True, kw_only=True)
class NotesFile:
    """The notes file being read: how its cards are keyed and tagged, and its warnings."""

    key_path: str
    """The file as named in card keys (relative to the deck folder)."""
    deck_slug: str
    proper_names: set[str]
    """Lower-cased names that keep their capital and take no article ("docker")."""
    language: str = "en"
    """Two-letter code of the notes' language; English templates only for "en"."""
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def english(self) -> bool:
        return self.language == "en"

    def warn(self, source: SourceLocation, message: str) -> None:
        self.warnings.append(Diagnostic(location=source, message=message))

    def subject(self, title: str, definition: str | None) -> ph.Subject:
        """The section's subject, lower-casing a common noun unless it is a known name."""
        subject = ph.subject_from_heading(title, definition)
        first, *rest = subject.name.split(" ")
        if subject.article and first.lower() not in self.proper_names and not first.isupper():
            return ph.Subject(" ".join([first.lower(), *rest]), subject.article, subject.plural)
        return subject


@dataclass(slots=True)
class TopicState:
    """What the recipes of one section know about its topic while reading its blocks."""

    subject: ph.Subject
    keyword: tuple[str, str] | None
    """("Docker", "benefits") under a heading that names a closed list."""
    defined: bool
    """The section's defining sentence has been read (only the first statement can define)."""
    about_subject: bool = False
    """The last statement was about the subject, so a leading "It"/"They" means the subject."""
    previous: str = ""
    """The section's last statement, shown above a sentence that leans on it ("This case ...")."""
    kind: CardKind = CardKind.FACT


@dataclass(slots=True)
class SectionCards:
    """Collects the cards of one section, numbering keys per kind, and what was left out."""

    notes: NotesFile
    section: OutlineSection
    cards: list[Card] = field(default_factory=list)
    left_out: list[Diagnostic] = field(default_factory=list)
    """Candidates that made no card: ``reason: text`` at their line."""
    counts: Counter[str] = field(default_factory=Counter)
    blanked: set[str] = field(default_factory=set)
    """Cloze fronts as Anki shows them ("A VM has [...]."), to keep them distinguishable."""
    figures: list[str] = field(default_factory=list)
    """Images or display math seen before any card: they go to the first card made."""

    def attach(self, markdown: str, source: SourceLocation) -> None:
        """An image or formula on its own line belongs to the card before it (or the next).

        Only to a card of the same file: after an embed, the next card of this note gets it.
        """
        if not self.cards or self.cards[-1].source.path != source.path:
            self.figures.append(markdown)
            return
        last = self.cards[-1]
        self.cards[-1] = replace(last, back=f"{last.back}\n\n{markdown}".strip())

    def flush_figures(self) -> None:
        """Figures still waiting for a card of their file go to the section's last card."""
        if self.figures and self.cards:
            last = self.cards[-1]
            back = "\n\n".join([last.back, *self.figures]).strip()
            self.cards[-1] = replace(last, back=back)
            self.figures.clear()

    def leave_out(self, source: SourceLocation, reason: str, text: str) -> None:
        """Record a candidate that made no card, for ``deckmark check``."""
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        self.left_out.append(Diagnostic(location=source, message=f"{reason}: {shown}"))

    def _distinguishable(self, front: str) -> str:
        """Reveal the last words of a lone deletion until its front differs from the others.

        "A VM has {{c1::strong isolation (hardware level)}}" next to "A VM has {{c1::its own
        OS}}" becomes "A VM has {{c1::strong isolation}} (hardware level)" (interference rule).
        """
        while True:
            shown = CLOZE_RE.sub("[...]", front)
            deletions = list(CLOZE_RE.finditer(front))
            if shown not in self.blanked or len(deletions) != 1:
                return front
            match = deletions[0]
            # The last word, or a whole trailing "(...)" group, moves out of the deletion.
            split = re.match(r"^(.*\S)\s+(\([^()]*\))$", match.group(2), re.DOTALL) or re.match(
                r"^(.*\S)\s+(\S+)$", match.group(2), re.DOTALL
            )
            if not split:
                return front
            hidden, revealed = split.groups()
            front = f"{front[: match.start()]}{{{{c1::{hidden}}}}} {revealed}{front[match.end() :]}"

    def add(
        self,
        kind: CardKind,
        front: str,
        back: str,
        source: SourceLocation,
        *,
        prompt: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        front, back = front.strip(), back.strip()
        if not front or (not back and "{{c" not in front):
            return
        if is_placeholder(f"{front} {back}"):
            self.leave_out(source, "placeholder text", front)
            return
        front = self._distinguishable(front)
        self.blanked.add(CLOZE_RE.sub("[...]", front))
        self.counts[kind.value] += 1
        path = "/".join(self.section.path)
        occurrence = f"~{self.section.occurrence}" if self.section.occurrence > 1 else ""
        key = f"{self.notes.key_path}#{path}{occurrence}:{kind.value}:{self.counts[kind.value]}"
        path_tag = "::".join([self.notes.deck_slug, *(slug(p) for p in self.section.path)])
        if self.figures:
            back = "\n\n".join([back, *self.figures]).strip()
            self.figures.clear()
        self.cards.append(
            Card(
                kind=kind,
                front=front,
                back=back,
                prompt=prompt,
                context=self.section.path,
                source=source,
                key=key,
                tags=(path_tag, *tags),
                subdeck=self.section.path[0] if len(self.section.path) > 1 else None,
            )
        )


_LOREM = re.compile(
    r"\b(?:lorem|ipsum|dolor|consectetur|adipiscing|eiusmod|aliquam|nullam|donec|vestibulum|"
    r"pellentesque|mauris|curabitur|suscipit|sagittis|facilisis|ullamcorper|venenatis)\b",
    re.IGNORECASE,
)


def is_placeholder(text: str) -> bool:
    """Lorem-ipsum filler: two or more of its words."""
    return len(_LOREM.findall(text)) >= 2


def has_braces(text: str) -> bool:
    """``{{``/``}}`` in the user's own text would end or start an Anki cloze early."""
    return "{{" in text or "}}" in text


def fence(code: str, lang: str) -> str:
    marks = "````" if "```" in code else "```"
    return f"{marks}{lang}\n{code}\n{marks}"


def block_markdown(block: Block) -> str:
    """A block as Markdown again, for answers that quote it whole."""
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, ListBlock):
        lines = []
        for n, item in enumerate(block.items, 1):
            lines.append(f"{f'{n}.' if block.ordered else '-'} {item.text}")
            for child in item.children:
                lines.extend("    " + ln for ln in block_markdown(child).split("\n"))
        return "\n".join(lines)
    if isinstance(block, CodeBlock):
        return fence(block.code, block.lang)
    if isinstance(block, Table):
        rows = [block.header, tuple("---" for _ in block.header), *block.rows]
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)
    if isinstance(block, Container) and block.reveals_answer:
        return "\n\n".join(filter(None, map(block_markdown, block.blocks)))
    if isinstance(block, Container | Figure):
        return block.markdown
    if isinstance(block, DefinitionList):
        return "\n\n".join(
            "\n".join([item.term, *(f": {d}" for d in item.definitions)]) for item in block.items
        )
    return ""


def first_statement(blocks: list[Block]) -> str | None:
    """The section's first sentence-bearing text (a definition candidate)."""
    for block in blocks:
        if isinstance(block, Paragraph):
            return block.text
        if isinstance(block, ListBlock) and block.items:
            return block.items[0].text
        if isinstance(block, CodeBlock | Table):
            return None
    return None
