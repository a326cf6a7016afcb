"""Structural shapes of issue #9: code cards whose back repeats the front, a colon or arrow
inside a sentence read as a key, labels that do not say what is asked, file-header lines.

The fixtures are written in our own words (Chinese, German, English); tests/golden/ pins their
full output.
"""

from __future__ import annotations

from tests.recipe_cards import cards_under as _cards
from tests.recipe_cards import extract as _extract
from tests.recipe_cards import left_out as _left_out


def test_commented_code_in_chinese_notes__no_card_that_repeats_the_front() -> None:
    result = _extract("structure-zh.md")
    assert _cards(result, "链表结点") == []
    assert any(
        m.startswith("commented code with no question in the notes' language")
        for m in _left_out(result, "链表结点")
    )


def test_annotation_markers__are_not_comments_that_explain() -> None:
    result = _extract("structure.md")
    assert _cards(result, "Stack settings") == []
    assert any(m.startswith("annotation marker") for m in _left_out(result, "Stack settings"))


def test_colon_or_arrow_inside_a_sentence__not_split_into_key_and_value() -> None:
    files = ("structure.md", "structure-de.md", "structure-zh.md")
    fronts = [c.front for name in files for c in _extract(name).cards]
    garbled = ("› Sei g?", "› Die Funktion g?", "› DFS keeps stack?", "› Wichtig ist?")
    assert not any(f.endswith(garbled) for f in fronts)
    assert not any("顺序：顺序查找" in f for f in fronts)
    # A term before its colon still asks for its value.
    assert "Abbildungen › Definitionsbereich?" in fronts
    assert "Traversal costs › Level order?" in fronts


def test_label_repeated_in_the_section__asks_nothing_it_can_name() -> None:
    result = _extract("structure.md")
    assert _cards(result, "Callout kinds") == []
    assert sum(m.startswith("label repeated") for m in _left_out(result, "Callout kinds")) == 2


def test_label_used_once__still_asks_for_its_value() -> None:
    result = _extract(
        "x.md", "## Kinds\n\n- Alias: another name for a type\n- Scope: where a name is seen\n"
    )
    assert [c.front for c in result.cards] == ["Kinds › Alias?", "Kinds › Scope?"]


def test_file_header_lines_and_bare_links__make_no_card() -> None:
    result = _extract("structure.md")
    assert [c.front for c in _cards(result, "Sorting drills")] == [
        "Sorting drills › Insertion sort?"
    ]
    left = _left_out(result, "Sorting drills")
    assert any(m.startswith("header of the notes file") and "Difficulty" in m for m in left)
    assert any(m.startswith("header of the notes file") and "Notebook" in m for m in left)
    assert any(m.startswith("only a link") for m in left)
    assert any(m.startswith("introduces what follows") and "Run it" in m for m in left)


def test_list_label_too_long_to_show__no_list_card_named_by_the_heading_alone() -> None:
    result = _extract("structure-de.md")
    assert not any(c.front.startswith("Zeitplanung (") for c in result.cards)
    assert any(m.startswith("list label too long") for m in _left_out(result, "Zeitplanung"))


def test_heading_adjective__is_not_the_owner_of_the_list() -> None:
    notes = "## Core Components\n\n- **Services**: the containers\n- **Networks**: how they talk\n"
    fronts = [c.front for c in _extract("x.md", notes).cards]
    assert not any("of Core" in f for f in fronts)
    assert "Core components › Services?" in fronts


def test_generic_label__example_or_solution__names_no_subject() -> None:
    result = _extract("structure-de.md")
    assert not any(c.front.endswith("› Beispiel?") for c in result.cards)
    assert any(m.startswith("label names no subject") for m in _left_out(result, "Abbildungen"))


def test_several_numbered_lists_under_one_heading__none_asked_by_the_heading_alone() -> None:
    result = _extract("structure-zh.md")
    assert not any(c.front.startswith("二叉树遍历 (") for c in result.cards)
    assert any(m.startswith("one of several lists") for m in _left_out(result, "二叉树遍历"))
    # One numbered list: the heading names it.
    assert [c.front for c in _cards(result, "插入排序")] == ["插入排序 (3)"]


def test_list_label_counting_other_things__no_list_card() -> None:
    result = _extract("structure.md")
    fronts = [c.front for c in _cards(result, "Process classes")]
    assert not any("(2)" in f and "3 classes" in f for f in fronts)
    assert any(
        m.startswith("label counts 3, the list has 2") for m in _left_out(result, "Process classes")
    )
    # A version number is not a count: the second list keeps its card.
    assert any(f.endswith("(2)") and "Python 3" in f for f in fronts)


def test_label_under_a_list_item__names_that_item_as_its_owner() -> None:
    fronts = [c.front for c in _extract("structure-it.md").cards]
    assert "architetture › assegnamento fisso › pregi?" in fronts
    assert "architetture › assegnamento fisso › difetti?" in fronts
    assert "architetture › assegnamento mobile › difficile da gestire … (2)" in fronts


