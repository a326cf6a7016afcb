"""Definition cards: "What is a Docker image?" → the section's defining sentence.

Only the first statement of a section can define its subject, and only when it names the
subject and says is/are/refers to/means (or contains/provides/... for a description), or is a
``Subject: definition`` / ``**Term**: definition`` line.
"""

from __future__ import annotations

import re

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.outline import DefinitionList
from deckmark.parse.recipes import language
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, TopicState


def from_key_value(
    out: SectionCards,
    key: str,
    value: str,
    source: SourceLocation,
    state: TopicState,
    *,
    bold: bool,
) -> bool:
    """``Subject: definition`` (the section's own subject) or ``**Term**: definition``."""
    if key.lower() == state.subject.name.lower() and not state.defined:
        state.defined = state.about_subject = True
        out.add(CardKind.DEFINITION, ask_what_is(out, state.subject), value, source)
        return True
    if (
        bold
        and state.keyword is None
        and _term_like(key)
        and _reads_as_definition(value)
        and not _NAMED_ITEMS.search(out.section.title)
    ):
        question = f"What is {key}?" if out.notes.english else key
        out.add(CardKind.DEFINITION, question, ph.capitalise(value), source)
        return True
    return False


# Headings whose bold items are benefits, cases or tips, not terms: "Use Cases", "Advantages".
_NAMED_ITEMS = re.compile(
    r"\b(?:use cases?|benefits?|advantages?|disadvantages?|drawbacks?|limitations?|pros|cons|"
    r"best practices?|tips?|features?|distinctions?|differences?|pitfalls?|strategies|steps?)\b",
    re.IGNORECASE,
)


def _term_like(key: str) -> bool:
    """ "Handshake", "MSS", "Process substitution"; not "Pro and Team Tiers" or "Volume Names"."""
    key_words = key.split()
    last = key_words[-1] if key_words else ""
    plural = last.lower().endswith("s") and not last.isupper() and not last.endswith("ss")
    return 0 < len(key_words) <= 4 and "and" not in key_words and not plural


def _reads_as_definition(value: str) -> bool:
    """ "A background process that ...", "the largest segment ...", "finite set of symbols";
    not "Reduces the risk of ..." or "Steer clear of ..." (what the term does, or advice)."""
    first = value.strip().split(" ", 1)[0].strip("*_`").lower()
    return first in ("a", "an", "the") or not (ph.is_verb(first) or first.endswith("s"))


def ask_what_is(out: SectionCards, subject: ph.Subject) -> str:
    """ "What is a Docker image?"; in notes of another language the subject itself."""
    return subject.what_is() if out.notes.english else subject.name


def from_sentence(
    out: SectionCards, sentence: str, source: SourceLocation, state: TopicState
) -> bool:
    """The section's first sentence, when it defines the subject."""
    if state.defined:
        return False
    state.defined = True
    if out.notes.english:
        answer = ph.definition_answer(sentence, state.subject.name)
    elif out.notes.language in ("zh", "ja") and sentence.startswith(f"{state.subject.name}是"):
        answer = sentence[len(state.subject.name) + 1 :].rstrip("。")  # "进程是程序的..."
    else:
        answer = _copula_definition(sentence, state.subject.name, out.notes.language)
    if answer:
        out.add(CardKind.DEFINITION, ask_what_is(out, state.subject), answer, source)
        state.about_subject = True
        return True
    return False


def _copula_definition(sentence: str, subject: str, notes_language: str) -> str | None:
    """ "Il protocollo IP è un protocollo di rete ..." under "Protocollo IP" → "Un protocollo
    di rete ...": the subject (after an article of the language), its copula, a noun phrase."""
    copulas = language.COPULAS.get(notes_language)
    if not copulas:
        return None
    articles = "|".join(re.escape(a) for a in language.ARTICLES.get(notes_language, ()))
    name = r"\s+".join(re.escape(w) for w in subject.split())
    copula = "|".join(copulas)
    match = re.match(
        rf"(?:(?:{articles})(?:\s+|(?<=['’])))?{name}\s+(?:{copula})\s+(?P<rest>\S.*)$",
        sentence,
        re.IGNORECASE | re.DOTALL,
    )
    if match is None:
        return None
    rest = match.group("rest").strip()
    first = rest.split(" ", 1)[0].lower()
    if first not in language.ARTICLES.get(notes_language, ()) or len(ph.words(rest)) < 3:
        return None  # "è importante ...", "ist schnell": a property, not what it is
    return ph.capitalise(rest)


def definition_list_cards(out: SectionCards, block: DefinitionList) -> None:
    """``Term`` / ``: definition`` lists: "What is Term?" → its definitions."""
    for item in block.items:
        if not item.definitions:
            continue
        question = item.term if ph.is_question(item.term) else f"What is {item.term}?"
        if len(item.definitions) == 1:
            answer = item.definitions[0]
        else:
            answer = "\n".join(f"{n}. {d}" for n, d in enumerate(item.definitions, 1))
        out.add(CardKind.DEFINITION, question, answer, item.source)
