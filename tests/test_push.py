"""deckmark push against a real AnkiConnect-compatible server (anki-connect-server)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from deckmark.cli import cli
from deckmark.exporters.anki import read_marker
from deckmark.identity import load_lockfile
from tests.conftest import AnkiConnectServer


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
    monkeypatch.setenv("DECKMARK_CONFIG", str(tmp_path / "no-config.toml"))
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

## Docker Container
- A Docker container is a running instance of an image.
- `docker ps` lists running containers.
"""


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_push__nothing_listening__says_how_to_install_ankiconnect(deck: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["push", "docker", "--url", url])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot reach AnkiConnect at {url} (connection refused): is Anki running with "
        "the AnkiConnect add-on? Install it in Anki: Tools > Add-ons > Get Add-ons..., "
        "code 2055492159, then restart Anki\n"
    )
    assert not (deck / "deckmark.lock").exists()  # nothing built when Anki is not there


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
