"""PDFs laid out in chunks: the joined document reads as one laid out whole, and a chunk's
cached layout is reused only for exactly the same data (deckmark.exporters.chunking, pdf_pages)."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from deckmark.cache import CACHE_DIR, BuildCache
from deckmark.exporters import ExportOptions
from deckmark.exporters import pdf as pdf_exporter
from deckmark.exporters.chunking import ChunkSizes, chunk_ranges
from deckmark.exporters.pdf import export_cards_pdf, export_sheet_pdf
from deckmark.model import Deck, Section, SourceLocation
from deckmark.render import typst_data
from tests.test_pdf import make_card, make_deck, page_texts, slot_of

SMALL_SHEET = ChunkSizes(minimum=2500, maximum=5000, spread=4)
ONE_SHEET = ChunkSizes(minimum=10**9, maximum=10**9, spread=1)


def sectioned_deck(sections: int, per_section: int, *, edited: int | None = None) -> Deck:
    """Cards Q001.. under sections S01..; card ``edited`` says something else."""
    cards, parts = [], []
    for s in range(sections):
        numbers = range(s * per_section + 1, (s + 1) * per_section + 1)
        for n in numbers:
            answer = f"Answer A{n:03d} " + "with a few more words of answer " * (n % 4)
            if n == edited:
                answer = f"Answer A{n:03d} changed"
            cards.append(make_card(n, front=f"Question Q{n:03d}?", back=answer))
        parts.append(
            Section(
                path=("Docker", f"Section S{s:02d}"),
                source=SourceLocation(path="notes.md", line=s + 1),
                card_keys=tuple(f"card-{n}" for n in numbers),
            )
        )
    return make_deck(*cards, sections=tuple(parts))


def count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many chunks each PDF export had Typst lay out (the others came from the cache);
    the layouts of the cards' numbers are not counted."""
    calls: list[int] = []
    laid_out: Callable[..., Any] = pdf_exporter._laid_out
    run: Callable[..., Any] = pdf_exporter.in_children

    def counting(*args: Any, **kwargs: Any) -> Any:
        def count(jobs: list[Any], workers: int) -> Any:
            calls.append(len(jobs))
            return run(jobs, workers)

        chunks = list(args[2])  # the chunks' data, made as they are laid out
        args = (*args[:2], chunks, *args[3:])
        if chunks and '"mode": "numbers"' in chunks[0]:
            return laid_out(*args, **kwargs)
        monkeypatch.setattr(pdf_exporter, "in_children", count)
        try:
            return laid_out(*args, **kwargs)
        finally:
            monkeypatch.setattr(pdf_exporter, "in_children", run)

    monkeypatch.setattr(pdf_exporter, "_laid_out", counting)
    return calls


