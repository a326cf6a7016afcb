"""Fact cards: one statement (a bullet or a sentence) → a cloze on what it teaches.

The deletion is a marked span (`code`, **bold**) or the statement's object after its main
verb; ``Key: value`` lines ask for the key's value.
"""

from __future__ import annotations

import re

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.recipes import definition
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, TopicState, has_braces

_SPAN_RUN = re.compile(
    r"(?:`[^`]+`|\*\*[^*]+\*\*)(?:(?:,\s*|\s+(?:and|or)\s+)(?:`[^`]+`|\*\*[^*]+\*\*))*"
)


def statements(out: SectionCards, text: str, source: SourceLocation, state: TopicState) -> None:
    """The cards of one bullet or paragraph: a definition, key/value facts or clozes."""
    kv = ph.KEY_VALUE_RE.match(text)
    if kv and not ph.is_question(text):
        key = ph.kv_key(kv)
        value = kv.group("value").strip()
        if not definition.from_key_value(
            out, key, value, source, state, bold=bool(kv.group("bold"))
        ):
            key_value(out, key, value, source, state)
        return
    for sentence in ph.split_sentences(text):
        if not definition.from_sentence(out, sentence, source, state):
            fact(out, sentence, source, state.subject, state.kind)


def key_value(
    out: SectionCards, key: str, value: str, source: SourceLocation, state: TopicState
) -> None:
    """``Key: value`` → "Subject › Key?" (or "What is the “Key” benefit of X?")."""
    if state.keyword:
        owner, noun = state.keyword
        singular = noun[:-1] if noun.endswith("s") else noun
        question = f"What is the “{key}” {singular} of {owner}?"
    else:
        question = f"{state.subject.name} › {key}?"
    out.add(state.kind, question, ph.capitalise(value), source)


def fact(
    out: SectionCards,
    sentence: str,
    source: SourceLocation,
    subject: ph.Subject,
    kind: CardKind = CardKind.FACT,
) -> None:
    sentence = ph.with_subject(sentence.strip(), subject)
    cloze = cloze_marked_spans(sentence) or cloze_clause(sentence)
    if cloze is None:
        out.notes.warn(source, f"no card could be phrased from: {sentence}")
        return
    out.add(kind, cloze, "", source)


def cloze_marked_spans(sentence: str) -> str | None:
    """Cloze runs of `code`/**bold** that are the point of the sentence (not "like `x`")."""
    if has_braces(sentence):
        return None
    runs = []
    for match in _SPAN_RUN.finditer(sentence):
        before = sentence[: match.start()]
        if re.search(r"(?:\blike|such as|e\.g\.|for example|\()\s*$", before, re.I):
            continue
        if "(" in before and ")" not in before[before.rfind("(") :]:
            continue  # inside parentheses: an aside
        runs.append(match)
    if not runs:
        return None
    pieces, last = [], 0
    for number, match in enumerate(runs, 1):
        pieces.append(sentence[last : match.start()])
        pieces.append(f"{{{{c{number}::{match.group(0)}}}}}")
        last = match.end()
    pieces.append(sentence[last:])
    return "".join(pieces)


def cloze_clause(sentence: str) -> str | None:
    clause = ph.split_clause(sentence)
    if clause is None or has_braces(sentence):
        return None
    return f"{clause.subject} {clause.verb} {{{{c1::{clause.tail}}}}}{clause.trailer}".strip()
