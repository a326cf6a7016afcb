"""Odd content is kept and shown as written, or reported: never a blank card, a cloze the user
did not write, a shifted answer, or a build stopped by a renamed heading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deckmark.build import build, check, diff
from deckmark.identity import ChangeKind
from deckmark.model import CardKind
from tests.conftest import import_apkg, read_notes
from tests.conftest import run_cli as run


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages show paths relative to the working directory: keep them short."""
    monkeypatch.chdir(tmp_path)


# --- cards with nothing to show ---------------------------------------------------------------


def test_notes__label_without_value_and_bold_alone__no_blank_card_and_warned(
    tmp_path: Path,
) -> None:
    (tmp_path / "n.md").write_text(
        "## Networking\n\n- Port: <br>\n- **EXPOSE**\n- The default port is 80.\n"
    )
    (deck,) = check([tmp_path / "n.md"])
    assert [c.front for c in deck.cards] == ["The default port is {{c1::80}}."]
    assert [str(w) for w in deck.warnings] == [
        "n.md:3: made no card: it would have no answer to show: Networking › Port?",
        "n.md:4: made no card: it would have nothing but its deletion to show: {{c1::**EXPOSE**}}",
    ]


def test_card_file__heading_without_text__error_with_line(tmp_path: Path) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "n.md").write_text("## Images\n\n- An image has layers.\n")
    (tmp_path / "deck" / "c.md").write_text(
        "---\nkind: cards\n---\n\n#\n\nAn answer without a question.\n\n"
        "# What has layers?\n\n<br>\n"
    )
    code, _, err = run("check", "deck")
    assert (code, err) == (
        1,
        "error: deck/c.md:5: card has no question to show\n"
        "error: deck/c.md:9: card has no answer to show\n",
    )


# --- user text stays literal ------------------------------------------------------------------


def test_notes_heading_with_cloze_syntax__stays_literal_text_in_anki(
    tmp_path: Path, collection: Any
) -> None:
    (tmp_path / "n.md").write_text(
        "## What does {{c1::x}} mean?\n\nIt marks a deletion in Anki.\n\n"
        "## Templates\n\n- Helm fills `{{ .Values.port }}` from **values files**.\n"
    )
    build([tmp_path / "n.md"], tmp_path / "out", ["apkg"])
    import_apkg(collection, tmp_path / "out" / "n.apkg")
    notes = {n["fields"].get("Front") or n["fields"]["Text"]: n for n in read_notes(collection)}
    question = next(n for text, n in notes.items() if "What does" in text)
    assert question["notetype"] == "deckmark Basic"
    shown = question["cards"][0]["question"].replace("\u2060", "")
    assert "What does {{c1::x}} mean?" in shown
    (cloze,) = (n for n in notes.values() if n["notetype"] == "deckmark Cloze")
    assert len(cloze["cards"]) == 2  # c1 and c2 of deckmark's, none from the user's braces
    assert "{{ .Values.port }}" in cloze["cards"][0]["answer"].replace("\u2060", "")


# --- control characters and line separators ---------------------------------------------------


