"""Definition cards: "What is a Docker image?" → the section's defining sentence.

Only the first statement of a section can define its subject, and only when it names the
subject and says is/are/refers to/means (or contains/provides/... for a description), or is a
``Subject: definition`` / ``**Term**: definition`` line.
"""

from __future__ import annotations

import re

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.outline import Block, DefinitionList, Figure, ListBlock, Paragraph
from deckmark.parse.recipes import language
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import (
    SectionCards,
    TopicState,
    block_markdown,
    is_generic_label,
)


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
        # In another language no template: the term under what it belongs to ("信号量 › down"),
        # so that the front says what it asks about, not only the breadcrumb.
        question = (
            f"What is {key}?"
            if out.notes.english
            else " › ".join((state.subject.name, *state.owners[-1:], key))
        )
        out.add(CardKind.DEFINITION, question, ph.capitalise(value), source)
        return True
    return False


# Headings whose bold items are benefits, cases or tips, not terms: "Use Cases", "Advantages";
# or the parts of the parent's subject ("Key Components" of an image: its "Operating System").
_NAMED_ITEMS = re.compile(
    r"\b(?:use cases?|benefits?|advantages?|disadvantages?|drawbacks?|limitations?|pros|cons|"
    r"best practices?|tips?|features?|distinctions?|differences?|pitfalls?|strategies|steps?|"
    r"(?:key|core|main|primary|basic)\s+(?:components?|functions?|parts?|elements?|roles?)|"
    r"functionalit(?:y|ies)|capabilit(?:y|ies)|responsibilit(?:y|ies))\b",
    re.IGNORECASE,
)


def _term_like(key: str) -> bool:
    """ "Handshake", "MSS", "Process substitution"; not "Pro and Team Tiers", "Volume Names", or
    a label like "Note" or "Tip", which names no term ("What is Note?")."""
    if is_generic_label(key):
        return False
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
    elif out.notes.language in ("zh", "ja"):
        answer, term = _cjk_definition(sentence, state.subject.name)
        if answer:
            out.add(CardKind.DEFINITION, term, answer, source)
            state.about_subject = True
            return True
    else:
        answer = _copula_definition(sentence, state.subject.name, out.notes.language)
    if answer:
        out.add(CardKind.DEFINITION, ask_what_is(out, state.subject), answer, source)
        state.about_subject = True
        return True
    return False


def _cjk_definition(sentence: str, subject: str) -> tuple[str | None, str]:
    """(definition, term) for "进程是资源分配的基本单位。" under "进程", or "对临界资源进行访问的
    那段代码称为临界区。" under "临界区" (the term named last); (None, term) otherwise."""
    term = subject.strip()
    if not term:
        return None, term
    sentence = sentence.strip()
    if sentence.startswith(f"{term}是"):
        answer = sentence[len(term) + 1 :].rstrip("。").strip()
        if re.split(r"[，,；;]", answer, maxsplit=1)[0].endswith("的"):
            return None, term  # "管道是通过调用 pipe 函数创建的": how it is made, not what it is
    elif match := re.fullmatch(rf"(.+?)(?:被)?(?:称为|称作|叫做){re.escape(term)}[。.]?", sentence):
        answer = match.group(1).strip("，, ")
    else:
        return None, term
    return (answer or None), term


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


# "Definition of open set", "Definizione di grafo", "Definición de árbol", "Définition d'un
# groupe", "Definition von Stetigkeit", "群的定义": the heading names the term its body defines.
_DEFINITION_HEADING = re.compile(
    r"^(?:definitions?|def\.|definizione|definici[oó]n|d[ée]finition|defini[cç][aã]o)\s+"
    r"(?:of|for|di|del|della|dello|dei|degli|delle|de(?:\s+la|\s+los|\s+las|l)?|d['’]|des|du"
    r"|von|der|do|da|dos|das)\s*(?:(?:a|an|the|un|una|uno|un['’]|una['’]|le|la|l['’]|el|une)\s+)?"
    r"(?P<term>\S.*)$"
    r"|^(?P<cjk>\S.*?)(?:的定义|の定義)$",
    re.IGNORECASE,
)
_MASS_NOUN = re.compile(r"(?:ity|ence|ance|ness|ism|ing)$", re.IGNORECASE)
"""Endings of uncountable nouns: "What is convergence?", not "What is a convergence?"."""
_DEFINED_SUBJECT = re.compile(
    r"(?:^|[.:]\s+|^then\s+|\.\s+then\s+|,\s+then\s+)(?P<subject>(?:the|an?)\s[^,;:]*?)\s+"
    r"(?P<verb>is|are)\s+(?:the|an?|defined|called)\b",
    re.IGNORECASE,
)
"""The subject of the defining sentence, with what it is of: "The interior of $A$ is the ..."."""
_HEAD_NOUN = re.compile(
    r"\s+(?:of|for|in|on|by|from|with|over|under|between|and|or|\w+ed)\s+", re.IGNORECASE
)
"""Where the head noun of a term ends: "metric| defined for functions", "subbasis| of ..."."""
_ADJECTIVE = re.compile(r"(?:able|ible|ive|ous|ic|ful|less|ant|ent)$", re.IGNORECASE)
"""Endings of adjectives: a term that is one ("metrizable") is asked for its meaning."""
MAX_DEFINITION_WORDS = 120
"""A longer body is a chapter, not one definition to recall."""


