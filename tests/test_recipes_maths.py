"""Maths notes (issue #9): a blank is a whole term, a formula or a number, never a predicate
with its condition, a formula with the words after it, or half of a noun phrase; a
definition heading asks for its definition whole; worked exercises make no step cards.

The fixture (tests/fixtures/notes/maths.md) is written in our own words; tests/golden/ pins
its full output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deckmark.model import CLOZE_RE, Card, CardKind
from deckmark.parse.notes import NotesResult
from deckmark.parse.recipes.collector import contrasted_terms
from tests.conftest import run_cli
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


def _asked(result: NotesResult, heading: str) -> list[tuple[str, str]]:
    return [
        (c.front, c.back) for c in cards_under(result, heading) if c.kind is CardKind.DEFINITION
    ]


def test_definition_heading__one_card_with_the_definition_whole() -> None:
    result = extract("maths.md")
    [(front, back)] = _asked(result, "Definition of group")
    assert front == "What is a group?"
    # The axioms are part of the definition; no blank is cut from any of them.
    assert back.startswith("A group is a set $G$") and "3. every element has an inverse." in back
    fronts = [c.front for c in cards_under(result, "Definition of group")]
    assert not any("associative" in f or "inverse" in f for f in fronts), fronts
    # The callout after the definition is read by the other recipes.
    assert "Every group has exactly {{c1::**one identity element**}}." in fronts
    # A display formula after the definition belongs to it.
    [(_, order)] = _asked(result, "Definition of order")
    assert order.endswith("$$\n|G| = \\#G\n$$"), order


def test_definition_heading__asks_with_the_words_the_definition_uses() -> None:
    result = extract("maths.md")
    asked = {
        heading: _asked(result, heading)[0][0]
        for heading in (
            "Definition of abelian",
            "Definition of cosets",
            "Definition of order",
            "Definition of commutativity",
            "Lemma of the unique identity",
        )
    }
    assert asked == {
        "Definition of abelian": "What does “abelian” mean?",  # "G is abelian if ..."
        "Definition of cosets": "What are cosets?",
        "Definition of order": "What is the order of a group?",  # "The order of a group is"
        "Definition of commutativity": "What is commutativity?",  # no article: uncountable
        "Lemma of the unique identity": "What does the lemma of the unique identity state?",
    }


def test_definition_heading_in_italian__the_heading_asks_as_written() -> None:
    result = extract("maths-it.md")
    assert [c.front for c in result.cards] == ["Definizione di sottogruppo", "Teorema di Lagrange"]
    assert all(c.kind is CardKind.DEFINITION for c in result.cards)
    assert result.cards[1].back.startswith("Se $H$ è un sottogruppo")


def test_definition_heading_over_a_long_body__left_out_with_the_reason() -> None:
    text = "# Rings\n\n## Definition of ring\n\n" + "A ring is a set with two operations. " * 20
    result = extract("long.md", text)
    assert result.cards == ()
    assert left_out(result, "Definition of ring")[0].startswith("definition too long for one card")


def test_display_formula_after_a_lead_in_that_made_no_card__not_glued_to_the_card_before() -> None:
    result = extract("maths-esercizi.md")
    [card] = cards_under(result, "Tabelle")
    assert "T[i-1]" not in card.back, card.back
    assert any(
        r.startswith("a formula or image whose own text made no card: $$ T[i] = T[i-1]")
        for r in left_out(result, "Tabelle")
    ), left_out(result, "Tabelle")
    # After a sentence that made a card, the formula is that card's.
    [(_, order)] = _asked(extract("maths.md"), "Definition of order")
    assert "|G| = \\#G" in order


def test_section_under_an_exercises_heading__no_step_or_value_cards() -> None:
    result = extract("maths-esercizi.md")
    # Only what the author marked is kept; the list of first values and the step are left out.
    assert [c.front for c in cards_under(result, "Contare le scale")] == [
        "Il caso base vale {{c1::**1**}} per una scala di zero gradini.",
    ]
    reasons = left_out(result, "Contare le scale")
    assert "example-specific (a list of a worked example): Calcoliamo i primi valori:" in reasons
    assert any(r.startswith("example-specific (a step or value") for r in reasons), reasons
    # A step marked whole makes a card in other notes; under "Exercises" it is left out.
    step = "## Stairs\n\nThe step before must be short, so **the last stair has length one**.\n"
    assert len(extract("notes.md", f"# Notes\n\n{step}").cards) == 1
    english = extract("ex.md", f"# Notes\n\n## Exercises\n\n#{step}")
    assert english.cards == ()
    assert left_out(english, "Stairs")[0].startswith("example-specific (a step of a worked")
    numbered = extract("ex.md", f"# Notes\n\n## Exercise 3\n\n#{step}")
    assert numbered.cards == ()


def test_exercise_as_the_topic_or_the_file_title__not_worked_exercises() -> None:
    step = "## Stairs\n\nThe step before must be short, so **the last stair has length one**.\n"
    # "## Exercise" in health notes is the topic; an H1 names the file, not its sections' kind.
    health = "# Health\n\n## Exercise\n\nWalking every day lowers **blood pressure**.\n"
    assert [c.front for c in extract("health.md", health).cards] == [
        "Walking every day lowers {{c1::**blood pressure**}}."
    ]
    assert len(extract("ex.md", f"# Exercises\n\n{step}").cards) == 1


def test_blank_on_one_of_two_contrasted_terms__no_cloze_unless_the_other_is_named() -> None:
    # "DFA" and "NFA" are sibling headings that "From NFA to DFA" names together.
    result = extract("automata.md")
    regular = cards_under(result, "Regular languages")
    assert [c.front for c in regular] == ["An NFA is never more powerful than a {{c1::**DFA**}}."]
    assert "two answers fit (**DFA** or NFA): A language is regular" in " ".join(
        left_out(result, "Regular languages")
    )
    # Under "NFA", a sentence that sets it against the other term asks for that term.
    assert [c.front for c in cards_under(result, "NFA")] == [
        "The transition relation differs from the function of a {{c1::**DFA**}}."
    ]
    assert left_out(result, "NFA")[0].startswith("two answers fit (DFA or NFA): A state may")
    assert _deletions(cards_under(result, "DFA")) == ["**one**"]  # not a contrasted term


def test_sibling_headings_inside_longer_words_of_a_heading__not_contrasted() -> None:
    # "Map settings" holds "set" only inside "settings": Set and Map are not set against
    # each other. "Set vs Map", or "NFA与DFA" with no space, names both.
    siblings = [("Data", "Set"), ("Data", "Map")]
    assert contrasted_terms([*siblings, ("Data", "Map settings")]) == {}
    assert contrasted_terms([*siblings, ("Data", "Set vs Map")]) == {"set": "Map", "map": "Set"}
    automata = [("Automi", "NFA"), ("Automi", "DFA"), ("Automi", "NFA与DFA")]
    assert contrasted_terms(automata) == {"nfa": "DFA", "dfa": "NFA"}


def test_exercise_step_marked_whole__no_cloze() -> None:
    result = extract("maths-esercizi.md")
    assert not any("gradino precedente" in c.front for c in cards_under(result, "Contare le scale"))
    assert any(
        r.startswith("example-specific (a step of a worked example): Il passo prima")
        for r in left_out(result, "Contare le scale")
    )
    # A marked phrase of three words or more is how this exercise goes, not a term.
    assert "**a una scala con almeno un altro gradino**" not in _deletions(
        cards_under(result, "Contare le scale")
    )
    assert any(
        r.startswith("example-specific (a step of a worked example): Si aggiunge un passo")
        for r in left_out(result, "Contare le scale")
    )


def test_named_result_heading_with_nothing_after_its_colon__builds_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Lemma of :" reads as a named result until its colon is dropped; then it names nothing,
    # so it asks nothing and the section goes to the other recipes (it crashed the build).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "groups.md").write_text(
        "# Groups\n\n## Lemma of :\n\nA group has exactly one identity element.\n\n"
        "## Definition of group\n\nA group is a set with an associative operation, "
        "an identity element and an inverse for every element.\n"
    )
    for command in ("check", "build"):
        code, out, err = run_cli(command, "groups.md")
        assert code == 0, (command, out, err)
        assert "Traceback" not in out + err
    result = extract("groups.md", (tmp_path / "groups.md").read_text())
    assert not any(c.kind is CardKind.DEFINITION for c in cards_under(result, "Lemma of :"))
    assert [c.front for c in cards_under(result, "Definition of group")] == ["What is a group?"]


def test_display_formula_after_a_list_that_made_a_card__belongs_to_that_card() -> None:
    # The list card takes its label's line, above the list: the formula under the list is
    # still the list's own text, so it goes on the list card, not to the left-out ones.
    text = (
        "# Sorting\n\n## Merge sort\n\nThe merge step has three parts:\n\n"
        "- compare the two front elements\n- move the smaller one to the output\n"
        "- copy what is left of the other half\n\n$$\nT(n) = 2T(n/2) + n\n$$\n"
    )
    result = extract("sort.md", text)
    [card] = cards_under(result, "Merge sort")
    assert card.kind is CardKind.LIST
    assert card.back.endswith("$$\nT(n) = 2T(n/2) + n\n$$"), card.back
    assert not any("T(n)" in r for r in left_out(result, "Merge sort"))


def test_exercise_phrase_marked_whole__a_step_not_a_term() -> None:
    # In an exercise, "the **cell to its left**" is how this one grid is walked, not a term.
    text = (
        "# Grafi\n\n## Esercizi\n\n### percorsi in una griglia\n\n"
        "- una casella del bordo si raggiunge solo dalla **casella alla sua sinistra**\n"
        "- la tabella si riempie in tempo **$\\Theta(nm)$**\n"
    )
    result = extract("x.md", text)
    fronts = [c.front for c in cards_under(result, "percorsi in una griglia")]
    assert fronts == ["la tabella si riempie in tempo {{c1::**$\\Theta(nm)$**}}"], fronts
    assert any(
        r.startswith("example-specific (a step of a worked example)")
        for r in left_out(result, "percorsi in una griglia")
    )
