"""Build every real-notes corpus file with deckmark and print one Markdown table row per file.

    python bench/collect_real_notes.py      # once: fetch the corpus (not committed)
    python bench/real_notes.py [--pdf] [--examples 3] [ID ...]

Each source is its own deck (its folder in bench/real-notes/files/, with the images it shows),
built into a temporary directory (.apkg; with --pdf also both PDFs). Columns:
- exit: 0 built, 1 deckmark refused it (the CLI's exit 1), 3 deckmark crashed (a bug).
- notes / anki: notes in the package and the Anki cards they make, read back from its collection.
- warn: warnings the build reported.
- recall: sections with content that made at least one card / all sections with content.
- leaks: cards whose visible text (code and math aside) shows raw markup; the kinds found.
- media: files packaged into the .apkg / images the sources list; "N unresolved" counts
  `<img src>` and `[sound:]` references on cards that name no packaged file (remote URLs aside).
Under the table: the first lines of every error, and a few leak examples per file; with
--sections, every section with content that made no card and the reason deckmark gives.
--json FILE also writes the numbers per file, to compare two runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from corpus import Outcome, Source, iter_built, load_sources, read_apkg, section_counts
from corpus import visible_text as text_of

# Raw markup that must never reach a card's visible text (issue #8, "Done when").
LEAKS: dict[str, re.Pattern[str]] = {
    "**": re.compile(r"\*\*"),
    "[[": re.compile(r"\[\["),
    "]]": re.compile(r"\]\]"),
    "](": re.compile(r"\]\("),
    "==x==": re.compile(r"==[^=\s][^=\n]*?=="),
    "[!": re.compile(r"\[!"),
    "%%": re.compile(r"%%"),
    # Pandoc's rule for TeX math: no space inside either dollar, no digit right after the
    # closing one, so "$5 and $10" is money, not math.
    "$…$": re.compile(r"\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)"),
    "<details": re.compile(r"<details", re.IGNORECASE),
    "</b>": re.compile(r"</b>", re.IGNORECASE),
    "!!!": re.compile(r"!!!"),
    ":::": re.compile(r":::"),
    "{:": re.compile(r"\{:"),
    "*[": re.compile(r"\*\["),
    "[^": re.compile(r"\[\^"),
    "<tag": re.compile(r"</?(?:summary|details|div|span|p|br|img|a|b|i|sub|sup|small)\b[^>]*>?"),
}
"""``<tag``: an HTML tag shown as text (in the field as ``&lt;summary``)."""

# Fields that are flags, not text a learner reads.
NOT_SHOWN = {"Reverse"}


@dataclass(slots=True, kw_only=True)
class Row:
    source: Source
    outcome: Outcome | None
    notes: int = 0
    cards: int = 0
    media: int = 0
    unresolved_media: int = 0
    leak_cards: int = 0
    leak_kinds: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    pdf_pages: str = ""


def leaks_in(fields: dict[str, str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for name, html in fields.items():
        if name in NOT_SHOWN:
            continue
        text = text_of(html, skip_code_and_math=True)
        for kind, pattern in LEAKS.items():
            found[kind] += len(pattern.findall(text))
    return +found


IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc=["']?([^"' >]+)""", re.IGNORECASE)
SOUND = re.compile(r"\[sound:([^\]]+)\]")
REMOTE = re.compile(r"(?i)(https?:)?//")


def media_refs(fields: dict[str, str]) -> list[str]:
    """Media file names the fields' HTML refers to (what Anki looks up in its media folder)."""
    refs: list[str] = []
    for html in fields.values():
        refs += [unescape(src) for src in IMG_SRC.findall(html)] + SOUND.findall(html)
    return refs