def words(path: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's words and where they start (x, y from the top, in pt), as poppler reads
    them (pypdf's text positions ignore the form XObjects the joined pages are drawn with)."""
    found = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')
    return [
        [(html.unescape(w), float(x), float(y)) for x, y, w in word.findall(page)]
        for page in found.split("<page ")[1:]
    ]


def sheet_with_cache(deck: Deck, out: Path) -> list[str]:
    """The sheet's page texts, built with (and into) the cache in ``out``."""
    with BuildCache(out) as cache:
        [path] = export_sheet_pdf(deck, out, ExportOptions(), cache=cache).paths
        cache.save()
    return page_texts(path)


def without_footers(texts: list[str]) -> list[str]:
    return re.sub(r"Docker · \d+ / \d+", " ", "\n".join(texts)).split()


@pytest.mark.parametrize("edit", ["heavier", "inserted", "removed"])
def test_chunk_ranges__one_item_edited__other_chunks_unchanged(edit: str) -> None:
    sizes = ChunkSizes(minimum=40, maximum=200, spread=8)
    items = [(f"card-{n}", 3) for n in range(600)]
    edited = {
        "heavier": [*items[:300], ("card-300", 30), *items[301:]],
        "inserted": [*items[:300], ("card-new", 3), *items[300:]],
        "removed": [*items[:300], *items[301:]],
    }[edit]

    def chunks(items: list[tuple[str, int]]) -> list[tuple[tuple[str, int], ...]]:
        ranges = chunk_ranges(items, sizes)
        assert [i for r in ranges for i in r] == list(range(len(items)))  # all, in order, once
        return [tuple(items[i] for i in r) for r in ranges]

    before, after = chunks(items), chunks(edited)
    assert len(before) > 10
    gone = set(before) - set(after)
    assert 1 <= len(gone) <= 2  # the chunk with card 300, at most the next one too
    assert len(set(after) - set(before)) <= 2


def test_chunk_ranges__heavy_items__cut_at_the_maximum() -> None:
    ranges = chunk_ranges([(f"k{n}", 10) for n in range(100)], ChunkSizes(
        minimum=20, maximum=95, spread=10**6
    ))  # fmt: skip
    assert [len(r) for r in ranges] == [10] * 10


def test_chunk_ranges__end_of_the_deck__no_chunk_under_the_minimum() -> None:
    sizes = ChunkSizes(minimum=100, maximum=10**6, spread=1)  # every key may end a chunk
    assert [len(r) for r in chunk_ranges([(f"k{n}", 10) for n in range(55)], sizes)] == [
        10, 10, 10, 10, 15
    ]  # fmt: skip
    assert [len(r) for r in chunk_ranges([(f"k{n}", 10) for n in range(15)], sizes)] == [15]


def test_sheet_pdf__chunked__reads_as_one_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = sectioned_deck(sections=8, per_section=30)
    monkeypatch.setattr(pdf_exporter, "SHEET_CHUNKS", ONE_SHEET)
    [whole] = export_sheet_pdf(deck, tmp_path / "whole", ExportOptions()).paths
    monkeypatch.setattr(pdf_exporter, "SHEET_CHUNKS", SMALL_SHEET)
    jobs = count_layouts(monkeypatch)
    [chunked] = export_sheet_pdf(deck, tmp_path / "chunked", ExportOptions()).paths
    assert jobs[-1] >= 4  # really laid out in chunks
    texts, whole_texts = page_texts(chunked), page_texts(whole)
    assert without_footers(texts) == without_footers(whole_texts)  # same entries, same order
    assert len(whole_texts) <= len(texts) <= len(whole_texts) + jobs[-1] // 2
    for page, text in enumerate(texts, start=1):  # numbered through the whole sheet
        assert text.count(f"Docker · {page} / {len(texts)}") == 1
    # A chunk that starts inside a section goes on without repeating the heading.
    assert sum(text.count("Section S03") for text in texts) == 1
    # No question apart from its answer: same page, same column; columns where the whole
    # sheet has them.
    middle = float(PdfReader(chunked).pages[0].mediabox.width) / 2
    starts = {round(x, 1) for page in words(whole) for w, x, _ in page if w == "Question"}
    assert len(starts) == 2
    questions = 0
    for page in words(chunked):
        for w, x, _ in page:
            if match := re.fullmatch(r"Q(\d{3})\?", w):
                questions += 1
                [answer_x] = [ax for aw, ax, _ in page if aw == f"A{match[1]}"]
                assert (x < middle) == (answer_x < middle)
        assert {round(x, 1) for w, x, _ in page if w == "Question"} <= starts
    assert questions == 240
    assert PdfReader(chunked).metadata["/Title"] == "Docker"  # type: ignore[index]


def test_sheet_pdf__letter_chunked__columns_placed_on_letter_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exporter, "SHEET_CHUNKS", SMALL_SHEET)
    deck = sectioned_deck(sections=6, per_section=30)
    [path] = export_sheet_pdf(deck, tmp_path, ExportOptions(paper="letter")).paths
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (page.mediabox.width, page.mediabox.height) == (612, 792)
    # 12 mm margins, columns of (215.9 - 2 * 12 - 6) / 2 mm: the right one starts at 110.95 mm.
    starts = {round(x, 1) for page in words(path) for w, x, _ in page if w == "Question"}
    assert starts == {round(12 * 72 / 25.4, 1), round(110.95 * 72 / 25.4, 1)}


def test_sheet_pdf__cached_chunks__rebuild_reuses_them_and_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exporter, "SHEET_CHUNKS", SMALL_SHEET)
    jobs = count_layouts(monkeypatch)
    deck, out = sectioned_deck(sections=8, per_section=30), tmp_path / "out"
    fresh = sheet_with_cache(deck, out)
    assert sheet_with_cache(deck, out) == fresh
    assert jobs[1] == 0  # every chunk came from the cache
    edited = sheet_with_cache(sectioned_deck(sections=8, per_section=30, edited=100), out)
    assert 1 <= jobs[2] <= 2  # the chunk holding card 100 (and at most the next one)
    text = "\n".join(edited)
    assert "Answer A100 changed" in text
    assert "Answer A100 with" not in text
    [path] = export_sheet_pdf(
        sectioned_deck(sections=8, per_section=30, edited=100), tmp_path / "fresh", ExportOptions()
    ).paths
    assert edited == page_texts(path)


@pytest.mark.parametrize("damaged", [".pickle", ".file"])
def test_sheet_pdf__damaged_cache_entries__ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: str
) -> None:
    """Damaged queries (and the fields' blocks) are misses; so are damaged chunk PDFs whose
    query is sound: get_file's checksum, not the query's, finds those."""
    monkeypatch.setattr(pdf_exporter, "SHEET_CHUNKS", SMALL_SHEET)
    jobs = count_layouts(monkeypatch)
    deck, out = sectioned_deck(sections=8, per_section=30), tmp_path / "out"
    fresh = sheet_with_cache(deck, out)
    entries = sorted((out / CACHE_DIR).glob("typst-*/*.*"))
    assert len(entries) == 2 * jobs[0] + 1  # each chunk's PDF and query, the fields' blocks
    for entry in (e for e in entries if e.suffix == damaged):
        # Same length, other bytes: the checksum no longer matches.
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    with BuildCache(out) as cache:
        [path] = export_sheet_pdf(deck, out, ExportOptions(), cache=cache).paths
    assert jobs[1] == jobs[0]
    assert page_texts(path) == fresh


