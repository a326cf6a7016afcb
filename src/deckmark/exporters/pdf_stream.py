"""The joined PDF written as it is read (deckmark.exporters.pdf_pages): one input document
open at a time, its objects copied under new numbers straight into the output.

Imported only by the child process that joins, so pypdf stays out of the build and the Typst
children.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)


@dataclass(slots=True, kw_only=True)
class Page:
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


class Output:
    """The joined PDF as it is written: objects numbered in order, catalog and page tree last."""

    CATALOG, PAGES = 1, 2

    def __init__(self, file: BinaryIO) -> None:
        self.buffer = file
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

        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.add(stream)

    def add(self, obj: PdfObject) -> IndirectObject:
        number = self.number()
        self.write(number, obj)
        return _ref(number)

    def write_page(self, page: Page) -> None:
        """Write ``page``, each form drawn over it from the default drawing state: the content
        before it runs between a save (``q``) and its restore."""

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

    def print_preferences(self, duplex: str) -> None:
        """Ask viewers to print at actual size, flipped as ``duplex`` (a PDF name) says."""
        found = self.catalog.get("/ViewerPreferences")  # Typst writes none; direct if any
        prefs = DictionaryObject(dict(found.items()) if isinstance(found, DictionaryObject) else {})
        prefs[NameObject("/PrintScaling")] = NameObject("/None")
        prefs[NameObject("/Duplex")] = NameObject(duplex)
        self.catalog["/ViewerPreferences"] = prefs

    def finish(self) -> None:
        """Write the page tree, the catalog, the cross-reference table and the trailer."""

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


class Source:
    """One input document: its objects, copied into the output under new numbers the first
    time they are referred to, and written out by :meth:`flush`."""

    def __init__(self, out: Output, pdf: str | bytes) -> None:
        """``pdf``: a file's path, or the document itself."""
        self.out = out
        self.reader: PdfReader = PdfReader(pdf if isinstance(pdf, str) else io.BytesIO(pdf))
        self.numbers: dict[int, int] = {}
        self.queue: list[tuple[int, int]] = []
        tree = self._catalog().raw_get("/Pages")
        if isinstance(tree, IndirectObject):  # what points at the page tree gets the new one
            self.numbers[tree.idnum] = out.PAGES

    def _catalog(self) -> DictionaryObject:

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

    def page(self, page: PageObject) -> Page:
        """``page`` as an output page (pypdf's pages carry their inherited entries)."""

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
        return Page(
            box=self.copy(page.raw_get("/MediaBox")),
            number=number,
            contents=[self.copy(s) for s in streams],  # type: ignore[misc]
            resources=copied,
            rest={k: self.copy(page.raw_get(k)) for k in page if k not in skip},
        )

    def form(self, page: PageObject) -> IndirectObject:
        """``page`` as a form XObject of the output."""

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
                obj = NullObject()
            self.out.write(number, self.copy(obj))


def stamp_forms(out: Output, stamps: Sequence[str | bytes]) -> Iterator[IndirectObject]:
    """The stamp documents' pages as forms of ``out``, one document read at a time."""
    for stamp in stamps:
        source = Source(out, stamp)
        for page in source.reader.pages:
            yield source.form(page)
        source.flush()


def _ref(number: int) -> IndirectObject:

    return IndirectObject(number, 0, None)  # written, never resolved: no reader