def test_shell_result__front_shows_the_lines_that_set_its_variables() -> None:
    result = _extract("structure.md")
    fronts = [c.front for c in _cards(result, "Shell strings")]
    assert 'In the shell, after `word="banana"`, what does `echo "${word%na}"` give?' in fronts
    assert (
        'In the shell, after\n\n```bash\nword="banana"\nstem=${word%na}\n```\n\n'
        'what does `echo "${stem}s"` give?'
    ) in fronts
    assert not any("other" in f and f.endswith("give?") for f in fronts)
    assert any(
        m.startswith("what it gives depends on other, set elsewhere")
        for m in _left_out(result, "Shell strings")
    )


def test_comment_that_points_elsewhere__teaches_nothing() -> None:
    result = _extract("structure.md")
    line_cards = [c.front for c in _cards(result, "Shell variables") if "each line" not in c.front]
    assert not any("echo $name" in f or "Bye" in f for f in line_cards)
    left = _left_out(result, "Shell variables")
    assert sum(m.startswith("comment points elsewhere") for m in left) == 2
    # A one-word comment asks what the line does, not "Which shell command appends?".
    assert "In the shell, what does `list+=(d)` do?" in line_cards
    assert not any(f.startswith("Which shell command append") for f in line_cards)


def test_table_cell_that_is_only_a_note__makes_no_card() -> None:
    result = _extract("structure.md")
    questions = [c.front for c in _cards(result, "Report sections")]
    assert questions == ["Report sections › Work history › Heading?"]
    assert any(m.startswith("cell is only a note") for m in _left_out(result, "Report sections"))


def test_bare_this_over_a_list__asks_what_the_code_above_does() -> None:
    result = _extract("structure.md")
    (card,) = [c for c in _cards(result, "Cleanup command") if c.kind.value == "list"]
    assert card.front == (
        "What does this shell command do? (2)\n\n```bash\ndocker image prune --all --force\n```"
    )
    assert "Skips the confirmation prompt." in card.back


def test_formula_as_list_label__no_list_card() -> None:
    result = _extract("structure.md")
    assert not any(c.kind.value == "list" for c in _cards(result, "Product automaton"))
    left = _left_out(result, "Product automaton")
    assert any(m.startswith("list label names nothing to ask by (formula)") for m in left)


def test_lone_generic_column__question_is_the_row_label() -> None:
    fronts = [c.front for c in _cards(_extract("structure.md"), "Git verbs")]
    assert "Git verbs › `git stash`?" in fronts
    # With several columns the column name says which cell is asked.
    assert "Git verbs › `git add` › Description?" in fronts
    assert "Git verbs › `git add` › Undo with?" in fronts


def test_block_whose_comments_are_only_values__no_each_line_card() -> None:
    result = _extract("structure.md")
    assert _cards(result, "List sizes") == []
    assert any(m.startswith("comment explains no code") for m in _left_out(result, "List sizes"))


def test_comment_with_its_own_verb__no_reverse_card() -> None:
    fronts = [c.front for c in _cards(_extract("structure.md"), "Printing")]
    assert not any(f.startswith("Which shell command") for f in fronts)
    assert any(f.startswith("In the shell, what does `printf") for f in fronts)


def test_output_card_in_german_notes__no_english_template() -> None:
    (card,) = _cards(_extract("structure-de.md"), "Ausgabe")
    assert card.front == "Ausgabe\n\n```python\nwert = 21\n```\n\n`print(wert * 2)` → ?"
    assert card.back == "42"


def test_yes_no_question_its_heading_answers__no_card() -> None:
    result = _extract("structure.md")
    assert _cards(result, "Collapsible panels") == []
    assert any(m.startswith("a yes/no question") for m in _left_out(result, "Collapsible panels"))
    # The heading does not say whether panels hold code: that card stays.
    assert [c.front for c in _cards(result, "Panels")] == ["Can panels hold code?"]


def test_list_label_cut_before_its_object__no_list_card() -> None:
    result = _extract("structure.md")
    assert not any(c.kind.value == "list" for c in _cards(result, "Review checklist"))
    left = _left_out(result, "Review checklist")
    assert any(m.startswith("list label is a sentence cut short") for m in left)


def test_comment_that_only_repeats_the_command__no_what_does_card() -> None:
    fronts = [c.front for c in _cards(_extract("structure.md"), "Leaving a shell")]
    assert "In the shell, what does `exit` do?" not in fronts
    assert "Which shell command exits the nested shell?" in fronts
    assert "In the shell, what does `bash` do?" in fronts


