"""A section's blocks in order, each handed to the recipe for its shape."""

from __future__ import annotations

import re

from deckmark.parse.outline import (
    Block,
    CodeBlock,
    Container,
    DefinitionList,
    Figure,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
)
from deckmark.parse.recipes import code, containers, definition, fact, language, lists, table
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, TopicState, is_file_header


def blocks(out: SectionCards, section_blocks: list[Block], state: TopicState) -> None:
    previous_code: CodeBlock | None = None
    cards_before_text: int | None = None
    """How many cards the section had before the last block that is no figure: what it made."""
    for index, block in enumerate(section_blocks):
        if not isinstance(block, Figure):
            cards_before_text = len(out.cards)
        following = section_blocks[index + 1] if index + 1 < len(section_blocks) else None
        if isinstance(block, Paragraph):
            if ph.is_list_label(block.text) and isinstance(following, ListBlock):
                continue  # the list below reads the label
            if is_file_header(block.text):
                out.leave_out(block.source, "header of the notes file, not a fact", block.text)
                continue
            if all(line.strip().startswith("|") for line in block.text.splitlines()):
                # "| `d` | `w` |" rows with no "| --- |" line under the first: no table to read.
                out.leave_out(block.source, "table rows without a header separator", block.text)
                continue
            fact.statements(out, block.text, block.source, state)
        elif isinstance(block, ListBlock):
            previous = section_blocks[index - 1] if index else None
            if isinstance(previous, Paragraph) and ph.is_list_label(previous.text):
                before = section_blocks[index - 2] if index > 1 else None
                shown = before if isinstance(before, CodeBlock) else None
                lists.list_card(out, previous.text, previous.source, block, state, code=shown)
            elif isinstance(previous, Paragraph) and ph.leads_to_examples(previous.text):
                for item in block.items:  # "..., such as" over a list: each item one example
                    out.leave_out(item.source, "example-specific (one of the examples)", item.text)
            else:
                list_items(out, block, state)
        elif isinstance(block, CodeBlock):
            code.code_cards(out, block, state.subject, previous_code)
            previous_code = block
        elif isinstance(block, Table):
            table.table_cards(out, block, state)
        elif isinstance(block, Container):
            question = containers.asks(block)
            if question:
                containers.question_card(out, block, question)
            elif containers.is_example(block):
                in_example(out, list(block.blocks), state)
            else:
                blocks(out, list(block.blocks), state)
        elif isinstance(block, DefinitionList):
            definition.definition_list_cards(out, block)
        elif isinstance(block, Figure):
            made_card = cards_before_text is None or len(out.cards) > cards_before_text
            out.attach(block.markdown, block.source, text_made_card=made_card)


def in_example(out: SectionCards, example_blocks: list[Block], state: TopicState) -> None:
    """The blocks of a worked example: only marked spans make cards (``TopicState.example``)."""
    outer, state.example = state.example, True
    try:
        blocks(out, example_blocks, state)
    finally:
        state.example = outer


def list_items(out: SectionCards, block: ListBlock, state: TopicState) -> None:
    """A list with no label: steps if ordered, a keyword list, or one card per item."""
    if block.ordered and len(block.items) > 1:
        if not out.notes.english:
            if _ordered_lists(out.section.blocks) == 1:
                lists.list_card(out, "", block.source, block, state)  # the heading asks
                return
            # "树和二叉树 (4)" and "树和二叉树 (2)": the heading cannot say which list it asks for.
            out.leave_out(
                block.source,
                "one of several lists under this heading (the heading cannot say which)",
                block.items[0].text,
            )
        if ph.are_steps([item.text for item in block.items]):
            lists.list_card(out, "steps:", block.source, block, state)
            return
    if state.keyword and len(block.items) > 1:
        keys = [ph.key_value(i.text) for i in block.items]
        if all(keys):
            owner, noun = state.keyword
            lists.list_card(out, f"{noun}:", block.source, block, state, owner_noun=(owner, noun))
            return
    for item in block.items:
        list_item(out, item, state)


def list_item(out: SectionCards, item: ListItem, state: TopicState) -> None:
    if ph.is_list_label(item.text) and item.sublists:
        lists.list_card(out, item.text, item.source, item.sublists[0], state)
        for extra in item.sublists[1:]:
            list_items(out, extra, state)
    else:
        if item.text:
            fact.statements(out, item.text, item.source, state)
        if item.sublists and _goes_on_below(item.text, out.notes.language):
            # "Sei V < U. Dann ist" over "f ist [kovariant], wenn …": without the premise
            # above, the sub-item states a different (false) fact.
            for sublist in item.sublists:
                _leave_out_items(out, sublist, f"continues the sentence above it ({item.text})")
            return
        owners = state.owners
        if owner := _owner(item.text):
            state.owners = (*owners, owner)
        for sub in item.children:
            blocks(out, [sub], state)
        state.owners = owners


# The last word of a sentence that goes on in the items below it: a copula or "then".
_GOES_ON = {"is", "are", "then", "dann", "allora", "entonces", "alors", "então"}


def _goes_on_below(text: str, notes_language: str) -> bool:
    words = text.rstrip().split()
    if not words or re.search(r"[.!?:;。！？：；,，]$", words[-1]):
        return False
    last = words[-1].lower()
    return last in _GOES_ON or last in language.COPULAS.get(notes_language, ())


def _leave_out_items(out: SectionCards, block: ListBlock, reason: str) -> None:
    for item in block.items:
        if item.text:
            out.leave_out(item.source, reason, item.text)
        for sublist in item.sublists:
            _leave_out_items(out, sublist, reason)


def _owner(text: str) -> str | None:
    """A list item that is only a short term ("**assegnamento statico**"): what the labels of
    its sub-list belong to."""
    term = re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", text).strip()
    words = term.split()
    if not 0 < len(words) <= 4 or re.search(r"[.,;:!?。，；：！？$`\[\]()]", term):
        return None
    return term


def _ordered_lists(section_blocks: list[Block] | tuple[Block, ...]) -> int:
    """How many numbered lists of two or more items the blocks hold, nested ones too."""
    count = 0
    for block in section_blocks:
        if isinstance(block, ListBlock):
            count += block.ordered and len(block.items) > 1
            for item in block.items:
                count += _ordered_lists(item.children)
        elif isinstance(block, Container):
            count += _ordered_lists(block.blocks)
    return count
