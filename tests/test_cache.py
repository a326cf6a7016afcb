"""The build cache (deckmark.cache): a rebuild reuses only what is unchanged, and what it
keeps or rebuilds is exactly what a fresh build writes (Anki's note dump, PDF text)."""

from __future__ import annotations

import errno
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from pypdf import PdfReader

import deckmark.parse.outline
import deckmark.render.html
from deckmark.build import build
from deckmark.cache import CACHE_DIR, BuildCache
from tests.conftest import import_apkg, read_notes
from tests.conftest import run_cli as run

FORMATS = ["apkg", "cards-pdf", "sheet-pdf", "anki-txt"]
T1, T2 = 1_700_000_000, 1_700_086_400


def notes_file(topic: str, extra: str = "") -> str:
    return (
        f"# {topic}\n\n## The {topic} store\n\n"
        f"- A **{topic} store** keeps `{topic}_entries` until they expire.\n"
        f"- The `{topic}ctl flush` command writes **pending entries** to disk.{extra}\n\n"
        f"```bash\n# flush every {topic} entry\n{topic}ctl flush --all\n```\n"
    )


def make_deck(folder: Path, topics: list[str]) -> Path:
    folder.mkdir()
    for topic in topics:
        (folder / f"{topic}.md").write_text(notes_file(topic))
    return folder