def test_italian_list_label_narrating_a_step_or_a_fragment__no_list_card() -> None:
    result = _extract("list-labels-it.md")
    questions = [c.front for c in result.cards]
    # A purpose ("Per ordinare ...") over the steps that serve it, and a noun phrase: asked.
    assert questions == [
        "Ordinamento per inserzione › Per ordinare un vettore … (3)",
        "Scelta del perno › Le strategie più comuni sono … (3)",
    ]
    reasons = [r.split(":")[0] for r in _left_out(result, "Ordinamento per inserzione")]
    assert "list label is a step of the notes (a verb phrase), not what the items are" in reasons
    # Its items are the steps of a worked example: no fact card from them either.
    assert reasons.count("example-specific (a step or value of a worked example)") == 3


def test_list_whose_items_label_their_own_lists__no_card_listing_the_labels() -> None:
    reasons = _left_out(_extract("list-labels-it.md"), "Scelta del perno")
    assert any(r.startswith("list items are labels of their own lists") for r in reasons)
    assert any(
        r.startswith("list label is a fragment starting with a preposition") for r in reasons
    )


def test_chinese_defining_sentence_under_a_numbered_heading__definition_of_the_term() -> None:
    result = _extract("definitions-zh.md")
    cards = {c.front: c.back for c in result.cards if c.kind.value == "definition"}
    # "X是Y" and "Y称为X" under "1. X": the heading's number is no part of the term.
    assert cards == {"页面": "虚拟内存分配的基本单位", "页表": "把虚拟页号映射到物理页框号的那张表"}


def test_comparison_aspect_under_one_side__the_question_names_the_side() -> None:
    # Both sides list "Isolation": one front "Processes vs Threads › Isolation" has two answers.
    cards = _extract("comparison-aspects.md").cards
    asked = {c.front: c.back for c in cards if c.front.endswith("in short?")}
    assert asked == {
        "Processes vs Threads › Processes › Isolation, in short?": (
            "Each process gets its own address space, so one crash stays local"
        ),
        "Processes vs Threads › Threads › Startup, in short?": (
            "A thread starts in microseconds because it reuses the process's memory"
        ),
        "Processes vs Threads › Threads › Isolation, in short?": (
            "One thread that corrupts memory can bring down every other thread"
        ),
    }


def test_comparison_label_over_a_sides_items__no_card_of_its_own() -> None:
    # "**Strengths**:" names the items under it: "which one? “Strengths:”" asks nothing.
    fronts = [c.front for c in _extract("comparison-aspects.md").cards]
    assert not [f for f in fronts if "Strengths" in f or "Caveats" in f], fronts


def test_table_whose_rows_link_to_other_pages__an_index_not_facts() -> None:
    # A study plan's table of contents: "Priority? → High" teaches nothing about arrays.
    text = (
        "## Study plan\n\n| Topic | Priority |\n| --- | --- |\n"
        "| [Arrays](./arrays.md) | High |\n| [Heaps](heaps.md) | Low |\n"
    )
    result = _extract("x.md", text)
    assert _cards(result, "Study plan") == []
    assert _left_out(result, "Study plan") == [
        "index of other pages (every row is a link to one): Topic | Priority"
    ]


def test_table_of_terms_linking_to_the_web__still_makes_cards() -> None:
    text = (
        "## Tools\n\n| Tool | Purpose |\n| --- | --- |\n"
        "| [Trivy](https://trivy.dev) | scans images for CVEs |\n"
        "| [Hadolint](https://github.com/hadolint) | lints Dockerfiles |\n"
    )
    assert _cards(_extract("x.md", text), "Tools")


def test_pipe_rows_without_a_separator_line__no_cloze_of_the_markup() -> None:
    # Not a GFM table (no "| --- |" line), so Markdown reads it as a paragraph of pipes.
    result = _extract("x.md", "## Usage\n\n| `d` | `w` |\n| Operator | Motion |\n")
    assert _cards(result, "Usage") == []
    assert [r.split(":")[0] for r in _left_out(result, "Usage")] == [
        "table rows without a header separator"
    ]


def test_items_that_finish_the_sentence_above__no_card_without_its_premise() -> None:
    # "Sei A kleiner als B. Dann ist" holds the premise each sub-item needs.
    text = (
        "## Ordnung\n\n- Sei A kleiner als B. Dann ist\n"
        "  - g **monoton**, wenn g(A) kleiner als g(B) ist\n"
        "  - g **antiton**, wenn g(B) kleiner als g(A) ist\n"
    )
    result = _extract("x.md", text)
    assert _cards(result, "Ordnung") == []
    reasons = _left_out(result, "Ordnung")
    assert sum(r.startswith("continues the sentence above it") for r in reasons) == 2, reasons


def test_bold_note_label__not_asked_as_a_term() -> None:
    # "**Note**: ..." is a remark about the table above, not the definition of a "Note".
    result = _extract(
        "x.md", "## Arguments\n\n**Note**: quote `$@` so each argument stays one word.\n"
    )
    assert "What is Note?" not in [c.front for c in _cards(result, "Arguments")]
