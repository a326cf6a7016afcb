"""What a push will do: the built deck compared with the notes Anki actually holds.

deckmark's notes are found by the marker at the end of their Source field (GUID and a digest
of the fields as deckmark wrote them; see exporters/anki.py). Only notes that carry a marker
and have a card in the deck (or its subdecks) belong to the deck; every other note is left
alone, hand-made ones included.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from deckmark.exporters.anki import (
    BASIC_MODEL_NAME,
    CLOZE_MODEL_NAME,
    NoteTypeLook,
    card_fields,
    card_tags,
    deck_name,
    field_names,
    fields_digest,
    is_earlier_look,
    note_type_looks,
    read_marker,
    strip_marker,
)
from deckmark.model import Card, Deck
from deckmark.sync.client import AnkiConnect

NOTE_TYPES_QUERY = f'"note:{BASIC_MODEL_NAME}" OR "note:{CLOZE_MODEL_NAME}"'


@dataclass(frozen=True, slots=True, kw_only=True)
class AnkiCard:
    card_id: int
    ord: int
    deck: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AnkiNote:
    """A note of one of deckmark's note types, as Anki holds it now."""

    note_id: int
    note_type: str
    fields: tuple[tuple[str, str], ...]
    """(name, value) in note-type order."""
    tags: tuple[str, ...]
    cards: tuple[AnkiCard, ...]

    @property
    def field_values(self) -> tuple[str, ...]:
        return tuple(value for _, value in self.fields)

    @property
    def marker(self) -> tuple[str, str] | None:
        return read_marker(dict(self.fields).get("Source", ""))

    def in_deck(self, deck: str) -> bool:
        return any(c.deck == deck or c.deck.startswith(f"{deck}::") for c in self.cards)


class Action(StrEnum):
    ADD = "add"
    UPDATE = "update"
    MOVE = "move"
    DELETE = "delete"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One thing a push does (or, for a conflict, refuses to do) to one note."""

    action: Action
    label: str
    """Where the card comes from and what it asks, for the report."""
    card: Card | None = None
    """The built card (None for a deletion)."""
    note_id: int = 0
    fields: tuple[tuple[str, str], ...] = ()
    """For add and update: the note's fields as deckmark writes them."""
    tags: tuple[str, ...] = ()
    """For update: tags the build gives the note that Anki's copy lacks."""
    stale_tags: tuple[str, ...] = ()
    """For update: deckmark's tags (``deckmark::``, ``<deck>::``) the build no longer gives."""
    differs: tuple[str, ...] = ()
    """For update and conflict: the fields that differ between Anki and the build."""
    card_ids: tuple[int, ...] = ()
    """For move: the cards to move."""
    deck: str = ""
    """For add and move: the target deck; for move, ``detail`` says where from."""
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PushPlan:
    deck: Deck
    changes: tuple[Change, ...]
    unchanged: int
    """Notes already as built."""
    unlinked: int
    """Notes of deckmark's note types in this deck without a marker (older imports, hand-made)."""
    in_sync: tuple[Card, ...] = ()
    """Cards whose notes in Anki are exactly as built."""
    stale_note_types: tuple[str, ...] = ()
    """deckmark's note types that still have an earlier version's templates and CSS."""
    restyled_note_types: tuple[str, ...] = ()
    """deckmark's note types whose templates or CSS were changed in Anki: kept as they are."""
    copies: tuple[tuple[int, str], ...] = ()
    """(note id, label) of notes the user copied in Anki from one of deckmark's: left alone."""

    def of(self, action: Action) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is action)


def read_note_type_looks(client: AnkiConnect) -> dict[str, NoteTypeLook]:
    """deckmark's note types as Anki has them (templates and CSS), by name."""
    present = set(client.invoke("modelNames"))
    looks: dict[str, NoteTypeLook] = {}
    for name in note_type_looks():
        if name in present:
            templates = client.invoke("modelTemplates", modelName=name)
            css = client.invoke("modelStyling", modelName=name)["css"]
            looks[name] = ({t: (v["Front"], v["Back"]) for t, v in templates.items()}, css)
    return looks


def read_anki_notes(client: AnkiConnect) -> list[AnkiNote]:
    """Every note of deckmark's note types, with its cards' decks."""
    note_ids = client.invoke("findNotes", query=NOTE_TYPES_QUERY)
    if not note_ids:
        return []
    infos = client.invoke("notesInfo", notes=note_ids)
    cards: dict[int, list[AnkiCard]] = {}
    for info in client.invoke(
        "cardsInfo", cards=client.invoke("findCards", query=NOTE_TYPES_QUERY)
    ):
        cards.setdefault(info["note"], []).append(
            AnkiCard(card_id=info["cardId"], ord=info["ord"], deck=info["deckName"])
        )
    notes = []
    for info in infos:
        ordered = sorted(info["fields"].items(), key=lambda item: item[1]["order"])
        notes.append(
            AnkiNote(
                note_id=info["noteId"],
                note_type=info["modelName"],
                fields=tuple((name, field["value"]) for name, field in ordered),
                tags=tuple(info["tags"]),
                cards=tuple(sorted(cards.get(info["noteId"], []), key=lambda c: c.ord)),
            )
        )
    return notes


def describe(card: Card) -> str:
    question = " ".join(card.question.split())
    return f"{card.source}: {question[:80] + '...' if len(question) > 80 else question}"


