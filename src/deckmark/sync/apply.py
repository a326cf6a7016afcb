"""Carry out a push plan against Anki, step by step, saying what was done if a step fails.

New notes go in through AnkiConnect's importPackage with a package from the .apkg exporter:
the only way to give a note deckmark's GUID, so that a later File > Import of the .apkg finds
the pushed notes instead of adding them again. Everything else uses note and card actions.
A rerun after a failure plans again from Anki's state, so it finishes the job and never
duplicates (an import of an existing GUID updates that note, it never adds a second).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deckmark.errors import DeckmarkError
from deckmark.exporters.anki import write_apkg
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
    done: list[str] = []
    relinked: list[int] = []
    pending = [
        (action, len(plan.of(action)))
        for action in (Action.ADD, Action.UPDATE, Action.MOVE, Action.DELETE)
        if plan.of(action) and (delete or action is not Action.DELETE)
    ]

    def step(action: Action, run: Callable[[], None]) -> None:
        count = len(plan.of(action))
        if not count or (action is Action.DELETE and not delete):
            return
        if on_step:
            on_step(action.value)
        try:
            run()
        except AnkiConnectError as e:
            not_done = ", ".join(f"{_verb(a)} {n}" for a, n in pending)
            did = ", ".join(done) or "nothing"
            raise PushInterruptedError(
                f"push of {plan.deck.name} stopped: {e}. Done: {did}; not done: {not_done}. "
                "Run deckmark push again to finish (it never adds a note twice)"
            ) from e
        done.append(f"{_verb(action)} {count}")
        pending.pop(0)

    step(Action.ADD, lambda: relinked.append(_add(client, plan, now, source_link)))
    step(Action.UPDATE, lambda: _update(client, plan))
    step(Action.MOVE, lambda: _move(client, plan))
    step(Action.DELETE, lambda: _delete(client, plan))
    return PushResult(
        deck=plan.deck.name,
        added=len(plan.of(Action.ADD)) - sum(relinked),
        relinked=sum(relinked),
        updated=len(plan.of(Action.UPDATE)),
        moved=len(plan.of(Action.MOVE)),
        deleted=len(plan.of(Action.DELETE)) if delete else 0,
        deletions_skipped=0 if delete else len(plan.of(Action.DELETE)),
    )


def _verb(action: Action) -> str:
    return {
        Action.ADD: "added",
        Action.UPDATE: "updated",
        Action.MOVE: "moved",
        Action.DELETE: "deleted",
    }.get(action, action.value)


def _add(client: AnkiConnect, plan: PushPlan, now: int, source_link: str | None) -> int:
    """Import the new notes; how many of them were in Anki already (without a marker)."""
    cards = [change.card for change in plan.of(Action.ADD) if change.card is not None]
    before = {note.note_id for note in read_anki_notes(client)}
    with tempfile.TemporaryDirectory(prefix="deckmark-push-") as tmp:
        path = Path(tmp) / f"{plan.deck.slug}.apkg"
        # The push time as the notes' mod: a note an older .apkg brought in without a marker
        # is updated in place (same GUID) rather than left stale.
        write_apkg(plan.deck, cards, path, source_link=source_link, note_mod=now)
        client.invoke("importPackage", path=str(path.resolve()))
    after = read_anki_notes(client)
    present = {note.marker[0]: note.note_id for note in after if note.marker}
    missing = [card for card in cards if card.guid not in present]
    if missing:
        raise AnkiConnectError(
            f"Anki imported the package, but {len(missing)} of its {len(cards)} notes are not "
            f"in the collection (first: {missing[0].source}); is the file {path.name} readable "
            "by Anki on this machine?"
        )
    return sum(1 for card in cards if present[card.guid] in before)


def _update(client: AnkiConnect, plan: PushPlan) -> None:
    for change in plan.of(Action.UPDATE):
        if change.fields:
            client.invoke(
                "updateNoteFields", note={"id": change.note_id, "fields": dict(change.fields)}
            )
        if change.tags:
            client.invoke("addTags", notes=[change.note_id], tags=" ".join(change.tags))
        if change.stale_tags:
            client.invoke("removeTags", notes=[change.note_id], tags=" ".join(change.stale_tags))


def _move(client: AnkiConnect, plan: PushPlan) -> None:
    for change in plan.of(Action.MOVE):
        client.invoke("changeDeck", cards=list(change.card_ids), deck=change.deck)


def _delete(client: AnkiConnect, plan: PushPlan) -> None:
    client.invoke("deleteNotes", notes=[change.note_id for change in plan.of(Action.DELETE)])
