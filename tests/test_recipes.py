"""Precision rules of the recipes, one test per failure shape seen on real notes (issue #9).

The fixtures are written in our own words; tests/golden/ pins their full output.
"""

from __future__ import annotations

import re
from pathlib import Path

from deckmark.model import CLOZE_RE, Card
from deckmark.parse.notes import NotesResult
from tests.recipe_cards import cards_under as _cards
from tests.recipe_cards import extract as _extract
from tests.recipe_cards import left_out as _left_out


def _deletions(card: Card) -> list[str]:
    return [m.group(2) for m in CLOZE_RE.finditer(card.front)]


def test_vague_tail__no_cloze__left_out_with_reason() -> None:
    result = _extract("precision.md")
    deletions = [d for card in _cards(result, "Memory") for d in _deletions(card)]
    assert all(len(d.split()) <= 8 for d in deletions)
    assert not any("Unix" in d for d in deletions)
    assert any(
        m.startswith("no clear deletion") and "Windows" in m for m in _left_out(result, "Memory")
    )


def test_term_with_a_verb_like_word__never_cut_inside() -> None:
    result = _extract("precision.md")
    assert not any("Formatting" in d for c in result.cards for d in _deletions(c))
    assert not any("Block {{" in c.front for c in result.cards)


def test_pronoun_after_another_subject__not_replaced__shown_under_its_sentence() -> None:
    result = _extract("precision.md")
    (samba,) = [c for c in _cards(result, "Inode") if "Samba" in c.front]
    assert samba.front.startswith("It is implemented")
    assert "Inode" not in samba.front and "inode" not in samba.front
    assert samba.prompt == "SMB is a protocol for sharing files over a network."


def test_pronoun_after_the_definition__replaced_by_the_subject() -> None:
    result = _extract(
        "x.md", "## Container\n\n- A container is a running image.\n- It runs in **isolation**.\n"
    )
    assert any(c.front.lower().startswith("a container runs") for c in result.cards)


def test_list_label_that_is_not_a_noun_phrase__asked_as_written() -> None:
    (card,) = _cards(_extract("precision.md"), "Git internals")
    assert card.front == "Git internals › Shortly, it runs git diff twice … (2)"


def test_unordered_list__never_asked_as_steps() -> None:
    result = _extract("x.md", "## Tools\n\n- grep\n- sed\n- awk\n")
    assert not any("steps" in c.question for c in result.cards)


def test_layout_table__no_card__listed_as_layout_table() -> None:
    result = _extract("precision.md")
    assert _cards(result, "Exercises") == []
    assert any(m.startswith("layout table") for m in _left_out(result, "Exercises"))


def test_property_table__separator_row_makes_no_card() -> None:
    cards = _cards(_extract("precision.md"), "Scheduling policies")
    assert len(cards) == 4
    assert not any("---" in c.front or "---" in c.back for c in cards)


def test_answer_printed_in_the_question__no_card() -> None:
    table = "## Index\n\n| Name | Topic |\n|---|---|\n"
    table += "| First commit | Commit |\n| Merge | Rebase |\n"
    result = _extract("x.md", table)
    assert [c.back for c in result.cards] == ["Rebase"]
    assert any(m.startswith("answer printed in the question") for m in _left_out(result, "Index"))


def test_worked_example_on_a_figure__no_card() -> None:
    result = _extract("precision.md")
    assert not any("distance to E" in c.front for c in result.cards)
    assert any("distance to E" in m for m in _left_out(result, "Shortest paths"))


def test_quiz__one_card_per_question__answer_letter_and_explanation_on_the_back() -> None:
    result = _extract("quiz.md")
    assert [c.context[-1] for c in result.cards] == [
        "1. What does this print?",
        "2. Which keyword defines a generator?",
    ]
    first, second = result.cards
    assert "print(len({1, 1, 2}))" in first.front and "- B: `2`" in first.front
    assert first.back.startswith("Answer: B") and "two elements" in first.back
    assert second.back.startswith("Answer: B") and "`yield`" in second.back
    assert not any(s.path[-1].startswith("Answer") for s in result.sections)


