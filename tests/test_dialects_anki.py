"""Dialect decks imported by Anki's own engine: media present, math as MathJax, no raw markup."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from deckmark.build import build
from tests.conftest import import_apkg, read_notes

DIALECTS = Path(__file__).parent / "fixtures" / "dialects"
DECKS = sorted(p.name for p in DIALECTS.iterdir() if p.is_dir())

# Markup that must never reach what a learner reads (issue #8), code and math aside.
RAW_MARKUP = {
    "**": r"\*\*",
    "[[": r"\[\[",
    "]]": r"\]\]",
    "](": r"\]\(",
    "==x==": r"==[^=\s][^=\n]*?==",
    "[!": r"\[!",
    "%%": r"%%",
    "$…$": r"\$(?!\d)[^$\s][^$\n]*?(?<!\s)\$(?!\d)",  # not currency: "$5 and $10"
    "<details": r"<details",
    "</b>": r"</b>",
    "!!!": r"!!!",
    ":::": r":::",
    "{:": r"\{:",
    "*[": r"\*\[",
    "[^": r"\[\^",
    "<tag": r"</?(?:summary|details|div|span|p|br|img|a|b|i|code)\b",
}


class _Visible(HTMLParser):
    """Text outside <pre>/<code>, with entities decoded (so escaped tags show as ``<x``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in ("pre", "code")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("pre", "code") and self.hidden > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(field: str) -> str:
    parser = _Visible()
    parser.feed(field)
    text = "".join(parser.parts)
    text = re.sub(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", r"\1", text, flags=re.DOTALL)
    # MathJax delimiters hold TeX, not Markdown.
    return re.sub(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", " ", text, flags=re.DOTALL)


def deck_copy(name: str, tmp_path: Path) -> Path:
    """A private copy of the fixtures (a build writes its lockfile next to the notes); the
    folder around the decks comes along: one vault note points at an image outside its deck."""
    copy = tmp_path / "dialects"
    if not copy.exists():
        shutil.copytree(DIALECTS, copy)
    return copy / name


def build_and_import(name: str, tmp_path: Path, collection: Any) -> list[dict[str, Any]]:
    [apkg] = build([deck_copy(name, tmp_path)], tmp_path / "out", ["apkg"]).outputs
    import_apkg(collection, apkg)
    return read_notes(collection)


@pytest.mark.parametrize("name", DECKS)
def test_dialect_deck__imported_by_anki__shows_no_raw_markup(
    name: str, tmp_path: Path, collection: Any
) -> None:
    notes = build_and_import(name, tmp_path, collection)
    assert notes
    leaks = []
    for note in notes:
        for field_name, value in note["fields"].items():
            if field_name in ("Reverse", "Source"):
                continue
            text = visible_text(value)
            leaks += [
                f"{field_name}: {kind} in {text[:80]!r}"
                for kind, pattern in RAW_MARKUP.items()
                if re.search(pattern, text, re.IGNORECASE)
            ]
    assert not leaks


def test_obsidian_vault__media_in_collection__every_reference_resolves(
    tmp_path: Path, collection: Any
) -> None:
    notes = build_and_import("obsidian-vault", tmp_path, collection)
    media_dir = Path(collection.media.dir())
    stored = {p.name for p in media_dir.iterdir()}
    fields = [value for note in notes for value in note["fields"].values()]
    images = [src for value in fields for src in re.findall(r'<img src="([^"]+)"', value)]
    sounds = [name for value in fields for name in re.findall(r"\[sound:([^\]]+)\]", value)]
    # tcp-handshake.png (![[...|300]] from attachments/), osi-layers.png (next to the note).
    assert len(set(images)) == 2
    assert sounds  # ping.wav, embedded in two notes, stored once
    assert set(images) | set(sounds) <= stored
    assert len(stored) == 3
    assert all(html.unescape(src) == src for src in images)
    for name in stored:  # content-hashed names, the same bytes as the files in the vault
        assert re.fullmatch(r"deckmark-[0-9a-f]{16}\.(png|wav)", name)
    handshake = next(v for v in fields if "width=" in v)
    assert 'width="300"' in handshake


def test_obsidian_vault__missing_and_outside_images__show_alt_text(
    tmp_path: Path, collection: Any
) -> None:
    result = build([deck_copy("obsidian-vault", tmp_path)], tmp_path / "out", ["apkg"])
    warnings = [str(w) for w in result.warnings]
    assert any("Ports.md:11: image or sound 'missing-diagram.png' not found" in w for w in warnings)
    assert any("Ports.md:13: image or sound '../../outside.png' is outside" in w for w in warnings)
    import_apkg(collection, result.outputs[0])
    fields = [v for note in read_notes(collection) for v in note["fields"].values()]
    assert any("diagram" in visible_text(v) for v in fields)
    assert not any("outside.png" in v for v in fields)
    assert len(list(Path(collection.media.dir()).iterdir())) == 3


def test_latex_lecture__math_fields_hold_mathjax_as_written(
    tmp_path: Path, collection: Any
) -> None:
    notes = build_and_import("latex-lecture", tmp_path, collection)
    fields = "\n".join(v for note in notes for v in note["fields"].values())
    assert r"\(f'(x_0) = \lim_{h \to 0} \frac{f(x_0 + h) - f(x_0)}{h}\)" in fields
    assert r"\((f \circ g)'(x) = f'(g(x))\,g'(x)\)" in fields  # "\," kept, not unescaped
    assert r"\[\frac{d}{dx} x^n = n x^{n-1}\]" in fields
    assert r"\[\begin{aligned}" in fields  # align inside display math works in MathJax
    assert "costs $5 and a new one costs $10" in fields  # currency is not math
    for note in notes:  # a cloze never cuts through a formula
        text = note["fields"].get("Text", "")
        for deletion in re.findall(r"\{\{c\d+::(.*?)\}\}(?!\})", text, re.DOTALL):
            assert deletion.count(r"\(") == deletion.count(r"\)")


def test_image__symlink_out_of_the_deck_folder__never_packaged(tmp_path: Path) -> None:
    secret = tmp_path / "private.png"
    shutil.copyfile(DIALECTS / "outside.png", secret)
    deck = tmp_path / "deck"
    (deck / "pics").mkdir(parents=True)
    (deck / "pics" / "chart.png").symlink_to(secret)
    (deck / "notes.md").write_text(
        "# Charts\n\nA chart shows data as a picture.\n\n![[chart.png]]\n", encoding="utf-8"
    )
    result = build([deck], tmp_path / "out", ["apkg"])
    assert any(
        "'chart.png' is outside the deck folder; not packaged" in str(w) for w in result.warnings
    )
    assert not any(card.media for d in result.decks for card in d.cards)
