"""Obsidian embeds: ``![[Note]]`` and ``![[Note#Heading]]`` on their own line are transcluded.

The embedded note (a Markdown file of the same deck, by name or by path) or one of its
headings (with its sub-sections) takes the place of the embed, so its text makes cards where it
is embedded. Cycles and embeds of notes outside the deck are warnings; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from deckmark.model import Diagnostic
from deckmark.parse.outline import Block, Container, Embed, ListBlock, ListItem, Outline, Section


def _note_key(name: str) -> str:
    return PurePosixPath(name.strip().lower()).with_suffix("").as_posix()


class Transcluder:
    """Expands the embeds of a deck's notes; ``outlines`` maps deck-relative paths to outlines."""

    def __init__(self, outlines: Mapping[str, Outline]) -> None:
        self.by_name: dict[str, Outline] = {}
        for path, outline in outlines.items():
            self.by_name.setdefault(_note_key(PurePosixPath(path).name), outline)
            self.by_name[_note_key(path)] = outline
        self.warnings: list[Diagnostic] = []

    def expand(self, outline: Outline) -> None:
        """Replace every embed in ``outline`` by what it embeds (in place)."""
        name = _note_key(PurePosixPath(outline.path).name)
        for section in outline.sections:
            section.blocks = self._blocks(section.blocks, (f"{name}#{section.title.lower()}",))

    def _blocks(self, blocks: list[Block], stack: tuple[str, ...]) -> list[Block]:
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, Embed):
                out.extend(self._embedded(block, stack))
            elif isinstance(block, Container):
                inner = tuple(self._blocks(list(block.blocks), stack))
                out.append(block if inner == block.blocks else _with_blocks(block, inner))
            elif isinstance(block, ListBlock):
                items = tuple(
                    ListItem(
                        text=item.text,
                        source=item.source,
                        children=tuple(self._blocks(list(item.children), stack)),
                    )
                    for item in block.items
                )
                out.append(ListBlock(items=items, ordered=block.ordered, source=block.source))
            else:
                out.append(block)
        return out

    def _embedded(self, embed: Embed, stack: tuple[str, ...]) -> list[Block]:
        shown = f"![[{embed.target}{'#' + embed.heading if embed.heading else ''}]]"
        target = self.by_name.get(_note_key(embed.target)) if embed.target else None
        if target is None:
            self._warn(embed, f"embedded note {shown} is not a note of this deck; left out")
            return []
        if embed.heading.startswith("^"):
            self._warn(embed, f"block embeds like {shown} are not supported; left out")
            return []
        key = f"{_note_key(embed.target)}#{embed.heading.lower()}"
        if key in stack or (not embed.heading and any(s.startswith(key) for s in stack)):
            self._warn(embed, f"{shown} embeds a note that is embedding it (a cycle); left out")
            return []
        sections = _sections(target, embed.heading)
        if not sections:
            self._warn(embed, f"{shown}: no heading '{embed.heading}' in that note; left out")
            return []
        return [b for s in sections for b in self._blocks(s.blocks, (*stack, key))]

    def _warn(self, embed: Embed, message: str) -> None:
        self.warnings.append(Diagnostic(location=embed.source, message=message))


def _sections(outline: Outline, heading: str) -> list[Section]:
    """The whole note, or the named heading with its sub-sections."""
    if not heading:
        return list(outline.sections)
    wanted = heading.strip().lower()
    for index, section in enumerate(outline.sections):
        if section.title.strip().lower() == wanted and not section.label:
            depth = len(section.path)
            found = [section]
            for later in outline.sections[index + 1 :]:
                if len(later.path) <= depth:
                    break
                found.append(later)
            return found
    return []


def _with_blocks(block: Container, blocks: tuple[Block, ...]) -> Container:
    return Container(
        kind=block.kind,
        type=block.type,
        title=block.title,
        blocks=blocks,
        markdown=block.markdown,
        source=block.source,
    )