def test_comment_restating_the_line__no_card__a_run_of_them_is_one_list_card() -> None:
    result = _extract("precision.md")
    cards = _cards(result, "Compose settings")
    assert not any("API username" in c.front for c in cards)
    (group,) = [c for c in cards if "set under `environment:`" in c.front]
    assert group.front.endswith("(3)") and "API_USER=admin" in group.back
    assert not any("cache container" in c.back or "cache container" in c.front for c in cards)
    assert not any("described as" in c.front for c in result.cards)


def test_notes_in_chinese__no_english_template_words() -> None:
    result = _extract("zh-notes.md")
    english = re.compile(r"\b(?:What|Which|In this|what does|steps|line)\b")
    assert result.cards and not any(english.search(c.question) for c in result.cards)
    assert any(c.front == "操作系统主要有哪些功能？ (3)" for c in result.cards)


def test_front_matter_lang__overrides_detection() -> None:
    notes = "---\nlang: de\n---\n## Prozess\n\n- A process is a running program.\n"
    assert not any(c.front.startswith("What") for c in _extract("x.md", notes).cards)


DOCKER_NOTES = Path(__file__).parent.parent / "cards" / "docker" / "notes.md"


def _docker() -> NotesResult:
    return _extract("notes.md", DOCKER_NOTES.read_text(encoding="utf-8"))


def test_docker_compose_file__trivia_comments_make_no_cards__teaching_ones_stay() -> None:
    compose = _cards(_docker(), "Docker Compose file")
    text = " ".join(c.front + " " + c.back for c in compose)
    for trivia in ("PostgreSQL username", "described as", "This is the Django application"):
        assert trivia not in text
    assert "Map port 8000 on host to port 8000 on container" in text
    assert "Wait for PostgreSQL to start" in text  # the correction card attaches here
    assert len(compose) < 53  # the 53 cards before: every commented line both ways


def test_docker_notes__no_yes_no_questions() -> None:
    yes_no = re.compile(r"^(?:Is|Are|Does|Do|Can|Should|Will|Has)\b")
    assert not [c.front for c in _docker().cards if not c.is_cloze and yes_no.match(c.front)]


_EXAMPLE_PROGRAM = """## Dining clerks

```c
void serve(int k) {
    grab(k);        // 拿起左边的叉子
    int queue[K];   // every clerk's queue
    counter--;      // one clerk fewer
}
```

## Lists in Python

```python
def walk(node):
    # visit the left branch
    walk(node.left)
    if node.key == key:  # found the key to remove
        return node
```
"""


def test_line_comment_in_an_example_program__no_card__left_out_as_example() -> None:
    result = _extract("x.md", _EXAMPLE_PROGRAM)
    for heading in ("Dining clerks", "Lists in Python"):
        assert not any(
            "grab" in c.front or "walk(node.left)" in c.front or "found the key" in c.back
            for c in _cards(result, heading)
            if "each line" not in c.front
        )
        assert any(
            m.startswith("comment on a line of an example program")
            for m in _left_out(result, heading)
        )


def test_line_comment_in_a_reference_list_or_on_language_behaviour__kept() -> None:
    text = (
        "## Calls\n\n```c\nspawn();  // starts a child process\n```\n\n"
        "## Arrays\n\n```java\nObject[] objs = names;\n"
        "objs[0] = 1;  // throws ArrayStoreException\n```\n"
    )
    result = _extract("x.md", text)
    assert any("starts a child process" in c.back.lower() for c in _cards(result, "Calls"))
    assert any("ArrayStoreException" in c.back for c in _cards(result, "Arrays"))


def test_hidden_text_still_printed_on_the_front__no_card__left_out() -> None:
    text = (
        "## Kernels\n\n"
        "- The Task State Record (TSR) holds a task's registers; scheduling reads the `TSR`.\n"
        "- A loop over the **queue** drains the queue.\n"
        "- If \\(k_3\\) counts nodes of degree `3`, the sum grows.\n"
        "- `TSR` stands for Task State Record.\n"
    )
    result = _extract("x.md", text)
    fronts = [c.front for c in _cards(result, "Kernels")]
    assert not any("{{c1::TSR}}" in f or "{{c1::**queue**}}" in f for f in fronts), fronts
    assert not any("{{c1::`3`}}" in f for f in fronts), fronts
    reasons = [m for m in _left_out(result, "Kernels") if m.startswith("answer printed")]
    assert len(reasons) == 4, _left_out(result, "Kernels")


