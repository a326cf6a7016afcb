"""Cloze shapes on notes in any language (issue #9): a deletion is a marked span, a name, a
number or a short object phrase; never the rest of a sentence cut at a word the English rules
took for a verb, never a word without content of its own.

The fixtures (tests/fixtures/notes/cloze-*.md) are written in our own words; tests/golden/
pins their full output.
"""

from __future__ import annotations

from deckmark.model import CLOZE_RE, Card, CardKind
from tests.recipe_cards import cards_under as _cards
from tests.recipe_cards import extract as _extract
from tests.recipe_cards import left_out as _left_out


def _deletions(cards: list[Card]) -> list[str]:
    return [m.group(2) for card in cards for m in CLOZE_RE.finditer(card.front)]


def test_sentence_in_italian_spanish_german__never_cut_by_english_grammar() -> None:
    result = _extract("cloze-italiano.md")
    assert _deletions(_cards(result, "Visita in ampiezza")) == ["**coda**"]
    reasons = _left_out(result, "Visita in ampiezza")
    assert any("ad ogni passo" in r for r in reasons), reasons
    mixed = _extract("cloze-mixed.md")
    for heading in ("Recurrencias", "Zeiger"):
        assert _cards(mixed, heading) == [], [c.front for c in _cards(mixed, heading)]
        assert len(_left_out(mixed, heading)) == 2
        assert all(r.startswith("no clear deletion") for r in _left_out(mixed, heading))


def test_english_sentence_in_chinese_notes__still_cut_at_its_verb() -> None:
    result = _extract("cloze-mixed.md")
    assert "A heap is {{c1::complete}} if every level but the last is full" in [
        c.front for c in _cards(result, "排序")
    ]


def test_emphasis_on_a_word_without_content__no_cloze() -> None:
    italian = _extract("cloze-italiano.md")
    assert "**anche**" not in _deletions(italian.cards)
    mixed = _extract("cloze-mixed.md")
    deletions = _deletions(_cards(mixed, "排序"))
    assert "**对应的**" not in deletions and "**理解**" not in deletions, deletions
    assert "**O(n)**" in deletions  # a marked span with content stays


def test_aside_reader_participle_or_second_verb__no_cloze__left_out_with_reason() -> None:
    italian = _extract("cloze-italiano.md")
    assert not any("(ma non" in d for d in _deletions(italian.cards))
    result = _extract("cloze-mixed.md")
    assert _cards(result, "Job search") == [], [c.front for c in _cards(result, "Job search")]
    reasons = _left_out(result, "Job search")
    for expected in (
        "no clear deletion (a sentence to the reader: advice, not a fact)",
        "no clear deletion (the blank would hide a single verb)",
        "no clear deletion (the cut fell between two verbs)",
    ):
        assert any(r.startswith(expected) for r in reasons), (expected, reasons)


def test_italian_defining_sentence__definition_card_with_the_heading_as_prompt() -> None:
    result = _extract("cloze-italiano.md")
    (card,) = [c for c in result.cards if c.kind is CardKind.DEFINITION]
    assert card.front == "Ordinamento per fusione"
    assert card.back.startswith("Un algoritmo che divide la sequenza")


def test_worked_example__values_and_conclusions_make_no_card__marked_terms_stay() -> None:
    result = _extract("cloze-esempi.md")
    deletions = _deletions(result.cards)
    assert "**BFS**" in deletions  # the author marked it: a term worth knowing
    assert "4" not in deletions  # a value of the example callout
    assert "7" not in deletions  # "Nel nostro esempio ...": a value of the notes' own example
    assert not any("Theta(n)" in d for d in deletions)  # "Quindi il costo è ...": a conclusion
    reasons = _left_out(result, "Costo della fusione") + _left_out(result, "Grafi pesati")
    for expected in (
        "example-specific (a conclusion drawn from the steps before)",
        "example-specific (one of the examples)",
        "example-specific (a worked example)",
    ):
        assert any(r.startswith(expected) for r in reasons), (expected, reasons)


def test_list_after_such_as__each_item_left_out_as_an_example() -> None:
    result = _extract("cloze-esempi.md")
    assert not any("lunghezza" in c.front for c in result.cards)
    examples = [r for r in _left_out(result, "Grafi pesati") if "one of the examples" in r]
    assert len(examples) == 2


