"""The one configured parser (deckmark.markdown) and how each dialect renders for Anki."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, rules_inline
from markdown_it.token import Token

from deckmark import markdown as md_module
from deckmark.exporters.text import plain_text
from deckmark.markdown import inline_references, join_lines, markdown, parse
from deckmark.parse import outline
from deckmark.parse.outline import parse_outline
from deckmark.render.html import markdown_to_html, shows_something, shows_when_rendered


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("Costs $5 and $10.", "Costs $5 and $10."),  # currency is not math
        ("$5 and $10 it costs", "$5 and $10 it costs"),
        ("$n=1$ gives 2", r"\(n=1\) gives 2"),  # math first in a text that ends in a digit
        (r"Math $f_{0},\,f_{1}$ here", r"Math \(f_{0},\,f_{1}\) here"),  # as written: "\," kept
        (r"Also \(a<b\)", r"Also \(a&lt;b\)"),
        ("A ==marked== word", "A <mark>marked</mark> word"),
        ("Push: `#!c stack[++top] = x;`", "Push: <code>stack[++top] = x;</code>"),  # inlinehilite
        ("A shebang `#!/bin/sh` stays", "A shebang <code>#!/bin/sh</code> stays"),
        ("Text %%hidden%% more", "Text  more"),
        ("A block with an id ^abc-123", "A block with an id"),
        ("See [[Other note#Part|the part]]", "See the part"),
        ("Para {: .note }", "Para"),
        ("<b>bold</b> and <code>x &lt; y</code>", "<b>bold</b> and <code>x &lt; y</code>"),
        ('<a href="https://example.org">site</a>', '<a href="https://example.org">site</a>'),
        ('<a href="javascript:alert(1)">bad</a>', "bad"),
        ('<font size="3">big</font> <span class="x">s</span>', "big s"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("系统调用是\n用户程序的接口", "系统调用是用户程序的接口"),  # no space between CJK
    ],
)
def test_markdown_to_html__dialect__shows_what_the_author_meant(markdown: str, shown: str) -> None:
    assert markdown_to_html(markdown) == shown


def test_callout__marker_never_shown__title_and_body_are() -> None:
    html = markdown_to_html("> [!tip]- Memo title\n> Body text")
    assert "[!" not in html
    assert '<div class="dm-title">Memo title</div>' in html
    assert "<p>Body text</p>" in html


def test_details__summary_and_body__parsed_as_markdown() -> None:
    tokens = parse(
        "<details>\n<summary><b>Why?</b></summary><br><b>\nBecause **so**.\n</b></details>"
    )
    assert [t.type for t in tokens][:2] == ["details_open", "paragraph_open"]
    assert tokens[0].meta["summary"] == "**Why?**"
    assert tokens[2].content == "Because **so**."


def test_abbreviations__definitions_dropped_and_kept_in_env() -> None:
    env: dict[str, object] = {}
    tokens = parse("HTML is old.\n\n*[HTML]: Hyper Text Markup Language\n", env)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert env["abbreviations"] == {"HTML": "Hyper Text Markup Language"}


def test_wikilink_image__size_and_placement__not_alt_text() -> None:
    [paragraph] = [t for t in parse("![[diagram.png|center|400]]") if t.type == "inline"]
    [image] = paragraph.children or []
    assert image.attrs["src"] == "diagram.png"
    assert image.meta["width"] == "400"
    assert image.content == "diagram.png"


def test_inline_references__reference_links_and_images_written_inline() -> None:
    refs = {"SHOT": {"href": "img/shot.png"}, "DOCS": {"href": "https://docs.example"}}
    text = "[![Shot]][shot] and [the docs][docs], [Docs] and [unknown]"
    assert inline_references(text, refs) == (
        "[![Shot](<img/shot.png>)](<img/shot.png>) and [the docs](<https://docs.example>), "
        "[Docs](<https://docs.example>) and [unknown]"
    )


def test_join_lines__double_backticks_and_trailing_tags() -> None:
    assert join_lines("Use ``git log``\nto read history #git #cli") == (
        "Use `git log` to read history"
    )


def test_plain_text__math_and_wikilinks() -> None:
    assert plain_text(r"See [[Note]] and $x^2$") == r"See Note and \(x^2\)"


_ONE_LINE_CASES = [
    "A {{c1::**stale buffer**}} keeps {{c2::`buffer_0`}} entries.",
    "{{c1::`x`}} is a name",
    "A block with an id ^abc-123",
    "Para {: .note }",
    "Term $$x^2$$ then text",
    "Footnote[^1] and [link][ref] and [[Wiki]] and #tag and %%c%% and ==m== end",
    "<b>x</b> y",
    "1. first",
    "1) first",
    "12345678901. not a list",
    "- item",
    "* item",
    "*emphasis* first",
    "+ item",
    "# Heading",
    "#tag first",
    "> quote",
    "> [!note] Callout",
    "---",
    "***",
    "___",
    "```python",
    "~~~",
    "`code` first",
    "$$x$$",
    "\\[x\\]",
    "\\begin{align}a\\end{align}",
    "%% comment %%",
    "[ref]: https://example.org",
    "[^1]: note",
    "*[HTML]: Hyper Text",
    "!!! note",
    "??? note",
    ":::tip",
    ": definition",
    '=== "Tab"',
    "^only-an-id",
    "| a | b |",
    "<details><summary>Q</summary>A</details>",
    "text ending with a backslash\\",
    "nbsp\u00a0inside",
    "系统调用是用户程序的接口",
    "x\u2028y",
]


@pytest.mark.parametrize("line", _ONE_LINE_CASES)
def test_parse__one_line__same_tokens_as_the_block_parser(line: str) -> None:
    assert _token_dump(parse(line)) == _token_dump(markdown().parse(line, {}))


_MARKDOWN_CHARACTERS = "ab1 .)*_=`~#>+-<$\\%[]!?:|^{}(&;/\n\r\t\x0c\x00\u00a0\u200b系"


@settings(deadline=None, derandomize=True, database=None, max_examples=400)
@given(st.text(alphabet=st.sampled_from(_MARKDOWN_CHARACTERS)))
def test_parse__any_text__same_tokens_as_the_block_parser(text: str) -> None:
    env_fast: dict[str, Any] = {}
    env_full: dict[str, Any] = {}
    assert _token_dump(parse(text, env_fast)) == _token_dump(markdown().parse(text, env_full))
    assert env_fast == env_full


def _token_dump(tokens: list[Token]) -> list[dict[str, Any]]:
    return [token.as_dict() for token in tokens]


_DELETION_SHAPES = st.builds(
    lambda mark, inner: f"{mark}{inner}{mark}",
    st.sampled_from(["`", "**", "__", "*", "_", "==", "``", "~~"]),
    st.text(alphabet=st.sampled_from("aZ09 `*_=<>&;#\u200b\u2060\u00a0\x00\r\n"), max_size=8),
)


@settings(deadline=None, derandomize=True, database=None, max_examples=400)
@given(_DELETION_SHAPES)
def test_shows_something__without_rendering__same_answer_as_rendered(markdown_text: str) -> None:
    assert shows_something(markdown_text) == shows_when_rendered(markdown_text)


@pytest.mark.parametrize(
    ("markdown_text", "shows"),
    [("`x`", True), ("` `", False), ("`\u2060`", False), ("**a b**", True), ("**", True)],
)
def test_shows_something__deletion_shapes(markdown_text: str, shows: bool) -> None:
    assert shows_something(markdown_text) is shows


_NOTES = [
    *sorted((Path(__file__).parent / "fixtures").rglob("*.md")),
    Path(__file__).parent.parent / "cards" / "docker" / "notes.md",
]


@pytest.mark.parametrize("notes", _NOTES, ids=lambda p: p.parent.name + "/" + p.name)
def test_parse__inline_only_where_asked__same_blocks_and_env(notes: Path) -> None:
    text = notes.read_text(encoding="utf-8")
    env_some: dict[str, Any] = {}
    env_all: dict[str, Any] = {}
    some = parse(text, env_some, inline=lambda content: "#" in content)
    full = markdown().parse(text, env_all)
    assert _definitions(env_some) == _definitions(env_all)
    assert [_without_children(t) for t in some] == [_without_children(t) for t in full]
    for lazy, parsed in zip(some, full, strict=True):
        if "#" in lazy.content:
            assert _token_dump(lazy.children or []) == _token_dump(parsed.children or [])


@settings(deadline=None, derandomize=True, database=None, max_examples=200)
@given(st.text(alphabet=st.sampled_from(_MARKDOWN_CHARACTERS + "\n\n"), max_size=80))
def test_parse__inline_only_where_asked__any_text__same_blocks_and_env(text: str) -> None:
    env_some: dict[str, Any] = {}
    env_all: dict[str, Any] = {}
    some = parse(text, env_some, inline=lambda content: False)
    full = markdown().parse(text, env_all)
    assert _definitions(env_some) == _definitions(env_all)
    assert [_without_children(t) for t in some] == [_without_children(t) for t in full]


@pytest.mark.parametrize("notes", _NOTES, ids=lambda p: p.parent.name + "/" + p.name)
def test_outline__reads_children_only_where_it_needs__same_outline(
    notes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = notes.read_text(encoding="utf-8")
    lazy = parse_outline(text, notes.name)
    monkeypatch.setattr(outline, "_READS_CHILDREN", re.compile(""))  # every inline token
    assert lazy == parse_outline(text, notes.name)


def _without_children(token: Token) -> dict[str, Any]:
    return {k: v for k, v in token.as_dict().items() if k != "children"}


def _definitions(env: dict[str, Any]) -> dict[str, Any]:
    """env less the empty footnote table the footnote plugin's inline rule adds to it."""
    empty = {"refs": {}, "list": {}}
    return {k: v for k, v in env.items() if not (k == "footnotes" and v == empty)}


