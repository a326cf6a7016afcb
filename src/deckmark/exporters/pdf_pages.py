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
pages would otherwise stay in the build's heap.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deckmark.exporters.typst_jobs import typst_pdf

if TYPE_CHECKING:  # pypdf is imported in the child that joins, not in every Typst child
    from pypdf import PageObject, PdfReader
    from pypdf.generic import DictionaryObject, IndirectObject, PdfObject


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
    first PDF's catalog entries (but its pages) and metadata are kept."""
    out = _Output()
    overs = _stamp_forms(out, stamps) if stamps else None
    pending: _Page | None = None  # the last page, while its right column may still be filled

    def finish(page: _Page) -> None:
        if overs is not None:
            over = next(overs, None)
            if over is None:
                raise ValueError(f"fewer stamp pages than pages ({len(out.kids) + 1} or more)")
            page.draws.append((over, 0.0))
        out.write_page(page)

    for number, (pdf, used) in enumerate(pdfs):
        source = _Source(out, pdf)
        if number == 0:
            source.keep_catalog()
        for page in source.reader.pages[:used]:
            if pending is not None:
                finish(pending)
            pending = source.page(page)
        source.flush()
    flow = columns or ColumnFlow(pdfs=(), used=(), x=(0.0, 0.0), right_free=False)
    free_right = flow.right_free
    for pdf, used in zip(flow.pdfs, flow.used, strict=True):
        source = _Source(out, pdf)
        for page in source.reader.pages[:used]:
            form = source.form(page)
            if free_right and pending is not None:
                pending.draws.append((form, flow.x[1]))
            else:
                if pending is not None:
                    finish(pending)
                pending = _Page(box=pending.box if pending else page.mediabox)
                pending.draws.append((form, flow.x[0]))
            free_right = not free_right
        source.flush()
    if pending is not None:
        finish(pending)
    if overs is not None and next(overs, None) is not None:
        raise ValueError(f"more stamp pages than the {len(out.kids)} pages")
    return out.finished()


@dataclass(slots=True, kw_only=True)
class _Page:
    """An output page not yet written: its box, content, resources and forms drawn over it."""

    box: PdfObject
    number: int | None = None
    """The object number reserved for the page (links to it were renumbered)."""
    contents: list[IndirectObject] = field(default_factory=list)
    resources: DictionaryObject | None = None
    rest: dict[str, PdfObject] = field(default_factory=dict)
    """The page's other entries (already copied)."""
    draws: list[tuple[IndirectObject, float]] = field(default_factory=list)
    """Forms drawn over the page, in order, each moved right by so many pt."""


