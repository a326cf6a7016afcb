"""Join the PDFs of Typst's chunks into one document and stamp what spans them (pypdf).

A chunk knows nothing of the pages before it, so what depends on the whole document (the
sheet's "page k / n", the cards' numbers through the deck) is laid out by Typst in a *stamp*
document of its own, one stamp page per output page, and drawn over the joined pages as a form
XObject: no content stream is parsed or rewritten, so joining costs little per page.

The study sheet flows in two columns. Its first chunk is laid out as whole two-column pages (it
has the title); every later chunk as pages one column wide, placed into the next free column:
so a chunk continues in the column after the previous one's last, and the only change from one
long document is that a chunk's last column may end early.

Runs in a child process (deckmark.exporters.typst_jobs): pypdf's objects for thousands of
pages would otherwise stay in the build's heap.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deckmark.exporters.typst_jobs import typst_pdf

if TYPE_CHECKING:  # pypdf is imported in the child that joins, not in every Typst child
    from pypdf import PageObject, PdfWriter
    from pypdf.generic import IndirectObject


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnFlow:
    """Pages one column wide, to be placed two to an output page."""

    pdfs: tuple[bytes, ...]
    """Documents of one-column pages, in order."""
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
    pdfs: Sequence[tuple[bytes, int]],
    columns: ColumnFlow | None,
) -> bytes:
    """:func:`assembled`, with the stamp laid out by Typst from ``template`` and ``stamp_data``."""
    return assembled(pdfs, [typst_pdf(root, template, stamp_data)], columns)


def assembled(
    pdfs: Sequence[tuple[bytes, int]], stamps: Sequence[bytes], columns: ColumnFlow | None
) -> bytes:
    """The leading pages of ``pdfs`` (``(pdf, how many pages)``) in order, then ``columns``
    placed, then page k of the ``stamps`` (one after the other) drawn over output page k. The
    first PDF's catalog and metadata are kept."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    first, used = pdfs[0]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(first)))
    while len(writer.pages) > used:
        writer.remove_page(len(writer.pages) - 1)
    for pdf, used in pdfs[1:]:
        writer.append(PdfReader(io.BytesIO(pdf)), pages=(0, used), import_outline=False)
    if not writer.outline:  # append adds an empty outline the original documents lack
        writer.root_object.pop(NameObject("/Outlines"), None)
    save = _stream(writer, b"q\n")  # one object, shared by every page
    if columns is not None:
        _place_columns(writer, columns, save)
    overs = [page for stamp in stamps for page in PdfReader(io.BytesIO(stamp)).pages]
    if stamps and len(overs) != len(writer.pages):
        raise ValueError(f"{len(overs)} stamp pages for {len(writer.pages)} pages")
    for page, over in zip(writer.pages, overs, strict=False):
        _draw_over(writer, page, _form(writer, over), 0.0, save)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _place_columns(writer: PdfWriter, columns: ColumnFlow, save: IndirectObject) -> None:
    from pypdf import PdfReader

    width, height = writer.pages[-1].mediabox.width, writer.pages[-1].mediabox.height
    free_right = columns.right_free
    for pdf, used in zip(columns.pdfs, columns.used, strict=True):
        for page in PdfReader(io.BytesIO(pdf)).pages[:used]:
            form = _form(writer, page)
            if free_right:
                _draw_over(writer, writer.pages[-1], form, columns.x[1], save)
            else:
                blank = writer.add_blank_page(width, height)
                _draw_over(writer, blank, form, columns.x[0], save)
            free_right = not free_right


def _form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """``page`` of another document as a form XObject of ``writer``."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject

    contents = page.raw_get("/Contents") if "/Contents" in page else None
    resolved = contents.get_object() if contents is not None else None
    if isinstance(resolved, StreamObject):
        form = resolved.clone(writer, force_duplicate=True)  # keeps the compressed data
    else:  # several streams (or none): one stream of their joined content
        content = page.get_contents()
        joined = _stream(writer, content.get_data() if content is not None else b"").get_object()
        assert isinstance(joined, StreamObject)
        form = joined
    box = page.mediabox
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(
        FloatObject(v) for v in (*box.lower_left, *box.upper_right)
    )
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = (
        resources.get_object().clone(writer) if resources is not None else DictionaryObject()
    )
    reference = form.indirect_reference
    assert reference is not None
    return reference


def _draw_over(
    writer: PdfWriter, page: PageObject, form: IndirectObject, dx: float, save: IndirectObject
) -> None:
    """Draw ``form`` over ``page``, moved right by ``dx`` pt. ``save``: a stream that saves the
    drawing state: the page's content runs between it and its restore, so the form starts from
    the default state whatever the content leaves behind."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object() if resources is not None else {})
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object() if xobjects is not None else {})
    name = f"/DmStamp{len(xobjects)}"
    xobjects[NameObject(name)] = form
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    existing = contents.get_object() if contents is not None else None
    streams = (
        list(existing) if isinstance(existing, ArrayObject) else [contents] if contents else []
    )
    draw = _stream(writer, f"\nQ\nq 1 0 0 1 {dx:.4f} 0 cm {name} Do Q\n".encode())
    page[NameObject("/Contents")] = ArrayObject([save, *streams, draw])


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)