def test_notes_with_control_characters__apkg_imports_and_fields_hold_none(
    tmp_path: Path, collection: Any
) -> None:
    (tmp_path / "n.md").write_text(
        "## Docker Image\n\n- A docker\x1fimage is a read-only\x07 template.\n"
        "- It has\x0blayers\x1b[31m.\n"
    )
    result = build([tmp_path / "n.md"], tmp_path / "out", ["apkg"])
    assert [str(w) for w in result.warnings] == [
        "n.md:3: control characters (U+0007, U+000B, U+001B, U+001F) removed: they are "
        "invisible and Anki cannot store them"
    ]
    assert import_apkg(collection, tmp_path / "out" / "n.apkg")["new"] == 2
    fields = [f for n in read_notes(collection) for f in n["fields"].values()]
    assert not [f for f in fields if any(ord(ch) < 0x20 and ch not in "\t\n" for ch in f)]
    assert "What is a docker image?" in fields and "A read-only template." in fields


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0c", "\x85"])
def test_card_file__line_separator_in_an_answer__answers_stay_with_their_questions(
    tmp_path: Path, separator: str
) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "n.md").write_text("## Images\n\n- An image has layers.\n")
    (tmp_path / "deck" / "c.md").write_text(
        "---\nkind: cards\n---\n\n"
        f"# First?\n\nOne{separator}two.\n\n# Second?\n\nThree.\n\n# Third?\n\nFour.\n"
    )
    (deck,) = check([tmp_path / "deck"])
    written = {
        c.front: (" ".join(c.back.replace(separator, " ").split()), c.source.line)
        for c in deck.cards
        if c.kind is CardKind.WRITTEN
    }
    assert written == {"First?": ("One two.", 5), "Second?": ("Three.", 9), "Third?": ("Four.", 13)}


# --- renames ------------------------------------------------------------------------------------


def test_card_file__covers_a_renamed_heading__warns_with_the_closest_and_strict_stops(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "n.md").write_text("## Docker Volumes\n\n- A volume keeps data.\n")
    (deck / "c.md").write_text(
        "---\nkind: cards\n---\n\n# Which command removes a volume?\n"
        "<!-- covers: Docker Volumes -->\n\n`docker volume rm NAME`\n"
    )
    assert run("build", "deck", "-f", "apkg")[0] == 0
    (deck / "n.md").write_text("## Docker Volume Basics\n\n- A volume keeps data.\n")
    warning = (
        "deck/c.md:6: covers: no notes heading 'Docker Volumes' in this deck; "
        "the closest is 'Docker Volume Basics' (renamed?)"
    )
    code, out, err = run("diff", "deck")
    assert (code, err) == (0, "")  # diff reports what the rename does
    assert "~ deck/c.md:5  Which command removes a volume?" in out  # updated, same GUID
    assert "New:" not in out and "Removed" not in out
    code, _, err = run("check", "deck")
    assert (code, err) == (0, f"warning: {warning}\n")
    code, _, err = run("build", "--strict", "deck", "-f", "apkg")
    assert (code, err) == (1, f"error: {warning}\n")
    code, _, err = run("build", "deck", "-f", "apkg")
    assert (code, err) == (0, f"warning: {warning}\n")


def test_notes__heading_reworded_around_its_name__definition_stays_a_definition(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("## Docker Hub\n\nDocker Hub is a registry of public images.\n")
    build([notes], tmp_path / "out", ["apkg"], now=1_700_000_000)
    notes.write_text("## Docker Hub registry\n\nDocker Hub is a registry of public images.\n")
    ((deck, result),) = diff([notes], now=1_700_000_100)
    assert [(c.kind, c.front) for c in deck.cards] == [
        (CardKind.DEFINITION, "What is Docker Hub registry?")
    ]
    assert [c.kind for c in result.changes] == [ChangeKind.RENAMED]  # same GUID, history kept


# --- what markdown-it cannot read -------------------------------------------------------------


def _nested_list(depth: int) -> str:
    return "".join("  " * i + f"- level {i + 1} item\n" for i in range(depth))


def test_notes__list_nested_ten_levels__every_level_makes_its_card(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("## Deep\n\n" + _nested_list(10))
    (deck,) = check([tmp_path / "n.md"])
    assert len(deck.cards) == 10 and deck.cards[-1].front == "level {{c1::10}} item"
    assert deck.warnings == ()


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (_nested_list(500), 52),
        ("".join(">" * (i + 1) + f" Quote {i + 1} says a thing.\n" for i in range(5000)), 101),
    ],
    ids=["list-500", "quote-5000"],
)
def test_notes__nested_past_the_limit__warned_at_the_line_not_dropped_silently(
    tmp_path: Path, body: str, line: int
) -> None:
    (tmp_path / "n.md").write_text("## Deep\n\n" + body)
    (deck,) = check([tmp_path / "n.md"])
    assert len(deck.cards) > 40  # the readable levels still make cards
    assert [str(w) for w in deck.warnings] == [
        f"n.md:{line}: nested too deep to read (over 50 list or 100 quote levels): what is "
        "inside is left out; flatten it"
    ]


