"""Table cards: a property or term/definition table with a header row → one card per cell.

Only a table whose shape means something makes cards: a header row naming the properties and a
first column naming the things. Layout tables (no header, one column, mostly links: an index of
exercises) and separator rows make none; ``deckmark check`` lists them as "layout table".
"""

from __future__ import annotations

import re

from deckmark.model import CardKind
from deckmark.parse.outline import Table
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, TopicState

_GENERIC_HEADER = re.compile(
    r"(?:(?:heading |short )?(?:name|description|meaning|notes?|comments?|details|explanation|"
    r"info|information|value|title|purpose|what it does)|beschreibung|bedeutung|erklärung|"
    r"descrizione|significato|descripción|significado|description|signification|"
    r"说明|描述|含义|备注)",
    re.IGNORECASE,
)
"""Column names that only say "the text about the row" (in the languages the recipes know)."""
_LINK_ONLY = re.compile(r"^!?\[[^\]]*\]\([^)]*\)$|^<a\b.*</a>$")
_LOCAL_LINK = re.compile(r"^\[[^\]]+\]\((?![a-z][a-z0-9+.-]*:)[^)]*\)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[-=:_*~\s]*$")


def _is_link(cell: str) -> bool:
    return bool(_LINK_ONLY.match(cell.strip()))


def layout_reason(table: Table) -> str | None:
    """Why a table is layout rather than facts, or None when its shape means something."""
    cells = [cell for row in table.rows for cell in row[1:] if cell.strip()]
    if len(table.header) < 2 or not any(h.strip() for h in table.header[1:]):
        return "layout table (no header naming the columns)"
    if not cells:
        return "layout table (no values)"
    if sum(map(_is_link, cells)) * 2 >= len(cells):
        return "layout table (mostly links)"
    if len(table.rows) > 1 and all(_LOCAL_LINK.match(row[0].strip()) for row in table.rows if row):
        # "| [Array](./array.md) | High |": a table of contents; the facts are on those pages.
        return "index of other pages (every row is a link to one)"
    return None


def answer_in_question(question: str, answer: str) -> bool:
    """Every word of the answer is already printed in the question ("Topic?" → "Commit")."""
    asked = {w.lower().rstrip("s") for w in ph.words(question)}
    said = [w.lower().rstrip("s") for w in ph.words(answer)]
    return bool(said) and all(w in asked for w in said)


def opposite_columns(first: str, other: str) -> bool:
    """ "Do ✅ | Don't ❌": each "don't" only negates its row's "do", which the front shows."""
    do = re.match(r"\W*(?:do|dos|good|right)\b", first, re.IGNORECASE)
    dont = re.match(r"\W*(?:don[’']?t|do not|avoid|bad|wrong)\b", other, re.IGNORECASE)
    return bool(do and dont)


def table_cards(out: SectionCards, table: Table, state: TopicState) -> None:
    if reason := layout_reason(table):
        out.leave_out(table.source, reason, " | ".join(table.header))
        return
    for row in table.rows:
        if not row or not row[0].strip() or all(_SEPARATOR.match(cell) for cell in row):
            continue
        for header, cell in zip(table.header[1:], row[1:], strict=False):
            if not cell.strip() or _SEPARATOR.match(cell) or _is_link(cell):
                continue
            if re.fullmatch(r"\s*[(（][^()（）]*[)）]\s*", cell):
                # "(Use resume headline as section title, ...)": a note on the row, not its value.
                out.leave_out(table.source, "cell is only a note in parentheses", cell)
                continue
            if opposite_columns(table.header[0], header):
                out.leave_out(table.source, "the opposite of the row's own label", cell)
                continue
            # A lone column named "Description" or "Heading Name" says nothing the row label
            # does not: "Conditions › `[[ -z STRING ]]`?" as for a ``Key: value`` line.
            named = len(table.header) > 2 or not _GENERIC_HEADER.fullmatch(header.strip())
            question = (
                f"{state.subject.name} › {row[0]} › {header}?"
                if named
                else f"{state.subject.name} › {row[0]}?"
            ).replace("›  ›", "›")
            if answer_in_question(question, cell):
                out.leave_out(table.source, "answer printed in the question", question)
                continue
            out.add(CardKind.FACT, question, cell, table.source)