def test_sample_sentence_shown_in_a_code_block__no_card() -> None:
    result = _extract("cloze-mixed.md")
    for heading in ("Abbreviations syntax", "Callout syntax"):
        assert _cards(result, heading) == [], heading
        assert any(
            r.startswith("example-specific (sample text shown in a code block)")
            for r in _left_out(result, heading)
        ), heading


def test_unmarked_blank_in_a_sentence_to_the_reader_or_on_a_lone_verb__no_cloze() -> None:
    result = _extract("cloze-mixed.md")
    assert _cards(result, "Reader") == [], [c.front for c in _cards(result, "Reader")]
    reasons = _left_out(result, "Reader")
    assert sum(r.startswith("no clear deletion (advice)") for r in reasons) == 2, reasons
    assert any(r.startswith("no clear deletion (a sentence to the reader") for r in reasons)
    assert any(
        r.startswith("no clear deletion (the blank would hide a single verb)") for r in reasons
    )


def test_abbreviation_bzw__does_not_end_the_sentence() -> None:
    result = _extract("cloze-deutsch.md")
    fronts = [c.front for c in _cards(result, "Null-Operatoren")]
    assert not any(f.rstrip().endswith("bzw.") for f in fronts), fronts
    assert any(f.startswith("{{c1::`a?.b`}} bzw. {{c2::`a?[i]`}} liefert null") for f in fronts)


def test_name_that_is_half_a_compound__no_cloze() -> None:
    result = _extract("cloze-deutsch.md")
    assert "LINQ" not in _deletions(result.cards)


def test_acronym_beside_its_spelled_out_form_in_spanish__no_cloze() -> None:
    result = _extract("cloze-espanol.md")
    assert "PVI" not in _deletions(result.cards)
    assert any(
        r.startswith("answer printed in the question (PVI)")
        for r in _left_out(result, "Problemas con condiciones")
    )


def test_negative_number_or_index_expression__hidden_whole() -> None:
    result = _extract("cloze-mixed.md")
    deletions = _deletions(_cards(result, "Trees"))
    assert deletions == ["-1", "n-1"], deletions


def test_name_in_a_phrase_of_three_words__no_cloze() -> None:
    result = _extract("cloze-mixed.md")
    assert not any("Project board" in c.front for c in result.cards)


def test_identifier_with_its_value__only_the_value_hidden__a_name_given_by_let_never() -> None:
    result = _extract("cloze-esempi.md")
    fronts = [c.front for c in _cards(result, "Pseudocodice della visita")]
    assert "`V[0...n-1]` vettore dei visitati inizializzato a {{c1::`0`}}" in fronts, fronts
    assert "sia `(u,w)` l'arco per cui è minimo {{c1::`C[u] + peso(u,w)`}}" in fronts, fronts


def test_arrow_line__a_key_and_its_value__not_a_cloze_on_the_key() -> None:
    result = _extract("cloze-esempi.md")
    (card,) = [c for c in _cards(result, "Pseudocodice della visita") if "radice" in c.front]
    # Not the bare term: the front names what it belongs to (no template in Italian notes).
    assert card.kind is CardKind.DEFINITION and card.front == "Pseudocodice della visita › radice"
    assert card.back.startswith("Nodo da cui parte la visita")


def test_example_callout__only_marked_spans_make_cards() -> None:
    result = _extract("cloze-esempi.md")
    fronts = [c.front for c in _cards(result, "Grafi pesati")]
    assert len(fronts) == 1 and "{{c1::**BFS**}} sul grafo degli stati" in fronts[0], fronts


def test_condition_that_is_one_formula__hidden__in_any_language() -> None:
    result = _extract("cloze-espanol.md")
    fronts = [c.front for c in _cards(result, "Series geométricas")]
    assert fronts == [
        "Si {{c1::$|r| < 1$}}, la serie converge al cociente entre su primer término y $1 - r$."
    ], fronts  # the second condition goes on after its formula ("y el primer término ...")


