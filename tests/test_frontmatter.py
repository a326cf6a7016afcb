"""YAML front matter: notes files accept any YAML (tags become Anki tags); card files are strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckmark.build import discover, load_deck
from deckmark.errors import InputError

BODY = "\n# Git Branch\n\nA git branch is a movable pointer to a commit.\n"


def deck_of(tmp_path: Path, front_matter: str) -> Path:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "notes.md").write_text(f"---\n{front_matter}---\n{BODY}", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "front_matter",
    [
        "tags:\n  - git\n  - version-control\n",  # a YAML list
        "Course Code: CSC258\ntags: [git, version-control]\n",  # keys with spaces, flow list
        "intro: |\n  Two lines\n  of text.\ntags: git, version-control\n",  # block scalar
        "{}\n",  # Obsidian's empty properties
    ],
)
def test_notes_front_matter__any_valid_yaml__builds(tmp_path: Path, front_matter: str) -> None:
    [source] = discover([deck_of(tmp_path, front_matter)])
    deck = load_deck(source)
    assert deck.cards
    assert not deck.warnings
    if "tags" in front_matter:
        assert all({"git", "version-control"} <= set(card.tags) for card in deck.cards)


def test_notes_front_matter__hierarchical_tag__becomes_anki_hierarchy(tmp_path: Path) -> None:
    [source] = discover([deck_of(tmp_path, "tags: [lang/python, 'two words']\n")])
    [card, *_] = load_deck(source).cards
    assert {"lang::python", "two_words"} <= set(card.tags)


def test_notes_front_matter__invalid_yaml__warns_with_line_and_builds(tmp_path: Path) -> None:
    [source] = discover([deck_of(tmp_path, "title: ok\ntags: [unclosed\nnext: 1\n")])
    deck = load_deck(source)
    assert deck.cards
    [warning] = deck.warnings
    assert str(warning).startswith(
        f"{source.files[0].as_posix()}:4: front matter is not valid YAML"
    )


def test_card_file__invalid_yaml__is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "notes.md").write_text(BODY, encoding="utf-8")
    (folder / "cards.md").write_text(
        "---\nkind: cards\ntags: [a\n---\n\n# Q?\n\nA.\n", encoding="utf-8"
    )
    [source] = discover([folder])
    with pytest.raises(InputError) as error:
        load_deck(source)
    assert "cards.md:3: front matter is not valid YAML" in str(error.value)
