"""Broken output folders, odd paths and odd files: one line `path: what is wrong`, exit 1, no
traceback, no partial file, the previous outputs and lockfile intact."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deckmark.build import build
from deckmark.errors import describe_os_error
from deckmark.report import terminal_text
from tests.conftest import run_cli as run

NOTES = "## Docker Image\n\n- A docker image is a read-only template.\n- It has layers.\n"
EDITED = NOTES.replace("It has layers.", "It has read-only layers.")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages show paths relative to the working directory: keep them short."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def built(tmp_path: Path) -> dict[Path, bytes]:
    """n.md built once into out/ (apkg and text export): the files and their bytes."""
    (tmp_path / "n.md").write_text(NOTES)
    assert run("build", "n.md", "-o", "out", "-f", "apkg", "-f", "anki-txt")[0] == 0
    (tmp_path / "n.md").write_text(EDITED)
    files = [tmp_path / "deckmark.lock", tmp_path / "out" / "n.apkg", tmp_path / "out" / "n.txt"]
    return {p: p.read_bytes() for p in files}


def _assert_untouched(built: dict[Path, bytes]) -> None:
    assert {p: p.read_bytes() for p in built} == built
    for folder in {p.parent for p in built}:
        assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_output_folder_inside_a_file__one_line_error(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    (tmp_path / "afile").write_text("")
    code, out, err = run("build", "n.md", "-o", "afile/out", "-f", "apkg")
    assert (code, out, err) == (
        1,
        "",
        "Error: afile/out: a part of this path is a file, not a folder\n",
    )
    assert not (tmp_path / "deckmark.lock").exists()


def test_output_target_is_a_folder__one_line_error_and_nothing_replaced(
    tmp_path: Path, built: dict[Path, bytes]
) -> None:
    (tmp_path / "out" / "n.apkg").rename(tmp_path / "saved.apkg")
    (tmp_path / "out" / "n.apkg").mkdir()
    built.pop(tmp_path / "out" / "n.apkg")
    code, out, err = run("build", "n.md", "-o", "out", "-f", "apkg", "-f", "anki-txt")
    assert (code, out, err) == (1, "", "Error: out/n.apkg: is a folder, not a file\n")
    _assert_untouched(built)


def test_output_folder_is_a_dangling_symlink__one_line_error(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    (tmp_path / "out").symlink_to(tmp_path / "gone")
    code, out, err = run("build", "n.md", "-o", "out", "-f", "apkg")
    assert (code, out, err) == (
        1,
        "",
        "Error: out: is a symbolic link to nothing (a dangling link)\n",
    )


def test_output_folder_refuses_writes__one_line_error_and_outputs_intact(
    tmp_path: Path, built: dict[Path, bytes]
) -> None:
    out = tmp_path / "out"
    if os.geteuid() == 0:  # root ignores permission bits: make the folder immutable
        subprocess.run(["chattr", "+i", str(out)], check=True)
        reason = "not permitted (read-only or immutable?)"
    else:
        out.chmod(0o555)
        reason = "permission denied"
    try:
        code, out_text, err = run("build", "n.md", "-o", "out", "-f", "apkg", "-f", "anki-txt")
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(out)], check=True)
        else:
            out.chmod(0o755)
    assert (code, out_text, err) == (1, "", f"Error: out/n.apkg: {reason}\n")
    _assert_untouched(built)


def test_file_size_limit_mid_write__one_line_error_and_outputs_intact(
    tmp_path: Path, built: dict[Path, bytes]
) -> None:
    # A real limit (RLIMIT_FSIZE) in a child process: genanki's sqlite fails mid-write.
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "from deckmark.cli import cli\n"
        "sys.argv = ['deckmark', 'build', 'n.md', '-o', 'out', '-f', 'apkg', '-f', 'anki-txt']\n"
        "cli()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "Error: out/n.apkg: could not write (disk I/O error: disk full or a file-size limit?)\n"
    )
    _assert_untouched(built)


def test_lockfile_is_a_folder__one_line_error(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    (tmp_path / "deckmark.lock").mkdir()
    for command in ("build", "diff"):
        code, out, err = run(command, "n.md")
        assert (code, out, err) == (1, "", "Error: deckmark.lock: is a folder, not a file\n")
    assert not (tmp_path / "build").exists()


def test_path_is_a_symlink_loop__one_line_error(tmp_path: Path) -> None:
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    for command in ("build", "check", "diff"):
        code, out, err = run(command, "loop.md")
        assert (code, out, err) == (1, "", "error: loop.md: symbolic link loop\n")


def test_path_is_a_fifo__refused_without_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "n.md").write_text(NOTES)
    os.mkfifo(tmp_path / "deck" / "inbox.md")
    # Reading either would block forever; a timeout turns a hang into a failure.
    done = subprocess.run(
        [sys.executable, "-m", "deckmark", "build", "pipe.md", "deck"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: pipe.md: not a regular file (a FIFO); give a Markdown file or a deck folder\n"
        "error: deck/inbox.md: not a regular file (a FIFO); give a Markdown file or a deck folder\n"
    )


def test_dangling_symlink_in_deck_folder__named_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "n.md").write_text(NOTES)
    (tmp_path / "deck" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    code, _, err = run("check", "deck")
    assert (code, err) == (1, "error: deck/gone.md: symbolic link to nothing (a dangling link)\n")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EROFS, "read-only file system"),
        (errno.ENOSPC, "no space left on the device"),
        (errno.EFBIG, "file too large (a file-size limit?)"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_describe_os_error__names_the_users_file(code: int, reason: str) -> None:
    # A failed rename names our temporary file first and the user's file second.
    error = OSError(code, os.strerror(code), "out/.n.apkg.deckmark-1-x.tmp", None, "out/n.apkg")
    assert describe_os_error(error) == f"out/n.apkg: {reason}"


# --- what the terminal shows -------------------------------------------------------------------


def test_warnings__control_characters_in_names__escaped_on_the_terminal(tmp_path: Path) -> None:
    name = "evil\x1b]0;owned\x07.md"
    (tmp_path / name).write_text(NOTES + "\n## Empty\n")
    code, out, err = run("check", name)
    assert code == 0
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert err == "warning: evil\\x1b]0;owned\\x07.md:6: empty section 'Empty' makes no card\n"


def test_terminal_text__escapes_controls_separators_and_bidi_overrides() -> None:
    assert terminal_text("a\x1b[2Jb\x9bc\u2028d\u202ee\tf\ng") == (
        "a\\x1b[2Jb\\x9bc\\u2028d\\u202ee\tf\ng"
    )


# --- leftovers of killed builds ----------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_build__leftovers_of_a_killed_build__removed_and_a_live_builds_kept(
    tmp_path: Path,
) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    out = tmp_path / "out"
    out.mkdir()
    dead, alive = _dead_pid(), os.getppid()
    leftovers = [
        out / f".n.apkg.deckmark-{dead}-k9x2.tmp",
        tmp_path / f".deckmark.lock.deckmark-{dead}-a1.tmp",
    ]
    running = out / f".n.apkg.deckmark-{alive}-q7.tmp"
    users = out / ".notes.tmp"  # not ours: never touched
    for path in [*leftovers, running, users]:
        path.write_bytes(b"partial")
    build([tmp_path / "n.md"], out, ["apkg"])
    assert [p.exists() for p in leftovers] == [False, False]
    assert running.exists() and users.exists()
    expected = [".deckmark-cache", "n.apkg", running.name, users.name]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)


# --- name clashes ------------------------------------------------------------------------------


def test_build__two_decks_with_the_same_output_name__refused_naming_both(tmp_path: Path) -> None:
    for folder, name in (("a", "My Notes.md"), ("b", "my-notes.md")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(NOTES)
    code, out, err = run("build", "a/My Notes.md", "b/my-notes.md", "-f", "apkg")
    assert (code, out) == (1, "")
    assert err == (
        "error: b/my-notes.md: its outputs (my-notes.apkg, ...) would overwrite those of "
        "a/My Notes.md; rename one of them, or build them into separate folders with -o\n"
    )
    assert not (tmp_path / "build").exists()


def test_output_folder_on_a_read_only_file_system__one_line_error_and_outputs_intact(
    tmp_path: Path, built: dict[Path, bytes]
) -> None:
    command = [sys.executable, "-m", "deckmark", "build", "n.md", "-o", "out", "-f", "apkg"]
    if os.geteuid() == 0:  # a real read-only mount of out/, in a private mount namespace
        script = "mount --bind out out && mount -o remount,ro,bind out && exec " + " ".join(command)
        command, reason = ["unshare", "-m", "sh", "-c", script], "read-only file system"
    else:  # without root, a folder without write permission is the nearest
        (tmp_path / "out").chmod(0o555)
        reason = "permission denied"
    try:
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    finally:
        (tmp_path / "out").chmod(0o755)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: out/n.apkg: {reason}\n")
    _assert_untouched(built)


def test_disk_full_mid_write__one_line_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES * 40)
    (tmp_path / "out").mkdir()
    command = [sys.executable, "-m", "deckmark", "build", "n.md", "-o", "out", "-f", "apkg"]
    if os.geteuid() == 0:  # a real full file system: 8 KiB of tmpfs, in a private namespace
        script = "mount -t tmpfs -o size=8k none out && exec " + " ".join(command)
        command, reason = ["unshare", "-m", "sh", "-c", script], "no space left on the device"
    else:  # without root, a file-size limit is the nearest
        limit = "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))"
        command = [sys.executable, "-c", f"{limit}; import runpy; runpy.run_module('deckmark')"]
        command += ["build", "n.md", "-o", "out", "-f", "apkg"]
        reason = "could not write (disk I/O error: disk full or a file-size limit?)"
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: out/n.apkg: {reason}\n")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


def test_build_killed_mid_publish__next_build_removes_its_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    out = tmp_path / "out"
    # The .apkg is staged first; the cards PDF (Typst) takes seconds: kill -9 in between.
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deckmark",
            "build",
            "n.md",
            "-o",
            "out",
            "-f",
            "apkg",
            "-f",
            "cards-pdf",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".n.apkg.deckmark-*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    child.kill()
    child.wait()
    leftovers = list(out.glob(".*.deckmark-*.tmp")) + list(tmp_path.glob(".*.deckmark-*.tmp"))
    assert leftovers, "the build was not caught mid-way"
    assert not (out / "n.apkg").exists()  # staged, never published
    assert run("build", "n.md", "-o", "out", "-f", "apkg")[0] == 0
    assert [p.name for p in out.iterdir() if not p.name.startswith(".deckmark-cache")] == ["n.apkg"]
    assert not list(tmp_path.glob(".*.deckmark-*.tmp"))