def test_recommendation_with_a_marked_span__no_card__a_gerund_subject_is_no_order() -> None:
    result = _extract("cloze-mixed.md")
    fronts = [c.front for c in _cards(result, "Letters")]
    assert fronts == ["Removing the {{c1::`--force`}} flag keeps the remote history safe."], fronts
    reasons = _left_out(result, "Letters")
    assert any(r.startswith("no clear deletion (advice): A thank-you note") for r in reasons)
    assert any(r.startswith("placeholder text: Data Engineer with X years") for r in reasons)
    assert any(r.startswith("an advertisement, not a fact: The course publisher") for r in reasons)


def test_deletion_printed_in_the_context_line__no_cloze__other_deletions_kept() -> None:
    result = _extract("context-line.md")
    printed = {
        "Compact sets": "**a compact set**",  # article aside, plural heading
        "Noetherrian rings": "**Noetherian**",  # heading misspelt by one letter
        "memoria a lungo termine": "**MLT**",  # the heading's initials
        "Der Stapelspeicher": "**Stapelspeicher**",
    }
    for heading, hidden in printed.items():
        deletions = _deletions(_cards(result, heading))
        assert hidden not in deletions, (heading, deletions)
        reasons = _left_out(result, heading)
        assert f"answer printed in the context line ({hidden})" in " ".join(reasons), reasons
    [somma] = _cards(result, "Funzione Somma")
    assert _deletions([somma]) == ["**il totale**"]
    [push] = _cards(result, "Der Stapelspeicher")
    assert _deletions([push]) == ["**push**"]


def test_deletion_with_words_the_context_line_lacks__kept() -> None:
    result = _extract("context-line.md")
    # "layer" is in "Image layers"; "inside the container" is not (a preposition is content).
    assert _deletions(_cards(result, "Image layers")) == ["`exec`", "**inside the container**"]
    # One letter apart, but in the ending: another word of the stem, not a misspelling.
    assert _deletions(_cards(result, "Varianz und Kovarianz")) == ["**kovariant**"]


def test_lead_in_sentence__no_cloze__and_never_the_context_of_the_next() -> None:
    result = _extract("lead-ins.md")
    for heading, lead_in in [
        ("Cache flags", "Turn it on in `build.toml` as follows:"),
        ("Custom styles", "Styles are not limited to"),
        ("Stringhe senza zeri", "le stringhe che finiscono con uno **0**"),
        ("Eigene Farben", "Man ist nicht auf `--farbe` beschränkt."),
    ]:
        assert not any(lead_in in c.front for c in _cards(result, heading)), heading
        assert any(
            r.startswith(f"introduces what follows: {lead_in}") for r in _left_out(result, heading)
        ), (heading, _left_out(result, heading))
    # "This flag ..." after the lead-in and its code: the lead-in names no flag.
    assert any(
        r.startswith("pronoun without a certain antecedent: This flag")
        for r in _left_out(result, "Cache flags")
    )
    assert _deletions(_cards(result, "Cache flags")) == ["**compiled pages**"]
    assert _deletions(_cards(result, "Custom styles")) == ["**border radius**"]


def test_one_letter_name_the_section_code_uses__no_cloze__a_letter_key_stays() -> None:
    result = _extract("example-names.md")
    deletions = _deletions(_cards(result, "Funzione conta"))
    assert "`V`" not in deletions and "`x`" not in deletions, deletions
    assert "**modificato**" in deletions and "**originale**" in deletions, deletions
    reasons = _left_out(result, "Funzione conta")
    assert sum(r.startswith("a name from the notes' own code") for r in reasons) == 3
    # `x` is a key here, used in no expression of its section: still a card.
    assert _deletions(_cards(result, "Editor keys")) == ["`x`"]


def test_parameter_and_defined_function_names__no_cloze__other_terms_stay() -> None:
    result = _extract("example-names.md")
    # `items`, `start`, `end` are parameters of the section's `def merge(...)`; `merge` is the
    # name it defines.
    assert _deletions(_cards(result, "Joining sorted halves")) == ["**buffer**"]
    reasons = _left_out(result, "Joining sorted halves")
    assert sum(r.startswith("a name from the notes' own code") for r in reasons) == 4, reasons


def test_blank_that_is_half_of_a_dotted_name__no_cloze__whole_terms_stay() -> None:
    result = _extract("example-names.md")
    assert _deletions(_cards(result, "Packages")) == ["**garbage collection**"]
    reasons = _left_out(result, "Packages")
    assert sum(r.startswith("half of a dotted name") for r in reasons) == 2, reasons