def plan_push(
    deck: Deck,
    anki_notes: Sequence[AnkiNote],
    anki_looks: dict[str, NoteTypeLook] | None = None,
    *,
    force: bool = False,
    source_link: str | None = None,
    other_guids: frozenset[str] = frozenset(),
) -> PushPlan:
    """Compare the built ``deck`` with Anki's notes; what a push must do, note by note.

    ``other_guids``: GUIDs the other decks of the same push build; a card of theirs that the
    user moved into this deck is theirs, never deleted here.
    """
    by_guid: dict[str, AnkiNote] = {}
    copies: list[AnkiNote] = []
    for anki_note in sorted(anki_notes, key=lambda n: n.note_id):
        if anki_note.marker and anki_note.marker[0] in by_guid:
            # Anki's "Create Copy" copies the marker too. The oldest note is deckmark's (note
            # ids are creation times); the user's copies are theirs and left alone.
            copies.append(anki_note)
        elif anki_note.marker:
            by_guid[anki_note.marker[0]] = anki_note
    changes: list[Change] = []
    in_sync: list[Card] = []
    built_guids = set()
    for card in deck.cards:
        built_guids.add(card.guid)
        fields = tuple(zip(field_names(card), card_fields(card, source_link), strict=True))
        target = deck_name(deck, card)
        label = describe(card)
        note = by_guid.get(card.guid)
        if note is None:
            changes.append(
                Change(action=Action.ADD, label=label, card=card, fields=fields, deck=target)
            )
            continue
        change = _compare(card, note, fields, label, force, deck.slug)
        if change is None:
            in_sync.append(card)
        else:
            changes.append(change)
        move = _move(card, note, target, label, deck.name)
        if move is not None:
            changes.append(move)
    for guid, note in by_guid.items():
        if guid not in built_guids and guid not in other_guids and note.in_deck(deck.name):
            changes.append(
                Change(action=Action.DELETE, label=_note_label(note), note_id=note.note_id)
            )
    unlinked = sum(1 for note in anki_notes if not note.marker and note.in_deck(deck.name))
    differ = [
        name
        for name, look in note_type_looks().items()
        if anki_looks and name in anki_looks and anki_looks[name] != look
    ]
    stale = tuple(n for n in differ if anki_looks and is_earlier_look(anki_looks[n]))
    return PushPlan(
        deck=deck,
        changes=tuple(changes),
        unchanged=len(in_sync),
        unlinked=unlinked,
        in_sync=tuple(in_sync),
        stale_note_types=stale,
        restyled_note_types=tuple(n for n in differ if n not in stale),
        copies=tuple(
            (note.note_id, _note_label(note)) for note in copies if note.in_deck(deck.name)
        ),
    )


def _compare(
    card: Card,
    note: AnkiNote,
    fields: tuple[tuple[str, str], ...],
    label: str,
    force: bool,
    slug: str,
) -> Change | None:
    """An update (or a conflict) when Anki's note differs from the build; None if it does not."""
    wanted = dict(fields)
    current = dict(note.fields)
    tags = card_tags(card)
    missing_tags = tuple(t for t in tags if t not in note.tags)
    # Tags in deckmark's namespaces are deckmark's to change; every other tag (the user's,
    # Anki's leech and marked) stays.
    stale_tags = tuple(
        t for t in note.tags if t.startswith(("deckmark::", f"{slug}::")) and t not in tags
    )
    if note.note_type != (CLOZE_MODEL_NAME if card.is_cloze else BASIC_MODEL_NAME):
        return Change(
            action=Action.CONFLICT,
            label=label,
            card=card,
            note_id=note.note_id,
            detail=f"the note in Anki has note type {note.note_type!r}; delete it in Anki to "
            "let the next push add it anew",
        )
    differs = tuple(
        name for name in wanted if strip_marker(current.get(name, "")) != strip_marker(wanted[name])
    )
    marker = note.marker
    edited_in_anki = marker is not None and fields_digest(note.field_values) != marker[1]
    if not differs and not missing_tags and not stale_tags:
        # Same content; only a stale marker (e.g. the user undid an edit) needs rewriting.
        if marker is not None and marker[1] != fields_digest([v for _, v in fields]):
            return Change(
                action=Action.UPDATE, label=label, card=card, note_id=note.note_id, fields=fields
            )
        return None
    if edited_in_anki and differs and not force:
        shown = "; ".join(
            f"{name} in Anki {_excerpt(current.get(name, ''))}, "
            f"in the notes {_excerpt(wanted[name])}"
            for name in differs
        )
        return Change(
            action=Action.CONFLICT,
            label=label,
            card=card,
            note_id=note.note_id,
            differs=differs,
            detail=f"edited in Anki since deckmark wrote it ({shown})",
        )
    return Change(
        action=Action.UPDATE,
        label=label,
        card=card,
        note_id=note.note_id,
        fields=fields if differs else (),
        tags=missing_tags,
        stale_tags=stale_tags,
        differs=differs,
    )


def _move(card: Card, note: AnkiNote, target: str, label: str, deck: str) -> Change | None:
    """Cards of the note that sit in another subdeck of the deck than the build says."""
    strays = [
        c
        for c in note.cards
        if c.deck != target and (c.deck == deck or c.deck.startswith(f"{deck}::"))
    ]
    if not strays:
        return None
    return Change(
        action=Action.MOVE,
        label=label,
        card=card,
        note_id=note.note_id,
        card_ids=tuple(c.card_id for c in strays),
        deck=target,
        detail=", ".join(sorted({c.deck for c in strays})),
    )


def _note_label(note: AnkiNote) -> str:
    fields = dict(note.fields)
    source = strip_marker(fields.get("Source", ""))
    first = strip_marker(note.field_values[0]) if note.fields else ""
    text = " ".join(_plain(first).split())
    return f"{_plain(source)}: {text[:80] + '...' if len(text) > 80 else text}"


def _excerpt(html_text: str, width: int = 60) -> str:
    """A field as short quoted plain text, for a one-line report."""
    text = " ".join(_plain(strip_marker(html_text)).split())
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
