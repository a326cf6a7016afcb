"""Code cards: commented code → (line, meaning) cards both ways; ``# Output:`` → "what prints?"."""

from __future__ import annotations

import re
import textwrap

from deckmark.model import CardKind, SourceLocation
from deckmark.parse.outline import CodeBlock
from deckmark.parse.recipes import comments
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import SectionCards, declares, fence, without_comments

_BLOCK_CARD_MAX_FACTS = 8
"""A "what does each line do?" card over more commented lines is too long to answer."""
_BLOCK_CARD_MAX_LINES = 15
_GROUP_MIN = 3
"""Restating lines under one key, from this many, become one card listing them."""


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
    teaching: list[comments.CommentedCode] = []
    restating: dict[tuple[str, ...], list[comments.CommentedCode]] = {}
    for fact in facts.explained:
        line_source = SourceLocation(path=source.path, line=source.line + block.fenced + fact.line)
        if names_own_part(fact):
            out.leave_out(line_source, "comment names a part of this example", fact.comment)
        elif untaught := _teaches_nothing(fact):
            out.leave_out(line_source, untaught, f"{fact.code}  # {fact.comment}")
        elif comments.restates_line(fact.code, fact.comment, block.lang):
            restating.setdefault(fact.parents, []).append(fact)
        else:
            teaching.append(fact)
    english = out.notes.english
    uncommented_lines = [ln for ln in facts.uncommented.splitlines() if ln.strip()]
    if (
        block_card
        and 2 <= len(teaching) <= _BLOCK_CARD_MAX_FACTS
        and len(uncommented_lines) <= _BLOCK_CARD_MAX_LINES
    ):
        if english:
            prompt = f"{subject.name}: what does each line of this {noun.split(' ')[0]} example do?"
            out.add(
                CardKind.CODE,
                f"{prompt}\n\n{fence(facts.uncommented, block.lang)}",
                fence(block.code, block.lang),
                source,
            )
        else:
            # With no English template the front would be the heading and the code: it asks
            # nothing, and the back is the same code again with its comments.
            out.leave_out(
                source,
                "commented code with no question in the notes' language (the back would repeat "
                "the front)",
                uncommented_lines[0],
            )
    # Every line with its own comment is a reference list (``fork();  // new process``);
    # a program has lines that only hold it together (``void take(int i) {``, ``}``).
    commented_lines = sum(len(f.code.splitlines()) for f in teaching if f.trailing)
    example_program = commented_lines < len(uncommented_lines)
    for parents, group in restating.items():
        _restating_group(out, block, where, parents, group)
    for fact in teaching:
        line_source = SourceLocation(path=source.path, line=source.line + block.fenced + fact.line)
        if (
            example_program
            and block.lang in comments.PROGRAM_LANGS
            and not comments.states_language_behaviour(fact.comment)
        ):
            # "take(i);  // pick up the left fork": true of this program only; the block card
            # above asks for the program whole.
            out.leave_out(
                line_source,
                "comment on a line of an example program",
                f"{fact.code}  # {fact.comment}",
            )
            continue
        elsewhere = _outcome_set_elsewhere(out, block, fact)
        setup = _setup_shown(out, block, fact, elsewhere) if elsewhere else None
        if elsewhere and setup is None:
            # "Rational r1 = new Rational();  // Rational(0,1)": the defaults that give it are
            # in a constructor too long to show on the card.
            unset = ", ".join(elsewhere)
            out.leave_out(
                line_source, f"what it gives depends on {unset}, set elsewhere", fact.code
            )
            continue
        if english:
            _line_cards(out, block, fact, line_source, noun, where, setup)
        else:
            snippet = textwrap.dedent(fact.code)
            shown = fence(snippet, block.lang) if "\n" in snippet else f"`{snippet}`"
            front = f"{subject.name}: {shown}"
            answer = fact.comment
            if setup:  # the lines the outcome depends on, then the line
                front = f"{subject.name}:\n\n{fence(setup, block.lang)}\n\n{shown}"
                answer = re.sub(rf"^{comments.ARROW}\s*", "", answer)  # "// ->Syntaxfehler"
            out.add(CardKind.CODE, front, answer, line_source)
    for output in facts.outputs:
        line_source = SourceLocation(
            path=source.path, line=source.line + block.fenced + output.line
        )
        shown = f"{fence(previous.code, previous.lang)}\n\n" if previous else ""
        if english:
            given = f"Given this {code_nouns(previous)[0].split(' ')[0]}:\n\n" if previous else ""
            question = f"{given}{shown}What does `{output.command}` print?"
        else:  # the heading, the code and the command: no English template words
            question = f"{subject.name}\n\n{shown}`{output.command}` → ?"
        out.add(CardKind.CODE, question, output.output, line_source)


