"""The pipeline in one place: find decks → parse → cards → identity → export."""

from __future__ import annotations

import contextlib
import errno
import itertools
import re
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from deckmark.cache import BuildCache, cache_key, pickled
from deckmark.errors import (
    DeckmarkError,
    InputError,
    describe_os_error,
    file_errors,
    raise_if_any,
)
from deckmark.exporters import Export, ExportOptions, exporter
from deckmark.identity import (
    IdentityResult,
    Lockfile,
    assign_identities,
    format_lockfile,
    load_lockfile,
    lockfile_path,
    lost_history,
    write_lockfile,
)
from deckmark.model import (
    CLOZE_RE,
    Card,
    CardKind,
    Deck,
    Diagnostic,
    MediaFile,
    Section,
    SourceLocation,
    literal_braces,
)
from deckmark.output import all_or_nothing, display_path, remove_leftovers

if TYPE_CHECKING:
    # The parsers load only when a deck must be parsed: a build with nothing changed skips them.
    from deckmark.parse.cardfile import CardFile
    from deckmark.parse.frontmatter import FrontMatter
    from deckmark.parse.media import MediaFinder
    from deckmark.parse.notes import NotesResult
    from deckmark.parse.outline import Outline

DEFAULT_CARDS_DIR = Path("cards")
FORMAT_LABELS = {"apkg": "Anki deck", "cards-pdf": "cards PDF", "sheet-pdf": "study sheet"}

Progress = Callable[[str, int, int], None]
"""Told as each step of a build starts: what it is ("Docker: cards PDF"), its index, how many."""

_IDENTITY_OUTPUTS = (".apkg", ".txt")
"""Outputs that carry the cards' GUIDs (``<slug>.apkg``, ``<slug>.txt``)."""


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
    """Every output of the build, written now or kept."""
    warnings: tuple[Diagnostic, ...]
    unchanged: tuple[Path, ...] = ()
    """The outputs kept as they were: the cache showed them built from the same input."""


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
        if not path.is_dir():
            if problem := _not_readable(path):
                problems.append(problem)
            else:
                sources.append(DeckSource(root=path, files=(path,)))
            continue
        candidates = sorted(p for p in path.rglob("*.md") if not p.is_dir())
        unreadable = [p for p in candidates if _not_readable(p)]
        problems.extend(filter(None, map(_not_readable, unreadable)))
        files = tuple(p for p in candidates if p not in unreadable)
        if not files and not unreadable:
            problems.append(f"{display_path(path)}: folder has no Markdown (.md) files")
        elif files:
            sources.append(DeckSource(root=path, files=files))
    raise_if_any(problems)
    return sources


def _not_readable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a notes file (None when it can).

    Only regular files are read: a FIFO or a device would block the build forever.
    """
    shown = display_path(path)
    try:
        mode = path.stat().st_mode
    except OSError as e:
        if path.is_symlink() and e.errno == errno.ENOENT:
            return f"{shown}: symbolic link to nothing (a dangling link)"
        return describe_os_error(e)
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device, socket or other special file"
    return f"{shown}: not a regular file ({kind}); give a Markdown file or a deck folder"


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


_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Controls other than tab and line ends: invisible, and \\x1f is Anki's field separator."""


def without_control_characters(text: str, shown: str) -> tuple[str, list[Diagnostic]]:
    """The text with control characters removed (spaces for the ones that separate words).

    They never reach a card: Anki refuses a note whose field holds its separator (\\x1f).
    """
    first = _CONTROL.search(text)
    if first is None:
        return text, []
    found = sorted({f"U+{ord(m.group()):04X}" for m in _CONTROL.finditer(text)})
    cleaned = _CONTROL.sub(lambda m: " " if m.group().isspace() else "", text)
    line = text.count("\n", 0, first.start()) + 1
    message = (
        f"control characters ({', '.join(found)}) removed: they are invisible and "
        "Anki cannot store them"
    )
    return cleaned, [Diagnostic(location=SourceLocation(path=shown, line=line), message=message)]


