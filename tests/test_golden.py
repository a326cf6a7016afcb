"""Golden files: the cards extracted from notes, pinned so that any change is a reviewed diff.

Regenerate after an intended change with ``DECKMARK_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review ``git diff tests/golden``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deckmark.parse.notes import extract_cards
from deckmark.parse.outline import parse_outline

HERE = Path(__file__).parent
NOTES = {
    "docker-notes": HERE.parent / "cards" / "docker" / "notes.md",
    **{p.stem: p for p in sorted((HERE / "fixtures" / "notes").glob("*.md"))},
}


def _extract(path: Path) -> dict[str, object]:
    outline = parse_outline(path.read_text(encoding="utf-8"), path.name)
    result = extract_cards(outline, "deck", {"docker"}, key_path=path.name)
    return {
        "cards": [card.as_dict() for card in result.cards],
        "sections": [
            {
                "path": list(s.path),
                "line": s.source.line,
                "cards": len(s.card_keys),
                **({"reason": s.reason} if s.reason else {}),
                **({"left_out": [str(d) for d in s.left_out]} if s.left_out else {}),
            }
            for s in result.sections
        ],
        "warnings": [str(w) for w in result.warnings],
    }


@pytest.mark.parametrize("name", sorted(NOTES))
def test_extraction_matches_golden_file(name: str) -> None:
    golden = HERE / "golden" / f"{name}.json"
    actual = json.dumps(_extract(NOTES[name]), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("DECKMARK_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with DECKMARK_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")