SMALL_CARDS = ChunkSizes(minimum=12, maximum=24, spread=3)


def numbered(count: int, *, edited: int | None = None) -> Deck:
    return make_deck(
        *(
            make_card(n, back=f"Answer A{n:02d} changed." if n == edited else f"Answer A{n:02d}.")
            for n in range(1, count + 1)
        )
    )


def test_cards_pdf__chunked__each_back_behind_its_front_numbers_through_the_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exporter, "CARD_CHUNKS", SMALL_CARDS)
    jobs = count_layouts(monkeypatch)
    layout = pdf_exporter.LAYOUTS["a4"]
    [path] = export_cards_pdf(numbered(70), tmp_path, ExportOptions()).paths
    chunks = jobs[-1]
    assert chunks >= 3
    pages = words(path)
    sheets = len(pages) // 2
    assert len(pages) % 2 == 0 and 9 <= sheets <= 9 + chunks - 1  # a chunk starts a sheet
    texts = page_texts(path)
    for n in range(1, 71):
        [front] = [p for p in range(0, len(texts), 2) if f"Q{n:02d}?" in texts[p]]
        assert f"A{n:02d}." in texts[front + 1]
        r, c = slot_of(path, front, f"Q{n:02d}?", layout)
        assert slot_of(path, front + 1, f"A{n:02d}.", layout) == (r, layout.cols - 1 - c)
    # Numbered through the deck: "Docker · n" on each front, once, in order of the cards.
    numbers = [
        int(w) for p in range(0, len(pages), 2) for prev, (w, _, _) in
        zip(pages[p], pages[p][1:], strict=False) if prev[0] == "·" and w.isdigit()
    ]  # fmt: skip
    assert numbers == list(range(1, 71))


def test_cards_pdf__cached_chunks__one_card_edited__only_its_chunk_laid_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exporter, "CARD_CHUNKS", SMALL_CARDS)
    jobs = count_layouts(monkeypatch)
    out = tmp_path / "out"

    def cards_with_cache(deck: Deck) -> list[str]:
        cache = BuildCache(out)
        [path] = export_cards_pdf(deck, out, ExportOptions(), cache=cache).paths
        cache.save()
        return page_texts(path)

    fresh = cards_with_cache(numbered(70))
    chunks = jobs[-1]
    assert cards_with_cache(numbered(70)) == fresh
    assert jobs[-1] == 0
    edited = cards_with_cache(numbered(70, edited=40))
    assert 1 <= jobs[-1] <= 2 < chunks
    assert "A40 changed" in "\n".join(edited)
    [path] = export_cards_pdf(numbered(70, edited=40), tmp_path / "fresh", ExportOptions()).paths
    assert page_texts(path) == edited


def test_cache_prune__chunks_of_a_pdf_built__only_the_last_builds_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_exporter, "SHEET_CHUNKS", SMALL_SHEET)
    out = tmp_path / "out"
    sheet_with_cache(sectioned_deck(sections=8, per_section=30), out)
    first = set((out / CACHE_DIR).glob("typst-docker-sheet/*.pickle"))
    other = out / CACHE_DIR / "typst-other-sheet" / "kept.pickle"  # a PDF this build skips
    other.parent.mkdir()
    other.write_bytes(b"")
    cache = BuildCache(out)
    export_sheet_pdf(sectioned_deck(sections=8, per_section=30, edited=100), out, ExportOptions(),
                     cache=cache)  # fmt: skip
    cache.save()
    cache.prune()
    kept = set((out / CACHE_DIR).glob("typst-docker-sheet/*.pickle"))
    assert first - kept  # the chunk replaced by the edit is gone
    assert first & kept  # the others were used again
    assert other.exists()


def test_pdfs__rebuild_after_one_edit__converts_only_the_edited_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, options = tmp_path / "out", ExportOptions()
    cache = BuildCache(out)
    export_cards_pdf(sectioned_deck(sections=2, per_section=5), out, options, cache=cache)
    export_sheet_pdf(sectioned_deck(sections=2, per_section=5), out, options, cache=cache)
    cache.save()
    typst_data._parsed_blocks.cache_clear()  # as in a new process
    parsed: list[str] = []
    real_parse = typst_data.parse

    def parse(markdown: str) -> Any:
        parsed.append(markdown)
        return real_parse(markdown)

    monkeypatch.setattr(typst_data, "parse", parse)
    edited = sectioned_deck(sections=2, per_section=5, edited=7)
    with BuildCache(out) as cache:
        [cards] = export_cards_pdf(edited, out, options, cache=cache).paths
        [sheet] = export_sheet_pdf(edited, out, options, cache=cache).paths
    assert set(parsed) == {"Answer A007 changed"}
    fresh = tmp_path / "fresh"
    [fresh_cards] = export_cards_pdf(edited, fresh, options).paths
    [fresh_sheet] = export_sheet_pdf(edited, fresh, options).paths
    assert page_texts(cards) == page_texts(fresh_cards)
    assert page_texts(sheet) == page_texts(fresh_sheet)
    assert "Answer A007 changed" in "\n".join(page_texts(sheet))
