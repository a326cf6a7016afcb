"""Shared fixtures: building decks and reading them back with Anki's own engine."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKER_DECK = ROOT / "cards" / "docker"


@pytest.fixture
def docker_deck(tmp_path: Path) -> Path:
    """A private copy of the Docker deck folder (tests may edit it)."""
    target = tmp_path / "docker"
    shutil.copytree(DOCKER_DECK, target)
    return target


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    """A new, empty Anki collection (Anki's own engine, test-only dependency)."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def import_apkg(col: Any, path: Path, **options: Any) -> dict[str, int]:
    """Import a package with Anki's importer; the counts from its log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    log = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=os.path.abspath(path), options=ImportAnkiPackageOptions(**options)
        )
    ).log
    return {
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
    }


def read_notes(col: Any) -> list[dict[str, Any]]:
    """Every note as Anki stores it, with its cards' decks and rendered questions/answers."""
    col.models._clear_cache()  # imports do not refresh the Python note-type cache
    notes = []
    for nid in sorted(col.find_notes("")):
        note = col.get_note(nid)
        notes.append(
            {
                "id": nid,
                "guid": note.guid,
                "notetype": note.note_type()["name"],
                "fields": dict(note.items()),
                "tags": note.tags,
                "cards": [
                    {
                        "ord": card.ord,
                        "deck": col.decks.name(card.did),
                        "question": card.question(),
                        "answer": card.answer(),
                    }
                    for card in note.cards()
                ],
            }
        )
    return notes


class _UnsafeMarkup(HTMLParser):
    """Collects what in an HTML fragment could run or load something in Anki's webview."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "link", "meta", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            url = (value or "").strip().lower()
            if "javascript:" in url or (
                name in ("href", "src")
                and re.match(r"[a-z][a-z0-9+.-]*:", url)
                and not url.startswith(("http:", "https:"))
            ):
                self.found.append(f"{tag} {name}={value}")
            if name == "data-lang" and not re.fullmatch(r"[a-z0-9][a-z0-9_+#.-]*", url):
                self.found.append(f"{tag} {name}={value}")


def unsafe_markup(field: str) -> list[str]:
    """Tags, event handlers, URL schemes and odd attribute values that a card must not carry."""
    parser = _UnsafeMarkup()
    parser.feed(field)
    parser.close()
    return parser.found