def load_deck(source: DeckSource) -> Deck:
    """Parse every file of a deck into cards; all problems are raised together."""
    return _load_deck(source, _read_deck(source), None)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class _DeckText:
    """A deck's files as read, and the cache keys of their contents."""

    files: tuple[tuple[Path, str, str, str], ...]
    """Path, shown path, key path and text of each file that could be read."""
    file_keys: tuple[str, ...]
    key: str
    """Of the whole deck: every file's key, in order."""
    problems: tuple[Diagnostic | str, ...]
    """Files that could not be read."""


def _read_deck(source: DeckSource) -> _DeckText:
    problems: list[Diagnostic | str] = []
    files: list[tuple[Path, str, str, str]] = []
    for path in source.files:
        try:
            text = read_text(path)
        except InputError as e:
            problems.extend(e.problems)
            continue
        key_path = path.relative_to(source.folder).as_posix()
        files.append((path, display_path(path), key_path, text))
    file_keys = tuple(
        cache_key("file", source.name, source.slug, shown, key_path, text)
        for _, shown, key_path, text in files
    )
    return _DeckText(
        files=tuple(files),
        file_keys=file_keys,
        key=cache_key("deck", *file_keys),
        problems=tuple(problems),
    )


def _parse_file(
    text: str, shown: str
) -> tuple[str, list[Diagnostic], Outline, FrontMatter, list[Diagnostic]]:
    """A file's text without control characters, their warning, its outline and front matter."""
    from deckmark.parse.frontmatter import parse_front_matter
    from deckmark.parse.outline import parse_outline

    text, control_warning = without_control_characters(text, shown)
    outline = parse_outline(text, shown)
    front_matter, fm_problems = parse_front_matter(
        outline.front_matter, shown, outline.front_matter_line
    )
    return text, control_warning, outline, front_matter, list(fm_problems)


