"""The real-notes corpus shared by the bench scripts: its sources, its local copy, building it.

``bench/real-notes/sources.toml`` lists public notes files (repository, path, commit, licence);
``bench/collect_real_notes.py`` copies them into ``bench/real-notes/files/<id>/`` (gitignored:
other people's text is never committed). Each source is one deck folder there.

Building goes through deckmark's library API, but defensively: the parser and the model change
while these scripts measure them, so anything deckmark raises is reported per file, never fatal,
and optional attributes are read with defaults.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import sqlite3
import tempfile
import tomllib
import traceback
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
SOURCES = BENCH / "real-notes" / "sources.toml"
FILES = BENCH / "real-notes" / "files"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One public notes file (or a few notes of one vault) and the images they show."""

    id: str
    dialect: str
    repo: str
    """``owner/name`` on GitHub."""
    commit: str
    licence: str
    root: str
    """Folder of the repository that becomes the deck folder; paths below are kept under it."""
    notes: tuple[str, ...]
    images: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return self.notes + self.images

    def local_path(self, repo_path: str) -> str:
        """Where ``repo_path`` lives inside the deck folder ``files/<id>/``."""
        prefix = self.root.strip("/") + "/" if self.root.strip("/") else ""
        if not repo_path.startswith(prefix):
            raise SystemExit(
                f"{SOURCES.name}: {self.id}: {repo_path} is not under root {self.root!r}"
            )
        return repo_path[len(prefix) :]

    @property
    def deck_dir(self) -> Path:
        return FILES / self.id


def load_sources(path: Path = SOURCES, only: Sequence[str] = ()) -> list[Source]:
    """The sources in file order; ``only`` keeps those ids (unknown ids are an error)."""
    with path.open("rb") as f:
        entries = tomllib.load(f)["source"]
    sources = [
        Source(
            id=e["id"],
            dialect=e["dialect"],
            repo=e["repo"],
            commit=e["commit"],
            licence=e["licence"],
            root=e.get("root", ""),
            notes=tuple(e["notes"]),
            images=tuple(e.get("images", ())),
        )
        for e in entries
    ]
    for source in sources:  # a mistake in sources.toml is named before anything is fetched
        for repo_path in source.files:
            source.local_path(repo_path)
    if only:
        unknown = sorted(set(only) - {s.id for s in sources})
        if unknown:
            raise SystemExit(f"unknown source id(s): {', '.join(unknown)}")
        sources = [s for s in sources if s.id in only]
    return sources


