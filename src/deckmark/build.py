"""The pipeline in one place: find decks → parse → cards → identity → export."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from deckmark.errors import DeckmarkError, InputError, raise_if_any
from deckmark.exporters import ExportOptions, exporter
from deckmark.identity import (
    IdentityResult,
    Lockfile,
    assign_identities,
    load_lockfile,
    lockfile_path,
    write_lockfile,
)
from deckmark.model import Card, CardKind, Deck, Diagnostic, Section
from deckmark.output import display_path
from deckmark.parse.cardfile import CardFile, read_card_files
from deckmark.parse.frontmatter import looks_like_card_file, parse_front_matter
from deckmark.parse.notes import extract_cards
from deckmark.parse.outline import parse_outline

DEFAULT_CARDS_DIR = Path("cards")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeckSource:
    """Where one deck comes from: a folder of Markdown files, or a single notes file."""

    root: Path
    """The deck folder, or the single file."""
    files: tuple[Path, ...]

    @property
    def stem(self) -> str:
        """ "docker" for cards/docker/, "my-notes" for my-notes.md."""
        return self.root.stem if self.root.is_file() else self.root.resolve().name

    @property
    def slug(self) -> str:
        return re.sub(r"[^\w-]+", "-", self.stem.lower()).strip("-") or "deck"

    @property
    def name(self) -> str:
        words = re.sub(r"[-_]+", " ", self.stem).strip()
        return words[:1].upper() + words[1:] if words else "Deck"

    @property
    def folder(self) -> Path:
        return self.root.parent if self.root.is_file() else self.root


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    decks: tuple[Deck, ...]
    outputs: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...]


def discover(paths: Sequence[Path]) -> list[DeckSource]:
    """Deck sources for the given paths; no path means every deck folder under ``cards/``."""
    problems: list[str] = []
    sources: list[DeckSource] = []
    if not paths:
        if not DEFAULT_CARDS_DIR.is_dir():
            raise DeckmarkError(
                "no deck given and no cards/ folder here: "
                "try 'deckmark build my-notes.md' or 'deckmark build path/to/deck-folder'"
            )
        paths = sorted(p for p in DEFAULT_CARDS_DIR.iterdir() if p.is_dir())
        if not paths:
            raise DeckmarkError("cards/: no deck folders inside")
    for path in paths:
        if not path.exists():
            problems.append(f"{display_path(path)}: no such file or folder")
        elif path.is_dir():
            files = tuple(sorted(p for p in path.rglob("*.md") if p.is_file()))
            if not files:
                problems.append(f"{display_path(path)}: folder has no Markdown (.md) files")
            else:
                sources.append(DeckSource(root=path, files=files))
        else:
            sources.append(DeckSource(root=path, files=(path,)))
    raise_if_any(problems)
    return sources


def read_text(path: Path) -> str:
    """The file as text; a clear error for binary or non-UTF-8 files."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError([f"{display_path(path)}: binary file, not Markdown text"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            [
                f"{display_path(path)}:{line}: not UTF-8 text (byte 0x{data[e.start]:02x}); "
                "save the file as UTF-8"
            ]
        ) from e


def load_deck(source: DeckSource) -> Deck:
    """Parse every file of a deck into cards; all problems are raised together."""
    problems: list[Diagnostic | str] = []
    cards: list[Card] = []
    sections: list[Section] = []
    warnings: list[Diagnostic] = []
    card_files: list[CardFile] = []
    proper_names = {w.lower() for w in source.name.split()}
    for path in source.files:
        try:
            text = read_text(path)
        except InputError as e:
            problems.extend(e.problems)
            continue
        shown = display_path(path)
        outline = parse_outline(text, shown)
        front_matter, fm_problems = parse_front_matter(
            outline.front_matter, shown, outline.front_matter_line
        )
        key_path = path.relative_to(source.folder).as_posix()
        if front_matter.is_card_file or (
            fm_problems and looks_like_card_file(outline.front_matter)
        ):
            problems.extend(fm_problems)
            card_files.append(
                CardFile(
                    path=shown,
                    key_path=key_path,
                    text=text,
                    front_matter=front_matter.values,
                    front_matter_lines=front_matter.lines,
                )
            )
            continue
        # Someone else's metadata never stops the notes building.
        warnings.extend(replace(p, message=f"{p.message}; ignored it") for p in fm_problems)
        result = extract_cards(outline, source.slug, proper_names, key_path=key_path)
        # A notes file of empty headings is a skeleton for hand-written cards; anything else
        # that yields nothing is almost certainly not what the user meant to build.
        if not result.cards and not any(s.reason == "empty section" for s in result.sections):
            problems.append(f"{shown}: no cards could be made from these notes")
        file_tags = front_matter.tags
        cards.extend(replace(c, tags=(*c.tags, *file_tags)) for c in result.cards)
        sections.extend(result.sections)
        warnings.extend(result.warnings)
    if card_files:
        written = read_card_files(card_files, cards, sections, source.slug)
        problems.extend(written.problems)
        cards = [*written.notes_cards, *written.cards]
        sections = list(written.sections)
        warnings = [w for w in warnings if w not in written.resolved_warnings]
    cards, duplicate_problems, duplicate_warnings = _duplicate_questions(cards)
    problems.extend(duplicate_problems)
    warnings.extend(duplicate_warnings)
    raise_if_any(problems)
    if not cards:
        raise InputError([f"{display_path(source.root)}: no cards could be made from these notes"])
    return Deck(
        name=source.name,
        slug=source.slug,
        cards=tuple(cards),
        sections=tuple(sections),
        warnings=tuple(warnings),
    )