def _markdown_it_text_rule() -> MarkdownIt:
    """The configured parser as it was with markdown-it's own text rule, first of all."""
    md = markdown.__wrapped__()
    md.inline.ruler.at("text", rules_inline.text)
    md.inline.ruler.disable(["comment_inline", "hashtag"])
    md.inline.ruler.before("text", "comment_inline_first", md_module._comment_inline)
    md.inline.ruler.before("text", "hashtag_first", md_module._hashtag)
    return md


@pytest.mark.parametrize("notes", _NOTES, ids=lambda p: p.parent.name + "/" + p.name)
def test_text_rule__stops_only_where_a_rule_may_start__same_tokens(notes: Path) -> None:
    text = notes.read_text(encoding="utf-8")
    assert _token_dump(markdown().parse(text, {})) == _token_dump(
        _markdown_it_text_rule().parse(text, {})
    )


@pytest.mark.parametrize(
    "text",
    [
        "`x`{.a} b",
        "![i](x.png){#id} and [a](https://example.org){.b}",
        "`x`{{c1::y}} [a{{c2::b}}](https://example.org) {{c3::**z**}}:",
        "[label with ] inside]] and [^1] and ^[inline] note",
        "a -- b ++ c @d e: f > g } h",
    ],
)
def test_text_rule__attributes_links_clozes__same_tokens(text: str) -> None:
    ours, theirs = markdown().parse(text, {}), _markdown_it_text_rule().parse(text, {})
    assert _token_dump(ours) == _token_dump(theirs)