class _Output:
    """The joined PDF as it is written: objects numbered in order, catalog and page tree last."""

    CATALOG, PAGES = 1, 2

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.buffer.write(b"%PDF-1.7\n%\x80\x80\x80\x80\n\n")
        self.offsets = [0, 0, 0]  # by object number; 1 and 2 are written last
        self.kids: list[int] = []
        self.catalog: dict[str, PdfObject] = {}
        self.trailer: dict[str, PdfObject] = {}
        self.save = self.add_stream(b"q\n")  # one object, shared by every page

    def number(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number] = self.buffer.tell()
        self.buffer.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.buffer)
        self.buffer.write(b"\nendobj\n")

    def add_stream(self, data: bytes) -> IndirectObject:
        from pypdf.generic import DecodedStreamObject

        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.add(stream)

    def add(self, obj: PdfObject) -> IndirectObject:
        number = self.number()
        self.write(number, obj)
        return _ref(number)

    def write_page(self, page: _Page) -> None:
        """Write ``page``, each form drawn over it from the default drawing state: the content
        before it runs between a save (``q``) and its restore."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        entries = DictionaryObject(page.rest)
        entries[NameObject("/Type")] = NameObject("/Page")
        entries[NameObject("/Parent")] = _ref(self.PAGES)
        entries[NameObject("/MediaBox")] = page.box
        resources = DictionaryObject(page.resources or {})
        xobjects = DictionaryObject(
            resources.raw_get("/XObject") if "/XObject" in resources else {}
        )
        draws = []
        for form, dx in page.draws:
            name = f"/DmStamp{len(xobjects)}"
            xobjects[NameObject(name)] = form
            draws.append(self.add_stream(f"\nQ\nq 1 0 0 1 {dx:.4f} 0 cm {name} Do Q\n".encode()))
        if draws:
            resources[NameObject("/XObject")] = xobjects
        entries[NameObject("/Resources")] = resources
        contents = [self.save] * len(draws) + page.contents + draws
        entries[NameObject("/Contents")] = (
            ArrayObject(contents)
            if draws
            else (page.contents[0] if len(page.contents) == 1 else ArrayObject(page.contents))
        )
        number = page.number if page.number is not None else self.number()
        self.write(number, entries)
        self.kids.append(number)

    def finished(self) -> bytes:
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

        self.write(
            self.PAGES,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Count"): NumberObject(len(self.kids)),
                    NameObject("/Kids"): ArrayObject(_ref(n) for n in self.kids),
                }
            ),
        )
        catalog = DictionaryObject({NameObject(k): v for k, v in self.catalog.items()})
        catalog[NameObject("/Type")] = NameObject("/Catalog")
        catalog[NameObject("/Pages")] = _ref(self.PAGES)
        self.write(self.CATALOG, catalog)
        xref = self.buffer.tell()
        self.buffer.write(f"xref\n0 {len(self.offsets)}\n0000000000 65535 f\r\n".encode())
        self.buffer.write(b"".join(f"{o:010d} 00000 n\r\n".encode() for o in self.offsets[1:]))
        trailer = DictionaryObject({NameObject(k): v for k, v in self.trailer.items()})
        trailer[NameObject("/Size")] = NumberObject(len(self.offsets))
        trailer[NameObject("/Root")] = _ref(self.CATALOG)
        self.buffer.write(b"trailer\n")
        trailer.write_to_stream(self.buffer)
        self.buffer.write(f"\nstartxref\n{xref}\n%%EOF".encode())
        return self.buffer.getvalue()


class _Source:
    """One input document: its objects, copied into the output under new numbers the first
    time they are referred to, and written out by :meth:`flush`."""

    def __init__(self, out: _Output, pdf: bytes) -> None:
        from pypdf import PdfReader
        from pypdf.generic import IndirectObject

        self.out = out
        self.reader: PdfReader = PdfReader(io.BytesIO(pdf))
        self.numbers: dict[int, int] = {}
        self.queue: list[tuple[int, int]] = []
        tree = self._catalog().raw_get("/Pages")
        if isinstance(tree, IndirectObject):  # what points at the page tree gets the new one
            self.numbers[tree.idnum] = out.PAGES

    def _catalog(self) -> DictionaryObject:
        from pypdf.generic import DictionaryObject

        catalog = self.reader.trailer["/Root"].get_object()
        assert isinstance(catalog, DictionaryObject)
        return catalog

    def keep_catalog(self) -> None:
        catalog = self._catalog()
        self.out.catalog = {k: self.copy(catalog.raw_get(k)) for k in catalog if k != "/Pages"}
        self.out.trailer = {
            k: self.copy(self.reader.trailer.raw_get(k))
            for k in ("/Info", "/ID")
            if k in self.reader.trailer
        }

    def page(self, page: PageObject) -> _Page:
        """``page`` as an output page (pypdf's pages carry their inherited entries)."""
        from pypdf.generic import DictionaryObject, NameObject

        reference = page.indirect_reference
        number = self.numbers.get(reference.idnum) if reference is not None else None
        if reference is not None and number is None:
            number = self.numbers[reference.idnum] = self.out.number()  # links find it
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        resolved = contents.get_object() if contents is not None else None
        streams = resolved if isinstance(resolved, list) else [contents] if contents else []
        resources = page.get("/Resources")
        resources = DictionaryObject(resources.get_object() if resources is not None else {})
        if "/XObject" in resources:  # direct, so that forms can be added to it
            resources[NameObject("/XObject")] = resources["/XObject"].get_object()
        copied = self.copy(resources)
        assert isinstance(copied, DictionaryObject)
        skip = {"/Type", "/Parent", "/MediaBox", "/Resources", "/Contents"}
        return _Page(
            box=self.copy(page.raw_get("/MediaBox")),
            number=number,
            contents=[self.copy(s) for s in streams],  # type: ignore[misc]
            resources=copied,
            rest={k: self.copy(page.raw_get(k)) for k in page if k not in skip},
        )

    def form(self, page: PageObject) -> IndirectObject:
        """``page`` as a form XObject of the output."""
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            DictionaryObject,
            FloatObject,
            NameObject,
            StreamObject,
        )

        contents = page.raw_get("/Contents") if "/Contents" in page else None
        resolved = contents.get_object() if contents is not None else None
        if isinstance(resolved, StreamObject):
            form = self.copy(resolved)  # keeps the compressed data
            assert isinstance(form, StreamObject)
        else:  # several streams (or none): one stream of their joined content
            content = page.get_contents()
            form = DecodedStreamObject()
            form.set_data(content.get_data() if content is not None else b"")
        box = page.mediabox
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(
            FloatObject(v) for v in (*box.lower_left, *box.upper_right)
        )
        resources = page.get("/Resources")
        form[NameObject("/Resources")] = (
            self.copy(resources.get_object()) if resources is not None else DictionaryObject()
        )
        return self.out.add(form)

    def copy(self, obj: PdfObject) -> PdfObject:
        """``obj`` with its references renumbered for the output (the objects they name are
        queued for :meth:`flush`). A new object: the reader's stay as read."""
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            StreamObject,
        )

        if isinstance(obj, IndirectObject):
            number = self.numbers.get(obj.idnum)
            if number is None:
                number = self.numbers[obj.idnum] = self.out.number()
                self.queue.append((obj.idnum, number))
            return _ref(number)
        if isinstance(obj, DictionaryObject):
            copied = type(obj)() if isinstance(obj, StreamObject) else DictionaryObject()
            if isinstance(obj, StreamObject) and isinstance(copied, StreamObject):
                copied._data = obj._data  # as read: still compressed
            for key in obj:
                copied[NameObject(key)] = self.copy(obj.raw_get(key))
            return copied
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(item) for item in obj)
        return obj

    def flush(self) -> None:
        """Write every object referred to so far (and what they refer to)."""
        while self.queue:
            old, number = self.queue.pop()
            obj = self.reader.get_object(old)
            if obj is None:  # a reference to nothing is null (PDF 1.7, 7.3.10)
                from pypdf.generic import NullObject

                obj = NullObject()
            self.out.write(number, self.copy(obj))


def _stamp_forms(out: _Output, stamps: Sequence[bytes]) -> Iterator[IndirectObject]:
    """The stamp documents' pages as forms of ``out``, one document read at a time."""
    for stamp in stamps:
        source = _Source(out, stamp)
        for page in source.reader.pages:
            yield source.form(page)
        source.flush()


def _ref(number: int) -> IndirectObject:
    from pypdf.generic import IndirectObject

    return IndirectObject(number, 0, None)  # written, never resolved: no reader