def _normalise_question(card: Card) -> str:
    return re.sub(r"\W+", " ", card.question.lower()).strip()


def _duplicate_questions(
    cards: Sequence[Card],
) -> tuple[list[Card], list[Diagnostic], list[Diagnostic]]:
    """Cards kept, errors and warnings for cards that ask the same question.

    A hand-written card that repeats another card's question is an error: the author can fix it.
    Two cards made from the notes may repeat under different headings (the context line tells
    them apart); under the same heading the repeat is dropped with a warning.
    """
    seen: dict[str, list[Card]] = {}
    kept: list[Card] = []
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for card in cards:
        earlier = seen.setdefault(_normalise_question(card), [])
        generated = card.kind is not CardKind.WRITTEN
        clash = next(
            (
                other
                for other in earlier
                if not (generated and other.kind is not CardKind.WRITTEN)
                or other.context == card.context
            ),
            None,
        )
        if clash is None:
            earlier.append(card)
            kept.append(card)
        elif generated and clash.kind is not CardKind.WRITTEN:
            message = f"repeats the question of the card at {clash.source}; made no second card"
            warnings.append(Diagnostic(location=card.source, message=message))
        else:
            message = f"asks the same question as the card at {clash.source}"
            problems.append(Diagnostic(location=card.source, message=message))
    return kept, problems, warnings


def identify(source: DeckSource, deck: Deck, now: int) -> tuple[Deck, IdentityResult]:
    """Give the deck's cards their GUIDs and modification times from the deck's lockfile."""
    result = assign_identities(deck.name, deck.cards, load_lockfile(source.root), now)
    deck = replace(deck, cards=result.cards, warnings=deck.warnings + result.warnings)
    return deck, result


def diff(paths: Sequence[Path], now: int | None = None) -> list[tuple[Deck, IdentityResult]]:
    """What building ``paths`` now would change, relative to each deck's lockfile."""
    now = now if now is not None else int(time.time())
    return [identify(source, load_deck(source), now) for source in discover(paths)]


def build(
    paths: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    options: ExportOptions | None = None,
    now: int | None = None,
) -> BuildResult:
    """Build every deck named by ``paths`` into ``out_dir`` in the given formats."""
    options = options or ExportOptions()
    now = now if now is not None else int(time.time())
    decks: list[Deck] = []
    lockfiles: dict[Path, Lockfile] = {}
    for source in discover(paths):
        deck, identity = identify(source, load_deck(source), now)
        decks.append(deck)
        lock_path = lockfile_path(source.root).resolve()
        if lock_path in lockfiles:
            raise InputError(
                [
                    f"{display_path(source.root)}: shares {display_path(lock_path)} with another "
                    "deck of this build; give each notes file a folder of its own"
                ]
            )
        lockfiles[lock_path] = identity.lockfile
    outputs: list[Path] = []
    warnings: list[Diagnostic] = []
    for deck in decks:
        warnings.extend(deck.warnings)
        for name in formats:
            export = exporter(name)(deck, out_dir, options)
            outputs.extend(export.paths)
            warnings.extend(export.warnings)
    for lock_path, lockfile in lockfiles.items():  # only after every export succeeded
        write_lockfile(lock_path, lockfile)
    return BuildResult(decks=tuple(decks), outputs=tuple(outputs), warnings=tuple(warnings))


def check(paths: Sequence[Path]) -> list[Deck]:
    """Parse every deck without writing anything (for coverage reports)."""
    return [load_deck(source) for source in discover(paths)]


def kind_counts(cards: Iterable[Card]) -> Counter[str]:
    return Counter(card.kind.value for card in cards)


def anki_card_count(card: Card) -> int:
    """How many Anki cards a note makes."""
    if card.is_cloze:
        return len(card.cloze_numbers)
    return 2 if card.reverse else 1
