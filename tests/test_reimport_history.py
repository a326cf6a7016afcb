"""Editing the notes and re-importing keeps every card's review history (issue 5).

Runs Anki's own import engine (the test-only ``anki`` package) on the ``.apkg`` and the
``anki-txt`` outputs of two builds of a small notes file, with reviews in between.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from deckmark.build import build
from deckmark.cli import cli
from tests.conftest import import_apkg, review_all

T0 = 1_750_000_000
T1 = T0 + 86_400

NOTES_V1 = """\
# Containers

## Docker Image

- A docker image is a read-only template used to create containers.
- A docker image is composed of `layers`.
- Images are stored in a `registry`.
- We use a `Dockerfile` to create a docker image.

## Docker Volume

- A docker volume is persistent storage managed by Docker.
- Volumes survive `docker rm` of their container.
- Volumes live under `/var/lib/docker/volumes` on the host.

## Docker Network

- A docker network connects containers to each other.
- The default network driver is `bridge`.
"""

EDITS = [  # (before, after): each edit the issue names
    # edit an answer
    ("persistent storage managed by Docker.", "persistent storage managed by the Docker engine."),
    # reword a question
    ("Images are stored in a `registry`.", "Images are kept in a `registry`."),
    # rename a heading
    ("## Docker Network", "## Docker Networking"),
    # delete a bullet
    ("- A docker image is composed of `layers`.\n", ""),
    # add a bullet
    (
        "of their container.\n",
        "of their container.\n- A volume is created with `docker volume create`.\n",
    ),
]


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = Path("containers.md")
    path.write_text(NOTES_V1)
    return path


@pytest.fixture
def col(collection: Any) -> Any:
    """The fresh Anki collection from conftest, under a short name."""
    return collection


def notes_by_guid(col: Any) -> dict[str, tuple[int, list[int], list[str]]]:
    """GUID → (note id, card ids, fields) of every note in the collection."""
    col.models._clear_cache()
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note.guid] = (nid, sorted(c.id for c in note.cards()), list(note.fields))
    return out


def card_decks(col: Any) -> dict[str, int]:
    """Deck name → number of cards in it."""
    decks: dict[str, int] = {}
    for cid in col.find_cards(""):
        name = col.decks.name(col.get_card(cid).did)
        decks[name] = decks.get(name, 0) + 1
    return decks


def edit_notes(path: Path) -> None:
    text = path.read_text()
    for before, after in EDITS:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    path.write_text(text)


def test_edits__diff_lists_them__reimport_updates_in_place_and_keeps_reviews(
    notes: Path, col: Any
) -> None:
    out = Path("out")
    v1 = build([notes], out, ["apkg"], now=T0)
    apkg = out / "containers.apkg"
    assert import_apkg(col, apkg) == {"new": 9, "updated": 0, "duplicate": 0, "conflicting": 0}
    assert review_all(col, "Containers") == 9
    before = notes_by_guid(col)
    assert set(before) == {c.guid for c in v1.decks[0].cards}
    lockfile_v1 = Path("deckmark.lock").read_text()

    # Rebuilding unchanged notes changes nothing, and Anki sees nothing to update.
    build([notes], out, ["apkg"], now=T0 + 60)
    assert Path("deckmark.lock").read_text() == lockfile_v1
    assert import_apkg(col, apkg) == {"new": 0, "updated": 0, "duplicate": 9, "conflicting": 0}

    edit_notes(notes)
    result = CliRunner().invoke(cli, ["diff", "containers.md"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert (
        result.stdout
        == """\
Containers: 1 new, 3 updated, 1 renamed, 1 removed, 4 unchanged

New:
  + containers.md:13  A volume is created with {{c1::`docker volume create`}}.

Updated:
  ~ containers.md:11  What is a docker volume?
      changed: answer
  ~ containers.md:18  A docker network connects {{c1::containers to each other}}.
      changed: heading path, tags
  ~ containers.md:19  The default network driver is {{c1::`bridge`}}.
      changed: heading path, tags

Renamed:
  ~ containers.md:6  Images are kept in a {{c1::`registry`}}.
      was: Images are stored in a {{c1::`registry`}}.

