"""PDF outputs: duplex cards (page counts, mirrored slots, fitting) and the study sheet."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from deckmark.exporters import DEFAULT_FORMATS, FORMATS, ExportOptions, exporter, typst_jobs
from deckmark.exporters import pdf as pdf_exporter
from deckmark.exporters.chunking import ChunkSizes
from deckmark.exporters.pdf import (
    LAYOUTS,
    PdfError,
    SheetLayout,
    back_slot,
    export_cards_pdf,
    export_sheet_pdf,
    sheet_sections,
)
from deckmark.model import Card, CardKind, Deck, Section, SourceLocation
from deckmark.render.typst_data import blocks, printed_cards

MM = 72 / 25.4
SPECIALS = r"# $ * _ @ < > [ ] \ ~ `"


def make_card(number: int, **fields: object) -> Card:
    values: dict[str, object] = {
        "kind": CardKind.FACT,
        "front": f"Question Q{number:02d}?",
        "back": f"Answer A{number:02d}.",
        "context": ("Docker", "Images"),
        "source": SourceLocation(path="notes.md", line=number),
        "key": f"card-{number}",
    }
    values.update(fields)
    return Card(**values)  # type: ignore[arg-type]


def make_deck(*cards: Card, sections: tuple[Section, ...] = ()) -> Deck:
    return Deck(name="Docker", slug="docker", cards=cards, sections=sections)


def numbered_deck(count: int) -> Deck:
    return make_deck(*(make_card(n) for n in range(1, count + 1)))


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def placed_text(path: Path, page: int) -> list[tuple[str, float, float]]:
    """Text runs of one page with their position (x, y from the top), in pt."""
    reader = PdfReader(path)
    height = float(reader.pages[page].mediabox.height)
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text, x, height - y))

    reader.pages[page].extract_text(visitor_text=visit)
    return runs


def viewer_preferences(path: Path) -> dict[str, str]:
    prefs = PdfReader(path).root_object["/ViewerPreferences"].get_object()
    assert isinstance(prefs, DictionaryObject)
    return {str(key): str(value) for key, value in prefs.items()}


def slot_of(path: Path, page: int, marker: str, layout: SheetLayout) -> tuple[int, int]:
    """The (row, column) of the card slot holding ``marker`` on ``page``."""
    [(x, y)] = [(x, y) for text, x, y in placed_text(path, page) if marker in text]
    grid_w = layout.cols * layout.card_w + (layout.cols - 1) * layout.gutter
    grid_h = layout.rows * layout.card_h + (layout.rows - 1) * layout.gutter
    x0, y0 = (layout.page_w - grid_w) / 2, (layout.page_h - grid_h) / 2
    column = int((x / MM - x0) // (layout.card_w + layout.gutter))
    row = int((y / MM - y0) // (layout.card_h + layout.gutter))
    assert (x / MM - x0) % (layout.card_w + layout.gutter) < layout.card_w
    return row, column


def test_registry__pdf_formats__registered_and_built_by_default() -> None:
    assert {"cards-pdf", "sheet-pdf"} <= set(FORMATS)
    assert {"cards-pdf", "sheet-pdf"} <= set(DEFAULT_FORMATS)
    assert exporter("cards-pdf") is export_cards_pdf
    assert exporter("sheet-pdf") is export_sheet_pdf


@pytest.mark.parametrize(("count", "pages"), [(1, 2), (8, 2), (9, 4), (17, 6)])
def test_cards_pdf__page_count__two_pages_per_sheet_of_eight(
    tmp_path: Path, count: int, pages: int
) -> None:
    result = export_cards_pdf(numbered_deck(count), tmp_path, ExportOptions())
    assert result.paths == (tmp_path / "docker-cards.pdf",)
    assert len(PdfReader(result.paths[0]).pages) == pages
    assert result.warnings == ()


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_cards_pdf__duplex__back_k_on_next_page_in_mirrored_slot(
    tmp_path: Path, duplex: str
) -> None:
    count = 11  # the last sheet is partly empty: positions must still pair up
    layout = LAYOUTS["a4"]
    options = ExportOptions(duplex=duplex)  # type: ignore[arg-type]
    [path] = export_cards_pdf(numbered_deck(count), tmp_path, options).paths
    texts = page_texts(path)
    for number in range(1, count + 1):
        sheet, index = divmod(number - 1, layout.per_sheet)
        front_page, back_page = 2 * sheet, 2 * sheet + 1
        assert f"Q{number:02d}" in texts[front_page]
        assert f"A{number:02d}" in texts[back_page]
        assert f"A{number:02d}" not in texts[front_page]
        r, c = slot_of(path, front_page, f"Q{number:02d}", layout)
        assert (r, c) == divmod(index, layout.cols)
        expected = (r, layout.cols - 1 - c) if duplex == "long" else (layout.rows - 1 - r, c)
        assert slot_of(path, back_page, f"A{number:02d}", layout) == expected


def test_back_slot__long_and_short_edge__mirror_columns_or_rows() -> None:
    layout = LAYOUTS["a4"]
    assert back_slot(0, 0, layout, "long") == (0, 1)
    assert back_slot(3, 1, layout, "long") == (3, 0)
    assert back_slot(0, 0, layout, "short") == (3, 0)
    assert back_slot(2, 1, layout, "short") == (1, 1)


def test_cards_pdf__viewer_preferences__no_scaling_and_flip_edge(tmp_path: Path) -> None:
    for duplex, flip in [("long", "/DuplexFlipLongEdge"), ("short", "/DuplexFlipShortEdge")]:
        options = ExportOptions(duplex=duplex)  # type: ignore[arg-type]
        [path] = export_cards_pdf(numbered_deck(2), tmp_path, options).paths
        prefs = viewer_preferences(path)
        assert prefs["/Duplex"] == flip
        assert prefs["/PrintScaling"] == "/None"


def test_cards_pdf__front_page__print_instruction_in_margin(tmp_path: Path) -> None:
    [path] = export_cards_pdf(numbered_deck(2), tmp_path, ExportOptions()).paths
    front, back = page_texts(path)
    assert "Print at 100 %" in front and "flip on long edge" in front
    assert "Print at 100 %" not in back


def test_cards_pdf__letter__612_by_792_pt_pages(tmp_path: Path) -> None:
    [path] = export_cards_pdf(numbered_deck(9), tmp_path, ExportOptions(paper="letter")).paths
    reader = PdfReader(path)
    assert len(reader.pages) == 4
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert slot_of(path, 1, "A02", LAYOUTS["letter"]) == (0, 0)


def test_sheet_pdf__letter__612_by_792_pt_pages(tmp_path: Path) -> None:
    [path] = export_sheet_pdf(numbered_deck(3), tmp_path, ExportOptions(paper="letter")).paths
    page = PdfReader(path).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_cards_pdf__a4_default__595_by_842_pt_pages(tmp_path: Path) -> None:
    [path] = export_cards_pdf(numbered_deck(1), tmp_path, ExportOptions()).paths
    page = PdfReader(path).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_cards_pdf__typst_special_characters__come_out_verbatim(tmp_path: Path) -> None:
    card = make_card(
        1,
        # Markdown escapes keep * _ [ ] \ ` # $ literal; Typst must not read any of them either
        # (unescaped, "#heading" is an Obsidian tag and "$x$" math).
        front=r"Cost \# \$5 \* \_ @user \<b> \[x\] \\ ~ \` \#heading \$x\$ <label> @ref",
        back=f"`{SPECIALS}`\n\n```\n{SPECIALS}\n  #let x = $y$ // <z>\n```\n\n"
        "<blink>raw html</blink>",
    )
    [path] = export_cards_pdf(make_deck(card), tmp_path, ExportOptions()).paths
    front, back = (" ".join(text.split()) for text in page_texts(path))  # lines may wrap
    assert r"Cost # $5 * _ @user <b> [x] \ ~ ` #heading $x$ <label> @ref" in front
    assert back.count(SPECIALS) == 2
    assert "#let x = $y$ // <z>" in back
    assert "\n  #let x = $y$ // <z>" in page_texts(path)[1]  # indentation kept
    assert "<blink>raw html</blink>" in back


def test_sheet_pdf__typst_special_characters__come_out_verbatim(tmp_path: Path) -> None:
    card = make_card(1, front=r"What is \#1 \* @x?", back=f"```\n{SPECIALS}\n```")
    [path] = export_sheet_pdf(make_deck(card), tmp_path, ExportOptions()).paths
    [text] = page_texts(path)
    assert "What is #1 * @x?" in text
    assert SPECIALS in text


def test_cards_pdf__very_long_answer__continuation_card_and_warning(tmp_path: Path) -> None:
    paragraphs = [f"Paragraph P{n:02d}: " + "lorem ipsum dolor sit amet " * 14 for n in range(16)]
    long_card = make_card(2, back="\n\n".join(paragraphs))
    deck = make_deck(make_card(1), long_card, make_card(3))
    result = export_cards_pdf(deck, tmp_path, ExportOptions())
    [warning] = result.warnings
    parts = int(re.search(r"continued on (\d+) cards", warning.message).group(1))  # type: ignore[union-attr]
    assert parts >= 2
    assert warning.location == long_card.source
    assert str(warning) == (
        f"notes.md:2: answer too long for one printed card; continued on {parts} cards"
    )
    front, back = page_texts(result.paths[0])
    assert front.count("Q02") == parts
    for part in range(1, parts + 1):
        assert f"(cont. {part}/{parts})" in front
        assert f"(cont. {part}/{parts})" in back
    # Nothing lost: every paragraph is printed, and each only once.
    for n in range(16):
        assert back.count(f"P{n:02d}") == 1
    # The cards after the long one keep their order.
    assert front.index("Q01") < front.index("Q02") < front.index("Q03")


def test_cards_pdf__long_code_block__split_between_lines(tmp_path: Path) -> None:
    code = "\n".join(f"RUN step-{n:03d} --flag value" for n in range(150))
    card = make_card(1, back=f"```dockerfile\n{code}\n```")
    result = export_cards_pdf(make_deck(card), tmp_path, ExportOptions())
    [warning] = result.warnings
    assert "continued on" in warning.message
    text = "\n".join(page_texts(result.paths[0]))
    for n in range(150):
        assert text.count(f"step-{n:03d}") == 1


def test_cards_pdf__cloze__front_shows_blank_back_shows_text(tmp_path: Path) -> None:
    card = make_card(
        1,
        front="The {{c1::daemon}} listens on {{c2::a unix socket::where}}.",
        back="See `dockerd`.",
        prompt="Where does Docker listen?",
    )
    [path] = export_cards_pdf(make_deck(card), tmp_path, ExportOptions()).paths
    # The blank is a box: extraction may put a space around it.
    front, back = ("".join(text.split()) for text in page_texts(path))
    # c1: blank for daemon, socket filled in; c2: hinted blank, daemon filled in.
    assert "The[…]listensonaunixsocket." in front
    assert "Thedaemonlistenson[where]." in front
    assert front.count("WheredoesDockerlisten?") == 2
    assert back.count("Thedaemonlistensonaunixsocket.") == 2
    assert back.count("dockerd") == 2


def test_cards_pdf__reverse_card__prints_reversed_side_too(tmp_path: Path) -> None:
    card = make_card(1, front="Term T01", back="Definition D01", reverse=True)
    [path] = export_cards_pdf(make_deck(card), tmp_path, ExportOptions()).paths
    front, back = page_texts(path)
    assert "Term T01" in front and "Definition D01" in front
    assert "Term T01" in back and "Definition D01" in back


def test_cards_pdf__duplex_none__fronts_and_backs_files_backs_reversed(tmp_path: Path) -> None:
    result = export_cards_pdf(numbered_deck(10), tmp_path, ExportOptions(duplex="none"))
    fronts, backs = result.paths
    assert fronts.name == "docker-cards-fronts.pdf"
    assert backs.name == "docker-cards-backs.pdf"
    assert not (tmp_path / "docker-cards.pdf").exists()
    front_texts, back_texts = page_texts(fronts), page_texts(backs)
    assert len(front_texts) == len(back_texts) == 2
    assert "Q01" in front_texts[0] and "Q09" in front_texts[1]
    assert "A09" in back_texts[0] and "A01" in back_texts[1]  # reverse page order
    assert not any("A0" in t for t in front_texts)
    assert not any("Q0" in t for t in back_texts)
    # Backs are laid out for a long-edge flip.
    assert slot_of(backs, 1, "A01", LAYOUTS["a4"]) == (0, 1)
    assert viewer_preferences(fronts)["/PrintScaling"] == "/None"


def test_cards_pdf__context_line__last_two_headings_on_front(tmp_path: Path) -> None:
    card = make_card(1, context=("Docker", "Images", "Layers"))
    [path] = export_cards_pdf(make_deck(card), tmp_path, ExportOptions()).paths
    front, _ = page_texts(path)
    assert "Images \u203a Layers" in front
    assert "Docker \u203a Images" not in front


def test_blocks__markdown__lists_code_tables_and_raw_html() -> None:
    parsed = blocks(
        "Run **docker** `ps`\n\n1. one\n   - nested\n2. two\n\n"
        "```Dockerfile\nFROM x\n  RUN y\n```\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n<div>raw</div>"
    )
    assert [b["t"] for b in parsed] == ["par", "list", "code", "table", "html"]
    assert parsed[0]["runs"] == [
        {"t": "text", "s": "Run "},
        {"t": "text", "s": "docker", "b": True},
        {"t": "text", "s": " "},
        {"t": "code", "s": "ps"},
    ]
    assert parsed[1]["ordered"] and parsed[1]["items"][0][1]["t"] == "list"
    assert parsed[2] == {"t": "code", "s": "FROM x\n  RUN y", "lang": "dockerfile"}
    assert parsed[3]["align"] == ["left", "right"]
    assert parsed[4] == {"t": "html", "s": "<div>raw</div>"}


def test_printed_cards__cloze__one_card_per_deletion_number() -> None:
    card = make_card(1, front="{{c1::A}} and {{c2::B}} and {{c1::C}}", back="")
    printed = printed_cards([card])
    assert [p.variant for p in printed] == ["c1", "c2"]
    runs = printed[0].front[0]["runs"]
    assert [r["s"] for r in runs if r["t"] == "blank"] == ["[…]", "[…]"]
    assert [r["s"] for r in printed[0].back[0]["runs"] if r.get("hl")] == ["A", "C"]


def test_sheet_sections__notes_order__hand_written_under_covered_section() -> None:
    generated = [make_card(n) for n in (1, 2, 3)]
    written = make_card(4, kind=CardKind.WRITTEN)
    loose = make_card(5)
    location = SourceLocation(path="notes.md", line=1)
    sections = (
        Section(path=("Docker", "Images"), source=location, card_keys=("card-2",)),
        Section(path=("Docker", "Empty"), source=location),
        Section(
            path=("Docker", "Containers"),
            source=location,
            card_keys=("card-1", "card-3"),
            covered_by=("card-4",),
        ),
    )
    deck = make_deck(*generated, written, loose, sections=sections)
    assert [(path, [c.key for c in cards]) for path, cards in sheet_sections(deck)] == [
        (("Docker", "Images"), ["card-2"]),
        (("Docker", "Containers"), ["card-1", "card-3", "card-4"]),
        (("More cards",), ["card-5"]),
    ]


def test_sheet_pdf__sections_in_order__question_then_answer_with_page_numbers(
    tmp_path: Path,
) -> None:
    location = SourceLocation(path="notes.md", line=1)
    cards = [
        make_card(n, front=f"Question Q{n:03d}?", back=f"Answer A{n:03d}.") for n in range(1, 121)
    ]
    sections = (
        Section(path=("Docker", "Second"), source=location, card_keys=("card-2",)),
        Section(
            path=("Docker", "First"),
            source=location,
            card_keys=tuple(f"card-{n}" for n in range(3, 121)),
            covered_by=("card-1",),
        ),
    )
    result = export_sheet_pdf(make_deck(*cards, sections=sections), tmp_path, ExportOptions())
    assert result.paths == (tmp_path / "docker-sheet.pdf",)
    texts = page_texts(result.paths[0])
    assert len(texts) >= 2
    assert texts[0].lstrip().startswith("Docker")
    text = "\n".join(texts)
    assert text.index("Second") < text.index("Q002") < text.index("First") < text.index("Q003")
    assert text.index("Q001") > text.index("First")  # covered_by: under the covered section
    for n in range(1, 121):
        assert text.index(f"Q{n:03d}?") < text.index(f"A{n:03d}.")
    for page, page_text in enumerate(texts, start=1):
        assert f"{page} / {len(texts)}" in page_text
    # Two columns: question text starts in both halves of the first page.
    width = float(PdfReader(result.paths[0]).pages[0].mediabox.width)
    xs = [x for t, x, _ in placed_text(result.paths[0], 0) if t.startswith("Question")]
    assert min(xs) < width / 2 < max(xs)


def test_cards_pdf__long_code_question__question_and_answer_continued_in_step(
    tmp_path: Path,
) -> None:
    lines = [f"key_{n:02d}: value" for n in range(60)]
    front = "What does each line do?\n\n```yaml\n" + "\n".join(lines) + "\n```"
    back = "```yaml\n" + "\n".join(f"{line}  # sets key {n:02d}" for n, line in enumerate(lines))
    card = make_card(1, front=front, back=back + "\n```")
    result = export_cards_pdf(make_deck(card), tmp_path, ExportOptions())
    [warning] = result.warnings
    assert "question and answer too long for one printed card; continued on" in warning.message
    texts = page_texts(result.paths[0])
    fronts, backs = "\n".join(texts[0::2]), "\n".join(texts[1::2])
    for n in range(60):
        assert fronts.count(f"key_{n:02d}: value") == 1
        assert backs.count(f"sets key {n:02d}") == 1
    assert fronts.count("What does each line do?") == 1  # split, not repeated
    assert "(cont. 2/" in fronts and "(cont. 2/" in backs


# --- Typst in child processes, the cards PDF in chunks of whole sheets ------------------------


@pytest.mark.parametrize("duplex", ["long", "short", "none"])
def test_cards_pdf__chunks_of_one_sheet__same_pages_as_one_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, duplex: str
) -> None:
    paragraphs = [f"Paragraph P{n:02d}: " + "lorem ipsum dolor sit amet " * 14 for n in range(16)]
    deck = make_deck(
        *(make_card(n) for n in range(1, 12)), make_card(12, back="\n\n".join(paragraphs))
    )
    options = ExportOptions(duplex=duplex)
    whole = export_cards_pdf(deck, tmp_path / "whole", options)
    monkeypatch.setattr(pdf_exporter, "CARD_CHUNKS", ChunkSizes(minimum=8, maximum=8, spread=1))
    chunked = export_cards_pdf(deck, tmp_path / "chunked", options)
    assert chunked.warnings == whole.warnings
    for one, joined in zip(whole.paths, chunked.paths, strict=True):
        sheets = len(PdfReader(joined).pages) // (2 if duplex != "none" else 1)
        assert sheets >= 2  # more than one chunk, so really joined
        assert page_texts(joined) == page_texts(one)
        assert PdfReader(joined).metadata["/Title"] == "Docker"  # type: ignore[index]
    if duplex != "none":
        assert viewer_preferences(chunked.paths[0]) == viewer_preferences(whole.paths[0])
    # Cards are numbered through the deck, not per chunk: card 9 starts the second sheet.
    assert "Docker · 9" in page_texts(chunked.paths[0])[2 if duplex != "none" else 1]


def test_typst_child__typst_error__one_line_pdf_error(tmp_path: Path) -> None:
    (tmp_path / "broken.typ").write_text('#panic("no such layout")\n', encoding="utf-8")
    with pytest.raises(PdfError) as caught:
        typst_jobs.in_child(typst_jobs.typst_pdf, str(tmp_path), "broken.typ", "{}")
    message = str(caught.value)
    assert message.startswith("Typst failed on broken.typ: ")
    assert "no such layout" in message
    assert "Traceback" not in message


def test_typst_child__child_dies__pdf_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="Typst stopped before finishing"):
        typst_jobs.in_child(os._exit, 9)


def test_build__typst_child_killed__one_line_error_and_no_pdf_written(tmp_path: Path) -> None:
    notes = tmp_path / "deck" / "notes.md"
    notes.parent.mkdir()
    notes.write_text(
        "# Notes\n\n"
        + "".join(
            f"## Topic {n}\n\n- Fact {n} is **bold** and `code {n}`.\n\n" for n in range(600)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "deckmark", "build", notes.parent, "-o", out, "-f", "cards-pdf"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = False
    while build.poll() is None and not killed:
        for worker in _grandchildren(build.pid):  # deckmark → forkserver → Typst worker
            os.kill(worker, signal.SIGKILL)
            killed = True
        time.sleep(0.02)
    _, stderr = build.communicate(timeout=60)
    assert killed
    assert build.returncode == 1
    [line] = stderr.strip().splitlines()
    assert line.startswith("Error: Typst stopped before finishing")
    assert not list(out.glob("*.pdf"))


def _grandchildren(pid: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    children = {p for p, parent in parents.items() if parent == pid}
    return [p for p, parent in parents.items() if parent in children]