@settings(deadline=None, derandomize=True, database=None, max_examples=400)
@given(
    st.lists(
        st.sampled_from([*_MARKDOWN_CHARACTERS, "-", "+", "@", "{{c1::", "}}", "`x`", "{.a}", "**"])
    ).map("".join)
)
def test_text_rule__any_text__same_tokens(text: str) -> None:
    ours, theirs = markdown().parse(text, {}), _markdown_it_text_rule().parse(text, {})
    assert _token_dump(ours) == _token_dump(theirs)


def test_details__indented_answer_right_after_the_summary__text_not_code() -> None:
    # GitHub reads these lines as part of the HTML block: the tab means nothing there.
    tokens = parse(
        "<details>\n<summary>What is `.git`?</summary><br><b>\n"
        "\tThe <code>.git</code> folder holds the history.\n\nSee the docs.\n</b></details>"
    )
    assert [t.type for t in tokens][:2] == ["details_open", "paragraph_open"]
    [code] = [c for c in tokens[2].children or [] if c.type == "code_inline"]
    assert code.content == ".git"


def test_details__indented_code_after_a_blank_line__stays_code() -> None:
    tokens = parse("<details>\n<summary>Q</summary>\n\nSee:\n\n    make all\n\n</details>")
    assert "code_block" in [t.type for t in tokens]


def test_details__code_inside_the_summary__kept_as_a_fenced_block() -> None:
    # Interview repos put the question's manifest inside <summary>: its indentation is the point.
    tokens = parse(
        "<details>\n<summary>What is wrong here?\n\n```yaml\nspec:\n  replicas: 2\n```\n"
        "</summary><br><b>\nThe replicas key is fine.\n</b></details>"
    )
    assert tokens[0].meta["summary"] == "What is wrong here?\n\n```yaml\nspec:\n  replicas: 2\n```"