Removed (an import never deletes notes; find them in Anki's browser with the search below \
and delete them):
  - A docker image is composed of {{c1::`layers`}}.

  "deck:Containers" "A*docker*image*is*composed*of*layers"
"""
    )
    assert Path("deckmark.lock").read_text() == lockfile_v1  # diff writes nothing

    v2 = build([notes], out, ["apkg", "anki-txt"], now=T1)
    assert import_apkg(col, apkg) == {"new": 1, "updated": 4, "duplicate": 4, "conflicting": 0}

    after = notes_by_guid(col)
    v2_guids = {c.guid for c in v2.decks[0].cards}
    [added] = v2_guids - set(before)
    [removed] = set(before) - v2_guids
    assert set(after) == set(before) | {added}  # the removed note stays until the user deletes it
    for guid, (nid, cids, _) in before.items():  # same notes, same cards: updated in place
        assert after[guid][:2] == (nid, cids)
    fields = {guid: " ".join(f) for guid, (_, _, f) in after.items()}
    assert sum("managed by the Docker engine" in f for f in fields.values()) == 1
    assert sum("Images are kept in a" in f for f in fields.values()) == 1
    assert sum("Docker Networking" in f for f in fields.values()) == 2
    assert "docker volume create" in fields[added]

    # Every review is still attached to an existing card.
    assert col.db.scalar("select count() from revlog") == 9
    assert col.db.scalar("select count() from revlog where cid not in (select id from cards)") == 0
    # The search printed by diff finds exactly the removed note.
    assert col.find_notes('"deck:Containers" "A*docker*image*is*composed*of*layers"') == [
        before[removed][0]
    ]

    # Anki's text import of the same build matches every note by GUID: nothing new.
    log = import_anki_txt(col, out / "containers.txt")
    assert (len(log.new), len(log.conflicting)) == (0, 0)
    assert len(log.updated) + len(log.duplicate) == len(v2_guids)
    # Same notes and cards. (Fields may differ: a text import ignores modification times, so it
    # also rewrites the Source line numbers that the .apkg import left as they were.)
    assert {g: n[:2] for g, n in notes_by_guid(col).items()} == {g: n[:2] for g, n in after.items()}


def import_anki_txt(col: Any, path: Path) -> Any:
    from anki.collection import ImportCsvRequest

    metadata = col.get_csv_metadata(os.path.abspath(path), None)
    return col.import_csv(ImportCsvRequest(path=os.path.abspath(path), metadata=metadata)).log


def test_anki_txt__imports_into_fresh_collection_with_the_apkg_guids_and_fields(
    notes: Path, col: Any, tmp_path: Path
) -> None:
    from anki.collection import Collection

    out = Path("out")
    build([notes], out, ["apkg", "anki-txt"], now=T0)
    header = (out / "containers.txt").read_text().splitlines()[:6]
    assert header == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:9",
    ]
    import_apkg(col, out / "containers.apkg")
    from_apkg = notes_by_guid(col)

    # A second collection that has the note types (from the package) but other notes:
    other = Collection(str(tmp_path / "other.anki2"))
    try:
        import_apkg(other, out / "containers.apkg")
        other.remove_notes(other.find_notes(""))
        log = import_anki_txt(other, out / "containers.txt")
        assert (len(log.new), len(log.conflicting)) == (len(from_apkg), 0)
        from_txt = notes_by_guid(other)
        assert {g: f for g, (_, _, f) in from_txt.items()} == {
            g: f for g, (_, _, f) in from_apkg.items()
        }
        assert card_decks(other) == card_decks(col) == {"Containers::Containers": 9}
    finally:
        other.close()


def test_build__corrupt_lockfile__exit_1_with_file_line__lockfile_and_outputs_untouched(
    notes: Path,
) -> None:
    build([notes], Path("out"), ["apkg"], now=T0)
    lockfile = Path("deckmark.lock")
    lines = lockfile.read_text().splitlines(keepends=True)
    conflicted = "".join(
        [
            *lines[:4],
            "<<<<<<< HEAD\n",
            lines[4],
            "=======\n",
            lines[4],
            ">>>>>>> other\n",
            *lines[5:],
        ]
    )
    lockfile.write_text(conflicted)
    apkg_before = Path("out/containers.apkg").read_bytes()

    for command in (["build", "containers.md"], ["diff", "containers.md"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1
        assert result.stdout == ""
        hint = (
            "resolve the conflict by keeping the lines of both sides (one line per card) "
            "and removing the markers"
        )
        guid = lines[4].split("\t")[0]
        key = lines[4].split("\t")[3]
        assert result.stderr.splitlines() == [
            f"error: deckmark.lock:5: merge conflict marker '<<<<<<<'; {hint}",
            f"error: deckmark.lock:7: merge conflict marker '======='; {hint}",
            f"error: deckmark.lock:8: duplicate GUID '{guid}' (also on line 6)",
            f"error: deckmark.lock:8: duplicate card key '{key}' (also on line 6)",
            f"error: deckmark.lock:9: merge conflict marker '>>>>>>>'; {hint}",
        ]
    assert lockfile.read_text() == conflicted  # never reset
    assert Path("out/containers.apkg").read_bytes() == apkg_before