def test_name_a_program_block_declares__no_cloze__in_any_case__a_called_operation_stays() -> None:
    result = _extract("example-names.md")
    # `readerLock` and `waiting` are declared by the section's C block ("ReaderLock" in the
    # prose is the same name); `down` is only called there: the operation is a term to learn.
    assert _deletions(_cards(result, "Reader lock")) == ["**down**"]
    reasons = _left_out(result, "Reader lock")
    assert sum(r.startswith("a name from the notes' own code") for r in reasons) == 2, reasons


def test_plain_word_the_section_code_assigns__cloze_unless_written_as_code() -> None:
    result = _extract("example-names.md")
    # `queue = [root]` and `stack = []` name the variables after the words the prose teaches.
    assert _deletions(_cards(result, "Walking a graph")) == ["**queue**", "**stack**"]
    assert not any(r.startswith("a name from") for r in _left_out(result, "Walking a graph"))


def test_phrase_picking_one_of_things_not_on_the_card__no_cloze__left_out() -> None:
    result = _extract("references.md")
    fronts = [c.front for c in _cards(result, "Write policies")]
    assert not any("first case" in f or "former" in f for f in fronts), fronts
    # "the latter" with both policies named before it in its own sentence: the card shows them.
    assert any("the latter needs" in f for f in fronts), fronts
    reasons = _left_out(result, "Write policies")
    assert sum(r.startswith("refers to something not shown on the card") for r in reasons) == 2


def test_first_version_or_other_way_that_names_what_it_picks__still_a_cloze() -> None:
    result = _extract("references.md")
    assert _deletions(_cards(result, "Request methods")) == ["**GET**", "**POST**"]


def test_sentence_starting_from_this_approach__shown_under_the_sentence_before() -> None:
    (card,) = _cards(_extract("references.md"), "Write-back")
    assert card.front.startswith("With this approach")
    assert card.prompt == "Write-back collects the stores to a line in the cache."


def test_first_case_or_the_latter_in_italian_german_chinese__no_cloze() -> None:
    texts = {
        "## Politiche\n\nCi sono due politiche di scrittura della cache.\n\n"
        "Il primo caso aggiorna subito la **memoria centrale**.\n\n"
        "Quest'ultima richiede un **bit di modifica** per ogni riga.\n": "Politiche",
        "## Strategien\n\nEs gibt zwei Strategien für den Cache.\n\n"
        "Im zweiten Fall wird die **Zeile** erst beim Verdrängen geschrieben.\n": "Strategien",
        "## 策略\n\n缓存有两种写策略。\n\n后者需要为每一行保存一个**脏位**。\n\n"
        "写直达和写回都很常见，前者实现起来更**简单**。\n": "策略",
    }
    for text, heading in texts.items():
        result = _extract("x.md", text)
        fronts = [c.front for c in _cards(result, heading)]
        assert not any(
            w in f for f in fronts for w in ("primo caso", "ultima", "zweiten Fall", "后者")
        ), fronts
        assert any(
            r.startswith("refers to something not shown on the card")
            for r in _left_out(result, heading)
        ), heading
    # "前者" after the two policies it picks from, in its own sentence: kept.
    assert any("前者" in c.front for c in _cards(_extract("x.md", list(texts)[2]), "策略"))


def test_translation_in_parentheses_after_the_blank__moves_into_the_deletion() -> None:
    cards = _cards(_extract("cloze-italiano.md"), "Tecniche di memoria")
    fronts = [c.front for c in cards]
    # "(memorizzazione temporanea)" beside the blank would translate the answer: it is shown
    # with the answer on the back. An aside ("es. ...") stays on the front.
    assert "La {{c1::**caching** (memorizzazione temporanea)}} tiene" in fronts[0], fronts
    assert "{{c1::**write buffer**}} (es. nei processori moderni)" in fronts[1], fronts
    # "(per riga)" qualifies the blank: a translation is a noun phrase, not a preposition's.
    assert "{{c1::**bit di validità**}} (per riga)" in fronts[2], fronts


