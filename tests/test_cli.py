"""The command line: summaries, coverage, and one test per error message."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli as run


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path) -> Iterator[None]:
    """Run every command from tmp_path so that messages show short relative paths."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield
    finally:
        os.chdir(old)


NOTES = (
    "## Docker Image\n\n- A docker image is a read-only template.\n"
    "- We use a `Dockerfile` to build it.\n"
)


def test_build__single_notes_file__writes_apkg_and_summary(tmp_path: Path) -> None:
    (tmp_path / "my-notes.md").write_text(NOTES)
    code, out, err = run("build", "my-notes.md", "-f", "apkg")
    assert code == 0, err
    assert (tmp_path / "build" / "my-notes.apkg").is_file()
    assert out.splitlines()[-1] == (
        "1 deck, 2 notes (2 Anki cards: 1 definition, 1 fact), 0 warnings"
    )


def test_check__reports_every_heading_and_strict_fails_on_warnings(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES + "\n## Docker Volumes\n\n<br>\n")
    code, out, err = run("check", "n.md")
    assert code == 0
    assert "Docker Image" in out and "2 cards (1 definition, 1 fact)" in out
    assert "Docker Volumes" in out and "no cards: empty section" in out
    assert err == "warning: n.md:6: empty section 'Docker Volumes' makes no card\n"
    code, _, err = run("check", "--strict", "n.md")
    assert code == 1
    assert err.endswith("Error: 1 warnings (--strict)\n")
    assert not (tmp_path / "build").exists()


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("deckmark, version ")
    for command in ("build", "check", "diff"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example" in out


def test_usage_error__exits_2() -> None:
    code, _, err = run("build", "--paper", "a5")
    assert code == 2 and "Invalid value for '--paper'" in err


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, ["missing.md"], "error: missing.md: no such file or folder"),
        ({"bin.md": b"ab\x00cd"}, ["bin.md"], "error: bin.md: binary file, not Markdown text"),
        (
            {"latin.md": "# Caf\xe9\n\n- x\n".encode("latin-1")},
            ["latin.md"],
            "error: latin.md:1: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        ({"empty/readme.txt": b"x"}, ["empty"], "error: empty: folder has no Markdown (.md) files"),
        (
            {"links.md": b"- [a](#a)\n- [b](#b)\n"},
            ["links.md"],
            "error: links.md: no cards could be made from these notes",
        ),
    ],
)
def test_bad_input__one_line_error__exit_1__nothing_written(
    tmp_path: Path, files: dict[str, bytes], args: list[str], message: str
) -> None:
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    code, out, err = run("build", *args)
    assert code == 1
    assert err == message + "\n"
    assert "Traceback" not in out + err
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").iterdir())


def test_bad_input__all_problems_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "bin.md").write_bytes(b"\x00")
    code, _, err = run("build", "missing.md", "other-missing", "bin.md")
    assert code == 1
    assert err.splitlines() == [
        "error: missing.md: no such file or folder",
        "error: other-missing: no such file or folder",
    ]


CARD_FILE_ERRORS = """\
---
kind: cards
subdeck: Commands
colour: blue
---

# What does `docker ps` list?

# What does `docker ps -a` list?
<!-- id: ps-all; colour: red -->

All containers, including stopped ones.

# Stop a container
<!-- cloze -->

`docker stop web` stops it.

# What does `docker images` list?
<!-- id: ps-all -->

Local images.

# What is a Docker image?

A read-only template.
"""


def test_card_file_errors__each_with_file_and_line(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "notes.md").write_text(NOTES)
    (deck / "cards.md").write_text(CARD_FILE_ERRORS)
    code, _, err = run("check", "deck")
    assert code == 1
    assert err.splitlines() == [
        "error: deck/cards.md:4: unknown front matter key 'colour' "
        "(known: kind, subdeck, tags, covers, reverse)",
        "error: deck/cards.md:10: unknown option 'colour' "
        "(known: id, tags, subdeck, reverse, cloze, covers, corrects)",
        "error: deck/cards.md:7: card 'What does `docker ps` list?' has no answer",
        "error: deck/cards.md:14: cloze card has no deletion: mark one with {{c1::...}}",
        "error: deck/cards.md:19: duplicate id 'ps-all' (first used at deck/cards.md:9)",
        "error: deck/cards.md:24: asks the same question as the card at deck/notes.md:3",
    ]


def test_card_file__corrects_phrase_matching_no_notes_card__is_an_error(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "notes.md").write_text(NOTES)
    (deck / "fix.md").write_text(
        "---\nkind: cards\n---\n\n# Which images are read-only?\n"
        "<!-- corrects: a writable template -->\n\nAll of them.\n"
    )
    code, _, err = run("check", "deck")
    assert code == 1
    assert err == (
        "error: deck/fix.md:5: corrects: no card from the notes contains 'a writable template'\n"
    )


def test_card_file__corrects_several_phrases__each_reaches_its_cards_each_must_match(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "notes.md").write_text(NOTES)
    fix = "---\nkind: cards\n---\n\n# What is an image made of?\n<!-- corrects: {} -->\n\nLayers.\n"
    (deck / "fix.md").write_text(fix.format("read-only template | `Dockerfile` to build"))
    code, _, err = run("build", "deck", "-f", "anki-txt")
    assert code == 0, err
    rows = (tmp_path / "build" / "deck.txt").read_text().splitlines()
    corrected = [row for row in rows if "<strong>Correction:</strong> Layers." in row]
    assert len(corrected) == 2, rows  # one card per phrase, each corrected once
    (deck / "fix.md").write_text(fix.format("read-only template | a writable template"))
    code, _, err = run("check", "deck")
    assert code == 1
    assert err == (
        "error: deck/fix.md:5: corrects: no card from the notes contains 'a writable template'\n"
    )
