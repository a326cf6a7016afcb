"""Shared fixtures: building decks and reading them back with Anki's own engine."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKER_DECK = ROOT / "cards" / "docker"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own ~/.config/deckmark/config.toml never reaches a test."""
    monkeypatch.setenv("DECKMARK_CONFIG", str(tmp_path / "no-user-config.toml"))


@pytest.fixture
def docker_deck(tmp_path: Path) -> Path:
    """A private copy of the Docker deck folder (tests may edit it)."""
    target = tmp_path / "docker"
    shutil.copytree(DOCKER_DECK, target)
    return target


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Any]:
    """A new, empty Anki collection (Anki's own engine, test-only dependency)."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run deckmark in-process: exit code, stdout, stderr."""
    from click.testing import CliRunner

    from deckmark.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def import_apkg(col: Any, path: Path, **options: Any) -> dict[str, int]:
    """Import a package with Anki's importer; the counts from its log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    log = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=os.path.abspath(path), options=ImportAnkiPackageOptions(**options)
        )
    ).log
    return {
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
    }


def read_notes(col: Any) -> list[dict[str, Any]]:
    """Every note as Anki stores it, with its cards' decks and rendered questions/answers."""
    col.models._clear_cache()  # imports do not refresh the Python note-type cache
    notes = []
    for nid in sorted(col.find_notes("")):
        note = col.get_note(nid)
        notes.append(
            {
                "id": nid,
                "guid": note.guid,
                "notetype": note.note_type()["name"],
                "fields": dict(note.items()),
                "tags": note.tags,
                "cards": [
                    {
                        "ord": card.ord,
                        "deck": col.decks.name(card.did),
                        "question": card.question(),
                        "answer": card.answer(),
                    }
                    for card in note.cards()
                ],
            }
        )
    return notes


class _UnsafeMarkup(HTMLParser):
    """Collects what in an HTML fragment could run or load something in Anki's webview."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "link", "meta", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            url = (value or "").strip().lower()
            if "javascript:" in url or (
                name in ("href", "src")
                and re.match(r"[a-z][a-z0-9+.-]*:", url)
                and not url.startswith(("http:", "https:"))
            ):
                self.found.append(f"{tag} {name}={value}")
            if name == "data-lang" and not re.fullmatch(r"[a-z0-9][a-z0-9_+#.-]*", url):
                self.found.append(f"{tag} {name}={value}")


def unsafe_markup(field: str) -> list[str]:
    """Tags, event handlers, URL schemes and odd attribute values that a card must not carry."""
    parser = _UnsafeMarkup()
    parser.feed(field)
    parser.close()
    return parser.found


def review_all(col: Any, deck_name: str) -> int:
    """Answer every queued card once ("Good"); the number of cards answered."""
    from anki.scheduler.v3 import CardAnswer

    col.decks.select(col.decks.id_for_name(deck_name))
    answered: set[int] = set()
    while (queued := col.sched.get_queued_cards().cards) and queued[0].card.id not in answered:
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.GOOD)
        )
        answered.add(card.id)
    return len(answered)


ANKICONNECT_PYTHON_ENV = "DECKMARK_ANKICONNECT_PYTHON"
ANKICONNECT_VENV = ROOT / ".venv-ankiconnect"


ANKICONNECT_SERVER_REQUIREMENTS = ("anki-connect-server==0.5.0", "httpx")
"""httpx is missing from anki-connect-server 0.5.0's metadata but needed to run it."""


def _python_312() -> str | None:
    """A Python 3.12 or newer for anki-connect-server (which needs it), or None."""
    candidates = [
        shutil.which(name) for name in ("python3.12", "python3.13", "python3.14", "python3")
    ]
    candidates += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.1[2-9]*/bin/python3"))
    for candidate in filter(None, candidates):
        probe = [candidate, "-c", "import sys; sys.exit(sys.version_info < (3, 12))"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def _make_ankiconnect_venv() -> None:
    """Create .venv-ankiconnect with the server, so the README's `pytest` works on its own."""
    python = _python_312()
    if python is None:
        pytest.fail(
            "the push tests need Python 3.12+ for anki-connect-server: none found "
            f"(python3.12 on PATH or under ~/.pyenv/versions); or set {ANKICONNECT_PYTHON_ENV}",
            pytrace=False,
        )
    pip = [str(ANKICONNECT_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    for step in (
        [python, "-m", "venv", "--clear", str(ANKICONNECT_VENV)],
        [*pip, *ANKICONNECT_SERVER_REQUIREMENTS],
    ):
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(ANKICONNECT_VENV, ignore_errors=True)  # never leave half a venv
            pytest.fail(f"{' '.join(step)} failed: {done.stderr[-2000:]}", pytrace=False)


def _ankiconnect_python() -> Path:
    """The Python that runs anki-connect-server: from the environment (.ci/run sets it), or
    .venv-ankiconnect, created on first use."""
    configured = os.environ.get(ANKICONNECT_PYTHON_ENV)
    if configured:
        if not Path(configured).is_file():
            pytest.fail(f"{ANKICONNECT_PYTHON_ENV}={configured}: no such file", pytrace=False)
        return Path(configured)
    python = ANKICONNECT_VENV / "bin" / "python"
    if not python.is_file():
        _make_ankiconnect_venv()
    return python


LISTEN_FD_ENV = "DECKMARK_ANKICONNECT_FD"
"""The listening socket's file descriptor, which tests/ankiconnect_server.py serves on."""


class AnkiConnectServer:
    """anki-connect-server on a free loopback port with its own collection file."""

    def __init__(self, python: Path, collection: Path, log: Path) -> None:
        self.python = python
        self.collection = collection
        self.log = log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # The socket is bound and listening before the server starts, and the server inherits
        # it: probing for a free port and letting the server bind it later leaves a window in
        # which another process (on a busy machine, another test run) can take the port.
        listener = socket.create_server(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        env = {
            **os.environ,
            "ANKICONNECT_COLLECTION_PATH": str(self.collection),
            LISTEN_FD_ENV: str(listener.fileno()),
        }
        with listener, self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.python), str(ROOT / "tests" / "ankiconnect_server.py")],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.collection.parent,
                pass_fds=(listener.fileno(),),
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"anki-connect-server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"anki-connect-server did not start in 60 s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the server (by its process id) so the collection file can be opened."""
        if self.process is None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def invoke(self, action: str, **params: Any) -> Any:
        """One AnkiConnect action, for tests that act as the user in Anki."""
        from deckmark.sync.client import AnkiConnect

        return AnkiConnect(self.url).invoke(action, **params)


@pytest.fixture
def ankiconnect(tmp_path: Path) -> Iterator[AnkiConnectServer]:
    """A running AnkiConnect-compatible server with an empty collection (real Anki engine)."""
    folder = tmp_path / "anki"
    folder.mkdir()
    server = AnkiConnectServer(
        _ankiconnect_python(), folder / "collection.anki2", folder / "server.log"
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