def test_hidden_text_not_elsewhere_on_the_front__card_kept() -> None:
    result = _extract("x.md", "## Kernels\n\n- Scheduling reads the `TSR` of each task.\n")
    assert [c.front for c in _cards(result, "Kernels")] == [
        "Scheduling reads the {{c1::`TSR`}} of each task."
    ]


_VAGUE_AND_ADVICE = """## Widgets

- The sidebar plugin also sets up extra links.
- This flag is especially useful for sites with many pages.
- A dark theme is an excellent choice for dashboards.
- You can stack panels in several rows.
- Your summary should mention the main result.
- In languages without implicit conversion, check that joined values share a type: int/str/list.
- Hobbies - If relevant, include the clubs you lead.
- Lemma：a widget is nested inside its frame.

: This mode is active while the panel is open.
"""


def test_vague_or_advice_sentence__no_cloze__left_out_with_reason() -> None:
    result = _extract("x.md", _VAGUE_AND_ADVICE)
    assert _cards(result, "Widgets") == [], [c.front for c in _cards(result, "Widgets")]
    reasons = _left_out(result, "Widgets")
    for expected in (
        "no clear deletion (the blank would split a phrasal verb)",
        "no clear deletion (the blank would hide a common word)",
        "no clear deletion (the blank would hide a vague phrase)",
        "no clear deletion (a sentence to the reader: advice, not a fact)",
        "no clear deletion (advice)",
        "no clear deletion (the blank would hide the rest of a short sentence)",
        "a definition without its term",
    ):
        assert any(r.startswith(expected) for r in reasons), (expected, reasons)


def test_blank_on_a_bare_keyword_or_half_a_term__no_cloze() -> None:
    text = (
        "## Loops\n\n"
        "- Each pass of the `while` pops one item from the heap.\n"
        "- Queues beat plain Ruby arrays when popping from the front.\n"
    )
    result = _extract("x.md", text)
    deletions = [d for c in _cards(result, "Loops") for d in _deletions(c)]
    assert "`while`" not in deletions and "Ruby" not in deletions, deletions


def test_order_or_recommendation_to_the_reader__no_cloze__left_out_as_advice() -> None:
    text = (
        "## Letters\n\n"
        "- Only include projects that match the post.\n"
        "- Clarify any limits you took for granted.\n"
        "- The opening line should name the role.\n"
    )
    result = _extract("x.md", text)
    assert _cards(result, "Letters") == [], [c.front for c in _cards(result, "Letters")]
    assert (
        sum(m.startswith("no clear deletion (advice)") for m in _left_out(result, "Letters")) == 3
    )


def test_line_comment_saying_what_a_program_returns__not_language_behaviour() -> None:
    text = (
        "## Trees\n\n```python\ndef size(n):\n    if n.empty():\n"
        "        return 0  # an empty node: return zero\n```\n"
    )
    result = _extract("x.md", text)
    assert not any("return zero" in c.back for c in _cards(result, "Trees"))


def test_list_with_no_heading_and_no_label__no_card__left_out() -> None:
    result = _extract("x.md", "Intro line.\n\n1. Pick a template\n2. Fill it in\n3. Send it off\n")
    assert not any(c.front.startswith((":", "(")) for c in result.cards)
    messages = [d.message for s in result.sections for d in s.left_out]
    assert any(m.startswith("a list with neither label nor heading") for m in messages)


def test_do_and_dont_table__the_dont_column_makes_no_card() -> None:
    text = (
        "## Habits\n\n| Do ✅ | Don't ❌ |\n|---|---|\n"
        "| Label every axis | Leave axes bare |\n| Name each file | Keep default names |\n"
    )
    result = _extract("x.md", text)
    assert not any("Don't" in c.front for c in _cards(result, "Habits"))
    assert any(
        m.startswith("the opposite of the row's own label") for m in _left_out(result, "Habits")
    )


