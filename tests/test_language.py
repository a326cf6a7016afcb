"""Which language a notes file is in (recipes/language.py): the evidence it needs."""

from __future__ import annotations

from deckmark.parse.recipes import language


def test_one_common_word_of_another_language_is_no_evidence() -> None:
    # A cheat sheet's only prose: "per" is Italian's most common preposition and English too.
    assert language.detect("Inspect\n`git log` prints one line per commit.") == "en"


def test_a_few_common_words_decide() -> None:
    assert language.detect("Il processo è un programma in esecuzione con la sua memoria.") == "it"
    assert language.detect("Der Prozess ist ein laufendes Programm mit eigenem Speicher.") == "de"


def test_front_matter_lang_wins_over_the_words() -> None:
    assert language.detect("The process is a running program.", "it_IT") == "it"
