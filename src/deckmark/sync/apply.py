"""Carry out a push plan against Anki, step by step, saying what was done if a step fails.

New notes go in through AnkiConnect's importPackage with a package from the .apkg exporter:
the only way to give a note deckmark's GUID, so that a later File > Import of the .apkg finds
the pushed notes instead of adding them again. Everything else uses note and card actions.
A rerun after a failure plans again from Anki's state, so it finishes the job and never
duplicates (an import of an existing GUID updates that note, it never adds a second).
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deckmark.errors import DeckmarkError
from deckmark.exporters.anki import note_type_looks, write_apkg
from deckmark.model import Card
from deckmark.sync.client import AnkiConnect, AnkiConnectError
from deckmark.sync.plan import Action, PushPlan, read_anki_notes


class PushInterruptedError(DeckmarkError):
    """A request failed in the middle of a push; the message says what was and was not done."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PushResult:
    deck: str
    added: int = 0
    relinked: int = 0
    """Of the notes imported, those that were already in Anki without a marker (older .apkg)."""
    updated: int = 0
    moved: int = 0
    deleted: int = 0
    deletions_skipped: int = 0


Step = Callable[[str], None]
"""Called with each step's name before it runs (progress, and tests that cut a push short)."""


def apply_plan(
    client: AnkiConnect,
    plan: PushPlan,
    *,
    delete: bool,
    now: int,
    source_link: str | None = None,
    on_step: Step | None = None,
) -> PushResult:
    """Apply ``plan``; deletions only when ``delete`` is true."""
    relinked: list[int] = []
    progress = [0]  # notes done in the running step (updates and moves go one by one)

    def tick() -> None:
        progress[0] += 1

    steps: list[tuple[str, int, Callable[[], None]]] = [
        (
            "note types",
            len(plan.stale_note_types),
            lambda: _refresh_note_types(client, plan),
        ),
        (
            Action.ADD.value,
            len(plan.of(Action.ADD)),
            lambda: relinked.append(_add(client, plan, now, source_link)),
        ),
        (Action.UPDATE.value, len(plan.of(Action.UPDATE)), lambda: _update(client, plan, tick)),
        (Action.MOVE.value, len(plan.of(Action.MOVE)), lambda: _move(client, plan, tick)),
        (
            Action.DELETE.value,
            len(plan.of(Action.DELETE)) if delete else 0,
            lambda: _delete(client, plan),
        ),
    ]
    pending = [(name, count) for name, count, _ in steps if count]
    done: list[str] = []
    for name, count, run in steps:
        if not count:
            continue
        if on_step:
            on_step(name)
        progress[0] = 0
        try:
            run()
        except AnkiConnectError as e:
            if progress[0]:
                done.append(f"{_did(name, progress[0])} of {count}")
                pending[0] = (name, count - progress[0])
            not_done = ", ".join(_did(n, c) for n, c in pending)
            raise PushInterruptedError(
                f"push of {plan.deck.name} stopped: {e}. Done: {', '.join(done) or 'nothing'}; "
                f"not done: {not_done}. Run deckmark push again to finish (it never adds a note "
                "twice)"
            ) from e
        done.append(_did(name, count))
        pending.pop(0)
    return PushResult(
        deck=plan.deck.name,
        added=len(plan.of(Action.ADD)) - sum(relinked),
        relinked=sum(relinked),
        updated=len(plan.of(Action.UPDATE)),
        moved=len(plan.of(Action.MOVE)),
        deleted=len(plan.of(Action.DELETE)) if delete else 0,
        deletions_skipped=0 if delete else len(plan.of(Action.DELETE)),
    )


def _did(step: str, count: int) -> str:
    if step == "note types":
        return f"note types updated {count}"
    return f"{step.rstrip('e')}ed {count}"


def _refresh_note_types(client: AnkiConnect, plan: PushPlan) -> None:
    """Give note types that have an earlier deckmark version's look this version's."""
    looks = note_type_looks()
    for name in plan.stale_note_types:
        templates, css = looks[name]
        client.invoke(
            "updateModelTemplates",
            model={
                "name": name,
                "templates": {t: {"Front": q, "Back": a} for t, (q, a) in templates.items()},
            },
        )
        client.invoke("updateModelStyling", model={"name": name, "css": css})


def _import(
    client: AnkiConnect,
    plan: PushPlan,
    cards: list[Card],
    source_link: str | None,
    note_mod: int | None,
) -> None:
    with tempfile.TemporaryDirectory(prefix="deckmark-push-") as tmp:
        path = Path(tmp) / f"{plan.deck.slug}.apkg"
        write_apkg(plan.deck, cards, path, source_link=source_link, note_mod=note_mod)
        client.invoke("importPackage", path=str(path.resolve()))


def _add(client: AnkiConnect, plan: PushPlan, now: int, source_link: str | None) -> int:
    """Import the new notes; how many of them were in Anki already (without a marker)."""
    cards = [change.card for change in plan.of(Action.ADD) if change.card is not None]
    before = {note.note_id for note in read_anki_notes(client)}
    # The push time as the notes' mod: a note an older .apkg brought in without a marker is
    # updated in place (same GUID) rather than left stale.
    _import(client, plan, cards, source_link, note_mod=now)
    after = read_anki_notes(client)
    present = {note.marker[0]: note.note_id for note in after if note.marker}
    missing = [card for card in cards if card.guid not in present]
    if missing:
        raise AnkiConnectError(
            f"Anki took the package but not {len(missing)} of its {len(cards)} notes (first: "
            f"{missing[0].source}): either Anki cannot read files in this machine's temporary "
            "folder, or it has these notes without deckmark's marker, edited this very second"
        )
    return sum(1 for card in cards if present[card.guid] in before)


def _update(client: AnkiConnect, plan: PushPlan, tick: Callable[[], None]) -> None:
    # Media first, so that no field ever points at a file Anki lacks. Names are content
    # hashes: storing a file again under its name rewrites the same bytes.
    media = {
        m.name: m.path
        for change in plan.of(Action.UPDATE)
        if change.fields and change.card
        for m in change.card.media
    }
    for name, path in sorted(media.items()):
        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        client.invoke("storeMediaFile", filename=name, data=data)
    for change in plan.of(Action.UPDATE):
        if change.fields:
            client.invoke(
                "updateNoteFields", note={"id": change.note_id, "fields": dict(change.fields)}
            )
        if change.tags:
            client.invoke("addTags", notes=[change.note_id], tags=" ".join(change.tags))
        if change.stale_tags:
            client.invoke("removeTags", notes=[change.note_id], tags=" ".join(change.stale_tags))
        tick()


def _move(client: AnkiConnect, plan: PushPlan, tick: Callable[[], None]) -> None:
    for change in plan.of(Action.MOVE):
        client.invoke("changeDeck", cards=list(change.card_ids), deck=change.deck)
        tick()


def _delete(client: AnkiConnect, plan: PushPlan) -> None:
    client.invoke("deleteNotes", notes=[change.note_id for change in plan.of(Action.DELETE)])