_STATEMENT_HEADING = re.compile(
    r"^(?:lemma|theorem|proposition|corollary|teorema|proposizione|corollario|proposici[oó]n"
    r"|corolario|th[ée]or[èe]me|corollaire|satz|korollar)\s+"
    r"(?:of|for|on|di|del|della|sul|sulla|de(?:l|\s+la)?|d['’]|du|des|von|über|zum|zur)\s+\S",
    re.IGNORECASE,
)
"""A named result, "Lemma of comparing basis": the body states it, the card asks for it."""


def defined_by_heading(title: str) -> str | None:
    """The term a "Definition of X" heading names, or None."""
    match = _DEFINITION_HEADING.match(title.strip().rstrip(":："))
    if match is None:
        return None
    return (match.group("term") or match.group("cjk")).strip()


def _question(out: SectionCards, answer: str) -> str | None:
    """What a definition or named-result heading asks, or None for another heading."""
    title = out.section.title.strip().rstrip(":：")
    if term := defined_by_heading(title):
        return _ask_definition(out, term, answer)
    if _STATEMENT_HEADING.match(title):
        return f"What does the {ph.lower_first(title)} state?" if out.notes.english else title
    return None


def from_heading(out: SectionCards, blocks: list[Block], state: TopicState) -> list[Block]:
    """ "Definition of open set" over "$U \\subseteq X$ is an open set if $U \\in T$" →
    "What is an open set?" with the definition as written: its sentences, axioms and
    formulas, whole ("Lemma of X": "What does the lemma of X state?"). Maths prose states a
    term and its condition together, so no blank of it can ask for one without giving the
    other away. The blocks after the definition (a callout, code, a table) are returned for
    the other recipes."""
    title = out.section.title.strip()
    if not (defined_by_heading(title) or _STATEMENT_HEADING.match(title)):
        return blocks
    count = 0
    while count < len(blocks) and isinstance(blocks[count], Paragraph | ListBlock | Figure):
        count += 1
    body = [block_markdown(block).strip() for block in blocks[:count]]
    if not any(isinstance(b, Paragraph | ListBlock) for b in blocks[:count]):
        return blocks  # only formulas or images: nothing that says it in words
    answer = "\n\n".join(filter(None, body))
    question = _question(out, answer)
    if question is None:
        return blocks  # "Lemma of :": nothing named once the colon is gone
    state.defined = True
    if len(ph.words(ph.mask_math(answer))) > MAX_DEFINITION_WORDS:
        out.leave_out(blocks[0].source, "definition too long for one card", answer)
        return blocks[count:]
    out.add(CardKind.DEFINITION, question, answer, blocks[0].source)
    return blocks[count:]


def _ask_definition(out: SectionCards, term: str, answer: str) -> str:
    """ "What is an open set?" (the article the definition uses), "What are limit points?";
    in notes of another language the heading as written."""
    if not out.notes.english:
        return ph.capitalise(out.section.title.strip().rstrip(":："))
    if ph.mask_math(term) != term:
        return f"What is {term}?"  # a formula: no article
    if named := _DEFINED_SUBJECT.search(answer.split("\n", 1)[0]):
        subject = named.group("subject")
        if re.match(rf"(?:the|an?)\s+{re.escape(term)}\b", subject, re.IGNORECASE) and (
            len(ph.words(ph.mask_math(subject))) <= len(term.split()) + 7
        ):
            # "The interior of $A$ is ...": "What is the interior of $A$?", what it is of.
            verb = "are" if named.group("verb").lower() == "are" else "is"
            article, rest = subject.split(maxsplit=1)
            return f"What {verb} {article.lower()} {rest}?"
    head = _HEAD_NOUN.split(term, maxsplit=1)[0].split()[-1]
    used = re.search(rf"\b(a|an|the)\s+{re.escape(term)}\b", answer, re.IGNORECASE)
    predicate = re.search(rf"\b(?:is|are)\s+{re.escape(term)}\b", answer, re.IGNORECASE)
    if not used and len(term.split()) == 1 and (predicate or _ADJECTIVE.search(head)):
        return f"What does “{term}” mean?"  # "G is abelian if ...", "metrizable"
    if head.lower().endswith("s") and not head.lower().endswith(("ss", "us", "is")):
        return f"What are {term}?"
    if used and used.group(1).lower() == "the":
        return f"What is the {term}?"
    if not used and _MASS_NOUN.search(head):
        return f"What is {term}?"
    article = "an" if term[:1].lower() in "aeiou" else "a"
    return f"What is {article} {term}?"