def _outcome_set_elsewhere(
    out: SectionCards, block: CodeBlock, fact: comments.CommentedCode
) -> list[str]:
    """The names a program line reads that other lines of the section's code declare, when its
    comment is what the line gives (``objArr[0] = x;  // throws ...`` after ``object[]
    objArr;``): that outcome depends on those lines."""
    if block.lang not in comments.PROGRAM_LANGS or not comments.gives_outcome(fact.comment):
        return []
    code = without_comments(fact.code)
    read = dict.fromkeys(re.findall(r"(?<![\w.$])[A-Za-z_]\w*", code))
    return [name for name in read if out.declares(name, besides=fact.code)]


_SETUP_MAX_LINES = 8
"""More lines of setup above a line make a card about the whole program, not the line."""


def _setup_shown(
    out: SectionCards, block: CodeBlock, fact: comments.CommentedCode, names: list[str]
) -> str | None:
    """The code a card shows above ``fact`` so that its outcome follows from what it shows:
    each earlier block of the section that declares one of ``names`` (the whole block: a
    constructor's defaults are inside its class), and so the earlier lines of ``fact``'s own
    block; None when they do not declare every name or are too long to show."""
    shown: list[str] = []
    for other in out.program_blocks():
        own = other.source == block.source
        code = "\n".join(block.code.split("\n")[: fact.line]) if own else other.code
        if any(declares(name, without_comments(code)) for name in names):
            shown.extend(code.split("\n"))
        if own:
            break
    lines = [line.rstrip() for line in shown if line.strip()]
    setup = "\n".join(lines)
    if len(lines) > _SETUP_MAX_LINES or not all(
        declares(name, without_comments(setup)) for name in names
    ):
        return None
    return textwrap.dedent(setup)


def _teaches_nothing(fact: comments.CommentedCode) -> str | None:
    """Why a comment teaches nothing about its line, or None.

    An annotation marker (``# (1)!``), a verdict (``# ✅ RIGHT``) or a placeholder (``# TODO``)
    counts neither for a line card nor for the block card: a back that only adds such
    comments repeats its front.
    """
    if re.fullmatch(r"\(\d+\)!?|\[\d+\]", fact.comment):
        return "annotation marker, not an explanation"
    if not re.search(r"\w", fact.code) or not re.search(r"[^\W\d_]{2}", fact.comment):
        # "print(root.value)  # 10": the block card would only add values its front shows.
        return "comment explains no code"
    # "pass", or "✅ RIGHT: ..." / "❌ WRONG" on a function: a verdict, not what the code does.
    verdict = re.match(r"^\W*(?:✅|❌|wrong\b|right\b|bad\b|good\b)", fact.comment, re.I)
    if fact.code.strip() in ("pass", "...", "…") or verdict:
        return "comment judges the code instead of explaining it"
    if re.search(r"\bwhere relevant\b|\bTODO\b|\bFIXME\b|\.\.\.|…", fact.comment):
        return "comment is a placeholder"
    # "# see below", "# Same as above (alternate syntax)": the explanation is elsewhere
    # (siehe unten, vedi sotto, voir ci-dessous, 见下).
    if re.fullmatch(
        r"\W*(?:(?:see|same as) (?:below|above)(?: \(.*\))?|siehe (?:unten|oben)|"
        r"vedi (?:sotto|sopra)|ver (?:abajo|arriba)|"
        r"voir (?:ci-dessous|ci-dessus)|见下文?|见上文?)\W*",
        fact.comment,
        re.IGNORECASE,
    ):
        return "comment points elsewhere"
    return None


