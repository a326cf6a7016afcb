"""The lockfile never loses identities: any text round-trips, a lost lockfile is announced, and
the outputs and the lockfile are always published together."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from deckmark.build import build, diff
from deckmark.errors import DeckmarkError, InputError
from deckmark.identity import (
    ChangeKind,
    LockEntry,
    Lockfile,
    format_lockfile,
    read_lockfile,
    write_lockfile,
)
from tests.conftest import run_cli as run

FP = "000000.000000.000000.000000.000000"
NOTES = "## Docker Image\n\n- A docker image is a read-only template.\n- It has layers.\n"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages show paths relative to the working directory: keep them short."""
    monkeypatch.chdir(tmp_path)


def _code_points_by_category() -> dict[str, str]:
    """Every code point UTF-8 can hold (all but surrogates), grouped by Unicode category."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code in range(sys.maxunicode + 1):
        if not 0xD800 <= code <= 0xDFFF:
            groups[unicodedata.category(chr(code))].append(chr(code))
    return {category: "".join(chars) for category, chars in groups.items()}


def test_lockfile__every_code_point_class__round_trips(tmp_path: Path) -> None:
    categories = _code_points_by_category()
    assert {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn", "Lu", "Mn", "So"} <= set(categories)
    entries = tuple(
        LockEntry(
            guid=f"g{n}",
            modified=1_700_000_000,
            fingerprint=FP,
            key=f"notes.md#{category}",
            question=f"{category}: {chars[:2000]}",
            answer=chars,
        )
        for n, (category, chars) in enumerate(sorted(categories.items()))
    )
    lock = Lockfile(entries=entries, notes="notes \u2028\x85.md")
    path = tmp_path / "deckmark.lock"
    write_lockfile(path, lock)
    text = path.read_text(encoding="utf-8")
    # Editors, git and str.splitlines see exactly one line per entry (and 4 comment lines).
    assert len(text.splitlines()) == len(entries) + 3
    back = read_lockfile(path)
    assert back.notes == lock.notes
    assert [(e.key, e.question, e.answer) for e in back.entries] == [
        (e.key, e.question, e.answer) for e in entries
    ]


def test_lockfile__crlf_checkout__still_reads(tmp_path: Path) -> None:
    lock = Lockfile(
        entries=(
            LockEntry(guid="g1", modified=0, fingerprint=FP, key="k", question="Q\r", answer="A"),
        )
    )
    path = tmp_path / "deckmark.lock"
    path.write_bytes(format_lockfile(lock).replace("\n", "\r\n").encode())
    assert read_lockfile(path).entries[0].question == "Q\r"


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1e"])
def test_build__line_separator_in_a_table_cell__second_build_and_diff_read_the_lockfile(
    tmp_path: Path, separator: str
) -> None:
    notes = tmp_path / "t.md"
    notes.write_text(
        "## Ports\n\n| Port | Use |\n| --- | --- |\n"
        f"| 80 | web{separator}traffic |\n| 443 | secure web |\n"
    )
    build([notes], tmp_path / "out", ["apkg"], now=1_700_000_000)
    build([notes], tmp_path / "out", ["apkg"], now=1_700_000_100)
    ((_, result),) = diff([notes], now=1_700_000_200)
    assert {c.kind for c in result.changes} == {ChangeKind.UNCHANGED}


# --- a lost lockfile --------------------------------------------------------------------------


def test_build__lockfile_deleted_after_a_build__warns_how_to_restore_and_strict_stops(
    tmp_path: Path,
) -> None:
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "n.md").write_text(NOTES)
    assert run("build", "deck", "-f", "apkg")[0] == 0
    (tmp_path / "deck" / "deckmark.lock").unlink()
    code, _, err = run("build", "--strict", "deck", "-f", "apkg")
    assert code == 1
    assert err == (
        "error: deck/deckmark.lock: missing, but build/deck.apkg was built before: every card "
        "gets a new GUID and loses its review history when imported; restore the lockfile from "
        "version control (git checkout -- deck/deckmark.lock); to start afresh, delete "
        "build/deck.apkg\n"
    )
    assert not (tmp_path / "deck" / "deckmark.lock").exists()  # --strict wrote nothing
    code, _, err = run("build", "deck", "-f", "apkg")
    assert code == 0
    assert err.startswith("warning: deck/deckmark.lock: missing, but build/deck.apkg was built")


def test_build__first_build__no_lockfile_warning(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    code, _, err = run("build", "--strict", "n.md", "-f", "apkg")
    assert (code, err) == (0, "")


def test_build__empty_lockfile__warns_and_strict_stops(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES)
    (tmp_path / "deckmark.lock").write_bytes(b"")
    code, _, err = run("build", "--strict", "n.md", "-f", "apkg")
    assert code == 1
    assert err == (
        "error: deckmark.lock:1: lockfile holds no cards: every card gets a new GUID and loses "
        "its review history when imported; restore the lockfile from version control "
        "(git checkout -- deckmark.lock), or delete it to start afresh\n"
    )
    assert (tmp_path / "deckmark.lock").read_bytes() == b""
    assert not (tmp_path / "build").exists()
    code, _, err = run("diff", "n.md")
    assert code == 0 and "deckmark.lock:1: lockfile holds no cards" in err


# --- outputs and lockfile in step -------------------------------------------------------------


def _unwritable(path: Path) -> None:
    """Make ``path`` refuse writes: immutable for root (who ignores permission bits), else a
    read-only folder (renaming over a read-only file is allowed)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        (path if path.is_dir() else path.parent).chmod(0o555)


