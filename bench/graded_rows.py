"""Which rows of a graded review sheet still exist as cards in today's build.

    python bench/collect_real_notes.py      # once: fetch the corpus (not committed)
    python bench/graded_rows.py SHEET GRADES [SHEET GRADES ...] [--id ID ...]

SHEET is a sheet written by bench/review_sample.py (rows numbered per file), GRADES the
grades of its rows in our own words (``| # | grade | reason |`` tables under ``## file-id``
headings, as bench/review-grades.md keeps them). A row still exists when a card of today's
build shows the same question (as Anki renders it) from the same source line. The table says,
per file and grade, how many graded rows are kept, and lists the bad rows kept and the good
rows lost: a precision rule should remove the first and keep the second. Sheets and grades of
other people's notes are never committed; this script only reads them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from corpus import iter_built, load_sources
from review_sample import cell, shown_cards

_ROW = re.compile(r"\| (\d+) \|")
_GRADE = re.compile(r"\| (\d+) \| (good|ok|bad) \| (.*)\|")
_CELL_SPLIT = re.compile(r"(?<!\\) \| ")


def _rows(path: Path, pattern: re.Pattern[str]) -> dict[tuple[str, int], re.Match[str] | str]:
    """Rows of each ``## file-id`` table of ``path``, keyed by (file id, row number)."""
    rows: dict[tuple[str, int], re.Match[str] | str] = {}
    file_id = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"## (\S+)", line):
            file_id = heading.group(1)
        elif file_id and (match := pattern.match(line)):
            rows[(file_id, int(match.group(1)))] = match if pattern is _GRADE else line
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", nargs="+", type=Path, help="SHEET GRADES, one pair or more")
    parser.add_argument("--id", dest="ids", action="append", default=[], help="only this id")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give each sheet with its grades file")
    graded: dict[tuple[str, int], tuple[str, str, str, str]] = {}
    for sheet, grades in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        questions = _rows(sheet, _ROW)
        for key, grade in _rows(grades, _GRADE).items():
            assert isinstance(grade, re.Match)
            row = questions.get(key)
            if isinstance(row, str):
                cells = _CELL_SPLIT.split(row.strip()[2:])
                graded[key] = (grade.group(2), grade.group(3).strip(), cells[1], cells[4])
    kept: dict[str, set[tuple[str, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="deckmark-graded-") as out:
        for source, outcome in iter_built(load_sources(only=args.ids), Path(out), ["apkg"]):
            if outcome is not None and outcome.apkg is not None:
                cards = shown_cards(outcome.apkg)
                kept[source.id] = {(cell(c.source), cell(c.question)) for c in cards}
    print("| file | good kept | ok kept | bad kept |\n|---|---|---|---|")
    notes: list[str] = []
    totals: Counter[str] = Counter()
    for file_id, shown in kept.items():
        counts: Counter[str] = Counter()
        for (row_file, number), (grade, reason, question, source) in sorted(graded.items()):
            if row_file != file_id:
                continue
            still = (source, question) in shown
            counts[grade] += 1
            counts[f"{grade} kept"] += still
            if grade == "bad" and still:
                notes.append(f"- bad kept: {file_id} #{number}: {reason}")
            if grade == "good" and not still:
                notes.append(f"- good lost: {file_id} #{number}: {question[:120]}")
        totals.update(counts)
        cells = [f"{counts[f'{g} kept']}/{counts[g]}" for g in ("good", "ok", "bad")]
        print(f"| {file_id} | " + " | ".join(cells) + " |")
    cells = [f"{totals[f'{g} kept']}/{totals[g]}" for g in ("good", "ok", "bad")]
    print("| total | " + " | ".join(cells) + " |")
    print("\n".join(["", *notes]) if notes else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