def test_notes__unterminated_code_fence__warned_at_the_line_it_opens(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(
        "## Shell\n\n- Docker runs containers.\n\n```bash\n# List containers\ndocker ps\n\n"
        "## Later\n\nText that became code.\n"
    )
    code, _, err = run("check", "--strict", "n.md")
    assert (code, err.splitlines()[0]) == (
        1,
        "warning: n.md:5: code fence is never closed: everything after it became code; "
        "close it with ```",
    )


def test_notes__closed_fences_in_lists_and_quotes__no_warning(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(
        "## Shell\n\n- Listing:\n\n  ```bash\n  docker ps  # lists containers\n  ```\n\n"
        "> ~~~~yaml\n> services: {}  # none yet\n> ~~~~~\n"
    )
    (deck,) = check([tmp_path / "n.md"])
    assert deck.warnings == ()


def test_notes__deletion_of_an_image_that_cannot_be_shown__left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    # Found by the property test: an unpackaged image without alt text shows nothing.
    (tmp_path / "n.md").write_text(
        "## Docker vs Podman\n\n**Docker**\n\n- Docker is a daemon.\n\n**Podman**\n\n"
        '- Podman is daemonless with **<img src=x onerror="alert(1)">**.\n'
    )
    (deck,) = check([tmp_path / "n.md"])
    assert not [c.front for c in deck.cards if "{{c1::**<img" in c.front]
    assert "n.md:9: made no card: it would have an empty deletion: Podman is daemonless with" in (
        "\n".join(map(str, deck.warnings))
    )


def test_card_file__deletion_crossing_a_formula_or_formatting__error(tmp_path: Path) -> None:
    # Found by bench/fuzz.py: "\(0 {{c1::`\)`}}" renders as a formula that swallows the
    # deletion's start, "<strong>{{c1::</strong> x <strong>}}" splits the markers between
    # elements; either way Anki shows an empty blank.
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "n.md").write_text("## Images\n\n- An image has layers.\n")
    (tmp_path / "deck" / "c.md").write_text(
        "---\nkind: cards\n---\n\n# Math\n<!-- cloze -->\n\nIt is \\(0 {{c1::`\\)`}}.\n\n"
        "# Fine math\n<!-- cloze -->\n\nIt is {{c1::\\(x^2\\)}}.\n\n"
        "# Bold\n<!-- cloze -->\n\nIt is **a {{c1::b** c **d}} e**.\n\n"
        "# Fine bold\n<!-- cloze -->\n\nIt is **a {{c1::b}}** c.\n"
    )
    code, _, err = run("check", "deck")
    assert (code, err) == (
        1,
        "error: deck/c.md:5: card has a deletion that cuts across formatting or a math formula\n"
        "error: deck/c.md:15: card has a deletion that cuts across formatting or a math formula\n",
    )


def test_comparison__a_side_named_twice__one_column_no_traceback(tmp_path: Path) -> None:
    # Found by bench/fuzz.py: a sub-heading repeating a side's label gave a third "side".
    (tmp_path / "n.md").write_text(
        "## Docker vs Podman\n\n**Docker**\n\n- Docker is a daemon.\n\n**Podman**\n\n"
        "- Podman is daemonless.\n\n### Docker\n\nDocker is a container engine.\n"
    )
    (deck,) = check([tmp_path / "n.md"])
    (overview,) = [c for c in deck.cards if c.kind is CardKind.OVERVIEW]
    assert overview.back.splitlines()[0] == "| Docker | Podman |"