def _load_deck(
    source: DeckSource, deck_text: _DeckText, cache: BuildCache | None
) -> tuple[Deck, bool]:
    """The deck, and whether it shows images or sounds (or refers to some it cannot find).

    With a cache, a deck without media whose files are unchanged is not parsed at all (it
    comes with the GUIDs and times of the build that kept it: identify() sets them anew); in
    any deck, an unchanged file is not parsed again, and its cards are not made again unless
    what it embeds from other files changed. Media are always looked up afresh.
    """
    from deckmark.parse.cardfile import CardFile, read_card_files
    from deckmark.parse.embeds import Transcluder
    from deckmark.parse.footnotes import with_footnotes
    from deckmark.parse.frontmatter import looks_like_card_file
    from deckmark.parse.media import MediaFinder, note_media, with_media
    from deckmark.parse.notes import extract_cards
    from deckmark.parse.outline import parse_outline

    problems: list[Diagnostic | str] = list(deck_text.problems)
    cached_deck = cache.get("decks", deck_text.key) if cache and not problems else None
    if isinstance(cached_deck, Deck):
        return cached_deck, False
    cards: list[Card] = []
    sections: list[Section] = []
    warnings: list[Diagnostic] = []
    card_files: list[CardFile] = []
    proper_names = {w.lower() for w in source.name.split()}
    notes: list[tuple[Path, str, Outline, FrontMatter, str]] = []
    for (path, shown, key_path, text), file_key in zip(
        deck_text.files, deck_text.file_keys, strict=True
    ):
        parsed = cache.get("outlines", file_key) if cache is not None else None
        if not isinstance(parsed, tuple):
            parsed = _parse_file(text, shown)
            if cache is not None:
                cache.put("outlines", file_key, parsed)
        text, control_warning, outline, front_matter, fm_problems = parsed
        warnings.extend(control_warning)
        warnings.extend(outline.warnings)
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
        # Only card files write cloze syntax: in notes, "{{c1::x}}" is text to show as written.
        if literal_braces(text) != text:
            outline = parse_outline(literal_braces(text), shown)
        notes.append((path, key_path, outline, front_matter, file_key))
    finder = MediaFinder(source.folder)
    media: dict[Path, dict[str, MediaFile]] = {}
    uses_media = False
    for path, _, outline, _, _ in notes:  # before transclusion: each note's refs from its folder
        media[path], media_warnings = note_media(outline, path, finder)
        warnings.extend(media_warnings)
        uses_media = uses_media or bool(media[path] or media_warnings)
    deck_media = {ref: file for found in reversed(media.values()) for ref, file in found.items()}
    embeds = Transcluder({key_path: outline for _, key_path, outline, _, _ in notes})
    for _, _, outline, _, _ in notes:
        embeds.expand(outline)
    warnings.extend(embeds.warnings)
    for path, key_path, outline, front_matter, file_key in notes:
        result = _notes_cards(
            cache,
            file_key,
            outline,
            partial(extract_cards, outline, source.slug, proper_names, key_path=key_path),
        )
        # A notes file of empty headings is a skeleton for hand-written cards; anything else
        # that yields nothing is almost certainly not what the user meant to build.
        if not result.cards and not any(s.reason == "empty section" for s in result.sections):
            problems.append(f"{outline.path}: no cards could be made from these notes")
        file_tags = tuple(dict.fromkeys((*front_matter.tags, *outline.tags)))
        made = with_media(
            with_footnotes(result.cards, outline.footnotes), {**deck_media, **media[path]}
        )
        cards.extend(replace(c, tags=(*c.tags, *file_tags)) for c in made)
        sections.extend(result.sections)
        warnings.extend(result.warnings)
    cards = _without_embedded_repeats(cards, {key: o.path for _, key, o, _, _ in notes})
    if card_files:
        written = read_card_files(card_files, cards, sections, source.slug)
        problems.extend(written.problems)
        warnings.extend(written.warnings)
        hand_written, media_warnings = _resolve_media(list(written.cards), source, finder)
        warnings.extend(media_warnings)
        uses_media = uses_media or bool(media_warnings)
        cards = [*written.notes_cards, *hand_written]
        sections = list(written.sections)
        warnings = [w for w in warnings if w not in written.resolved_warnings]
    if cache is not None:
        _reuse_renders(cache)
    cards, empty_problems, empty_warnings = _cards_that_show_something(cards)
    problems.extend(empty_problems)
    warnings.extend(empty_warnings)
    cards, duplicate_problems, duplicate_warnings = _duplicate_questions(cards)
    problems.extend(duplicate_problems)
    warnings.extend(duplicate_warnings)
    kept_keys = {card.key for card in cards}
    sections = [
        replace(
            section,
            card_keys=tuple(k for k in section.card_keys if k in kept_keys),
            reason=section.reason
            or ("" if any(k in kept_keys for k in section.card_keys) else "no card could be made"),
        )
        for section in sections
    ]
    raise_if_any(problems)
    if not cards:
        raise InputError([f"{display_path(source.root)}: no cards could be made from these notes"])
    deck = Deck(
        name=source.name,
        slug=source.slug,
        cards=tuple(cards),
        sections=tuple(sections),
        warnings=tuple(warnings),
    )
    uses_media = uses_media or any(card.media for card in cards)
    return deck, uses_media


def _notes_cards(
    cache: BuildCache | None, file_key: str, outline: Outline, extract: Callable[[], NotesResult]
) -> NotesResult:
    """A notes file's cards, made again only if the file or what it embeds changed."""
    if cache is None:
        return extract()
    # The outline after embedding other files' sections: the file's key alone is not enough.
    expanded = pickled(outline)
    if expanded is None:
        return extract()
    key = cache_key("notes", file_key, expanded)
    result: NotesResult | None = cache.get("notes", key)
    if result is None:
        result = extract()
        cache.put("notes", key, result)
    return result


_RENDERS_KEY = ("renders",)
"""One entry an output folder: the HTML of the last build's fields (Markdown → HTML)."""


def _reuse_renders(cache: BuildCache) -> None:
    """Start from the fields the last build rendered: after an edit, only new fields are."""
    from deckmark.render.html import remember_field_renders

    renders = cache.get("renders", cache_key(*_RENDERS_KEY))
    if isinstance(renders, dict):
        remember_field_renders(renders)