def test_qualifier_in_parentheses_after_the_blank__stays_on_the_front() -> None:
    text = (
        "## Server limits\n\n"
        "The largest packet is set by **max_allowed_packet** (in bytes) on the server.\n\n"
        "The command **git fetch** (if unsure) updates the remote branches only.\n"
    )
    fronts = [c.front for c in _cards(_extract("x.md", text), "Server limits")]
    assert "{{c1::**max_allowed_packet**}} (in bytes)" in fronts[0], fronts
    assert "{{c1::**git fetch**}} (if unsure)" in fronts[1], fronts


def test_sentence_saying_what_a_proof_will_show__no_cloze__in_any_language() -> None:
    result = _extract("references.md")
    assert not any("We must show" in c.front for c in _cards(result, "Correctness"))
    assert any(
        r.startswith("introduces what follows: We must show")
        for r in _left_out(result, "Correctness")
    )
    texts = {
        "## Prova\n\nDobbiamo dimostrare che **la distanza trovata è minima**.\n": "Prova",
        "## Beweis\n\nWir müssen zeigen, dass **jeder Weg kürzer** ist.\n": "Beweis",
        "## Prueba\n\nDebemos demostrar que **el camino es mínimo**.\n": "Prueba",
    }
    for text, heading in texts.items():
        assert not _cards(_extract("x.md", text), heading), heading


def test_sentence_saying_what_we_must_check_or_show__still_a_cloze() -> None:
    # "verify" is a step of a procedure; "show" without "that" shows a thing, claims nothing.
    text = (
        "## Image downloads\n\n"
        "We must verify the checksum of every **downloaded image**.\n\n"
        "We need to verify signatures with **cosign** before a deploy.\n\n"
        "Dobbiamo verificare la **firma** di ogni pacchetto.\n"
    )
    cards = _cards(_extract("x.md", text), "Image downloads")
    assert _deletions(cards) == ["**downloaded image**", "**cosign**", "**firma**"]


def test_version_in_the_context_line_or_name_after_vergleichbar_mit__no_cloze() -> None:
    result = _extract("vergleich-de.md")
    # "seit C# [...]" under "Neuerungen in C# 6.0"; "vergleichbar mit [Runnable]": a
    # comparison the author draws, not what the sentence states.
    assert _deletions(_cards(result, "Ausdruckskörper")) == ["**einem Objekt**"]
    reasons = _left_out(result, "Ausdruckskörper")
    assert any(r.startswith("answer printed in the context line (6.0)") for r in reasons), reasons


def test_blank_on_one_of_alternatives_joined_by_a_slash__no_card() -> None:
    # Any of `int`, `str`, `list` fits each blank; "arrays/[Python] lists" hides half a term.
    text = (
        "## Joins\n\n- Joined values must share one type: `int`/`str`/`list`.\n"
        "- Prefer deques to arrays/**Python** lists for queues.\n"
    )
    result = _extract("x.md", text)
    assert _cards(result, "Joins") == []
    assert sum("one of alternatives joined by '/'" in r for r in _left_out(result, "Joins")) == 4


def test_come_or_comme_in_english_notes__a_verb_not_a_comparison() -> None:
    # "come" compares only in Italian notes ("lavora come [...]"); in English it is a verb.
    english = "## Cars\n\nNew models come **standard** with side airbags.\n"
    assert _deletions(_cards(_extract("x.md", english), "Cars")) == ["**standard**"]
    italiano = (
        "---\nlang: it\n---\n\n## Dischi\n\n"
        "Il disco veloce lavora come **cache** del disco lento.\n\n"
        "Il disco nuovo è più **silenzioso** di quello vecchio.\n"
    )
    assert _deletions(_cards(_extract("x.md", italiano), "Dischi")) == ["**silenzioso**"]


def test_advice_opening_with_an_adverb_or_aim__no_cloze() -> None:
    text = (
        "## Habits\n\n- Regularly update the base image to get security fixes.\n"
        "- Aim for minimal layers for better efficiency.\n"
    )
    result = _extract("x.md", text)
    assert _cards(result, "Habits") == []
    assert all("advice" in r for r in _left_out(result, "Habits")), _left_out(result, "Habits")


def test_blank_on_a_lone_judgement_adjective__no_cloze() -> None:
    # "easy", "simple" or "possible" fit the blank as well: it teaches nothing.
    result = _extract(
        "x.md", "## Networks\n\n- Talking between two containers is straightforward.\n"
    )
    assert _cards(result, "Networks") == []
