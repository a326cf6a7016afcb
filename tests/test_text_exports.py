"""Text exports: Anki's text-import file and the Quizlet term/definition list."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from deckmark.exporters import ExportOptions, exporter
from deckmark.exporters.anki import card_fields
from deckmark.exporters.text import plain_text, quizlet_rows
from deckmark.model import Card, CardKind, Deck, SourceLocation


def card(front: str, back: str = "", **extra: object) -> Card:
    return Card(
        kind=CardKind.FACT,
        front=front,
        back=back,
        context=("Docker", "Docker Image"),
        source=SourceLocation(path="notes.md", line=3),
        key=front,
        guid="G" + front[:5],
        modified=1_750_000_000,
        **extra,
    )  # type: ignore[arg-type]


DECK = Deck(
    name="Docker",
    slug="docker",
    cards=(
        card("What is a docker image?", "A **read-only** template.\n\nUsed to create containers."),
        card(
            "A docker image is composed of {{c1::layers}} stored in a {{c2::registry}}.",
            prompt="How are images stored?",
            subdeck="Images",
            tags=("images",),
        ),
        card("Which command lists images?", "```sh\ndocker image ls\t-a\n```"),
    ),
)


def test_anki_txt__header_lines_then_one_row_per_note_with_apkg_fields(tmp_path: Path) -> None:
    [path] = exporter("anki-txt")(DECK, tmp_path, ExportOptions()).paths
    assert path == tmp_path / "docker.txt"
    lines = path.read_text().split("\n", 6)
    assert lines[:6] == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:9",
    ]
    rows = list(csv.reader(io.StringIO(lines[6]), delimiter="\t"))
    assert [row[:3] for row in rows if row] == [
        ["GWhat ", "deckmark Basic", "Docker"],
        ["GA doc", "deckmark Cloze", "Docker::Images"],
        ["GWhich", "deckmark Basic", "Docker"],
    ]
    assert rows[0][3:8] == card_fields(DECK.cards[0])  # multi-line HTML survives the quoting
    assert rows[1][8] == "images deckmark::fact"


def test_quizlet__plain_term_tab_definition_one_line_each(tmp_path: Path) -> None:
    [path] = exporter("quizlet")(DECK, tmp_path, ExportOptions()).paths
    assert path == tmp_path / "docker-quizlet.txt"
    assert path.read_text() == (
        "What is a docker image?\tA read-only template.; Used to create containers.\n"
        "How are images stored?; A docker image is composed of ___ stored in a "
        "registry.\tlayers\n"
        "How are images stored?; A docker image is composed of layers stored in a "
        "___.\tregistry\n"
        "Docker Image: Which command lists images?\tdocker image ls -a\n"
    )


def test_quizlet_cloze__back_text_follows_the_answer_in_parentheses() -> None:
    assert quizlet_rows(card("The default driver is {{c1::`bridge`}}.", "On Linux.")) == [
        ("Docker Image: The default driver is ___.", "bridge (On Linux.)")
    ]


def test_plain_text__markup_dropped_blocks_joined_tabs_gone() -> None:
    markdown = (
        "**Bold** and `code` [link](http://x) <br> a\tb\n\n- one\n- two\n\n"
        "```sh\ndocker ps\n  docker run x\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert plain_text(markdown) == (
        "Bold and code link a b; one; two; docker ps; docker run x; a | b; 1 | 2"
    )
