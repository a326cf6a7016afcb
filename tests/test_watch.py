"""--watch: a real deckmark process, real file changes, a timeout on every wait."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import AnkiConnectServer
from tests.test_push import NOTES, image_note

TIMEOUT = 30


class Watcher:
    """``deckmark ... --watch`` running in a subprocess; its output lines as they come."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        # The watcher must start with Ctrl-C's default action, as a program started in a
        # terminal does. An ignored signal stays ignored across exec (pytest started in the
        # background of a script, as CI may do, has SIGINT ignored); a handler does not.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "deckmark", *args],
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        finally:
            signal.signal(signal.SIGINT, previous)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert self.process.stdout and self.process.stderr
        self.readers = [
            threading.Thread(target=self._read, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        """The next line containing ``text``; fails after TIMEOUT seconds."""
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no line with {text!r} within {TIMEOUT} s; saw {self.seen}")
            self.seen.append(line)
            if text in line:
                return line

    def close(self) -> None:
        """End the process (by its id) if it still runs, and close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        for reader in self.readers:
            reader.join(timeout=TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()

    def stop(self) -> int:
        """Ctrl-C, as a terminal sends it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    folder = tmp_path / "docker"
    folder.mkdir()
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
    return folder


@pytest.fixture
def watcher_factory(tmp_path: Path) -> Iterator[list[Watcher]]:
    started: list[Watcher] = []
    yield started
    for watcher in started:
        watcher.close()


def test_build_watch__rebuilds_on_save__reports_errors_and_goes_on__ctrl_c_stops(
    deck: Path, tmp_path: Path, watcher_factory: list[Watcher]
) -> None:
    watcher = Watcher(["build", "docker", "--watch", "-f", "anki-txt", "-o", "out"], tmp_path)
    watcher_factory.append(watcher)
    watcher.wait_for("1 deck, 5 notes")
    watcher.wait_for("watching docker (Ctrl-C to stop)")
    out = tmp_path / "out" / "docker.txt"
    first = out.read_text()

    (deck / "notes.md").write_text(NOTES + "- `docker rm` removes a container.\n", "utf-8")
    watcher.wait_for("1 deck, 6 notes")
    assert "docker rm" in out.read_text() and "docker rm" not in first

    (deck / "notes.md").write_bytes(b"# Docker\n\x00binary")
    assert watcher.wait_for("error:") == "error: docker/notes.md: binary file, not Markdown text"
    assert watcher.process.poll() is None  # still watching

    (deck / "notes.md").write_text(NOTES, "utf-8")
    watcher.wait_for("1 deck, 5 notes")

    assert watcher.stop() == 0
    watcher.wait_for("stopped watching")
    assert not any("Traceback" in line for line in watcher.seen)


def test_push_watch__pushes_on_save(
    deck: Path, tmp_path: Path, ankiconnect: AnkiConnectServer, watcher_factory: list[Watcher]
) -> None:
    watcher = Watcher(["push", "docker", "--watch", "--url", ankiconnect.url], tmp_path)
    watcher_factory.append(watcher)
    watcher.wait_for("Docker: added 5")
    watcher.wait_for("watching docker")

    (deck / "notes.md").write_text(NOTES.replace("for creating", "used to create"), "utf-8")

    assert watcher.wait_for("Docker: added") == (
        "Docker: added 0, updated 1, moved 0, deleted 0; 4 unchanged"
    )
    assert "used to create containers" in image_note(ankiconnect)["fields"]["Back"]["value"]
    assert watcher.stop() == 0