# --- building ---------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Outcome:
    """What building one source's deck gave."""

    exit_code: int
    """0 built; 1 deckmark reported a user error (as the CLI would); 3 deckmark crashed."""
    error: str = ""
    deck: Any = None
    outputs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    logged: tuple[str, ...] = ()
    """Warnings that went through ``logging`` instead of the result (older/newer deckmarks)."""

    @property
    def apkg(self) -> Path | None:
        return next((p for p in self.outputs if p.suffix == ".apkg"), None)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_source(source: Source, out_dir: Path, formats: Sequence[str]) -> Outcome:
    """Build ``source``'s deck from a scratch copy of its folder into ``out_dir``.

    The copy keeps the corpus clean: a build writes ``deckmark.lock`` into the deck folder, and
    a lockfile left from an earlier build would change identities between runs.
    """
    from deckmark.build import build
    from deckmark.errors import DeckmarkError

    handler = _Collect()
    logging.getLogger().addHandler(handler)
    with tempfile.TemporaryDirectory(prefix="deckmark-corpus-") as tmp:
        shutil.copytree(source.deck_dir, Path(tmp) / source.id)
        try:
            # From inside the scratch folder deckmark names files "<id>/notes.md:12", as a user
            # building "deckmark build <id>" would see them.
            with contextlib.chdir(tmp):
                result = build([Path(source.id)], out_dir.resolve(), list(formats))
        except DeckmarkError as e:
            return Outcome(exit_code=1, error=str(e), logged=tuple(handler.messages))
        except Exception:  # a bench must survive a deckmark bug and report it per file
            return Outcome(exit_code=3, error=traceback.format_exc(limit=-3).strip())
        finally:
            logging.getLogger().removeHandler(handler)
    decks = getattr(result, "decks", ())
    return Outcome(
        exit_code=0,
        deck=decks[0] if decks else None,
        outputs=tuple(getattr(result, "outputs", ())),
        warnings=tuple(str(w) for w in getattr(result, "warnings", ())),
        logged=tuple(handler.messages),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionCounts:
    """Recall: sections with content, and how many of them made at least one card."""

    with_content: int
    made_cards: int
    without_cards: tuple[str, ...] = field(default_factory=tuple)
    """``file:line heading: reason`` for each section with content that made no card."""


# Reasons deckmark gives for a section that has nothing to learn (``Section.reason``); every
# other section is content, and recall counts how many of those made at least one card.
NO_CONTENT = ("empty section", "heading only", "contents list")
LISTED_ELSEWHERE = ("its cards are listed under",)


def section_counts(deck: Any) -> SectionCounts | None:
    """None when the deck carries no sections (the model changed)."""
    sections = getattr(deck, "sections", None)
    if sections is None:
        return None
    with_content = made = 0
    missing: list[str] = []
    for section in sections:
        reason = str(getattr(section, "reason", ""))
        if reason.startswith(NO_CONTENT):
            continue
        with_content += 1
        has_cards = getattr(section, "card_keys", ()) or getattr(section, "covered_by", ())
        if has_cards or reason.startswith(LISTED_ELSEWHERE):
            made += 1
        else:
            path = " › ".join(getattr(section, "path", ()))
            missing.append(f"{getattr(section, 'source', '?')} {path}: {reason or 'no reason'}")
    return SectionCounts(with_content=with_content, made_cards=made, without_cards=tuple(missing))


# --- reading a package back -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PackagedNote:
    """One note as the .apkg's collection holds it."""

    note_type: str
    fields: dict[str, str]
    """Field name → HTML, in note-type order."""
    cards: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Package:
    notes: tuple[PackagedNote, ...]
    cards: int
    media: tuple[str, ...]
    """File names of the media packaged (as the package names them)."""


def read_apkg(path: Path) -> Package:
    """Notes, card count and media of an .apkg, read straight from its SQLite collection."""
    with zipfile.ZipFile(path) as package, tempfile.TemporaryDirectory() as tmp:
        names = package.namelist()
        collection = next(n for n in ("collection.anki21", "collection.anki2") if n in names)
        db_path = Path(tmp) / "collection.sqlite"
        db_path.write_bytes(package.read(collection))
        media_map = json.loads(package.read("media")) if "media" in names else {}
        db = sqlite3.connect(db_path)
        try:
            models = json.loads(db.execute("select models from col").fetchone()[0])
            field_names = {
                int(mid): (m["name"], [f["name"] for f in m["flds"]]) for mid, m in models.items()
            }
            card_counts = dict(db.execute("select nid, count(*) from cards group by nid"))
            notes = []
            for nid, mid, flds in db.execute("select id, mid, flds from notes order by id"):
                type_name, names_of = field_names[int(mid)]
                values = flds.split("\x1f")
                notes.append(
                    PackagedNote(
                        note_type=type_name,
                        fields=dict(zip(names_of, values, strict=False)),
                        cards=card_counts.get(nid, 0),
                    )
                )
            cards = db.execute("select count(*) from cards").fetchone()[0]
        finally:
            db.close()
    return Package(notes=tuple(notes), cards=cards, media=tuple(sorted(media_map.values())))


def iter_built(
    sources: Sequence[Source], out_dir: Path, formats: Sequence[str]
) -> Iterator[tuple[Source, Outcome | None]]:
    """Each source with its build outcome; None when the source is not collected locally."""
    for source in sources:
        if not source.deck_dir.is_dir():
            yield source, None
            continue
        target = out_dir / source.id
        target.mkdir(parents=True, exist_ok=True)
        yield source, build_source(source, target, formats)


# --- what a learner sees ----------------------------------------------------------------------

_BLOCKS = {"p", "div", "li", "tr", "br", "hr", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.DOTALL)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)


class _TextOf(HTMLParser):
    """Visible text of an HTML fragment; with ``skip_code``, code and pre blocks are left out."""

    def __init__(self, skip_code: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = {"script", "style"} | ({"code", "pre", "anki-mathjax"} if skip_code else set())
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skip:
            self.depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "img" and not self.depth:
            alt = dict(attrs).get("alt") or dict(attrs).get("src") or ""
            self.parts.append(f"[image: {alt}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip:
            self.depth = max(0, self.depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str, *, skip_code_and_math: bool = False) -> str:
    """The text a learner reads in a field (entities decoded, so an escaped tag shows as ``<x``)."""
    parser = _TextOf(skip_code_and_math)
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    if skip_code_and_math:
        text = _MATH.sub(" ", _CLOZE.sub(r"\1", text))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()
