"""Random notes and card files (hypothesis strategies) and the properties every build of them
must hold. Used by tests/test_properties.py (a bounded run in CI) and bench/fuzz.py (long runs).

A deck is a dict of file name → text: one notes file made of headings, nested lists, ``label:``
lists, "X vs Y" comparisons, fences with comments, tables, HTML, links, ``<br>`` and front
matter, and sometimes a card file; any text may carry arbitrary Unicode, separators and control
characters included.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from deckmark.build import build, diff
from deckmark.errors import InputError
from deckmark.identity import ChangeKind, lockfile_path
from tests.conftest import import_apkg, read_notes, unsafe_markup

_WORDS = (
    "Docker",
    "image",
    "container",
    "volume",
    "network",
    "layer",
    "registry",
    "port",
    "build",
    "cache",
    "Compose",
    "service",
    "daemon",
    "engine",
    "kernel",
    "namespace",
    "cgroup",
    "process",
    "file",
    "read-only",
    "template",
    "runs",
    "stores",
    "holds",
    "uses",
    "contains",
    "provides",
    "keeps",
    "is",
    "are",
    "has",
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "with",
    "for",
    "and",
    "or",
)
_NAMES = ("Docker", "Kubernetes", "Podman", "VM", "Container", "Image", "Git", "Compose")
_SPECIAL = (
    "\x01\x07\x08\x0b\x0c\x1b\x1c\x1d\x1e\x1f\x7f\x85\x9b\u00a0\u200b\u200e\u2028\u2029"
    "\u202e\u2060\ufeff\ufffd{}[]()<>*_`~#|\\:;!?&\"'=/$%^-+.,@"
)
_HOSTILE = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVa&#115;cript:alert(1))",
    "<javascript:alert(1)>",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    '<div onmouseover="alert(1)">x</div>',
    "{{c1::x}}",
    "{{c2::y::hint}}",
    "}}",
    "<br>",
    "<br/>",
    "&lt;script&gt;",
    "<!-- comment -->",
)

word = st.sampled_from(_WORDS)
unicode_text = st.text(  # every code point but surrogates and NUL (a binary file: refused)
    alphabet=st.characters(exclude_characters="\x00"), max_size=12
)
odd_text = st.text(alphabet=st.sampled_from(_SPECIAL), min_size=1, max_size=4)
fragment = st.one_of(
    word, word, word, st.sampled_from(_NAMES), unicode_text, odd_text, st.sampled_from(_HOSTILE)
)


@st.composite
def sentence(draw: Callable[..., Any]) -> str:
    """Mostly English-looking words, with marked spans and odd text mixed in."""
    parts = [draw(st.sampled_from(_NAMES)), draw(st.sampled_from(("is", "has", "runs", "uses")))]
    for piece in draw(st.lists(fragment, min_size=1, max_size=8)):
        style = draw(st.sampled_from(("", "", "", "`", "**", "*")))
        parts.append(f"{style}{piece}{style}" if style and piece.strip() else piece)
    return " ".join(parts) + draw(st.sampled_from((".", ".", "", "?", ":")))


@st.composite
def title(draw: Callable[..., Any]) -> str:
    kind = draw(st.sampled_from(("name", "name", "question", "vs", "odd")))
    if kind == "question":
        return f"What is {draw(st.sampled_from(_NAMES))} {draw(fragment)}?"
    if kind == "vs":
        left, right = draw(st.lists(st.sampled_from(_NAMES), min_size=2, max_size=2, unique=True))
        return f"{left} vs {right}"
    if kind == "odd":
        return " ".join(draw(st.lists(fragment, min_size=0, max_size=4)))
    return " ".join(
        draw(st.lists(st.sampled_from(_NAMES + tuple(_WORDS[:12])), min_size=1, max_size=3))
    )


@st.composite
def bullet_list(draw: Callable[..., Any], depth: int = 0) -> str:
    marker = draw(st.sampled_from(("-", "*", "1.")))
    lines = []
    indent = "  " * depth if marker != "1." else "   " * depth
    for _ in range(draw(st.integers(1, 4))):
        lines.append(f"{indent}{marker} {draw(sentence())}")
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            lines.append(draw(bullet_list(depth + 1)))
    return "\n".join(lines)


@st.composite
def label_list(draw: Callable[..., Any]) -> str:
    label = f"{draw(st.sampled_from(_NAMES))} {draw(st.sampled_from(('benefits', 'has', 'uses')))}:"
    items = draw(st.lists(st.one_of(sentence(), st.sampled_from(_WORDS)), min_size=1, max_size=7))
    key_value = draw(st.booleans())
    body = "\n".join(
        f"- {draw(st.sampled_from(_NAMES))}: {item}" if key_value else f"- {item}" for item in items
    )
    return f"{label}\n\n{body}"


@st.composite
def comparison(draw: Callable[..., Any]) -> str:
    left, right = draw(st.lists(st.sampled_from(_NAMES), min_size=2, max_size=2, unique=True))
    if draw(st.booleans()):
        rows = "\n".join(
            f"| {draw(word)} | {draw(fragment)} | {draw(fragment)} |"
            for _ in range(draw(st.integers(1, 3)))
        )
        return (
            f"## {left} vs {right}\n\n| Feature | {left} | {right} |\n| --- | --- | --- |\n{rows}"
        )
    sides = "\n\n".join(f"**{name}**\n\n{draw(bullet_list())}" for name in (left, right))
    return f"## {left} vs {right}\n\n{sides}"


@st.composite
def code_fence(draw: Callable[..., Any]) -> str:
    info = draw(
        st.one_of(
            st.sampled_from(("bash", "dockerfile", "yaml", "python", "", "console")),
            st.sampled_from(('x"><script>alert(1)</script>', 'bash"onmouseover="alert(1)"x="')),
            unicode_text,
        )
    )
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        command = draw(st.sampled_from(("docker ps", "RUN apt-get update", "image: nginx", "ls")))
        comment = draw(st.sampled_from(("", f"  # {draw(sentence())}", "  // lists")))
        lines.append(command + comment)
        if draw(st.integers(0, 4)) == 0:
            lines.append(f"# Output: {draw(fragment)}")
    fence = draw(st.sampled_from(("```", "~~~", "````")))
    closed = draw(st.integers(0, 9)) > 0
    return f"{fence}{info}\n" + "\n".join(lines) + (f"\n{fence}" if closed else "")


@st.composite
def table(draw: Callable[..., Any]) -> str:
    columns = draw(st.integers(2, 3))
    header = "| " + " | ".join(draw(word) for _ in range(columns)) + " |"
    rows = [
        "| " + " | ".join(draw(fragment).replace("|", "\\|") for _ in range(columns)) + " |"
        for _ in range(draw(st.integers(1, 3)))
    ]
    return "\n".join([header, "|" + " --- |" * columns, *rows])


block = st.one_of(
    sentence(),
    bullet_list(),
    bullet_list(),
    label_list(),
    code_fence(),
    table(),
    st.sampled_from(_HOSTILE),
    st.just("<br>"),
    st.builds(lambda t: f"> {t}", sentence()),
    st.builds(lambda t: f"- **{t}**", st.sampled_from(_NAMES)),
    st.builds(lambda t: f"- Port: {t}", st.sampled_from(("<br>", "", "80", "**"))),
)


@st.composite
def notes_text(draw: Callable[..., Any]) -> str:
    parts = []
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"---\ntitle: {draw(fragment)}\ntags: [{draw(word)}]\n---")
    # One section a recipe surely reads (a definition), so most examples build.
    name = draw(st.sampled_from(_NAMES))
    parts.append(f"## {name}\n\n{name} is a {draw(word)} {draw(fragment)}.\n\n{draw(sentence())}")
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(comparison()))
            continue
        level = draw(st.integers(1, 4))
        parts.append(f"{'#' * level} {draw(title())}")
        parts.extend(draw(st.lists(block, max_size=3)))
    if draw(st.integers(0, 49)) == 0:
        parts.append("binary\x00")  # refused as a binary file
    return "\n\n".join(parts) + draw(st.sampled_from(("\n", "", "\r\n", "\n\n")))


@st.composite
def card_file_text(draw: Callable[..., Any]) -> str:
    cards = []
    for n in range(draw(st.integers(1, 3))):
        question = draw(st.one_of(title(), title(), sentence(), st.just("")))
        options = draw(
            st.sampled_from(
                (
                    "",
                    f"<!-- id: c{n} -->",
                    "<!-- reverse -->",
                    "<!-- cloze -->",
                    "<!-- covers: X -->",
                )
            )
        )
        body = draw(st.one_of(sentence(), bullet_list(), code_fence(), st.just("<br>")))
        if "cloze" in options:
            body += f" {{{{c1::{draw(word)}}}}}"
        cards.append(f"# {question}\n{options}\n\n{body}")
    return "---\nkind: cards\n---\n\n" + "\n\n".join(cards) + "\n"


@st.composite
def decks(draw: Callable[..., Any]) -> dict[str, str]:
    """File name → text of one deck folder."""
    files = {"notes.md": draw(notes_text())}
    if draw(st.integers(0, 3)) == 0:
        files["cards.md"] = draw(card_file_text())
    return files


# --- the properties ---------------------------------------------------------------------------


class _Sides(HTMLParser):
    """Text Anki shows in a rendered card, by the class of the enclosing div or span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("div", "span"):
            self.stack.append(dict(attrs).get("class") or "")
        elif tag == "img":
            for name in self.stack:
                self.text[name] = self.text.get(name, "") + "[image]"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "span") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for name in self.stack:
            self.text[name] = self.text.get(name, "") + data


