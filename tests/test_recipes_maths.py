"""Maths notes (issue #9): a blank is a whole term, a formula or a number, never a predicate
with its condition, a formula with the words after it, or half of a noun phrase; a
definition heading asks for its definition whole; worked exercises make no step cards.

The fixture (tests/fixtures/notes/maths.md) is written in our own words; tests/golden/ pins
its full output.
"""

from __future__ import annotations

from deckmark.model import CLOZE_RE, Card
from tests.recipe_cards import cards_under, extract, left_out


def _deletions(cards: list[Card]) -> list[str]:
    return [m.group(2) for card in cards for m in CLOZE_RE.finditer(card.front)]


def test_blank_holding_a_term_and_its_condition__no_cloze() -> None:
    result = extract("maths.md")
    fronts = [c.front for c in cards_under(result, "Maps between spaces")]
    assert not any("subspace if" in f for f in fronts), fronts
    assert any(
        r.startswith("no clear deletion (the blank would hide a term and its condition)")
        for r in left_out(result, "Maps between spaces")
    )


def test_blank_of_a_formula_and_the_words_after_it__only_the_formula() -> None:
    result = extract("maths.md")
    assert "$V$" in _deletions(cards_under(result, "Maps between spaces"))
    assert "$V$ for every linear map $T$" not in _deletions(
        cards_under(result, "Maps between spaces")
    )


def test_word_after_a_preposition_is_no_verb__the_cut_falls_at_the_real_verb() -> None:
    # "generated from open balls ...": "open" is the object's adjective, not the verb.
    result = extract("maths.md")
    deletions = _deletions(cards_under(result, "Maps between spaces"))
    assert "the whole space" in deletions, deletions
    assert not any("balls" in d for d in deletions), deletions
