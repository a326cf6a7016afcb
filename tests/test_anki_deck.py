"""The Docker deck, built by deckmark and read back by Anki's own engine."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from deckmark.build import build
from deckmark.exporters.anki import strip_marker
from tests.conftest import import_apkg, read_notes

NINE_TOPICS = (
    "Docker",
    "Docker Benefits",
    "Docker Image",
    "Docker Container",
    "Docker Engine",
    "Docker Hub",
    "Virtual Machine vs Container",
    "Dockerfile",
    "CMD vs ENTRYPOINT",
)


def _text(html: str, code: bool = False) -> str:
    """Visible text of an Anki card side; without code blocks unless ``code``."""
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.DOTALL)
    if not code:
        html = re.sub(r"<pre.*?</pre>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _source_line(note: dict[str, Any]) -> tuple[str, int]:
    path, line = strip_marker(note["fields"]["Source"]).rsplit(":", 1)
    return path, int(line)


@pytest.fixture
def imported(docker_deck: Path, tmp_path: Path, collection: Any) -> list[dict[str, Any]]:
    result = build([docker_deck], tmp_path / "out", ["apkg"], now=1_800_000_000)
    counts = import_apkg(collection, tmp_path / "out" / "docker.apkg")
    notes = read_notes(collection)
    assert counts == {"new": len(notes), "updated": 0, "duplicate": 0, "conflicting": 0}
    assert len(notes) == len(result.decks[0].cards)
    return notes


def _generated(notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for n in notes if "deckmark::written" not in n["tags"]]


def test_docker_deck__each_defined_topic__has_at_least_two_cards(imported: list[Any]) -> None:
    for topic in NINE_TOPICS:
        first_section = [
            n
            for n in _generated(imported)
            if n["fields"]["Context"].split(" › ")[-1] == topic
            and _source_line(n)[1] < 160  # the first "Dockerfile" section, not the example
        ]
        assert len(first_section) >= 2, topic


def test_docker_deck__dockerfile_and_compose_examples__give_code_cards(imported: list[Any]) -> None:
    code = [n for n in imported if "deckmark::code" in n["tags"]]
    contexts = {n["fields"]["Context"].split(" › ")[-1] for n in code}
    assert {"Dockerfile", "Docker Compose file"} <= contexts
    fronts = " ".join(n["fields"].get("Front", "") for n in code)
    assert "WORKDIR /app" in fronts
    assert "postgres:15" in fronts


def test_docker_deck__no_card_from_contents_br_or_empty_sections(
    imported: list[Any], docker_deck: Path
) -> None:
    lines = (docker_deck / "notes.md").read_text().splitlines()
    br_lines = {n for n, line in enumerate(lines, 1) if line.strip() == "<br>"}
    contents = set(range(1, 11))
    # Empty sections: from the COPY vs ADD heading to the second Dockerfile heading, and Commands.
    empty = set(range(lines.index("### COPY vs ADD") + 1, lines.index("```dockerfile", 200) + 1))
    empty |= set(range(lines.index("### Commands") + 1, len(lines) + 1))
    for note in _generated(imported):
        path, line = _source_line(note)
        assert path.endswith("notes.md")
        assert line not in br_lines | contents | empty, note["fields"]


def test_docker_deck__no_card_is_empty_in_anki(imported: list[Any], collection: Any) -> None:
    assert not collection.get_empty_cards().notes
    for note in imported:
        assert note["cards"], note["fields"]
        for card in note["cards"]:
            question, answer = _text(card["question"], True), _text(card["answer"], True)
            assert question and answer != question


def test_docker_deck__answers_are_short(imported: list[Any]) -> None:
    answers = []
    for note in imported:
        fields = note["fields"]
        if note["notetype"] == "deckmark Cloze":
            answers += re.findall(r"\{\{c\d+::(.*?)\}\}", fields["Text"], flags=re.DOTALL)
        else:
            answers.append(fields["Back"])
    long = [a for a in answers if len(_text(a).split()) > 40]
    assert len(long) / len(answers) < 0.02, long


def test_docker_deck__no_two_cards_ask_the_same_question(imported: list[Any]) -> None:
    questions = []
    for note in imported:
        for card in note["cards"]:
            question = re.sub(r'<div class="context">.*?</div>', "", card["question"])
            questions.append(_text(question, code=True).lower())
    duplicates = {q for q in questions if questions.count(q) > 1}
    assert not duplicates


def test_docker_deck__subdecks_tags_and_reverse(imported: list[Any]) -> None:
    decks = {card["deck"] for note in imported for card in note["cards"]}
    assert {"Docker::Definitions", "Docker::Commands", "Docker::Comparisons"} <= decks
    written = [n for n in imported if "deckmark::written" in n["tags"]]
    assert written
    reversed_notes = [n for n in written if n["fields"].get("Reverse")]
    assert reversed_notes
    for note in reversed_notes:
        assert sorted(card["ord"] for card in note["cards"]) == [0, 1]
    logs = next(n for n in written if "docker logs -f" in n["fields"]["Front"])
    assert "docker::commands" in logs["tags"]


def test_docker_deck__code_is_highlighted_and_html_is_not_executed(
    imported: list[Any], tmp_path: Path, collection: Any
) -> None:
    code_back = next(
        n["fields"]["Back"] for n in imported if "WORKDIR" in n["fields"].get("Back", "")
    )
    assert '<pre class="dm-code"' in code_back and "<span" in code_back
    notes = tmp_path / "evil.md"
    notes.write_text(
        "## Safety\n\n- Safety is <script>alert(1)</script> checked.\n"
        "- It uses <img src=x onerror=alert(1)> tags.\n"
    )
    build([notes], tmp_path / "evil", ["apkg"], now=1_800_000_000)
    import_apkg(collection, tmp_path / "evil" / "evil.apkg")
    fields = " ".join(
        value
        for note in read_notes(collection)
        if "evil::safety" in note["tags"]
        for value in note["fields"].values()
    )
    assert "<script" not in fields and "<img" not in fields
    assert "&lt;script&gt;" in fields


def test_rebuild__edited_answer__updates_the_note_in_place(
    docker_deck: Path, tmp_path: Path, collection: Any
) -> None:
    build([docker_deck], tmp_path / "v1", ["apkg"], now=1_800_000_000)
    import_apkg(collection, tmp_path / "v1" / "docker.apkg")
    before = {n["guid"]: n for n in read_notes(collection)}

    notes = docker_deck / "notes.md"
    old = "A docker container is a running instance of a docker image."
    new = "A docker container is a running, isolated instance of a docker image."
    notes.write_text(notes.read_text().replace(old, new))
    build([docker_deck], tmp_path / "v2", ["apkg"], now=1_800_000_100)
    counts = import_apkg(collection, tmp_path / "v2" / "docker.apkg")
    after = {n["guid"]: n for n in read_notes(collection)}

    assert counts["new"] == 0 and counts["conflicting"] == 0
    assert after.keys() == before.keys()
    changed = [g for g in after if after[g]["fields"] != before[g]["fields"]]
    assert len(changed) == 1
    note = after[changed[0]]
    assert note["id"] == before[changed[0]]["id"]
    assert "A running, isolated instance of a docker image." in note["fields"]["Back"]


def test_docker_deck__outdated_statements_in_the_notes__carry_their_correction(
    imported: list[Any],
) -> None:
    entrypoint = [
        n
        for n in _generated(imported)
        if "cannot be overridden"
        in re.sub(r"\{\{c\d+::", "", n["fields"].get("Front", "") + n["fields"].get("Text", ""))
    ]
    # The discrimination card; the side's cloze ("ENTRYPOINT cannot be [...]") is too vague.
    assert len(entrypoint) == 1
    for note in entrypoint:
        answer = note["fields"].get("Back", "") + note["fields"].get("Extra", "")
        assert "<strong>Correction:</strong>" in answer and "--entrypoint" in answer
        assert "outdated-in-notes" in note["tags"]
        assert any("--entrypoint" in card["answer"] for card in note["cards"])


def test_notes_in_other_styles__import_cleanly_and_keep_user_syntax(
    tmp_path: Path, collection: Any
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "notes" / "edge-cases.md"
    notes = tmp_path / "edge-cases.md"
    notes.write_text(fixture.read_text())
    build([notes], tmp_path / "out", ["apkg"], now=1_800_000_000)
    counts = import_apkg(collection, tmp_path / "out" / "edge-cases.apkg")
    imported = read_notes(collection)
    assert counts["new"] == len(imported) and not counts["conflicting"]
    assert not collection.get_empty_cards().notes
    vector = next(n for n in imported if "vector" in n["fields"].get("Text", ""))
    (card,) = vector["cards"]
    assert "[...]" in card["question"] and "std::vector" not in card["question"]
    # "::" is not read as a cloze hint: the whole name is the answer, shown as the user wrote it.
    assert "<code>std::vector</code>" in html.unescape(card["answer"])
    # Text before the first heading and indented code keep their lines in the Source field.
    sources = {_source_line(n)[1] for n in imported}
    assert {1, 55} <= sources
