from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from deckmark.output import atomic_file, write_atomic


def test_write_atomic__replaces_file__with_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deck.apkg"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["deck.apkg"]


def test_write_atomic__failure__leaves_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"old")

    def disk_full(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def test_atomic_file__writer_fails__old_file_kept_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deck-sheet.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="layout stopped"), atomic_file(target) as tmp:
        tmp.write_bytes(b"half a new PDF")  # the writer got this far, then failed
        raise RuntimeError("layout stopped")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck-sheet.pdf"]
