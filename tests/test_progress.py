"""Progress of long builds: steps reported by the library, shown on a terminal only."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

from deckmark.build import build
from deckmark.progress import ProgressLine
from tests.conftest import run_cli as run

NOTES = "## The Cache\n\n- A **cache** keeps `entries` until they expire.\n"


def test_build__progress__one_step_per_deck_and_per_output(tmp_path: Path) -> None:
    for name in ("alpha", "beta"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "n.md").write_text(NOTES)
    steps: list[tuple[str, int, int]] = []
    build(
        [tmp_path / "alpha", tmp_path / "beta"],
        tmp_path / "out",
        ["apkg", "anki-txt"],
        progress=lambda label, index, total: steps.append((label, index, total)),
    )
    assert steps == [
        ("Alpha: reading the notes", 0, 6),
        ("Beta: reading the notes", 1, 6),
        ("Alpha: Anki deck", 2, 6),
        ("Alpha: anki-txt", 3, 6),
        ("Beta: Anki deck", 4, 6),
        ("Beta: anki-txt", 5, 6),
    ]


def test_cli_build__not_a_terminal__no_progress_on_stderr(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.md").write_text(NOTES)
    code, out, err = run("build", "n.md", "-f", "apkg")
    assert (code, err) == (0, "")
    assert out.startswith("wrote build/n.apkg\n")


def test_cli_build__quiet__nothing_but_warnings(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.md").write_text(NOTES + "\n## Empty\n")
    code, out, err = run("build", "n.md", "-f", "apkg", "-q")
    assert (code, out) == (0, "")
    assert err == "warning: n.md:5: empty section 'Empty' makes no card\n"
    assert (tmp_path / "build" / "n.apkg").is_file()


def test_cli_build__verbose__each_step_with_its_time(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.md").write_text(NOTES)
    code, out, err = run("build", "n.md", "-f", "apkg", "-f", "quizlet", "-v")
    assert code == 0
    assert re.fullmatch(
        r"\[1/3\] N: reading the notes: \d+\.\d\d s\n"
        r"\[2/3\] N: Anki deck: \d+\.\d\d s\n"
        r"\[3/3\] N: quizlet: \d+\.\d\d s\n",
        err,
    )
    assert out.startswith("wrote build/n.apkg\nwrote build/n-quizlet.txt\n")


def read_terminal(fd: int) -> str:
    os.set_blocking(fd, False)
    chunks = []
    try:
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
    except BlockingIOError:
        pass  # all read
    except OSError:  # EIO: the terminal's other end is closed, all read
        pass
    return b"".join(chunks).decode()


def test_progress_line__terminal__current_step_shown_then_erased() -> None:
    master, slave = os.openpty()
    with open(slave, "w") as terminal:
        assert terminal.isatty()
        with ProgressLine(terminal, delay=0.0) as progress:
            progress("Docker: reading the notes", 0, 2)
            time.sleep(0.3)
            progress("Docker: cards PDF\x1b[31m", 1, 2)
            time.sleep(1.2)
        shown = read_terminal(master)
    os.close(master)
    assert "\r\x1b[K[1/2] Docker: reading the notes (0 s)" in shown
    assert "[2/2] Docker: cards PDF" in shown
    assert "\x1b[31m" not in shown  # a deck name cannot colour the terminal
    assert shown.endswith("\r\x1b[K")


def test_progress_line__quick_build__shows_nothing() -> None:
    master, slave = os.openpty()
    with open(slave, "w") as terminal, ProgressLine(terminal) as progress:
        progress("Docker: reading the notes", 0, 1)
    assert read_terminal(master) == ""
    os.close(master)
