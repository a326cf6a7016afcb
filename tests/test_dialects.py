"""Notes in other people's dialects (fixtures in tests/fixtures/dialects/, our own words).

Each fixture folder is a deck; its cards, media and warnings are pinned in
tests/golden/dialects/<name>.json. Regenerate with ``DECKMARK_UPDATE_GOLDEN=1`` and review.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deckmark.build import discover, load_deck

ROOT = Path(__file__).resolve().parent.parent
DIALECTS = Path(__file__).parent / "fixtures" / "dialects"
GOLDEN = Path(__file__).parent / "golden" / "dialects"
DECKS = sorted(p.name for p in DIALECTS.iterdir() if p.is_dir())


@pytest.fixture(autouse=True)
def from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Card sources are shown relative to the working directory: keep them stable."""
    monkeypatch.chdir(ROOT)


def test_every_dialect_fixture_has_a_deck() -> None:
    assert len(DECKS) >= 10


@pytest.mark.parametrize("name", DECKS)
def test_dialect_deck__cards_match_golden_file(name: str) -> None:
    [source] = discover([DIALECTS.relative_to(ROOT) / name])
    deck = load_deck(source)
    dump = {
        "cards": [card.as_dict() for card in deck.cards],
        "warnings": [str(w) for w in deck.warnings],
    }
    actual = json.dumps(dump, indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("DECKMARK_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with DECKMARK_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_obsidian_embed__transcluded_text__makes_no_repeat_card() -> None:
    [source] = discover([DIALECTS.relative_to(ROOT) / "obsidian-vault"])
    deck = load_deck(source)
    asked = [(card.source, card.front) for card in deck.cards]
    assert len(asked) == len(set(asked))
    # Ports.md embeds UDP#Use cases: its content shows there, its cards stay UDP's. Under
    # "UDP › Use cases" the context line gives "UDP" away, so UDP.md makes no cloze on it and
    # the embedding note's cards (context "Ports") are the only ones.
    embedded = [
        c for c in deck.cards if c.key.startswith("Basics/Ports.md") and "UDP.md" in str(c.source)
    ]
    assert [c.front for c in embedded] == [
        "DNS uses {{c1::UDP}} because a lookup fits in one datagram.",
        "Video calls use {{c1::UDP}} because a late frame is worthless.",
        "Ports › Listen?",
    ]
    assert not any("UDP}}" in c.front for c in deck.cards if c.key.startswith("Networking/UDP"))