def test_line_outcome_depending_on_code_elsewhere__shown_with_that_code_or_no_card() -> None:
    result = _extract("code-setup.md")
    # The constructor's defaults are in another block of the section: both are on the card.
    fronts = {c.back: c.front for c in _cards(result, "Standardwerte")}
    assert set(fronts) == {"Bruch(0,1)", "Bruch(3,1)"}, fronts
    assert all("int zaehler = 0, int nenner = 1" in front for front in fronts.values())
    assert "Bruch b1" not in fronts["Bruch(3,1)"]  # only the lines its outcome depends on
    # A line that needs nothing else keeps its plain card.
    assert [c.front for c in _cards(result, "Felder")] == ["Felder: `int[] zahlen = new long[4];`"]
    # A setup too long to show: no card, and check says why.
    assert not _cards(result, "Lange Vorbereitung")
    assert "what it gives depends on Konto, set elsewhere: Konto k = new Konto();" in _left_out(
        result, "Lange Vorbereitung"
    )


def test_english_line_outcome_depending_on_a_declaration__asked_after_it() -> None:
    text = (
        "## Arrays\n\n```java\nObject[] objs = new String[2];\n"
        "objs[0] = 1;  // throws ArrayStoreException\n```\n"
    )
    (card,) = _cards(_extract("x.md", text), "Arrays")
    assert card.front == (
        "In this java code, after\n\n```java\nObject[] objs = new String[2];\n```\n\n"
        "what does `objs[0] = 1;` do?"
    )
    assert card.back == "Throws ArrayStoreException"


def test_bold_parts_under_a_key_components_heading__asked_as_labels_not_what_is() -> None:
    cards = _cards(_extract("component-labels.md"), "Key Components")
    # "What is Base Layer?" would ask for a definition; the line says what the part holds.
    assert [c.front for c in cards] == [
        "Key components › Base Layer?",
        "Key components › Service Binary?",
    ]


def test_comment_that_restates_the_command_with_a_generic_object__no_card() -> None:
    result = _extract("component-labels.md")
    backs = [c.back for c in _cards(result, "Build file")]
    assert not any("Build the app" in b or "make build" in b for b in backs), backs
    assert any("unprivileged user" in b for b in backs), backs
    assert any(r.startswith("comment restates the line") for r in _left_out(result, "Build file"))


def test_problem_and_solution__the_solution_and_its_code_answer__the_rest_makes_its_cards() -> None:
    result = _extract("code-setup.md")
    problem, *others = _cards(result, "Erweiterungen")
    assert problem.front.startswith("Erweiterungen\n\nProblem: Eine fremde Klasse")
    assert problem.back.startswith("Lösung: Eine statische Methode")
    assert problem.back.endswith("```") and "Namespace" not in problem.back
    # The bullet after the solution is the section's own fact; the method name `Zaehle()`
    # that the section's code defines is no blank.
    assert [c.front for c in others] == [
        "Die Erweiterung ist nur sichtbar, wenn ihr {{c1::**Namespace**}} eingebunden ist."
    ]
    assert any(
        r.startswith("a name from the notes' own code (`Zaehle()`)")
        for r in _left_out(result, "Erweiterungen")
    )


def test_comment_wrapped_over_two_lines__explains_the_line_whole() -> None:
    text = (
        "## Caching\n\n```dockerfile\n# Copy the lock file first so the install layer is reused\n"
        "# while dependencies stay the same\nCOPY yarn.lock ./\n```\n"
    )
    backs = [c.back for c in _cards(_extract("x.md", text), "Caching")]
    assert (
        "Copy the lock file first so the install layer is reused while dependencies stay the same"
        in backs
    ), backs


def test_short_whole_comment_over_a_lower_case_one__two_comments() -> None:
    text = (
        "## Images\n\n```dockerfile\n# Build the image\n# docker build is slow without cache\n"
        "RUN make\n```\n"
    )
    backs = [c.back for c in _cards(_extract("x.md", text), "Images")]
    assert not any("Build the image docker build" in b for b in backs), backs
    assert "Docker build is slow without cache" in backs, backs


def test_outcome_of_a_name_used_inside_an_f_string__depends_on_its_declaration() -> None:
    # `stack` is read inside the f-string's braces: the printed value comes from its pushes.
    text = (
        "## Stacks\n\n```python\nstack = []\nstack.append(4)\nstack.append(9)\n"
        'print(f"top: {stack[-1]}")  # 9 (the last push)\n```\n'
    )
    (card,) = _cards(_extract("x.md", text), "Stacks")
    assert card.front.startswith("In this python code, after\n\n```python\nstack = []")
    assert card.back == "9 (the last push)"
