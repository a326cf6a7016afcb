"""deckmark push against a real AnkiConnect-compatible server (anki-connect-server)."""

from __future__ import annotations

import http.server
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from deckmark.cli import cli
from deckmark.exporters.anki import read_marker, strip_marker
from deckmark.identity import load_lockfile
from tests.conftest import AnkiConnectServer, import_apkg, read_notes, review_all


def push(server: AnkiConnectServer, *args: str) -> Result:
    return CliRunner().invoke(cli, ["push", "--url", server.url, *args])


def anki_notes(server: AnkiConnectServer, query: str = "deck:Docker") -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = server.invoke(
        "notesInfo", notes=server.invoke("findNotes", query=query)
    )
    return notes


def marker_guid(note: dict[str, Any]) -> str | None:
    marker = read_marker(note["fields"].get("Source", {}).get("value", ""))
    return marker[0] if marker else None


@pytest.fixture
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small deck of our own, in a private working directory."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docker"
    folder.mkdir()
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
    return folder


NOTES = """\
# Docker

## Docker Image
- A Docker image is a read-only template for creating containers.
- Images are built from a `Dockerfile`.
- Each instruction adds a layer.

## Commands
- `docker ps` lists running containers.
- `docker logs` shows the output of a container.
"""


REWORDED_AND_REPLACED = NOTES.replace("for creating containers", "to create containers").replace(
    "- Each instruction adds a layer.\n", "- `docker images` lists local images.\n"
)
"""NOTES with one answer reworded and one bullet replaced by another."""


def test_first_push__adds_every_note_with_its_guid(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    result = push(ankiconnect, "docker", "--yes")
    assert result.exit_code == 0, result.output
    lock_guids = {entry.guid for entry in load_lockfile(deck).entries}
    notes = anki_notes(ankiconnect)
    assert notes and {marker_guid(n) for n in notes} == lock_guids
    assert (
        f"Docker: added {len(notes)}, updated 0, moved 0, deleted 0; 0 unchanged" in result.stdout
    )
    again = push(ankiconnect, "docker", "--yes")
    assert f"added 0, updated 0, moved 0, deleted 0; {len(notes)} unchanged" in again.stdout


def test_push__nothing_listening__says_how_to_install_ankiconnect(deck: Path) -> None:
    # A port bound but not listening refuses connections, and no other process can start
    # listening on it while the push runs (a probed port, once closed, could be taken).
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{bound.getsockname()[1]}"
        result = CliRunner().invoke(cli, ["push", "docker", "--url", url])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot reach AnkiConnect at {url} (connection refused): is Anki running with "
        "the AnkiConnect add-on? Install it in Anki: Tools > Add-ons > Get Add-ons..., "
        "code 2055492159, then restart Anki\n"
    )
    assert not (deck / "deckmark.lock").exists()  # nothing built when Anki is not there


def test_push__address_without_scheme__one_line_error(deck: Path) -> None:
    result = CliRunner().invoke(cli, ["push", "docker", "--url", "localhost:8765"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: AnkiConnect address 'localhost:8765': give it as http://host:port, "
        "for example http://127.0.0.1:8765\n"
    )


def test_push__something_else_on_the_port__one_line_error(deck: Path) -> None:
    with socket.socket() as listener:  # a service that is not HTTP at all, like SSH
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"

        def answer() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        result = CliRunner().invoke(cli, ["push", "docker", "--url", url])
        thread.join(timeout=10)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: cannot reach AnkiConnect at {url} (the answer is not from AnkiConnect): "
        "is Anki running with the AnkiConnect add-on?"
    )


