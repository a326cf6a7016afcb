"""Images and math in both PDFs: Typst shows the packaged image and typesets the formula."""

from __future__ import annotations

import shutil
from pathlib import Path

from pypdf import PdfReader

from deckmark.build import build

VAULT = Path(__file__).parent / "fixtures" / "dialects" / "obsidian-vault" / "attachments"

NOTES = r"""# Handshake

The TCP handshake opens a connection with three messages.

![handshake](handshake.png)

# Area

The area of a circle is $\pi r^2$ for a radius $r$.

# Remote

A remote image is shown online only.

![logo](https://example.org/logo.png)

# Odd math

The converter does not know the macro $\notarealmacro{x}$.
"""


def image_count(path: Path) -> int:
    count = 0
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in xobjects.get_object().values() if xobjects else []:
            count += ref.get_object().get("/Subtype") == "/Image"
    return count


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_pdfs__image_and_math__both_shown(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    shutil.copyfile(VAULT / "tcp-handshake.png", deck / "handshake.png")
    (deck / "notes.md").write_text(NOTES, encoding="utf-8")
    result = build([deck], tmp_path / "out", ["cards-pdf", "sheet-pdf"])
    cards_pdf, sheet_pdf = result.outputs
    for pdf in (cards_pdf, sheet_pdf):
        assert image_count(pdf) >= 1  # the packaged PNG, scaled into the card
        text = text_of(pdf)
        assert "𝜋𝑟" in text  # typeset math (math italic letters), not the TeX source
        assert r"\pi r^2" not in text
        assert r"\notarealmacro{x}" in text  # what Typst cannot take is shown as written
        assert "logo" in text  # a remote image shows its alt text in print
    warnings = [str(w) for w in result.warnings]
    assert any(
        w.endswith(r"math shown as written in the PDF (no Typst form): \notarealmacro{x}")
        and "notes.md:" in w
        for w in warnings
    )
    assert any(
        "remote image https://example.org/logo.png shown as its alt text" in w for w in warnings
    )
