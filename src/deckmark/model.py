"""The card model: what the parser produces and every renderer and exporter consumes.

Card text is kept as Markdown; turning it into HTML (Anki) or Typst (PDF) is the renderers' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
"""An Anki cloze deletion: ``{{c1::answer}}`` or ``{{c1::answer::hint}}``."""

_DOUBLE_BRACE = re.compile(r"([{}])(?=\1)")


def literal_braces(text: str) -> str:
    """User text whose ``{{`` and ``}}`` can never open or close a cloze deletion.

    A word joiner (U+2060, invisible and zero-width everywhere) goes between the braces, so
    neither deckmark nor Anki reads ``{{c1::x}}`` written in the notes as a deletion.
    """
    return _DOUBLE_BRACE.sub("\\1\u2060", text)


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class SourceLocation:
    """Where something came from: a file (as the user named it) and a 1-based line."""

    path: str
    """The file, relative to where deckmark was run when possible, with ``/`` separators."""
    line: int
    """1-based line number; 0 for the file as a whole (a missing file, a name clash)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class CardKind(StrEnum):
    """How a card was made; reported in summaries and used in identity keys."""

    DEFINITION = "definition"
    """What is X? → its defining sentence."""
    FACT = "fact"
    """One fact from a bullet or sentence: a question or a cloze on a marked span."""
    LIST = "list"
    """A closed list under a label ending in ``:``."""
    COMPARISON = "comparison"
    """A fact about one side of an "X vs Y" section."""
    DISCRIMINATION = "discrimination"
    """X or Y: which one has this property?"""
    OVERVIEW = "overview"
    """The whole of an "X vs Y" comparison, side by side."""
    CODE = "code"
    """A code example, a commented line, or a command's output."""
    WRITTEN = "written"
    """A hand-written card from a card file."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaFile:
    """A local image or sound a card shows, found in the deck folder and packaged with it."""

    ref: str
    """The reference as the card's Markdown writes it (``images/x.png``, ``x.png``)."""
    name: str
    """The packaged file name: a hash of the content, so one file is stored once."""
    path: str
    """The file on disk (absolute)."""
    audio: bool = False
    """A sound (``[sound:…]`` in Anki) rather than an image."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    """One note in Anki terms: a question and its answer, or a cloze text.

    A cloze card (``front`` holding ``{{cN::...}}`` deletions) becomes one Anki card per
    deletion number; every other card becomes one Anki card, two when ``reverse`` is set.
    """

    kind: CardKind
    """How the card was made."""
    front: str
    """Markdown. For a cloze card, the text with its deletions."""
    back: str
    """Markdown. For a cloze card, extra text shown with the answer (may be empty)."""
    context: tuple[str, ...]
    """The heading path the card belongs to, outermost first (shown on the card)."""
    source: SourceLocation
    """Where the card's content starts in the user's file."""
    key: str
    """Identity of the card within its deck, independent of the answer text."""
    tags: tuple[str, ...] = ()
    """Anki tags (no spaces; ``a::b`` is hierarchical)."""
    subdeck: str | None = None
    """Subdeck below the deck, ``::``-separated, or None for the deck itself."""
    reverse: bool = False
    """Also ask back → front (hand-written term ↔ definition cards)."""
    prompt: str = ""
    """Markdown shown above a cloze text (the question the cloze answers); unused otherwise."""
    guid: str = ""
    """Anki note GUID, assigned by the identity stage (deckmark.identity) before export."""
    modified: int = 0
    """Epoch seconds of the card's last content change, assigned with the GUID."""
    media: tuple[MediaFile, ...] = ()
    """The local images and sounds the card's Markdown refers to (resolved by the build)."""

    @property
    def is_cloze(self) -> bool:
        return bool(CLOZE_RE.search(self.front))

    @property
    def cloze_numbers(self) -> tuple[int, ...]:
        """The distinct deletion numbers, in ascending order (one Anki card each)."""
        return tuple(sorted({int(m.group(1)) for m in CLOZE_RE.finditer(self.front)}))

    @property
    def question(self) -> str:
        """The text that identifies what the card asks, for duplicate checks and reports."""
        return self.prompt + "\n" + self.front if self.is_cloze else self.front

    def as_dict(self) -> dict[str, Any]:
        """A deterministic, JSON-ready view for golden files."""
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "key": self.key,
            "context": list(self.context),
            "source": str(self.source),
        }
        if self.prompt:
            data["prompt"] = self.prompt
        data["front"] = self.front
        data["back"] = self.back
        if self.tags:
            data["tags"] = list(self.tags)
        if self.subdeck:
            data["subdeck"] = self.subdeck
        if self.reverse:
            data["reverse"] = True
        if self.media:
            data["media"] = {m.ref: m.name for m in self.media}
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """A problem or warning tied to a place in the user's files."""

    location: SourceLocation
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading of the notes (or a bold sub-label acting as one), for coverage reports."""

    path: tuple[str, ...]
    """Heading path, outermost first."""
    source: SourceLocation
    card_keys: tuple[str, ...] = ()
    """Keys of the cards made from this section's own content."""
    reason: str = ""
    """Why the section made no card (empty section, contents list, ...), if it made none."""
    covered_by: tuple[str, ...] = ()
    """Keys of hand-written cards that declare ``covers:`` this section."""
    left_out: tuple[Diagnostic, ...] = ()
    """Candidates the recipes made no card from (``reason: text``), to write by hand."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Deck:
    """Everything built from one deck folder or notes file."""

    name: str
    """Anki deck name, e.g. ``Docker``."""
    slug: str
    """File-name stem for outputs, e.g. ``docker``."""
    cards: tuple[Card, ...]
    sections: tuple[Section, ...] = ()
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)
