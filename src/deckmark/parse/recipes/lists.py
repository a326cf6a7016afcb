"""List cards: a closed list under a ``label:`` (or a numbered list) → one card for the list.

Up to five short items are asked together; longer lists become one cloze per item with the
others shown, in source order.
"""

from __future__ import annotations

import re

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.outline import CodeBlock, ListBlock
from deckmark.parse.recipes import fact, language, walk
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.code import code_nouns
from deckmark.parse.recipes.collector import SectionCards, TopicState, fence, has_braces

_LIST_INLINE_MAX = 5
_ITEM_MAX_WORDS = 15
_ITEM_MEAN_WORDS = 10


def list_card(
    out: SectionCards,
    label: str,
    source: SourceLocation,
    block: ListBlock,
    state: TopicState,
    owner_noun: tuple[str, str] | None = None,
    code: CodeBlock | None = None,
) -> None:
    """``code``: the code block just above the label, which a bare "This:" describes."""
    items = [item for item in block.items if item.text]
    kvs = [ph.key_value(item.text) for item in items]
    all_kv = all(kvs) and len(items) > 1
    names = [
        (ph.kv_key(kv) if all_kv and kv else item.text) for item, kv in zip(items, kvs, strict=True)
    ]
    count = len(names)
    lengths = [len(ph.words(name)) for name in names]
    # A one-item "list" is a plain statement; sentences are not recalled as a set.
    if count < 2 or max(lengths) > _ITEM_MAX_WORDS or sum(lengths) > _ITEM_MEAN_WORDS * count:
        for item in block.items:
            walk.list_item(out, item, state)
        return
    if state.example:
        # "Calcoliamo i primi valori:" over "n=0 ⟶ 1 stringa", ...: one instance's values.
        out.leave_out(source, "example-specific (a list of a worked example)", label or names[0])
        return
    bare = label.strip().rstrip(":：").strip().lower()
    if any(ph.is_list_label(item.text) and item.sublists for item in items):
        # "complicato da realizzare:" over "con X:" / "con Y" and their own lists: the items
        # are labels, and a card listing them would lose what they label.
        out.leave_out(source, "list items are labels of their own lists", label or items[0].text)
        for item in block.items:
            walk.list_item(out, item, state)
        return
    if bare in _BARE_REFERENCES or _is_formula(label):
        # "This:" over what a command does: the command above is what the items describe.
        if code is None or not out.notes.english or bare not in _BARE_REFERENCES:
            reason = "formula" if _is_formula(label) else "a bare pronoun"
            out.leave_out(source, f"list label names nothing to ask by ({reason})", label)
            for item in block.items:
                walk.list_item(out, item, state)
            return
        noun = code_nouns(code)[0]
        question = f"What does this {noun} do? ({count})\n\n{fence(code.code, code.lang)}"
    elif owner_noun:
        owner, noun = owner_noun
        question = f"What are the {noun} of {owner}? ({count})"
    else:
        question = ph.list_question(
            label,
            state.subject,
            count,
            certain=state.about_subject,
            english=out.notes.english,
            owner="".join(state.owners[-1:]),
        )

    if " … (" in question and bare and bare.split()[-1].strip("*_,") in _CUT_WORDS:
        # Shown as written, "List of top accomplishments, including … (2)" or "Make edits if
        # … (3)" is a sentence cut before what it is about: the label asks nothing by itself.
        out.leave_out(source, "list label is a sentence cut short", label)
        for item in block.items:
            walk.list_item(out, item, state)
        return

    shown = " … (" in question and not out.notes.english
    if shown and (unasked := language.label_not_a_noun_phrase(bare, out.notes.language)):
        # "dei 3 for annidati … (3)", "Calcoliamo i primi valori … (4)": shown as written, the
        # label does not say what the items are.
        out.leave_out(source, f"list label is {unasked}, not what the items are", label)
        if language.narrates(bare, out.notes.language):  # its items are the example's steps
            walk.in_example(out, [block], state)
        else:
            for item in block.items:
                walk.list_item(out, item, state)
        return

    def marker(n: int) -> str:
        return f"{n}." if block.ordered else "-"

    if not question:
        out.leave_out(
            source, "list label too long to ask by (the heading does not name the items)", label
        )
        for item in block.items:
            walk.list_item(out, item, state)
        return
    if (counted := _counted(label)) and counted != count:
        # "Ci sono 3 classi di scheduling:" over two items: the items are not what it counts.
        out.leave_out(source, f"label counts {counted}, the list has {count} items", label)
        for item in block.items:
            walk.list_item(out, item, state)
        return
    if count > _LIST_INLINE_MAX and " … (" in question:
        # A long list under a label that names nothing ("For each topic, you can expect to
        # find:"): a blank per item would not say what is asked.
        out.leave_out(source, "list label names nothing to recall item by item", label)
    elif count <= _LIST_INLINE_MAX or any(map(has_braces, names)):
        answer = "\n".join(f"{marker(n)} {name}" for n, name in enumerate(names, 1))
        out.add(CardKind.LIST, question, answer, source)
    else:
        text = "\n".join(f"{marker(n)} {{{{c{n}::{name}}}}}" for n, name in enumerate(names, 1))
        out.add(CardKind.LIST, text, "", source, prompt=question)
    if all_kv:
        for item, kv in zip(items, kvs, strict=True):
            assert kv is not None
            fact.key_value(out, ph.kv_key(kv), kv.group("value").strip(), item.source, state)
    for item in items:
        for child in item.children:
            if isinstance(child, ListBlock):
                walk.list_items(out, child, state)
            else:
                walk.blocks(out, [child], state)


_COUNTED = re.compile(r"(?<![\w.#+-])(\d{1,2})\s+(?=[^\W\d_])")
"""A number counting the words after it ("3 classi", "two" aside); not a version ("C# 7.0",
"Java 8 streams": a capitalised name just before it)."""


def _counted(label: str) -> int | None:
    """The number of things a list label says it lists, if it says one."""
    match = _COUNTED.search(label)
    if not match or re.search(r"[A-Z][\w#+]*\s+$", label[: match.start()]):
        return None
    return int(match.group(1))


_BARE_REFERENCES = {
    "this", "it", "these", "that", "dies", "das", "questo", "questa", "esto", "esta", "ceci",
    "cela", "这", "它", "这个",
}  # fmt: skip
"""A label that is only a pronoun ("This:") names nothing but what stands above it."""


def _is_formula(label: str) -> bool:
    """ "$\\text{let }M=(K, \\Sigma, ...)$, where:": a formula with at most a word around it."""
    masked = ph.mask_math(label)
    return masked != label and len(ph.words(re.sub(r"[\u2591]+", " ", masked))) <= 1


_CUT_WORDS = {
    "including", "if", "when", "unless", "because", "whether", "of",
    "for", "with", "without", "to", "from", "by", "in", "on", "at", "into", "and", "or", "but",
    "like", "than", "e.g.", "i.e.", "such as",
    "per", "di", "da", "con", "che", "se", "für", "mit", "von", "zu", "und", "oder", "wenn",
    "para", "por", "que", "si", "pour", "avec", "et", "ou",
}  # fmt: skip
"""Words a list label cannot end on unless the sentence goes on in the items."""