def note_dump(apkg: Path, collection_path: Path) -> list[dict[str, Any]]:
    from anki.collection import Collection

    col = Collection(str(collection_path))
    try:
        import_apkg(col, apkg)
        return read_notes(col)
    finally:
        col.close()


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def assert_same_outputs(out_a: Path, out_b: Path, slug: str, tmp_path: Path) -> None:
    """What Anki reads from both decks, the PDFs' text and the text export are the same."""
    assert note_dump(out_a / f"{slug}.apkg", tmp_path / "a.anki2") == note_dump(
        out_b / f"{slug}.apkg", tmp_path / "b.anki2"
    )
    for name in (f"{slug}-cards.pdf", f"{slug}-sheet.pdf"):
        assert pdf_text(out_a / name) == pdf_text(out_b / name)
    assert (out_a / f"{slug}.txt").read_bytes() == (out_b / f"{slug}.txt").read_bytes()


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the notes files parsed from now on (the real parser runs)."""
    parsed: list[str] = []
    real: Callable[..., Any] = deckmark.parse.outline.parse_outline

    def counting(text: str, path: str) -> Any:
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(deckmark.parse.outline, "parse_outline", counting)
    return parsed


def test_rebuild__nothing_changed__outputs_kept_and_equal_to_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = make_deck(tmp_path / "deck", ["cache", "queue"])
    out = tmp_path / "out"
    first = build([deck], out, FORMATS, now=T1)
    written = {path: path.stat().st_mtime_ns for path in first.outputs}
    parsed = count_parses(monkeypatch)
    again = build([deck], out, FORMATS, now=T2)
    assert parsed == []
    assert again.unchanged == again.outputs == first.outputs
    assert {path: path.stat().st_mtime_ns for path in again.outputs} == written
    assert again.decks == first.decks
    fresh = build([deck], tmp_path / "fresh", FORMATS, now=T2, use_cache=False)
    assert fresh.unchanged == ()
    assert fresh.decks == again.decks
    assert not (tmp_path / "fresh" / CACHE_DIR).exists()
    assert_same_outputs(out, tmp_path / "fresh", "deck", tmp_path)


def test_rebuild__one_file_edited__only_it_parsed_and_outputs_equal_to_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = make_deck(tmp_path / "deck", ["cache", "queue", "ledger", "socket"])
    out = tmp_path / "out"
    build([deck], out, FORMATS, now=T1)
    (deck / "ledger.md").write_text(
        notes_file("ledger", "\n- A **ledger** is compacted every `24h`.")
    )
    parsed = count_parses(monkeypatch)
    cached = build([deck], out, FORMATS, now=T2)
    assert [Path(p).name for p in parsed] == ["ledger.md"]
    assert cached.unchanged == ()
    monkeypatch.undo()
    fresh = build([deck], tmp_path / "fresh", FORMATS, now=T2, use_cache=False)
    assert cached.decks == fresh.decks
    assert_same_outputs(out, tmp_path / "fresh", "deck", tmp_path)


def test_rebuild__one_file_edited__only_its_new_fields_rendered_and_apkg_as_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = make_deck(tmp_path / "deck", ["cache", "queue", "ledger"])
    out = tmp_path / "out"
    build([deck], out, ["apkg"], now=T1)
    (deck / "ledger.md").write_text(
        notes_file("ledger", "\n- A **ledger** is compacted every `24h`.")
    )
    monkeypatch.setattr(deckmark.render.html, "_RENDERED", {})  # a new process: only the cache
    rendered: list[str] = []
    real: Callable[..., str] = deckmark.render.html._render

    def counting(markdown_text: str, *args: Any) -> str:
        rendered.append(markdown_text)
        return real(markdown_text, *args)

    monkeypatch.setattr(deckmark.render.html, "_render", counting)
    build([deck], out, ["apkg"], now=T2)
    assert rendered
    assert all("compacted" in text for text in rendered), rendered
    monkeypatch.undo()
    build([deck], tmp_path / "fresh", ["apkg"], now=T2, use_cache=False)
    assert note_dump(out / "deck.apkg", tmp_path / "a.anki2") == note_dump(
        tmp_path / "fresh" / "deck.apkg", tmp_path / "b.anki2"
    )


def test_rebuild__output_edited_or_deleted__built_again(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck", ["cache"])
    out = tmp_path / "out"
    build([deck], out, ["apkg", "anki-txt"], now=T1)
    exported = (out / "deck.txt").read_bytes()
    (out / "deck.txt").write_text("edited by hand\n")
    (out / "deck.apkg").unlink()
    again = build([deck], out, ["apkg", "anki-txt"], now=T2)
    assert again.unchanged == ()
    assert (out / "deck.txt").read_bytes() == exported
    assert (out / "deck.apkg").is_file()


def test_rebuild__lockfile_edited__cards_take_its_identities(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck", ["cache"])
    out = tmp_path / "out"
    first = build([deck], out, ["anki-txt"], now=T1)
    lockfile = deck / "deckmark.lock"
    old_guid = first.decks[0].cards[0].guid
    assert old_guid is not None
    lockfile.write_text(lockfile.read_text().replace(old_guid, "HandPicked1"))
    again = build([deck], out, ["anki-txt"], now=T2)
    assert again.unchanged == ()
    assert again.decks[0].cards[0].guid == "HandPicked1"
    assert "HandPicked1" in (out / "deck.txt").read_text()


def test_rebuild__damaged_cache__built_from_the_sources(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck", ["cache", "queue"])
    out = tmp_path / "out"
    first = build([deck], out, ["anki-txt"], now=T1)
    for entry in (out / CACHE_DIR).rglob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    again = build([deck], out, ["anki-txt"], now=T2)
    assert again.unchanged == ()
    assert again.decks == first.decks


def test_cli_build__second_run__says_unchanged(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    make_deck(tmp_path / "deck", ["cache"])
    code, first, _ = run("build", "deck", "-f", "apkg")
    assert (code, first.splitlines()[0]) == (0, "wrote build/deck.apkg")
    code, out, err = run("build", "deck", "-f", "apkg")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["unchanged build/deck.apkg", first.splitlines()[1]]
    code, out, _ = run("build", "deck", "-f", "apkg", "--no-cache")
    assert out.splitlines()[0] == "wrote build/deck.apkg"
    shutil.rmtree(tmp_path / "build" / CACHE_DIR)
    assert run("build", "deck", "-f", "apkg")[1].splitlines()[0] == "wrote build/deck.apkg"


def test_rebuild__image_replaced__deck_packages_the_new_image(tmp_path: Path) -> None:
    import zipfile

    deck = make_deck(tmp_path / "deck", ["cache"])
    (deck / "cache.md").write_text(notes_file("cache", "\n- A **write-back** diagram: ![d](d.png)"))
    (deck / "d.png").write_bytes(b"\x89PNG first")
    out = tmp_path / "out"
    build([deck], out, ["apkg"], now=T1)
    (deck / "d.png").write_bytes(b"\x89PNG second")
    again = build([deck], out, ["apkg"], now=T2)
    assert again.unchanged == ()
    with zipfile.ZipFile(out / "deck.apkg") as package:
        contents = {package.read(name) for name in package.namelist()}
    assert b"\x89PNG second" in contents
    assert b"\x89PNG first" not in contents


def test_rebuilds__only_the_last_builds_decks_kept(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck", ["cache", "queue"])
    out = tmp_path / "out"
    build([deck], out, ["anki-txt"], now=T1)
    for n in range(3):
        (deck / "queue.md").write_text(notes_file("queue", f"\n- The **queue** holds `{n}` jobs."))
        build([deck], out, ["anki-txt"], now=T2 + n)
    for kind in ("decks", "identities"):
        assert len(list((out / CACHE_DIR / kind).iterdir())) == 1, kind
    # The files' entries stay: one per version of queue.md, one for the unchanged cache.md.
    assert len(list((out / CACHE_DIR / "outlines").iterdir())) == 5


class _FullSpool(io.BytesIO):
    """A spool on a disk with ``room`` bytes free: writes past them fail with ENOSPC."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


