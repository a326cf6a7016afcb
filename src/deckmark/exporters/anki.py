"""Anki export (.apkg) with genanki. The only module that imports genanki.

Identity rules (see docs/anki.md in the reference): fixed model, field and template ids so the
note types never fork; GUIDs and per-note modification times come from the identity stage;
the package timestamp is fixed so that only notes whose content changed are updated on import.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import genanki

from deckmark.errors import file_errors
from deckmark.exporters import Export, ExportOptions
from deckmark.model import Card, CardKind, Deck
from deckmark.output import write_atomic
from deckmark.render.highlight import highlight_css
from deckmark.render.html import markdown_inline_to_html, markdown_to_html
from deckmark.render.source_link import source_html

PACKAGE_TIMESTAMP = 1_700_000_000
"""Fixed, non-zero: a zero timestamp gives a note id 0, which Anki treats as "no id"."""
MODEL_MODIFIED = 1_764_100_000
"""When the templates or CSS below last changed. Bump it (forward only) with every change."""

BASIC_MODEL_ID = 1_739_462_815
CLOZE_MODEL_ID = 1_739_462_816
BASIC_MODEL_NAME = "deckmark Basic"
CLOZE_MODEL_NAME = "deckmark Cloze"

_CSS = """
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left;
  color: #1d1d1f; background-color: #fdfdfd;
  max-width: 42em; margin: 0 auto; padding: 0 0.6em;
}
.card.nightMode { color: #e8e8e8; background-color: #1e1e1e; }
.context { font-size: 0.7em; color: #6b7280; margin-bottom: 0.6em; letter-spacing: 0.02em; }
.card.nightMode .context, .card.nightMode .source { color: #9ca3af; }
.prompt { font-weight: 600; margin-bottom: 0.4em; }
.hint { font-size: 0.8em; color: #6b7280; margin-top: 0.5em; }
.source { font-size: 0.6em; color: #9ca3af; margin-top: 1.2em; }
.extra { margin-top: 0.6em; }
code { font-family: "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88em;
  background: rgba(127, 127, 127, 0.14); border-radius: 3px; padding: 0.05em 0.25em; }
pre.dm-code { font-size: 0.72em; line-height: 1.4; padding: 0.6em 0.8em; border-radius: 6px;
  overflow-x: auto; background: #f6f8fa; white-space: pre; }
.card.nightMode pre.dm-code { background: #272822; }
pre.dm-code code { background: none; padding: 0; font-size: 1em; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid rgba(127, 127, 127, 0.4); padding: 0.25em 0.5em; vertical-align: top; }
ul, ol { margin: 0.2em 0; padding-left: 1.4em; }
.cloze { font-weight: 700; color: #1d4ed8; }
img { max-width: 100%; height: auto; }
mark { background: #fff3b0; color: inherit; padding: 0 0.1em; }
.card.nightMode mark { background: #6b5b00; }
.dm-block { border-left: 3px solid #4b7bd1; background: rgba(75, 123, 209, 0.08);
  padding: 0.35em 0.7em; margin: 0.5em 0; border-radius: 4px; }
.dm-block > .dm-title { font-weight: 600; margin-bottom: 0.2em; }
.dm-warning, .dm-caution, .dm-danger, .dm-error, .dm-bug, .dm-failure {
  border-left-color: #d97706; }
.dm-tip, .dm-success, .dm-hint, .dm-check, .dm-done { border-left-color: #16a34a; }
.math { overflow-x: auto; }
dt { font-weight: 600; } dd { margin: 0 0 0.4em 1.2em; }
.card.nightMode .cloze { color: #93c5fd; }
@media (max-width: 480px) { .card { font-size: 18px; } pre.dm-code { font-size: 0.66em; } }
"""

_FRONT = '<div class="context">{{Context}}</div>\n<div class="front">{{Front}}</div>'
_BACK_SIDE = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="back">{{Back}}</div>\n'
    '<div class="source">{{Source}}</div>'
)
_REVERSE_FRONT = (
    '{{#Reverse}}<div class="context">{{Context}}</div>\n<div class="front">{{Back}}</div>\n'
    '<div class="hint">Which term or command is this?</div>{{/Reverse}}'
)
_REVERSE_BACK = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="back">{{Front}}</div>\n'
    '<div class="source">{{Source}}</div>'
)
_CLOZE_FRONT = (
    '<div class="context">{{Context}}</div>\n'
    '{{#Prompt}}<div class="prompt">{{Prompt}}</div>{{/Prompt}}\n'
    '<div class="front">{{cloze:Text}}</div>'
)
_CLOZE_BACK = (
    '<div class="context">{{Context}}</div>\n'
    '{{#Prompt}}<div class="prompt">{{Prompt}}</div>{{/Prompt}}\n'
    '<div class="front">{{cloze:Text}}</div>\n'
    '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}\n'
    '<div class="source">{{Source}}</div>'
)


class _TimedNote(genanki.Note):  # type: ignore[misc]
    """A note whose modification time is its last content change, not the package's time."""

    def __init__(self, *args: Any, mod: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


class _TimedModel(genanki.Model):  # type: ignore[misc]
    def to_json(self, timestamp: float, deck_id: int) -> Any:
        return super().to_json(MODEL_MODIFIED, deck_id)


def _basic_model() -> genanki.Model:
    # Fresh dicts per call: genanki's to_json mutates them. Ids are fixed forever.
    return _TimedModel(
        BASIC_MODEL_ID,
        BASIC_MODEL_NAME,
        fields=[
            {"name": "Front", "id": 6_114_730_081_922_301_001},
            {"name": "Back", "id": 6_114_730_081_922_301_002},
            {"name": "Context", "id": 6_114_730_081_922_301_003},
            {"name": "Source", "id": 6_114_730_081_922_301_004},
            {"name": "Reverse", "id": 6_114_730_081_922_301_005},
        ],
        templates=[
            {
                "name": "Forward",
                "qfmt": _FRONT,
                "afmt": _BACK_SIDE,
                "id": 6_114_730_081_922_302_001,
            },
            {
                "name": "Reverse",
                "qfmt": _REVERSE_FRONT,
                "afmt": _REVERSE_BACK,
                "id": 6_114_730_081_922_302_002,
            },
        ],
        css=_CSS + highlight_css(),
        sort_field_index=0,
    )


def _cloze_model() -> genanki.Model:
    return _TimedModel(
        CLOZE_MODEL_ID,
        CLOZE_MODEL_NAME,
        model_type=genanki.Model.CLOZE,
        fields=[
            {"name": "Text", "id": 6_114_730_081_922_303_001},
            {"name": "Prompt", "id": 6_114_730_081_922_303_002},
            {"name": "Extra", "id": 6_114_730_081_922_303_003},
            {"name": "Context", "id": 6_114_730_081_922_303_004},
            {"name": "Source", "id": 6_114_730_081_922_303_005},
        ],
        templates=[
            {
                "name": "Cloze",
                "qfmt": _CLOZE_FRONT,
                "afmt": _CLOZE_BACK,
                "id": 6_114_730_081_922_304_001,
            }
        ],
        css=_CSS + highlight_css(),
    )


NoteTypeLook = tuple[dict[str, tuple[str, str]], str]
"""A note type's templates (name → (front, back)) and CSS."""


EARLIER_LOOKS: frozenset[str] = frozenset()
"""look_digest() of every earlier version's note types. Push updates a note type in Anki only
from one of these (or it is the user's own change, kept); add the old digests when you change
the templates or the CSS."""


def is_earlier_look(look: NoteTypeLook) -> bool:
    """Whether ``look`` is an earlier deckmark version's (not one changed in Anki)."""
    return look_digest(look) in EARLIER_LOOKS


def look_digest(look: NoteTypeLook) -> str:
    templates, css = look
    text = "\x1f".join([css, *(f"{n}\x1e{q}\x1e{a}" for n, (q, a) in sorted(templates.items()))])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def note_type_looks() -> dict[str, NoteTypeLook]:
    """What each of deckmark's note types looks like in this version, by note type name."""
    return {
        model.name: ({t["name"]: (t["qfmt"], t["afmt"]) for t in model.templates}, model.css)
        for model in (_basic_model(), _cloze_model())
    }


def deck_id(name: str) -> int:
    """A stable id per full deck name (never 1, which Anki's importer skips)."""
    digest = hashlib.sha256(f"deckmark deck {name}".encode()).digest()
    return int.from_bytes(digest[:7], "big") | (1 << 40)


def note_type_name(card: Card) -> str:
    return CLOZE_MODEL_NAME if card.is_cloze else BASIC_MODEL_NAME


def deck_name(deck: Deck, card: Card) -> str:
    return f"{deck.name}::{card.subdeck}" if card.subdeck else deck.name


def card_tags(card: Card) -> list[str]:
    return [*card.tags, f"deckmark::{card.kind.value}"]


BASIC_FIELDS = ("Front", "Back", "Context", "Source", "Reverse")
CLOZE_FIELDS = ("Text", "Prompt", "Extra", "Context", "Source")

# Push finds deckmark's notes in Anki by this marker at the end of the Source field: the note's
# GUID (AnkiConnect can neither read nor search GUIDs) and a hash of the fields as deckmark
# wrote them (so an edit made in Anki is seen as one). It lives in an existing field because
# adding a field to a note type makes Anki fork it on the next .apkg import.
_MARKER = '<span class="dm-id" data-deckmark="{guid} {digest}"></span>'
_MARKER_RE = re.compile(r'<span class="dm-id" data-deckmark="([^" ]+) ([0-9a-f]+)"></span>')


def field_names(card: Card) -> tuple[str, ...]:
    return CLOZE_FIELDS if card.is_cloze else BASIC_FIELDS


def media_names(card: Card) -> dict[str, str]:
    """Each local reference of the card → what its field shows: a file name or ``[sound:…]``."""
    return {m.ref: f"[sound:{m.name}]" if m.audio else m.name for m in card.media}


def card_fields(card: Card, source_link: str | None = None) -> list[str]:
    """The note's fields as HTML, in note-type order, with the push marker in Source."""
    context = " › ".join(markdown_inline_to_html(part) for part in card.context[-2:])
    source = source_html(card.source, source_link)
    media = media_names(card)
    if card.is_cloze:
        fields = [
            markdown_to_html(
                card.front, literal_cloze_text=card.kind is not CardKind.WRITTEN, media=media
            ),
            markdown_to_html(card.prompt, media=media) if card.prompt else "",
            markdown_to_html(card.back, media=media) if card.back else "",
            context,
            source,
        ]
    else:
        fields = [
            markdown_to_html(card.front, media=media),
            markdown_to_html(card.back, media=media),
            context,
            source,
            "y" if card.reverse else "",
        ]
    index = field_names(card).index("Source")
    marker = _MARKER.format(guid=html.escape(card.guid, quote=True), digest=fields_digest(fields))
    fields[index] += marker
    return fields


def fields_digest(fields: Sequence[str]) -> str:
    """A short hash of a note's field values, the push marker left out."""
    text = "\x1f".join(strip_marker(value) for value in fields)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def strip_marker(value: str) -> str:
    return _MARKER_RE.sub("", value)


def read_marker(source_field: str) -> tuple[str, str] | None:
    """The (GUID, fields digest) deckmark stored in a Source field, if it carries one."""
    match = _MARKER_RE.search(source_field)
    return (html.unescape(match.group(1)), match.group(2)) if match else None


def export_apkg(
    deck: Deck, out_dir: Path, options: ExportOptions, *, cache: object = None
) -> Export:
    """Write ``<out_dir>/<deck.slug>.apkg``."""
    path = out_dir / f"{deck.slug}.apkg"
    write_apkg(deck, deck.cards, path, source_link=options.source_link)
    return Export(paths=(path,))


def write_apkg(
    deck: Deck,
    cards: Sequence[Card],
    path: Path,
    *,
    source_link: str | None = None,
    note_mod: int | None = None,
) -> None:
    """Write ``cards`` of ``deck`` as a package; ``note_mod`` overrides every note's mod time."""
    basic, cloze = _basic_model(), _cloze_model()
    decks: dict[str, genanki.Deck] = {deck.name: genanki.Deck(deck_id(deck.name), deck.name)}
    for card in cards:
        if not card.guid or not card.modified:
            raise ValueError(f"{card.source}: card has no identity; run the identity stage first")
        name = deck_name(deck, card)
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name)
        decks[name].add_note(
            _TimedNote(
                model=cloze if card.is_cloze else basic,
                fields=card_fields(card, source_link),
                tags=card_tags(card),
                guid=card.guid,
                mod=note_mod or card.modified,
            )
        )
    # genanki writes to a path: a private folder in the system's temporary space (never the
    # output folder, where a killed build would leave it), then publish atomically.
    with tempfile.TemporaryDirectory(prefix="deckmark-") as tmp:
        # genanki names each media file by its base name: copy them in under their packaged names.
        media_dir = Path(tmp) / "media"
        media_dir.mkdir()
        packaged: list[str] = []
        for name, source in sorted({m.name: m.path for c in cards for m in c.media}.items()):
            shutil.copyfile(source, media_dir / name)
            packaged.append(str(media_dir / name))
        package = genanki.Package(list(decks.values()), media_files=packaged)
        scratch = Path(tmp) / path.name
        with file_errors(writing=path):  # sqlite names no file when the disk is full
            package.write_to_file(str(scratch), timestamp=PACKAGE_TIMESTAMP)
        write_atomic(path, scratch.read_bytes())
