"""Benchmark: the paper the PDFs' chunks waste, and what laying them out in chunks costs.

Not a test; run it from a checkout with deckmark installed (``pip install -e .``)::

    python bench/pdf_chunks.py                  # 2,000 sections
    python bench/pdf_chunks.py --sizes 200,2000

For the generated corpus (bench/synthetic.py) it builds the cards PDF and the study sheet the
way deckmark does (in chunks: deckmark.exporters.chunking) and as a single chunk (the whole
document in one Typst process, as before chunking), each from scratch in a process of its own,
and prints pages, the pages the chunks add, wall time and the peak RSS of the process tree
(bench/scale.py's sampler, so the Typst children count).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader
from scale import Table, fresh, load, run  # bench/ on sys.path
from synthetic import notes_markdown

ONE_CHUNK = (
    "from deckmark.exporters import chunking, pdf; "
    "whole = chunking.ChunkSizes(minimum=10**15, maximum=10**15, spread=1); "
    "pdf.SHEET_CHUNKS = pdf.CARD_CHUNKS = whole; pdf.STAMP_PAGES = 10**9; "
    "from deckmark.cli import cli; cli()"
)
CHUNKED = "from deckmark.cli import cli; cli()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000", help="sections, comma-separated")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {load()}, python {sys.version.split()[0]}")
    table = Table("PDF", "sections", "layout", "pages", "added pages", "wall s", "peak RSS MB")
    with tempfile.TemporaryDirectory(prefix="deckmark-chunks-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            notes = fresh(Path(tmp) / f"corpus-{size}") / "notes.md"
            notes.write_text(notes_markdown(size), encoding="utf-8")
            for label, fmt, name in (
                ("cards", "cards-pdf", "notes-cards.pdf"),
                ("sheet", "sheet-pdf", "notes-sheet.pdf"),
            ):
                pages = {}
                for layout, code in (("one chunk", ONE_CHUNK), ("chunks", CHUNKED)):
                    out = fresh(notes.parent / "out")
                    (notes.parent / "deckmark.lock").unlink(missing_ok=True)
                    result = run(
                        [sys.executable, "-c", code, "build", notes, "-o", out, "-f", fmt, "-q"]
                    )
                    pages[layout] = len(PdfReader(out / name).pages)
                    added = pages[layout] - pages["one chunk"]
                    share = f"{added} ({100 * added / pages['one chunk']:.2f} %)"
                    table.add(label, f"{size:,}", layout, f"{pages[layout]:,}", share,
                              f"{result.wall:.2f}", f"{result.peak_mb:.0f}")  # fmt: skip
    table.show(f"PDFs in chunks and in one piece ({load()} at the end)")


if __name__ == "__main__":
    main()