@pytest.mark.parametrize("room", [0, 4_500, 20_000])
def test_build__temp_folder_full__builds_every_output_and_caches_what_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    """A full $TMPDIR costs the cache, never the build. No test can fill a real disk, so the
    spool is a file whose writes fail with ENOSPC past ``room`` bytes: at the first entry, in
    the middle of the deck's pickle, in the middle of a PDF chunk's copy (this build's
    spool holds some 60 kB)."""

    def full_spool(cache: BuildCache) -> BinaryIO:
        if cache._spool is None:
            cache._spool = _FullSpool(room)
        return cache._spool

    monkeypatch.setattr(BuildCache, "_spooled", full_spool)
    deck = make_deck(tmp_path / "deck", ["cache", "queue"])
    out = tmp_path / "out"
    first = build([deck], out, FORMATS, now=T1)
    assert sorted(p.name for p in first.outputs) == [
        "deck-cards.pdf",
        "deck-sheet.pdf",
        "deck.apkg",
        "deck.txt",
    ]
    fresh = build([deck], tmp_path / "fresh", FORMATS, now=T1, use_cache=False)
    assert first.decks == fresh.decks
    assert_same_outputs(out, tmp_path / "fresh", "deck", tmp_path)
    # What was cached is sound: the next build (its spool full too) reuses or rebuilds it.
    again = build([deck], out, FORMATS, now=T2)
    assert again.decks == first.decks


def test_put__value_pickle_cannot_store__not_cached_and_the_rest_is(tmp_path: Path) -> None:
    """A value that fails halfway through its pickle (a megabyte written, then a function
    pickle cannot store) leaves nothing in the spool; the entries around it are saved."""

    def local() -> None: ...

    cache = BuildCache(tmp_path)
    cache.put("notes", "before", ("kept", 1))
    spooled = cache._spooled().seek(0, os.SEEK_END)
    cache.put("notes", "unpicklable", [b"x" * (1 << 20), local])
    assert cache._spooled().seek(0, os.SEEK_END) == spooled
    cache.put("notes", "after", ("kept", 2))
    cache.save()
    again = BuildCache(tmp_path)
    assert again.get("notes", "before") == ("kept", 1)
    assert again.get("notes", "unpicklable") is None
    assert again.get("notes", "after") == ("kept", 2)