class AddonLike(http.server.BaseHTTPRequestHandler):
    """Answers like the AnkiConnect add-on with an API key set (the add-on needs Anki's GUI,
    and anki-connect-server has no API key): every action needs the key, version is
    ``version``."""

    key = "s3cret"
    version = 6

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if request.get("key") != self.key:
            reply = {"result": None, "error": "valid api key must be provided"}
        elif request["action"] == "version":
            reply = {"result": self.version, "error": None}
        else:
            reply = {"result": None, "error": "unsupported action"}
        body = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def addon_like() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AddonLike)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_push__wrong_api_key__one_line_error(deck: Path, addon_like: str) -> None:
    result = CliRunner().invoke(cli, ["push", "docker", "--url", addon_like, "--key", "nope"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: AnkiConnect at {addon_like}: the API key given was refused; pass it with --key "
        "or set anki_key in the deckmark config file (Anki: Tools > Add-ons > AnkiConnect > "
        "Config, apiKey)\n"
    )


def test_push__ankiconnect_too_old__one_line_error(
    deck: Path, addon_like: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AddonLike, "version", 5)
    result = CliRunner().invoke(cli, ["push", "docker", "--url", addon_like, "--key", "s3cret"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: AnkiConnect at {addon_like} speaks API version 5, deckmark needs 6 or newer: "
        "update the add-on in Anki (Tools > Add-ons > Check for Updates)\n"
    )


def note_ids_by_guid(server: AnkiConnectServer) -> dict[str, int]:
    """deckmark's notes in the Docker deck, by the GUID in their marker."""
    notes = anki_notes(server)
    return {guid: n["noteId"] for n in notes if (guid := marker_guid(n))}


def review_counts(server: AnkiConnectServer) -> dict[int, int]:
    cards = server.invoke("findCards", query="deck:Docker")
    reviews = server.invoke("getReviewsOfCards", cards=cards)
    return {int(card): len(rows) for card, rows in reviews.items()}


def test_second_push__after_reviews_hand_note_and_edits__updates_in_place(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    assert push(ankiconnect, "docker", "--yes").exit_code == 0
    first = note_ids_by_guid(ankiconnect)
    cards = ankiconnect.invoke("findCards", query="deck:Docker")
    assert all(ankiconnect.invoke("answerCards", answers=[{"cardId": c, "ease": 3} for c in cards]))
    reviews_before = review_counts(ankiconnect)
    assert sum(reviews_before.values()) == len(cards) == 5
    hand_made = ankiconnect.invoke(
        "addNote",
        note={
            "deckName": "Docker",
            "modelName": "Basic",
            "fields": {"Front": "Mine", "Back": "Kept"},
        },
    )
    (deck / "notes.md").write_text(
        NOTES.replace(
            "read-only template for creating containers",
            "read-only template used to create containers",
        )
        .replace("- Each instruction adds a layer.\n", "- `docker images` lists local images.\n")
        .replace("## Commands\n", "## CLI commands\n"),
        encoding="utf-8",
    )

    result = push(ankiconnect, "docker", "--yes")

    assert result.exit_code == 0, result.output
    second = note_ids_by_guid(ankiconnect)
    kept = set(first) & set(second)
    assert len(kept) == 4 and all(first[g] == second[g] for g in kept)  # updated in place
    assert len(set(first) - set(second)) == 1
    (added,) = set(second) - set(first)
    notes = {n["noteId"]: n for n in anki_notes(ankiconnect)}
    assert "docker images" in notes[second[added]]["fields"]["Text"]["value"]
    image = next(
        n for n in notes.values() if "Docker image" in n["fields"].get("Front", {}).get("value", "")
    )
    assert "used to create containers" in image["fields"]["Back"]["value"]
    assert "delete   docker/notes.md:6: Each instruction adds {{c1::a layer}}." in result.stdout
    assert "Docker: added 1, updated 3, moved 0, deleted 1; 1 unchanged" in result.stdout
    logs = next(
        n for n in notes.values() if "docker logs" in n["fields"].get("Text", {}).get("value", "")
    )
    assert logs["fields"]["Context"]["value"] == "Docker › CLI commands"
    assert sorted(logs["tags"]) == ["deckmark::fact", "docker::docker::cli-commands"]
    # Every review survives, on the same cards; the hand-made note is untouched.
    after = review_counts(ankiconnect)
    removed_cards = set(reviews_before) - set(after)
    assert len(removed_cards) == 1
    assert all(after[c] == n for c, n in reviews_before.items() if c not in removed_cards)
    (mine,) = ankiconnect.invoke("notesInfo", notes=[hand_made])
    assert mine["fields"]["Front"]["value"] == "Mine" and mine["modelName"] == "Basic"


def edit_in_anki(server: AnkiConnectServer, note_id: int, field: str, value: str) -> None:
    """What the user does in Anki's editor: one field rewritten, the rest kept as it is."""
    server.invoke("updateNoteFields", note={"id": note_id, "fields": {field: value}})


def image_note(server: AnkiConnectServer) -> dict[str, Any]:
    return next(n for n in anki_notes(server) if "Docker image" in _field(n, "Front"))


def _field(note: dict[str, Any], name: str) -> str:
    value: str = note["fields"].get(name, {}).get("value", "")
    return value


def test_push__note_edited_in_anki__reported_and_kept_until_force(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    assert push(ankiconnect, "docker").exit_code == 0
    note = image_note(ankiconnect)
    edit_in_anki(ankiconnect, note["noteId"], "Back", "My own words.")
    notes = deck / "notes.md"
    notes.write_text(NOTES.replace("for creating containers", "to create containers"), "utf-8")

    result = push(ankiconnect, "docker")

    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "conflict: docker/notes.md:4: What is a Docker image?: edited in Anki since deckmark "
        "wrote it (Back in Anki 'My own words.', in the notes 'A read-only template to create "
        "containers.'); kept Anki's version, --force overwrites\n"
    )
    assert "updated 0" in result.stdout and "1 conflicts kept" in result.stdout
    assert _field(image_note(ankiconnect), "Back") == "My own words."
    # Pushing again still keeps it; --force writes the notes' version.
    assert push(ankiconnect, "docker").stderr.startswith("conflict: docker/notes.md:4:")
    forced = push(ankiconnect, "docker", "--force")
    assert forced.stderr == "" and "updated 1" in forced.stdout
    assert "to create containers" in _field(image_note(ankiconnect), "Back")
    assert push(ankiconnect, "docker").stderr == ""


def test_push__dry_run__lists_changes_and_changes_nothing(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    assert push(ankiconnect, "docker").exit_code == 0
    (deck / "notes.md").write_text(REWORDED_AND_REPLACED, "utf-8")
    lockfile = (deck / "deckmark.lock").read_bytes()
    before = anki_notes(ankiconnect)

    result = push(ankiconnect, "docker", "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "add      docker/notes.md:6: {{c1::`docker images`}} lists local images.\n"
        "update   docker/notes.md:4: What is a Docker image? (changed: Back)\n"
        "delete   docker/notes.md:6: Each instruction adds {{c1::a layer}}.\n"
        "Docker: would add 1, update 1, move 0, delete 1; 3 unchanged\n"
    )
    assert anki_notes(ankiconnect) == before
    assert (deck / "deckmark.lock").read_bytes() == lockfile


def test_push__deletions_without_yes_off_a_terminal__are_listed_not_applied(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    assert push(ankiconnect, "docker").exit_code == 0
    count = len(anki_notes(ankiconnect))
    (deck / "notes.md").write_text(NOTES.replace("- Each instruction adds a layer.\n", ""), "utf-8")

    result = push(ankiconnect, "docker")

    assert result.exit_code == 0
    assert "delete   docker/notes.md:6: Each instruction adds {{c1::a layer}}." in result.stdout
    assert result.stderr == (
        "warning: Docker: 1 notes not deleted (rerun with --yes to delete them)\n"
    )
    assert len(anki_notes(ankiconnect)) == count
    assert "deleted 1" in push(ankiconnect, "docker", "--yes").stdout
    assert len(anki_notes(ankiconnect)) == count - 1


def build_apkg(deck: Path) -> Path:
    result = CliRunner().invoke(cli, ["build", str(deck), "-f", "apkg", "-o", "out"])
    assert result.exit_code == 0, result.output
    return Path("out") / "docker.apkg"


def test_apkg_import_then_push__adds_nothing(deck: Path, ankiconnect: AnkiConnectServer) -> None:
    from anki.collection import Collection

    apkg = build_apkg(deck)
    ankiconnect.stop()
    col = Collection(str(ankiconnect.collection))
    try:
        imported = import_apkg(col, apkg)  # File > Import with Anki's default options
    finally:
        col.close()
    ankiconnect.start()
    ids = note_ids_by_guid(ankiconnect)

    result = push(ankiconnect, "docker")

    assert result.exit_code == 0, result.output
    assert imported["new"] == len(ids) == 5
    assert result.stdout == "Docker: added 0, updated 0, moved 0, deleted 0; 5 unchanged\n"
    assert note_ids_by_guid(ankiconnect) == ids


def test_push_then_apkg_import__duplicates_nothing(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    from anki.collection import Collection

    assert push(ankiconnect, "docker").exit_code == 0
    apkg = build_apkg(deck)
    ankiconnect.stop()
    col = Collection(str(ankiconnect.collection))
    try:
        before = read_notes(col)
        log = import_apkg(col, apkg)
        after = read_notes(col)
    finally:
        col.close()
    assert log == {"new": 0, "updated": 0, "duplicate": 5, "conflicting": 0}
    assert after == before
    assert {n["notetype"] for n in after} == {"deckmark Basic", "deckmark Cloze"}


def test_push__notes_from_an_apkg_without_markers__updated_in_place_and_linked(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    """Users who imported an .apkg from before the push marker keep their notes and reviews."""
    from anki.collection import Collection

    apkg = build_apkg(deck)
    ankiconnect.stop()
    col = Collection(str(ankiconnect.collection))
    try:
        import_apkg(col, apkg)
        # What an older deckmark's .apkg gave them: no marker, and mod times from when that
        # package was built, an hour ago (not this build's: Anki's import updates a note only
        # if the package's copy is newer, so the test must not depend on a second passing).
        for nid, fields in col.db.all("select id, flds from notes"):
            col.db.execute(
                "update notes set flds = ?, mod = mod - 3600 where id = ?",
                strip_marker(fields),
                nid,
            )
        reviewed = review_all(col, "Docker")
        ids = sorted(col.find_notes(""))
    finally:
        col.close()
    ankiconnect.start()
    assert note_ids_by_guid(ankiconnect) == {}
    reviews = review_counts(ankiconnect)

    result = push(ankiconnect, "docker")

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Docker: added 0, updated 0, moved 0, deleted 0; 0 unchanged, "
        "5 imported earlier without a push marker updated and linked\n"
    )
    assert sorted(note_ids_by_guid(ankiconnect).values()) == ids
    assert reviewed == 5 and review_counts(ankiconnect) == reviews
    assert "5 unchanged" in push(ankiconnect, "docker").stdout


def test_push__request_fails_midway__says_what_was_done_and_a_rerun_finishes(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    from deckmark.sync.apply import PushInterruptedError, apply_plan
    from deckmark.sync.client import AnkiConnect
    from deckmark.sync.push import prepare_push

    assert push(ankiconnect, "docker").exit_code == 0
    (deck / "notes.md").write_text(REWORDED_AND_REPLACED, "utf-8")
    client = AnkiConnect(ankiconnect.url)
    prepared = prepare_push([Path("docker")], client)

    def anki_quits(step: str) -> None:
        if step == "update":
            ankiconnect.stop()

    with pytest.raises(PushInterruptedError) as raised:
        apply_plan(client, prepared.plans[0], delete=True, now=prepared.now, on_step=anki_quits)

    assert str(raised.value) == (
        f"push of Docker stopped: cannot reach AnkiConnect at {client.url} (connection refused): "
        "is Anki running with the AnkiConnect add-on? Install it in Anki: Tools > Add-ons > Get "
        "Add-ons..., code 2055492159, then restart Anki. Done: added 1; not done: updated 1, "
        "deleted 1. Run deckmark push again to finish (it never adds a note twice)"
    )
    ankiconnect.start()
    rerun = push(ankiconnect, "docker", "--yes")
    assert rerun.stdout == (
        "delete   docker/notes.md:6: Each instruction adds {{c1::a layer}}.\n"
        "Docker: added 0, updated 1, moved 0, deleted 1; 4 unchanged\n"
    )
    assert len(note_ids_by_guid(ankiconnect)) == 5


def test_push__earlier_note_type_look__updated_unless_changed_in_anki(
    deck: Path, ankiconnect: AnkiConnectServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckmark.exporters import anki as exporter

    assert push(ankiconnect, "docker").exit_code == 0
    # A later deckmark version: new templates and CSS, the current look listed as earlier.
    earlier = {exporter.look_digest(look) for look in exporter.note_type_looks().values()}
    monkeypatch.setattr(exporter, "EARLIER_LOOKS", frozenset(earlier))
    monkeypatch.setattr(exporter, "_CSS", exporter._CSS + ".new-look { color: red; }\n")
    monkeypatch.setattr(exporter, "_FRONT", exporter._FRONT + "<!-- v2 -->")

    result = push(ankiconnect, "docker")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Docker: updated note types deckmark Basic, deckmark Cloze\n"
    ), result.stderr
    assert "5 unchanged" in result.stdout and result.stderr == ""
    basic = ankiconnect.invoke("modelTemplates", modelName="deckmark Basic")
    assert basic["Forward"]["Front"].endswith("<!-- v2 -->")
    assert basic["Reverse"]["Front"] == exporter._REVERSE_FRONT
    for name in ("deckmark Basic", "deckmark Cloze"):
        assert ".new-look" in ankiconnect.invoke("modelStyling", modelName=name)["css"]
    assert "updated note types" not in push(ankiconnect, "docker").stdout
    # The user restyles a note type in Anki: the next version's look does not overwrite it.
    mine = ankiconnect.invoke("modelStyling", modelName="deckmark Basic")["css"] + "/* mine */"
    ankiconnect.invoke("updateModelStyling", model={"name": "deckmark Basic", "css": mine})
    earlier = {exporter.look_digest(look) for look in exporter.note_type_looks().values()}
    monkeypatch.setattr(exporter, "EARLIER_LOOKS", frozenset(earlier))
    monkeypatch.setattr(exporter, "_CSS", exporter._CSS + ".newer-look { color: blue; }\n")

    again = push(ankiconnect, "docker")

    assert again.stdout.startswith("Docker: updated note types deckmark Cloze\n")
    assert again.stderr == (
        "warning: note type 'deckmark Basic': templates or styling changed in Anki; kept them "
        "(this deckmark version's look is not applied)\n"
    )
    assert ankiconnect.invoke("modelStyling", modelName="deckmark Basic")["css"] == mine
    assert ".newer-look" in ankiconnect.invoke("modelStyling", modelName="deckmark Cloze")["css"]


CARD_FILE = """\
---
kind: cards
subdeck: Commands
---

# How do you follow a container's logs?
<!-- id: logs-follow -->

`docker logs -f web`
"""


def test_push__subdeck_changed__moves_the_card_and_keeps_its_reviews(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    (deck / "cards.md").write_text(CARD_FILE, "utf-8")
    assert push(ankiconnect, "docker").exit_code == 0
    (card,) = ankiconnect.invoke("findCards", query='"deck:Docker::Commands"')
    assert ankiconnect.invoke("answerCards", answers=[{"cardId": card, "ease": 3}]) == [True]
    (deck / "cards.md").write_text(CARD_FILE.replace("subdeck: Commands", "subdeck: CLI"), "utf-8")

    dry = push(ankiconnect, "docker", "--dry-run")
    result = push(ankiconnect, "docker")

    assert (
        "move     docker/cards.md:6: How do you follow a container's logs? "
        "(from Docker::Commands to Docker::CLI)\n"
    ) in dry.stdout
    assert "moved 1" in result.stdout, result.output
    assert ankiconnect.invoke("findCards", query='"deck:Docker::CLI"') == [card]
    assert len(ankiconnect.invoke("getReviewsOfCards", cards=[card])[str(card)]) == 1


def test_push__source_link_from_config__links_each_card_to_its_line(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    config = Path(os.environ["DECKMARK_CONFIG"])  # conftest's no_user_config
    config.write_text('source_link = "vscode://file/{path}:{line}"\n', "utf-8")

    assert push(ankiconnect, "docker").exit_code == 0

    source = strip_marker(_field(image_note(ankiconnect), "Source"))
    path = (deck / "notes.md").resolve().as_posix()
    assert source == f'<a class="source-link" href="vscode://file/{path}:4">docker/notes.md:4</a>'
    # The option wins over the config file; the links change, so every note is updated.
    obsidian = "obsidian://open?vault={vault}&file={file}"
    result = push(ankiconnect, "docker", "--source-link", obsidian)
    assert "updated 5" in result.stdout
    source = strip_marker(_field(image_note(ankiconnect), "Source"))
    assert 'href="obsidian://open?vault=docker&amp;file=notes.md"' in source


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 2x2 PNG of one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))


PICTURE_CARD = """\
---
kind: cards
---

# What do image layers look like?
<!-- id: layers-picture -->

![layers](images/layers.png)
"""


def test_push__media__stored_with_new_notes_and_with_changed_ones(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    import base64
    import re

    (deck / "images").mkdir()
    (deck / "images" / "layers.png").write_bytes(png((255, 0, 0)))
    (deck / "cards.md").write_text(PICTURE_CARD, "utf-8")

    def picture() -> tuple[str, bytes]:
        note = next(n for n in anki_notes(ankiconnect) if "layers" in _field(n, "Front"))
        (name,) = re.findall(r'src="([^"]+)"', _field(note, "Back"))
        data = ankiconnect.invoke("retrieveMediaFile", filename=name)
        return name, base64.b64decode(data) if data else b""

    assert push(ankiconnect, "docker").exit_code == 0
    first_name, first_data = picture()
    assert first_data == png((255, 0, 0))

    (deck / "images" / "layers.png").write_bytes(png((0, 0, 255)))
    result = push(ankiconnect, "docker")

    assert "updated 1" in result.stdout, result.output
    name, data = picture()
    assert name != first_name and data == png((0, 0, 255))


def test_push__note_copied_in_anki__copy_left_alone_original_updated(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    assert push(ankiconnect, "docker").exit_code == 0
    original = image_note(ankiconnect)
    fields = {name: field["value"] for name, field in original["fields"].items()}
    # Anki's Create Copy: a new note with the same fields (marker included) and tags.
    copy = ankiconnect.invoke(
        "addNote",
        note={
            "deckName": "Docker",
            "modelName": "deckmark Basic",
            "fields": {**fields, "Back": "My variant."},
            "tags": original["tags"],
        },
    )
    (deck / "notes.md").write_text(
        REWORDED_AND_REPLACED.replace(
            "- A Docker image is a read-only template to create containers.\n", ""
        ),
        "utf-8",
    )

    result = push(ankiconnect, "docker", "--yes")

    assert result.stderr == (
        f"warning: note {copy} in Anki is a copy of a deckmark note (docker/notes.md:4: What is "
        "a Docker image?); push leaves it alone\n"
    )
    (kept,) = ankiconnect.invoke("notesInfo", notes=[copy])
    assert kept["fields"]["Back"]["value"] == "My variant."
    assert (
        ankiconnect.invoke("notesInfo", notes=[original["noteId"]]) == []
    )  # deleted: gone from the notes


def test_push__deletions_on_a_terminal__asked_and_applied_after_yes(
    deck: Path, tmp_path: Path, ankiconnect: AnkiConnectServer
) -> None:
    import pty
    import subprocess
    import sys

    assert push(ankiconnect, "docker").exit_code == 0
    (deck / "notes.md").write_text(NOTES.replace("- Each instruction adds a layer.\n", ""), "utf-8")
    # stdin is a real terminal, as when the user runs push; the answer is typed in advance.
    terminal, stdin = pty.openpty()
    try:
        os.write(terminal, b"y\n")
        process = subprocess.run(
            [sys.executable, "-m", "deckmark", "push", "docker", "--url", ankiconnect.url],
            cwd=tmp_path,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(terminal)
        os.close(stdin)
    assert process.returncode == 0, process.stderr
    assert "Delete these 1 notes from Anki? [y/N]:" in process.stderr
    assert "deleted 1" in process.stdout
    assert len(note_ids_by_guid(ankiconnect)) == 4


def test_push__note_deleted_in_anki_during_push__says_how_far_it_got(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    from deckmark.sync.apply import PushInterruptedError, apply_plan
    from deckmark.sync.client import AnkiConnect
    from deckmark.sync.plan import Action
    from deckmark.sync.push import prepare_push

    assert push(ankiconnect, "docker").exit_code == 0
    (deck / "notes.md").write_text(NOTES.replace("## Commands", "## CLI"), "utf-8")
    client = AnkiConnect(ankiconnect.url)
    (plan,) = prepare_push([Path("docker")], client).plans
    _, second = plan.of(Action.UPDATE)
    ankiconnect.invoke("deleteNotes", notes=[second.note_id])  # the user, while push runs

    with pytest.raises(PushInterruptedError) as raised:
        apply_plan(client, plan, delete=True, now=0)

    message = str(raised.value)
    assert message.startswith("push of Docker stopped: AnkiConnect refused updateNoteFields: ")
    assert message.endswith(
        ". Done: updated 1 of 2; not done: updated 1. Run deckmark push again to finish (it "
        "never adds a note twice)"
    )
    assert "\n" not in message
    rerun = push(ankiconnect, "docker").stdout
    assert rerun == "Docker: added 1, updated 0, moved 0, deleted 0; 4 unchanged\n"


def test_apkg_with_markers_over_an_import_without__no_fork_no_conflict(
    deck: Path, collection: Any
) -> None:
    """A user of the marker-less .apkg imports today's: same note types, nothing conflicting."""
    apkg = build_apkg(deck)
    import_apkg(collection, apkg)
    for nid, fields in collection.db.all("select id, flds from notes"):
        collection.db.execute("update notes set flds = ? where id = ?", strip_marker(fields), nid)
    reviewed = review_all(collection, "Docker")

    log = import_apkg(collection, apkg)

    assert log["conflicting"] == 0 and log["new"] == 0
    notes = read_notes(collection)
    assert len(notes) == 5 and {n["notetype"] for n in notes} == {
        "deckmark Basic",
        "deckmark Cloze",
    }
    assert reviewed == 5 and collection.db.scalar("select count() from revlog") == 5


def test_push__two_decks__a_card_moved_between_them_is_never_deleted(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    other = deck.parent / "kubernetes"
    other.mkdir()
    (other / "notes.md").write_text(
        "# Kubernetes\n\n## Pod\n- A pod is the smallest deployable unit of Kubernetes.\n", "utf-8"
    )
    assert push(ankiconnect, "docker", "kubernetes").exit_code == 0
    note = image_note(ankiconnect)
    card_ids = ankiconnect.invoke("findCards", query=f"nid:{note['noteId']}")
    ankiconnect.invoke("changeDeck", cards=card_ids, deck="Kubernetes")  # the user's choice

    result = push(ankiconnect, "docker", "kubernetes", "--yes")

    assert result.stdout == (
        "Docker: added 0, updated 0, moved 0, deleted 0; 5 unchanged\n"
        "Kubernetes: added 0, updated 0, moved 0, deleted 0; 1 unchanged\n"
    )
    assert ankiconnect.invoke("findCards", query=f"nid:{note['noteId']}") == card_ids


def test_push__hand_made_note_of_deckmarks_note_type__left_alone(
    deck: Path, ankiconnect: AnkiConnectServer
) -> None:
    assert push(ankiconnect, "docker").exit_code == 0
    mine = ankiconnect.invoke(
        "addNote",
        note={
            "deckName": "Docker",
            "modelName": "deckmark Basic",
            "fields": {"Front": "My own question", "Back": "My answer", "Source": "me"},
        },
    )
    (deck / "notes.md").write_text(NOTES.replace("- Each instruction adds a layer.\n", ""), "utf-8")

    result = push(ankiconnect, "docker", "--yes")

    # (The two cards below the removed bullet moved up a line: their Source fields change.)
    assert result.stdout.endswith(
        "Docker: added 0, updated 2, moved 0, deleted 1; 2 unchanged; "
        "1 notes of deckmark's note types without a push marker left alone\n"
    )
    (kept,) = ankiconnect.invoke("notesInfo", notes=[mine])
    assert kept["fields"]["Front"]["value"] == "My own question"
