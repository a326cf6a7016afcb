"""Comparison cards: an "X vs Y" section → a fact per side, discrimination cards, an overview.

The sides are bold labels or sub-headings naming X and Y, or a three-column table
(| feature | X | Y |).
"""

from __future__ import annotations

import re

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.outline import Block, CodeBlock, Html, ListBlock, Paragraph, Table
from deckmark.parse.outline import Section as OutlineSection
from deckmark.parse.recipes import fact, walk
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import (
    SectionCards,
    TopicState,
    block_markdown,
    first_statement,
    slug,
)


def side_tag(side: str) -> tuple[str]:
    return (f"side::{slug(side)}",)


def is_comparison_table(block: Block) -> bool:
    return isinstance(block, Table) and len(block.header) == 3


def comparison_cards(
    out: SectionCards,
    section: OutlineSection,
    sides: list[OutlineSection],
    names: tuple[str, str],
    extra: list[Block],
) -> None:
    x, y = names
    english = out.notes.english
    side_names = tuple(side.title for side in sides)
    shared: list[Block] = [b for b in [*section.blocks, *extra] if not isinstance(b, Html)]
    rows: dict[str, list[str]] = {}
    for side in sides:
        blocks: list[Block] = [b for b in side.blocks if not isinstance(b, Html)]
        # Code and what follows it under the last label illustrates both sides.
        code_at = next((i for i, b in enumerate(blocks) if isinstance(b, CodeBlock)), None)
        own, after = (blocks, []) if code_at is None else (blocks[:code_at], blocks[code_at:])
        shared.extend(after)
        subject = out.notes.subject(side.title, first_statement(own))
        tag = side_tag(side.title)
        rows[side.title] = []
        for statement, source in _statements_of(own):
            kv = ph.key_value(statement)
            if kv:
                key = ph.kv_key(kv)
                value = ph.strip_end_punctuation(kv.group("value"))
                # "Isolation: ..." under one side is that side's: the question names it.
                named = key.casefold() in {n.casefold() for n in (x, y, *side_names)}
                asked = key if named else f"{side.title} › {key}"
                out.add(
                    CardKind.COMPARISON,
                    f"{x} vs {y} › {asked}, in short?",
                    ph.capitalise(value),
                    source,
                    tags=tag,
                )
                rows[side.title].append(f"{key} → {value}")
                continue
            for sentence in ph.split_sentences(statement):
                rows[side.title].append(ph.strip_end_punctuation(sentence))
                # "Has strong isolation." under **VM** is about the VM: say so.
                sentence = ph.with_subject(sentence, subject)
                cloze = fact.cloze_marked_spans(sentence, out.notes.language)
                cloze = cloze or fact.cloze_clause(sentence)
                if cloze:
                    out.add(CardKind.COMPARISON, cloze, "", source, tags=tag)
                predicate = ph.strip_subject(sentence, (*side_names, subject.name))
                if predicate and english:
                    question = f"{x} or {y}: which {ph.strip_end_punctuation(predicate)}?"
                else:
                    masked = sentence
                    for name in (*side_names, subject.name):
                        masked = re.sub(re.escape(name), "___", masked, flags=re.I)
                    which = f"{x} or {y}: which one?" if english else f"{x} / {y}:"
                    question = f"{which} “{masked}”"
                out.add(CardKind.DISCRIMINATION, question, side.title, source, tags=tag)
    if len(rows) == 2 and all(rows.values()):
        # By title: a side named twice (a label and a sub-heading) is one column.
        (left_title, left), (right_title, right) = rows.items()
        overview = [f"| {left_title} | {right_title} |", "| --- | --- |"]
        for n in range(max(len(left), len(right))):
            cells = [col[n] if n < len(col) else "" for col in (left, right)]
            overview.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.add(
            CardKind.OVERVIEW,
            _overview_question(out, x, y),
            "\n".join(overview),
            section.source,
            tags=("overview",),
        )
    tables = [b for b in shared if isinstance(b, Table) and is_comparison_table(b)]
    for table in tables:
        _comparison_table(out, table, (x, y))
    state = TopicState(subject=ph.Subject(f"{x} vs {y}"), keyword=None, defined=True)
    walk.blocks(out, [b for b in shared if b not in tables], state)


def _comparison_table(out: SectionCards, table: Table, names: tuple[str, str]) -> None:
    """| feature | X | Y | rows: a fact per cell, a discrimination card per distinct cell."""
    x, y = names
    sides = table.header[1:]
    for row in table.rows:
        if len(row) < 3 or not row[0]:
            continue
        feature = row[0]
        for side, cell in zip(sides, row[1:], strict=False):
            if not cell:
                continue
            out.add(
                CardKind.COMPARISON,
                f"{x} vs {y} › {side}: {feature}?",
                cell,
                table.source,
                tags=side_tag(side),
            )
            if row[1] != row[2]:
                which = (
                    f"{x} or {y}: which has {ph.lower_first(feature)} “{cell}”?"
                    if out.notes.english
                    else f"{x} / {y}: {feature} “{cell}”?"
                )
                out.add(
                    CardKind.DISCRIMINATION,
                    which,
                    side,
                    table.source,
                    tags=side_tag(side),
                )
    out.add(
        CardKind.OVERVIEW,
        _overview_question(out, x, y),
        block_markdown(table),
        table.source,
        tags=("overview",),
    )


def _overview_question(out: SectionCards, x: str, y: str) -> str:
    return f"What are the differences between {x} and {y}?" if out.notes.english else f"{x} vs {y}"


def _statements_of(blocks: list[Block]) -> list[tuple[str, SourceLocation]]:
    found: list[tuple[str, SourceLocation]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            found.append((block.text, block.source))
        elif isinstance(block, ListBlock):
            for item in block.items:
                # "**Advantages**:" over its own items names them; it states nothing.
                if item.text and not (item.children and ph.is_list_label(item.text)):
                    found.append((item.text, item.source))
                found.extend(_statements_of(list(item.children)))
    return found
