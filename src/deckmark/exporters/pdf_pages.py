"""Join the PDFs of Typst's chunks into one document and stamp what spans them (pypdf).

A chunk knows nothing of the pages before it, so what depends on the whole document (the
sheet's "page k / n", the cards' numbers through the deck) is laid out by Typst in a *stamp*
document of its own, one stamp page per output page, and drawn over the joined pages as a form
XObject: no content stream is parsed or rewritten, so joining costs little per page.

The study sheet flows in two columns. Its first chunk is laid out as whole two-column pages (it
has the title); every later chunk as pages one column wide, placed into the next free column:
so a chunk continues in the column after the previous one's last, and the only change from one
long document is that a chunk's last column may end early.

The joined document is written as it is read: one input document (a chunk, a stamp document)
is open at a time, its objects are copied under new numbers and written out, and a page is
written as soon as what is drawn on it is known. So memory is bounded by the largest chunk,
not by the pages of the whole document (pypdf's PdfWriter keeps every page object: about 2 GB
for 43,800 pages).

Runs in a child process (deckmark.exporters.typst_jobs): pypdf's objects for thousands of
pages would otherwise stay in the build's heap. The documents are files, read one at a time,
and the joined one is written to a file as it is made: a 20,000-section deck's cards PDF
(some 130 MB) never passes through the build process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deckmark.exporters.typst_jobs import typst_pdf

if TYPE_CHECKING:
    from deckmark.exporters.pdf_stream import Output


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnFlow:
    """Pages one column wide, to be placed two to an output page."""

    pdfs: tuple[str, ...]
    """Documents (files) of one-column pages, in order."""
    used: tuple[int, ...]
    """How many leading pages of each document hold content."""
    x: tuple[float, float]
    """Where the left and the right column's pages go on an output page, in pt."""
    right_free: bool
    """Whether the right column of the last whole page is still empty."""


def stamped(
    root: str,
    template: str,
    stamp_data: str,
    pdfs: Sequence[tuple[str, int]],
    columns: ColumnFlow | None,
    out_file: str,
) -> int:
    """:func:`assembled`, with the stamp laid out by Typst from ``template`` and ``stamp_data``."""
    return assembled(pdfs, [typst_pdf(root, template, stamp_data)], columns, out_file)


def assembled(
    pdfs: Sequence[tuple[str, int]],
    stamps: Sequence[str | bytes],
    columns: ColumnFlow | None,
    out_file: str,
    duplex: str | None = None,
) -> int:
    """Write to ``out_file`` the leading pages of ``pdfs`` (``(file, how many pages)``) in
    order, then ``columns`` placed, then page k of the ``stamps`` (files or PDFs, one after the
    other) drawn over output page k; the number of pages. The first PDF's catalog entries (but
    its pages) and metadata are kept. ``duplex`` (``/DuplexFlipLongEdge``, ...): viewer
    preferences for printing, that flip and no scaling."""
    from deckmark.exporters.pdf_stream import Output

    with open(out_file, "wb") as file:
        return _assembled(Output(file), pdfs, stamps, columns, duplex)


def _assembled(
    out: Output,
    pdfs: Sequence[tuple[str, int]],
    stamps: Sequence[str | bytes],
    columns: ColumnFlow | None,
    duplex: str | None,
) -> int:
    from deckmark.exporters.pdf_stream import Page, Source, stamp_forms

    overs = stamp_forms(out, stamps) if stamps else None
    pending: Page | None = None  # the last page, while its right column may still be filled

    def finish(page: Page) -> None:
        if overs is not None:
            over = next(overs, None)
            if over is None:
                raise ValueError(f"fewer stamp pages than pages ({len(out.kids) + 1} or more)")
            page.draws.append((over, 0.0))
        out.write_page(page)

    for number, (pdf, used) in enumerate(pdfs):
        source = Source(out, pdf)
        if number == 0:
            source.keep_catalog()
            if duplex is not None:
                out.print_preferences(duplex)
        for page in source.reader.pages[:used]:
            if pending is not None:
                finish(pending)
            pending = source.page(page)
        source.flush()
    flow = columns or ColumnFlow(pdfs=(), used=(), x=(0.0, 0.0), right_free=False)
    free_right = flow.right_free
    for pdf, used in zip(flow.pdfs, flow.used, strict=True):
        source = Source(out, pdf)
        for page in source.reader.pages[:used]:
            form = source.form(page)
            if free_right and pending is not None:
                pending.draws.append((form, flow.x[1]))
            else:
                if pending is not None:
                    finish(pending)
                pending = Page(box=pending.box if pending else page.mediabox)
                pending.draws.append((form, flow.x[0]))
            free_right = not free_right
        source.flush()
    if pending is not None:
        finish(pending)
    if overs is not None and next(overs, None) is not None:
        raise ValueError(f"more stamp pages than the {len(out.kids)} pages")
    out.finish()
    return len(out.kids)
