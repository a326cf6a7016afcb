"""A push from start to plan: build the decks, reach Anki, compare. apply.py does the rest."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from deckmark.build import build, diff
from deckmark.model import Diagnostic
from deckmark.sync.client import AnkiConnect
from deckmark.sync.plan import PushPlan, plan_push, read_anki_notes, read_note_type_looks


@dataclass(frozen=True, slots=True, kw_only=True)
class PreparedPush:
    client: AnkiConnect
    plans: tuple[PushPlan, ...]
    warnings: tuple[Diagnostic, ...]
    now: int


def prepare_push(
    paths: Sequence[Path],
    client: AnkiConnect,
    *,
    force: bool = False,
    dry_run: bool = False,
    source_link: str | None = None,
) -> PreparedPush:
    """Build ``paths`` (a dry run writes nothing, not even the lockfile) and plan each deck."""
    now = int(time.time())
    client.check_version()  # before building: no lockfile written when Anki is not there
    if dry_run:
        decks = [deck for deck, _ in diff(paths, now=now)]
    else:
        # No output formats: the lockfile only (and build/'s cache, shared with deckmark build).
        decks = list(build(paths, Path("build"), [], now=now).decks)
    anki_notes = read_anki_notes(client)
    looks = read_note_type_looks(client)
    guids = {deck.name: frozenset(card.guid for card in deck.cards) for deck in decks}
    plans = tuple(
        plan_push(
            deck,
            anki_notes,
            looks,
            force=force,
            source_link=source_link,
            other_guids=frozenset().union(*(g for name, g in guids.items() if name != deck.name)),
        )
        for deck in decks
    )
    warnings = tuple(w for deck in decks for w in deck.warnings)
    return PreparedPush(client=client, plans=plans, warnings=warnings, now=now)