def measure(source: Source, outcome: Outcome | None, examples: int) -> Row:
    row = Row(source=source, outcome=outcome)
    if outcome is None or outcome.apkg is None:
        return row
    package = read_apkg(outcome.apkg)
    row.notes, row.cards, row.media = len(package.notes), package.cards, len(package.media)
    packaged = set(package.media)
    for note in package.notes:
        row.unresolved_media += sum(
            1 for ref in media_refs(note.fields) if ref not in packaged and not REMOTE.match(ref)
        )
        found = leaks_in(note.fields)
        if not found:
            continue
        row.leak_cards += 1
        row.leak_kinds.update(found)
        if len(row.examples) < examples:
            shown = " / ".join(
                text_of(v) for k, v in note.fields.items() if k not in NOT_SHOWN and v
            )
            row.examples.append(f"[{', '.join(found)}] {shorten(shown, 220)}")
    pdfs = [p for p in outcome.outputs if p.suffix == ".pdf"]
    if pdfs:
        from pypdf import PdfReader

        row.pdf_pages = "+".join(str(len(PdfReader(p).pages)) for p in pdfs)
    return row


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_table(rows: list[Row], with_pdf: bool) -> None:
    head = ["id", "dialect", "exit", "notes", "anki", "warn", "recall", "leaks", "media"]
    head += ["pdf pages"] if with_pdf else []
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    totals: Counter[str] = Counter()
    for row in rows:
        outcome, source = row.outcome, row.source
        if outcome is None:
            values = [source.id, source.dialect, "—", "not collected", "", "", "", "", ""]
            print("| " + " | ".join(cell(v) for v in values) + (" |  |" if with_pdf else " |"))
            continue
        recall = section_counts(outcome.deck) if outcome.deck is not None else None
        recall_text = f"{recall.made_cards}/{recall.with_content}" if recall else "—"
        kinds = ", ".join(f"`{k}`×{n}" for k, n in row.leak_kinds.most_common())
        leaks = f"{row.leak_cards}" + (f" ({kinds})" if kinds else "")
        warnings = len(outcome.warnings) or len(outcome.logged)
        values = [
            source.id,
            source.dialect,
            str(outcome.exit_code),
            str(row.notes),
            str(row.cards),
            str(warnings),
            recall_text,
            leaks,
            f"{row.media}/{len(source.images)}"
            + (f", {row.unresolved_media} unresolved" if row.unresolved_media else ""),
        ]
        values += [row.pdf_pages] if with_pdf else []
        print("| " + " | ".join(cell(v) for v in values) + " |")
        totals.update(
            built=outcome.exit_code == 0,
            notes=row.notes,
            cards=row.cards,
            leak_cards=row.leak_cards,
            media=row.media,
        )
    print(
        f"\n{totals['built']}/{len(rows)} files built, {totals['notes']} notes, "
        f"{totals['cards']} Anki cards, {totals['leak_cards']} notes with leaks, "
        f"{totals['media']} media files packaged."
    )


def print_details(rows: list[Row], with_sections: bool) -> None:
    for row in rows:
        outcome = row.outcome
        if outcome is None:
            continue
        lines = outcome.error.splitlines()
        if lines:
            more = f" (+{len(lines) - 5} more lines)" if len(lines) > 5 else ""
            print(f"\n**{row.source.id}** exit {outcome.exit_code}{more}:")
            print("```\n" + "\n".join(shorten(x, 200) for x in lines[:5]) + "\n```")
        if row.examples:
            print(f"\n**{row.source.id}** leak examples:")
            for example in row.examples:
                print(f"- {cell(example)}")
        recall = section_counts(outcome.deck) if outcome.deck is not None else None
        if with_sections and recall and recall.without_cards:
            print(f"\n**{row.source.id}** sections with content but no card:")
            for line in recall.without_cards:
                print(f"- {cell(line)}")


def as_json(row: Row) -> dict[str, object]:
    outcome = row.outcome
    recall = section_counts(outcome.deck) if outcome and outcome.deck is not None else None
    return {
        "id": row.source.id,
        "collected": outcome is not None,
        "exit": outcome.exit_code if outcome else None,
        "error": (outcome.error.splitlines() or [""])[0] if outcome else "",
        "notes": row.notes,
        "anki_cards": row.cards,
        "warnings": len(outcome.warnings) or len(outcome.logged) if outcome else 0,
        "sections_with_content": recall.with_content if recall else None,
        "sections_with_cards": recall.made_cards if recall else None,
        "notes_with_leaks": row.leak_cards,
        "leaks": dict(row.leak_kinds),
        "media": row.media,
        "unresolved_media_refs": row.unresolved_media,
        "images_listed": len(row.source.images),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*", help="only these source ids")
    parser.add_argument("--pdf", action="store_true", help="also build both PDFs")
    parser.add_argument("--examples", type=int, default=3, help="leak examples per file")
    parser.add_argument("--sections", action="store_true", help="list sections without cards")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    sources = load_sources(only=args.ids)
    formats = ["apkg", "cards-pdf", "sheet-pdf"] if args.pdf else ["apkg"]
    with tempfile.TemporaryDirectory(prefix="deckmark-real-notes-") as out:
        rows = [
            measure(source, outcome, args.examples)
            for source, outcome in iter_built(sources, Path(out), formats)
        ]
    print_table(rows, args.pdf)
    print_details(rows, args.sections)
    if args.json:
        args.json.write_text(json.dumps([as_json(r) for r in rows], indent=2, ensure_ascii=False))
    if any(row.outcome is None for row in rows):
        print("\nsome sources are not collected: run bench/collect_real_notes.py", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