def shown(html: str, *classes: str) -> str:
    """The visible characters (no spaces, controls or invisible formatting) of ``classes``."""
    parser = _Sides()
    parser.feed(re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL))
    text = "".join(parser.text.get(name, "") for name in classes)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ")


def check_deck(files: dict[str, str], *, anki: bool) -> str:
    """Build ``files`` as a deck and assert every property; the outcome, for statistics.

    Raises AssertionError (or any unexpected exception) when a property fails.
    """
    with tempfile.TemporaryDirectory(prefix="deckmark-fuzz-") as tmp:
        root = Path(tmp)
        deck_dir = root / "deck"
        deck_dir.mkdir()
        for name, text in files.items():
            (deck_dir / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        out = root / "out"
        # The text export renders every field as the .apkg does; genanki's write is the slow part.
        formats = ["apkg", "anki-txt"] if anki else ["anki-txt"]
        try:
            result = build([deck_dir], out, formats, now=1_700_000_000)
        except InputError as e:  # deckmark's own error: every line names a file of the deck
            assert e.problems, "an InputError without problems"
            for problem in e.problems:
                assert problem.startswith(deck_dir.as_posix()), problem
            return "refused"
        (deck,) = result.decks
        guids = [card.guid for card in deck.cards]
        assert len(set(guids)) == len(guids), "GUIDs not unique"
        # A second look reads deckmark's own lockfile and sees nothing changed.
        lock = lockfile_path(deck_dir).read_bytes()
        ((_, identity),) = diff([deck_dir], now=1_700_000_100)
        changed = [c for c in identity.changes if c.kind is not ChangeKind.UNCHANGED]
        assert not changed, f"unchanged input, but diff reports {changed[:3]}"
        build([deck_dir], out, formats, now=1_700_000_200)
        assert lockfile_path(deck_dir).read_bytes() == lock, "second build rewrote the lockfile"
        if anki:
            _check_in_anki(root, out / f"{deck.slug}.apkg", len(deck.cards))
        return "built"


def _check_in_anki(root: Path, apkg: Path, note_count: int) -> None:
    from anki.collection import Collection

    col = Collection(str(root / "collection.anki2"))
    try:
        counts = import_apkg(col, apkg)
        assert counts["new"] == note_count, f"Anki imported {counts} of {note_count} notes"
        notes = read_notes(col)
        assert len({n["guid"] for n in notes}) == note_count
        for note in notes:
            for name, field in note["fields"].items():
                assert not unsafe_markup(field), f"{name}: {unsafe_markup(field)} in {field!r}"
            for card in note["cards"]:
                if note["notetype"] == "deckmark Cloze":
                    question = card["question"].replace("[...]", "")
                    assert shown(question, "front", "prompt"), f"blank cloze question {note}"
                    assert shown(card["answer"], "cloze"), f"empty deletion {note}"
                else:
                    assert shown(card["question"], "front"), f"blank question {note}"
                    assert shown(card["answer"], "back"), f"blank answer {note}"
    finally:
        col.close()
