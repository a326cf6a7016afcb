"""Images and sounds in cards: found next to the note, or by name anywhere in the deck folder.

A reference resolves relative to the note's folder first, then to the deck folder, then
(Obsidian style) by file name anywhere in the deck folder. What resolves becomes a
:class:`~deckmark.model.MediaFile` with a content-hashed name; what does not is a warning and the
card shows the alt text. Nothing outside the deck folder is ever packaged.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote

from deckmark.markdown import AUDIO_EXTENSIONS, image_sources
from deckmark.model import Card, Diagnostic, MediaFile, SourceLocation
from deckmark.parse.outline import (
    Block,
    Container,
    DefinitionList,
    Figure,
    ListBlock,
    Outline,
    Paragraph,
    Table,
)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(slots=True)
class MediaFinder:
    """Resolves references for one deck folder; hashes each file once."""

    folder: Path
    _by_name: dict[str, list[Path]] | None = None
    _hashed: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder = self.folder.resolve()

    def by_name(self, name: str) -> list[Path]:
        if self._by_name is None:
            self._by_name = {}
            for folder, subfolders, files in os.walk(self.folder):
                # Hidden folders (.git, .obsidian, .trash) and node_modules hold no notes' media.
                subfolders[:] = sorted(
                    d for d in subfolders if not d.startswith(".") and d != "node_modules"
                )
                for file in sorted(files):
                    path = Path(folder) / file
                    self._by_name.setdefault(file.lower(), []).append(path)
        return self._by_name.get(name.lower(), [])

    def packaged_name(self, path: Path) -> str:
        if path not in self._hashed:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            self._hashed[path] = f"deckmark-{digest}{path.suffix.lower()}"
        return self._hashed[path]

    def find(self, ref: str, note: Path) -> tuple[Path | None, str]:
        """The file ``ref`` names and "" , or None and why not."""
        relative = unquote(ref.split("#", 1)[0].split("?", 1)[0]).strip()
        if not relative:
            return None, "empty image reference"
        candidates = [(note.parent / relative), (self.folder / relative.lstrip("/"))]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file():
                if not resolved.is_relative_to(self.folder):
                    return None, f"'{ref}' is outside the deck folder; not packaged"
                return resolved, ""
        matches = [path.resolve() for path in self.by_name(Path(relative).name)]
        inside = [path for path in matches if path.is_relative_to(self.folder)]
        if inside:
            return inside[0], ""
        if matches:  # a link inside the deck folder to a file outside it
            return None, f"'{ref}' is outside the deck folder; not packaged"
        return None, f"'{ref}' not found (looked next to the note and in the deck folder)"


def _texts(blocks: Sequence[Block]) -> Iterator[tuple[str, SourceLocation]]:
    """Every piece of inline Markdown in these blocks (nested ones too), with its line."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text, block.source
        elif isinstance(block, Figure):
            yield block.markdown, block.source
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item.text, item.source
                yield from _texts(item.children)
        elif isinstance(block, Container):
            yield block.title, block.source
            yield from _texts(block.blocks)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield cell, block.source
        elif isinstance(block, DefinitionList):
            for entry in block.items:
                for text in (entry.term, *entry.definitions):
                    yield text, entry.source


def note_media(
    outline: Outline, note: Path, finder: MediaFinder
) -> tuple[dict[str, MediaFile], list[Diagnostic]]:
    """The media one note refers to, resolved from that note; a warning per failed reference."""
    return _resolve(
        (pair for section in outline.sections for pair in _texts(section.blocks)), note, finder
    )


def _resolve(
    texts: Iterable[tuple[str, SourceLocation]], note: Path, finder: MediaFinder
) -> tuple[dict[str, MediaFile], list[Diagnostic]]:
    found: dict[str, MediaFile] = {}
    warnings: list[Diagnostic] = []
    failed: set[str] = set()
    for text, source in texts:
        for ref in image_sources(text):
            if ref in found or ref in failed or _SCHEME.match(ref):
                continue  # remote (http/https) images stay links; other schemes never render
            path, problem = finder.find(ref, note)
            if path is None:
                failed.add(ref)
                message = f"image or sound {problem}; the card shows its alt text"
                warnings.append(Diagnostic(location=source, message=message))
                continue
            found[ref] = MediaFile(
                ref=ref,
                name=finder.packaged_name(path),
                path=str(path),
                audio=path.suffix.lower() in AUDIO_EXTENSIONS,
            )
    return found, warnings


def with_media(cards: Sequence[Card], media: Mapping[str, MediaFile]) -> list[Card]:
    """The cards with the resolved media their Markdown shows (unresolved ones show alt text)."""
    out = []
    for card in cards:
        refs = image_sources("\n\n".join((card.prompt, card.front, card.back)))
        shown = tuple(dict.fromkeys(media[ref] for ref in refs if ref in media))
        out.append(replace(card, media=shown) if shown else card)
    return out


def resolve_media(
    cards: Sequence[Card], note: Path, finder: MediaFinder
) -> tuple[list[Card], list[Diagnostic]]:
    """Cards of one file (hand-written ones) with their media resolved from that file."""
    texts = (("\n\n".join((c.prompt, c.front, c.back)), c.source) for c in cards)
    found, warnings = _resolve(texts, note, finder)
    return with_media(cards, found), warnings
