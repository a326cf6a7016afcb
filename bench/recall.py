"""Recall per real-notes file: sections with content that made cards, and why the others made none.

    python bench/collect_real_notes.py      # once: fetch the corpus (not committed)
    python bench/recall.py [--list] [ID ...]

Columns: sections with content; of them, sections that made at least one card (or whose cards
are listed under a comparison); sections that made none, with the reason ``deckmark check``
gives and the candidates it lists for hand-writing; and "unexplained", sections that made no
card and name no left-out candidate (each of those is a recipe gap). ``--list`` prints every
section without cards with its reason.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from corpus import LISTED_ELSEWHERE, NO_CONTENT, iter_built, load_sources


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*", help="only these source ids")
    parser.add_argument("--list", action="store_true", help="list sections without cards")
    args = parser.parse_args()
    rows = ["| id | sections with content | made cards | none, with reason | unexplained |"]
    rows.append("|---|---|---|---|---|")
    details: list[str] = []
    with tempfile.TemporaryDirectory(prefix="deckmark-recall-") as tmp:
        for source, outcome in iter_built(load_sources(only=args.ids), Path(tmp), ["anki-txt"]):
            if outcome is None:
                rows.append(f"| {source.id} | not collected | | | |")
                continue
            if outcome.deck is None:
                rows.append(f"| {source.id} | build failed: {outcome.error[:60]} | | | |")
                continue
            content = made = explained = unexplained = 0
            for section in outcome.deck.sections:
                if section.reason.startswith(NO_CONTENT):
                    continue
                content += 1
                if (
                    section.card_keys
                    or section.covered_by
                    or section.reason.startswith(LISTED_ELSEWHERE)
                ):
                    made += 1
                    continue
                path = " › ".join(section.path) or "(before the first heading)"
                if section.left_out:
                    explained += 1
                    reasons = sorted({d.message.split(":", 1)[0] for d in section.left_out})
                    details.append(f"- {section.source} {path}: {'; '.join(reasons)}")
                else:
                    unexplained += 1
                    details.append(f"- {section.source} {path}: UNEXPLAINED ({section.reason})")
            rows.append(f"| {source.id} | {content} | {made} | {explained} | {unexplained} |")
    print("\n".join(rows))
    if args.list:
        print("\n" + "\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