def _keep_renders(cache: BuildCache, decks: Sequence[Deck]) -> None:
    """Store the renders of this build's fields for the next build (none of other fields)."""
    from deckmark.render.html import field_renders

    fields = {text for deck in decks for c in deck.cards for text in (c.front, c.back, c.prompt)}
    cache.put("renders", cache_key(*_RENDERS_KEY), field_renders(fields))


def _cards_that_show_something(
    cards: Sequence[Card],
) -> tuple[list[Card], list[Diagnostic], list[Diagnostic]]:
    """Cards kept, errors and warnings for cards with a side that would show nothing in Anki.

    A hand-written one is an error (the author can fix it); one made from the notes is left
    out with a warning: a card with a blank side teaches nothing.
    """
    kept: list[Card] = []
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for card in cards:
        blank = _blank_side(card)
        if blank is None:
            kept.append(card)
        elif card.kind is CardKind.WRITTEN:
            problems.append(Diagnostic(location=card.source, message=f"card has {blank}"))
        else:
            message = f"made no card: it would have {blank}: {_one_line(card.question)}"
            warnings.append(Diagnostic(location=card.source, message=message))
    return kept, problems, warnings


def _blank_side(card: Card) -> str | None:
    """What of the card would show nothing in Anki ("no question", ...), or None."""
    from deckmark.render.html import shows_something  # loads Markdown and Pygments

    media = {m.ref: m.name for m in card.media}

    def shows(markdown_text: str) -> bool:
        return shows_something(markdown_text, media)

    if card.is_cloze:
        if not shows(card.prompt) and not shows(CLOZE_RE.sub("", card.front)):
            return "nothing but its deletion to show"
        if not all(shows(m.group(2)) for m in CLOZE_RE.finditer(card.front)):
            return "an empty deletion"
        if _deletion_cuts_markup(card, media):
            return "a deletion that cuts across formatting or a math formula"
        return None
    if not shows(card.front):
        return "no question to show"
    if not shows(card.back):
        return "no answer to show"
    return None


_MATH_SPAN = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
"""MathJax's inline and display delimiters in a rendered field."""
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_VOID_TAGS = frozenset({"br", "img", "hr", "wbr", "input"})


def _deletion_cuts_markup(card: Card, media: dict[str, str]) -> bool:
    """Whether a deletion of the rendered cloze text opens inside an element or formula and
    closes outside it (``<strong>{{c1::</strong> x <strong>}}</strong>``): Anki's markers then
    take the markup apart and the blank shows nothing."""
    from deckmark.render.html import markdown_to_html

    html = markdown_to_html(
        card.front, literal_cloze_text=card.kind is not CardKind.WRITTEN, media=media
    )
    formulas = [m.span() for m in _MATH_SPAN.finditer(html)]
    for deletion in CLOZE_RE.finditer(html):
        start, end = deletion.span()
        for f_start, f_end in formulas:
            if start < f_start < end < f_end or f_start < start < f_end < end:
                return True
        if not _balanced(deletion.group(0)):
            return True
    return False


def _balanced(html: str) -> bool:
    open_tags: list[str] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID_TAGS or match.group(0).endswith("/>"):
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags


def _one_line(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _without_embedded_repeats(cards: list[Card], shown_paths: dict[str, str]) -> list[Card]:
    """Cards made where text is embedded (``![[Note#Heading]]``), less the repeats.

    A card from embedded text that asks what the embedded note's own card (same line, same
    question) already asks is left out: the learner would review it twice.
    """
    own = {
        (card.source, card.front)
        for card in cards
        if shown_paths.get(card.key.split("#", 1)[0]) == card.source.path
    }
    return [
        card
        for card in cards
        if shown_paths.get(card.key.split("#", 1)[0]) == card.source.path
        or (card.source, card.front) not in own
    ]


def _resolve_media(
    cards: list[Card], source: DeckSource, finder: MediaFinder
) -> tuple[list[Card], list[Diagnostic]]:
    """Each hand-written card's images and sounds, found from the card file."""
    from deckmark.parse.media import resolve_media

    files = {display_path(path): path for path in source.files}
    resolved: list[Card] = []
    warnings: list[Diagnostic] = []
    for card in cards:
        note = files.get(card.source.path, source.folder / "notes.md")
        [done], found = resolve_media([card], note, finder)
        resolved.append(done)
        warnings.extend(w for w in found if w not in warnings)
    return resolved, warnings


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


def identify(
    source: DeckSource, deck: Deck, now: int, out_dir: Path | None = None
) -> tuple[Deck, IdentityResult]:
    """Give the deck's cards their GUIDs and modification times from the deck's lockfile.

    ``out_dir``: where the deck is built, to notice a lockfile lost since the last build.
    """
    lock = load_lockfile(source.root)
    earlier = [out_dir / f"{deck.slug}{suffix}" for suffix in _IDENTITY_OUTPUTS] if out_dir else []
    lost = lost_history(source.root, lock, [p for p in earlier if p.exists()])
    result = assign_identities(deck.name, deck.cards, lock, now)
    if lost:
        result = replace(result, warnings=(lost, *result.warnings))
    return replace(deck, cards=result.cards, warnings=deck.warnings + result.warnings), result


def diff(paths: Sequence[Path], now: int | None = None) -> list[tuple[Deck, IdentityResult]]:
    """What building ``paths`` now would change, relative to each deck's lockfile."""
    now = now if now is not None else int(time.time())
    with file_errors():
        return [identify(source, load_deck(source), now) for source in discover(paths)]


def build(
    paths: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    options: ExportOptions | None = None,
    now: int | None = None,
    *,
    strict: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build every deck named by ``paths`` into ``out_dir`` in the given formats.

    The outputs and the lockfiles are published together, or nothing changes (see
    output.all_or_nothing). ``strict``: any warning about the input stops the build before
    anything is written. ``use_cache``: reuse what the cache in ``out_dir`` shows unchanged
    (deckmark.cache); without it everything is built and the cache is left alone.
    ``progress``: told each step (reading a deck, writing one output) as it starts.
    """
    options = options or ExportOptions()
    now = now if now is not None else int(time.time())
    cache = BuildCache(out_dir) if use_cache else None
    with file_errors(out_dir), cache or contextlib.nullcontext():
        sources = discover(paths)
        _check_output_names(sources)
        steps, counter = len(sources) * (1 + len(formats)), itertools.count()

        def step(label: str) -> None:
            index = next(counter)
            if progress is not None:
                progress(label, index, steps)

        decks: list[Deck] = []
        input_keys: list[str] = []
        lockfiles: dict[Path, Lockfile | None] = {}  # None: unchanged, left as it is
        for source in sources:
            step(f"{source.name}: reading the notes")
            deck, lockfile, input_key = _identified_deck(source, cache, now, out_dir)
            decks.append(deck)
            input_keys.append(input_key)
            lock_path = lockfile_path(source.root).resolve()
            if lock_path in lockfiles:
                raise InputError(
                    [
                        f"{display_path(source.root)}: shares {display_path(lock_path)} with "
                        "another deck of this build; give each notes file a folder of its own"
                    ]
                )
            lockfiles[lock_path] = lockfile
        if strict:
            raise_if_any(warning for deck in decks for warning in deck.warnings)
        out_dir.mkdir(parents=True, exist_ok=True)
        for folder in {out_dir, *(path.parent for path in lockfiles)}:
            remove_leftovers(folder)
        outputs: list[Path] = []
        unchanged: list[Path] = []
        warnings: list[Diagnostic] = []
        written: list[tuple[str, Export]] = []
        with all_or_nothing():
            # Lockfiles first: the user's own folder is where a write is most likely refused.
            for lock_path, lock in lockfiles.items():
                if lock is not None:
                    write_lockfile(lock_path, lock)
            for deck, input_key in zip(decks, input_keys, strict=True):
                warnings.extend(deck.warnings)
                for name in formats:
                    step(f"{deck.name}: {FORMAT_LABELS.get(name, name)}")
                    key = cache_key("export", name, repr(options), input_key)
                    export = cache.unchanged_export(key, out_dir) if cache is not None else None
                    if export is not None:
                        unchanged.extend(export.paths)
                    else:
                        export = exporter(name)(deck, out_dir, options, cache=cache)
                        written.append((key, export))
                    outputs.extend(export.paths)
                    warnings.extend(w for w in export.warnings if w not in warnings)
        if cache is not None:  # only now are the outputs what their keys say
            for key, export in written:
                cache.record_export(key, export, out_dir)
            if written or any(lock is not None for lock in lockfiles.values()):
                _keep_renders(cache, decks)  # this build rendered fields
            cache.save()
            cache.prune()
    return BuildResult(
        decks=tuple(decks),
        outputs=tuple(outputs),
        warnings=tuple(warnings),
        unchanged=tuple(unchanged),
    )


def _identified_deck(
    source: DeckSource, cache: BuildCache | None, now: int, out_dir: Path
) -> tuple[Deck, Lockfile | None, str]:
    """The deck with its identities, the lockfile to write (None: keep it as it is), and the
    key of everything the deck's exporters read.

    The exporters read the deck, its media files and its cards' GUIDs and times, which the
    lockfile this build writes holds. Identities are reused only for a deck without media, from
    a build that wrote this very lockfile and warned of nothing ambiguous: then every card is
    unchanged against it, so they do not depend on ``now`` and the lockfile stays as it is.
    The deck is kept once, with the identities this build gave it (``decks``); the identities
    entry is each card's GUID and time, to tell that the kept deck has this lockfile's.
    """
    text = _read_deck(source)
    lock_path = lockfile_path(source.root)
    lock_bytes = lock_path.read_bytes() if lock_path.is_file() else None
    identity_key = cache_key("identity", text.key, lock_bytes) if lock_bytes else None
    if cache is not None and identity_key is not None and not text.problems:
        identities = cache.get("identities", identity_key)
        cached = cache.get("decks", text.key) if isinstance(identities, tuple) else None
        if isinstance(cached, Deck) and identities == _identities(cached):
            return cached, None, cache_key("input", text.key, lock_bytes or b"")
    deck, uses_media = _load_deck(source, text, cache)
    deck, identity = identify(source, deck, now, out_dir)
    lock_text = format_lockfile(identity.lockfile).encode("utf-8")
    if cache is not None and not uses_media and not identity.warnings:
        # Against the lockfile this build writes, every card is unchanged and nothing is
        # ambiguous: the next build would give the same deck, whatever its time.
        cache.put("identities", cache_key("identity", text.key, lock_text), _identities(deck))
        cache.put("decks", text.key, deck)
    # A media file's packaged name is a hash of its content: the names stand for the files.
    media = sorted({repr(file) for card in deck.cards for file in card.media})
    return deck, identity.lockfile, cache_key("input", text.key, lock_text, *media)


def _identities(deck: Deck) -> tuple[tuple[str, int], ...]:
    """Each card's GUID and modification time, in order."""
    return tuple((card.guid, card.modified) for card in deck.cards)


def _check_output_names(sources: Sequence[DeckSource]) -> None:
    """Two decks whose names make the same output file would overwrite each other."""
    first: dict[str, DeckSource] = {}
    problems: list[str] = []
    for source in sources:
        other = first.setdefault(source.slug, source)
        if other is not source:
            problems.append(
                f"{display_path(source.root)}: its outputs ({source.slug}.apkg, ...) would "
                f"overwrite those of {display_path(other.root)}; rename one of them, or build "
                "them into separate folders with -o"
            )
    raise_if_any(problems)


def check(paths: Sequence[Path]) -> list[Deck]:
    """Parse every deck without writing anything (for coverage reports)."""
    with file_errors():
        return [load_deck(source) for source in discover(paths)]


def kind_counts(cards: Iterable[Card]) -> Counter[str]:
    return Counter(card.kind.value for card in cards)


def anki_card_count(card: Card) -> int:
    """How many Anki cards a note makes."""
    if card.is_cloze:
        return len(card.cloze_numbers)
    return 2 if card.reverse else 1