def _writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        (path if path.is_dir() else path.parent).chmod(0o755)


def _snapshot(*paths: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


@pytest.mark.parametrize("refusing", ["deckmark.lock", "."])
def test_build__lockfile_cannot_be_written__outputs_untouched(
    tmp_path: Path, refusing: str
) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "n.md").write_text(NOTES)
    out = tmp_path / "out"
    build([deck], out, ["apkg", "anki-txt"], now=1_700_000_000)
    before = _snapshot(deck / "deckmark.lock", out / "deck.apkg", out / "deck.txt")
    (deck / "n.md").write_text(NOTES.replace("It has layers.", "It has read-only layers."))
    _unwritable(deck / refusing)
    try:
        with pytest.raises(DeckmarkError) as error:
            build([deck], out, ["apkg", "anki-txt"], now=1_700_000_100)
        code, _, err = run("build", "deck", "-o", "out", "-f", "apkg")
    finally:
        _writable(deck / refusing)
    reason = "not permitted (read-only or immutable?)" if os.geteuid() == 0 else "permission denied"
    assert str(error.value) == f"deck/deckmark.lock: {reason}"
    assert (code, err) == (1, f"Error: deck/deckmark.lock: {reason}\n")
    assert _snapshot(*before) == before
    assert sorted(p.name for p in out.iterdir()) == [".deckmark-cache", "deck.apkg", "deck.txt"]
    assert sorted(p.name for p in deck.iterdir()) == ["deckmark.lock", "n.md"]


def test_build__an_output_cannot_be_replaced__lockfile_and_other_outputs_restored(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "n.md"
    notes.write_text(NOTES)
    out = tmp_path / "out"
    build([notes], out, ["apkg", "anki-txt"], now=1_700_000_000)
    (out / "n.txt").unlink()
    (out / "n.txt").mkdir()  # a folder where the text export goes
    before = _snapshot(tmp_path / "deckmark.lock", out / "n.apkg")
    notes.write_text(NOTES.replace("It has layers.", "It has read-only layers."))
    with pytest.raises(DeckmarkError, match=r"n\.txt: is a folder, not a file$"):
        build([notes], out, ["apkg", "anki-txt"], now=1_700_000_100)
    assert _snapshot(*before) == before
    assert sorted(p.name for p in out.iterdir()) == [".deckmark-cache", "n.apkg", "n.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deckmark.lock", "n.md", "out"]


def test_build__strict_with_warnings__writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTES + "\n## Empty\n")
    with pytest.raises(InputError, match="empty section 'Empty' makes no card"):
        build([tmp_path / "n.md"], tmp_path / "out", ["apkg"], strict=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.md"]