def _line_cards(
    out: SectionCards,
    block: CodeBlock,
    fact: comments.CommentedCode,
    line_source: SourceLocation,
    noun: str,
    where: str,
    setup: str | None = None,
) -> None:
    """A commented line both ways: what does it do, and which line does that; after ``setup``
    (the lines its outcome depends on), only what it does."""
    snippet = textwrap.dedent(fact.code)
    # "=> /path/to" or a bare value ("/path/to/foo", "'h'", "42"): what the line gives.
    result = re.match(rf"^{comments.ARROW}\s*(.+)$", fact.comment) or re.match(
        r"^([\"'/\d[{(].*)$", fact.comment
    )
    if setup:
        asks, answer = ("give", result.group(1)) if result else ("do", fact.comment)
        question = f"{where}, after\n\n{fence(setup, block.lang)}\n\nwhat does `{snippet}` {asks}?"
        out.add(CardKind.CODE, question, ph.capitalise(answer), line_source)
        return
    if result:
        shell_setup = comments.setup_of(block.code, block.lang, fact.line)
        if shell_setup and shell_setup[1]:
            # "${name:0:length}" after "length=2" only: the value of name is set elsewhere.
            unset = ", ".join(sorted(shell_setup[1]))
            out.leave_out(line_source, f"what it gives depends on {unset}, set elsewhere", snippet)
            return
        given = ""
        if shell_setup and shell_setup[0]:
            given = (
                f" after `{shell_setup[0][0]}`,"
                if len(shell_setup[0]) == 1 and len(shell_setup[0][0]) <= 60
                else f" after\n\n{fence(chr(10).join(shell_setup[0]), block.lang)}\n\n"
            )
        question = f"{where},{given} what does `{snippet}` give?".replace("\n\n what", "\n\nwhat")
        out.add(CardKind.CODE, question, result.group(1), line_source)
        return
    words = fact.comment.split()
    first = words[0].lower() if words else ""
    action = ph.is_verb(first) or ph.base_form(first) in ph.ACTION_VERBS
    imperative = action and first not in ("is", "are", "has", "have")
    parent = f" (under `{fact.parents[-1]}`)" if fact.parents else ""
    block_shown = "\n" in snippet or len(snippet) > 60
    shown = "this" if block_shown else f"`{snippet}`{parent}"
    question = f"{where}, what does {shown} do?" if imperative else f"{where}, what is {shown}?"
    if block_shown:
        question += "\n\n" + fence(snippet, block.lang)
    command = snippet.split()[0].lower() if snippet.split() else ""
    echoes = imperative and first == command and len(snippet.split()) == 1
    if not echoes:  # "exit  # Exit the container's shell": the answer repeats the command
        out.add(CardKind.CODE, question, ph.capitalise(fact.comment), line_source)
    if not imperative:
        return  # "Which line is described as “PostgreSQL username”?" asks for trivia: no reverse.
    answer_code = f"{fact.parents[-1]}\n  {snippet}" if fact.parents else snippet
    top_lines = [ln for ln in snippet.splitlines() if ln.strip() and not ln.startswith((" ", "\t"))]
    plural = "\n" in snippet and not snippet.rstrip().endswith("\\") and len(top_lines) > 1
    # "install ..." for several lines; "checks ..." is already a third person.
    keep = plural or first != ph.base_form(first)
    verb_form = first if keep else ph.third_person(first)
    tail = ph.strip_end_punctuation(" ".join(words[1:]))
    if any(w.lower() in ("is", "are", "was", "were") for w in words[1:]):
        return  # "Format string is applied to ...": "Which ... formats string is applied ...?"
    if not tail:
        return  # "# Push": "Which shell command pushes?" does not say what; the card above asks.
    thing = noun + ("s" if plural else "")
    question = f"Which {thing} {verb_form} {tail}?".replace("  ", " ")
    out.add(CardKind.CODE, question, fence(answer_code, block.lang), line_source)


def names_own_part(fact: comments.CommentedCode) -> bool:
    """``web:  # This is the Django application container``: names this example's own part."""
    return bool(re.match(r"^[\w.-]+:$", fact.code)) and bool(
        re.match(r"^this is\b", fact.comment, re.I)
    )


def _restating_group(
    out: SectionCards,
    block: CodeBlock,
    where: str,
    parents: tuple[str, ...],
    group: list[comments.CommentedCode],
) -> None:
    """Lines whose comments only restate them: one list card for a run, nothing for a few."""
    first = SourceLocation(
        path=block.source.path, line=block.source.line + block.fenced + group[0].line
    )
    # A run that configures one thing (POSTGRES_DB, POSTGRES_USER, ...) is worth one card;
    # a mix (DATABASE_NAME, REDIS_PORT) is this example's own settings.
    prefixes = {re.split(r"[_.=:]", fact.code.lstrip("- "), maxsplit=1)[0] for fact in group}
    if len(group) < _GROUP_MIN or not parents or len(prefixes) != 1:
        for fact in group:
            line = SourceLocation(path=first.path, line=first.line + fact.line - group[0].line)
            out.leave_out(line, "comment restates the line", f"{fact.code}  # {fact.comment}")
        return
    owner = f" `{parents[-2]}`" if len(parents) > 1 else ""
    question = f"{where}, what does{owner} set under `{parents[-1]}`? ({len(group)})"
    answer = "\n".join(f"- `{fact.code.lstrip('- ')}`: {fact.comment}" for fact in group)
    out.add(CardKind.CODE, question, answer, first)


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
