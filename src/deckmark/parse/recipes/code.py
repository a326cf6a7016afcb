"""Code cards: commented code → (line, meaning) cards both ways; ``# Output:`` → "what prints?"."""

from __future__ import annotations

import re
import textwrap

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.outline import CodeBlock
from deckmark.parse.recipes import comments
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, fence


def code_cards(
    out: SectionCards,
    block: CodeBlock,
    subject: ph.Subject,
    previous: CodeBlock | None,
    block_card: bool = True,
) -> None:
    facts = comments.extract(block.code, block.lang)
    noun, where = code_nouns(block)
    source = block.source
    if facts.explained and block_card:
        out.add(
            CardKind.CODE,
            f"{subject.name}: what does each line of this {noun.split(' ')[0]} example do?\n\n"
            + fence(facts.uncommented, block.lang),
            fence(block.code, block.lang),
            source,
        )
    for fact in facts.explained:
        line_source = SourceLocation(path=source.path, line=source.line + block.fenced + fact.line)
        snippet = textwrap.dedent(fact.code)
        words = fact.comment.split()
        imperative = (
            bool(words)
            and ph.is_verb(words[0])
            and words[0].lower() not in ("is", "are", "has", "have")
        )
        parent = f" (under `{fact.parents[-1]}`)" if fact.parents else ""
        block_shown = "\n" in snippet or len(snippet) > 60
        shown = "this" if block_shown else f"`{snippet}`{parent}"
        question = f"{where}, what does {shown} do?" if imperative else f"{where}, what is {shown}?"
        if block_shown:
            question += "\n\n" + fence(snippet, block.lang)
        out.add(CardKind.CODE, question, ph.capitalise(fact.comment), line_source)
        answer_code = snippet
        if fact.parents:
            parent_line = fact.parents[-1]
            answer_code = f"{parent_line}\n  {snippet}"
        plural = (
            "\n" in snippet
            and not snippet.rstrip().endswith("\\")
            and len(
                [ln for ln in snippet.splitlines() if ln.strip() and not ln.startswith((" ", "\t"))]
            )
            > 1
        )
        if imperative:
            first, *rest = words
            verb_form = first.lower() if plural else ph.third_person(first.lower())
            tail = " ".join(rest)
            thing = noun + ("s" if plural else "")
            question = f"Which {thing} {verb_form} {tail}?".replace("  ", " ")
        else:
            comment = ph.strip_end_punctuation(fact.comment)
            if this_is := re.match(r"^this is\s+(.+)$", comment, flags=re.I):
                question = f"{where}, which line defines {this_is.group(1)}?"
            else:
                question = f"{where}, which line is described as “{comment}”?"
        out.add(CardKind.CODE, question, fence(answer_code, block.lang), line_source)
    for output in facts.outputs:
        line_source = SourceLocation(
            path=source.path, line=source.line + block.fenced + output.line
        )
        given = (
            f"Given this {code_nouns(previous)[0].split(' ')[0]}:\n\n"
            f"{fence(previous.code, previous.lang)}\n\n"
            if previous
            else ""
        )
        out.add(
            CardKind.CODE,
            f"{given}What does `{output.command}` print?",
            output.output,
            line_source,
        )


def code_nouns(block: CodeBlock) -> tuple[str, str]:
    """(what one unit is called, "In a ...") for a code block's language."""
    lang = block.lang
    if lang in ("dockerfile", "docker"):
        return "Dockerfile instruction", "In a Dockerfile"
    if lang in ("yaml", "yml"):
        if re.search(r"^services:\s*$", block.code, re.M):
            return "Compose file line", "In a Compose file"
        return "YAML line", "In this YAML"
    if lang in ("bash", "sh", "shell", "console", "zsh", ""):
        return "shell command", "In the shell"
    return f"{lang} line", f"In this {lang} code"
