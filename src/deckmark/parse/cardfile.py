"""Hand-written card files: Markdown with ``kind: cards`` front matter.

Every heading is a question and its body the answer. An HTML comment on the line after a
heading holds the card's options: ``<!-- id: logs-follow; reverse; tags: logs; covers: Docker
Volumes -->``. Front matter sets defaults for ``subdeck``, ``tags``, ``covers`` and ``reverse``.

``corrects: <phrase> | <phrase>`` marks a card that corrects the notes: every card made from the
notes whose text contains one of the phrases gets the correction added to its answer, so an
outdated statement in the user's notes is never taught without its fix. Several phrases reach the
wordings one claim takes on different cards ("Wait for" on the line, "waits for" on its reverse).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from deckmark.model import CLOZE_RE, Card, CardKind, Diagnostic, Section, SourceLocation

CARD_OPTIONS = ("id", "tags", "subdeck", "reverse", "cloze", "covers", "corrects")
FILE_OPTIONS = ("kind", "subdeck", "tags", "covers", "reverse")
_FLAGS = ("reverse", "cloze")
_OPTIONS_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$", re.DOTALL)
_ID = re.compile(r"^[\w.-]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class WrittenCards:
    cards: tuple[Card, ...]
    notes_cards: tuple[Card, ...]
    """The cards made from the notes, with corrections added to the answers they concern."""
    sections: tuple[Section, ...]
    """The notes' sections, with ``covered_by`` filled in."""
    problems: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]
    """``covers:`` naming a heading that is gone (renamed?)."""
    resolved_warnings: tuple[Diagnostic, ...]
    """Notes warnings (empty sections) that hand-written cards now cover."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CardFile:
    """One hand-written card file, read and with its front matter parsed."""

    path: str
    """As shown to the user in messages."""
    key_path: str
    """Relative to the deck folder, for card keys."""
    text: str
    front_matter: dict[str, str]
    front_matter_lines: dict[str, int]
    """The line of each front matter key."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _RawCard:
    question: str
    body: str
    options: dict[str, str]
    source: SourceLocation
    options_source: SourceLocation


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _parse_options(
    text: str, source: SourceLocation, allowed: Sequence[str], problems: list[Diagnostic]
) -> dict[str, str]:
    options: dict[str, str] = {}
    for item in (part.strip() for part in text.split(";")):
        if not item:
            continue
        name, colon, value = (s.strip() for s in item.partition(":"))
        name = name.lower()
        if name not in allowed:
            problems.append(
                Diagnostic(
                    location=source,
                    message=f"unknown option '{name}' (known: {', '.join(allowed)})",
                )
            )
            continue
        if name in _FLAGS and not colon:
            value = "true"
        elif not colon or not value:
            problems.append(Diagnostic(location=source, message=f"option '{name}' needs a value"))
            continue
        options[name] = value
    return options


def _raw_cards(text: str, path: str, problems: list[Diagnostic]) -> list[_RawCard]:
    """Headings and their bodies; fenced code never yields a heading."""
    tokens = MarkdownIt("commonmark").use(front_matter_plugin).parse(text)
    lines = text.split("\n")  # markdown-it numbers lines by "\n" only (not U+2028, form feed)
    headings = [
        (t.map[0], t.map[1], tokens[i + 1].content.strip())
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.map
    ]
    cards: list[_RawCard] = []
    for n, (start, end, question) in enumerate(headings):
        stop = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        body_lines = lines[end:stop]
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
            end += 1
        options: dict[str, str] = {}
        options_source = SourceLocation(path=path, line=end + 1)
        if body_lines and body_lines[0].lstrip().startswith("<!--"):
            closing = next((i for i, ln in enumerate(body_lines) if "-->" in ln), None)
            if closing is not None:
                comment = "\n".join(body_lines[: closing + 1])
                match = _OPTIONS_COMMENT.match(comment)
                if match:
                    options = _parse_options(
                        match.group(1).replace("\n", " "), options_source, CARD_OPTIONS, problems
                    )
                    body_lines = body_lines[closing + 1 :]
        cards.append(
            _RawCard(
                question=question,
                body="\n".join(body_lines).strip(),
                options=options,
                source=SourceLocation(path=path, line=start + 1),
                options_source=options_source,
            )
        )
    return cards


def _find_sections(covers: str, sections: Sequence[Section]) -> list[int]:
    wanted = [part.strip().lower() for part in covers.split(" / ") if part.strip()]
    return [
        i
        for i, section in enumerate(sections)
        if [p.lower() for p in section.path[-len(wanted) :]] == wanted
    ]


def _split_phrases(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _stale_covers(covers: str, sections: Sequence[Section]) -> str:
    """The warning for a ``covers:`` that names no heading, with the closest one as a hint."""
    names = {" / ".join(s.path[-2:]) if len(s.path) > 1 else s.path[-1] for s in sections if s.path}
    closest = difflib.get_close_matches(covers, sorted(names), n=1, cutoff=0.5)
    hint = f"; the closest is '{closest[0]}' (renamed?)" if closest else ""
    return f"covers: no notes heading '{covers}' in this deck{hint}"


def _normalise(text: str) -> str:
    """Lower-case, single-spaced, cloze markers removed: what a phrase is matched against."""
    return " ".join(CLOZE_RE.sub(r"\2", text).lower().split())


def _apply_corrections(
    notes_cards: Sequence[Card], corrections: Sequence[tuple[str, Card]], problems: list[Diagnostic]
) -> tuple[Card, ...]:
    """Add each correction to the notes cards whose text contains its phrase."""
    texts = [_normalise(f"{card.prompt}\n{card.front}\n{card.back}") for card in notes_cards]
    notes: dict[int, list[str]] = {}
    for phrases, correction in corrections:
        hits: set[int] = set()
        for phrase in _split_phrases(phrases):
            wanted = _normalise(phrase)
            found = {i for i, text in enumerate(texts) if wanted in text}
            if not found:
                problems.append(
                    Diagnostic(
                        location=correction.source,
                        message=f"corrects: no card from the notes contains '{phrase}'",
                    )
                )
            hits |= found
        answer = (correction.back or correction.front).split("\n\n", 1)[0]
        for i in sorted(hits):
            notes.setdefault(i, []).append(f"**Correction:** {answer}")
    return tuple(
        replace(
            card,
            back="\n\n".join([card.back, *notes[i]]).strip(),
            tags=(*card.tags, "outdated-in-notes"),
        )
        if i in notes
        else card
        for i, card in enumerate(notes_cards)
    )


def read_card_files(
    files: Sequence[CardFile],
    notes_cards: Sequence[Card],
    sections: Sequence[Section],
    deck_slug: str,
) -> WrittenCards:
    """Cards of every hand-written file of a deck, checked; all problems are collected."""
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    cards: list[Card] = []
    corrections: list[tuple[str, Card]] = []
    covered: dict[int, list[str]] = {}
    ids: dict[str, SourceLocation] = {}
    for card_file in files:
        front_matter, key_path, shown = card_file.front_matter, card_file.key_path, card_file.path
        for name in front_matter:
            if name not in FILE_OPTIONS:
                line = card_file.front_matter_lines[name]
                problems.append(
                    Diagnostic(
                        location=SourceLocation(path=shown, line=line),
                        message=f"unknown front matter key '{name}' "
                        f"(known: {', '.join(FILE_OPTIONS)})",
                    )
                )
        for raw in _raw_cards(card_file.text, shown, problems):
            options = {**{k: v for k, v in front_matter.items() if k != "kind"}, **raw.options}
            if "tags" in raw.options and "tags" in front_matter:
                options["tags"] = f"{front_matter['tags']}, {raw.options['tags']}"
            if not raw.body:
                problems.append(
                    Diagnostic(location=raw.source, message=f"card '{raw.question}' has no answer")
                )
                continue
            is_cloze = bool(CLOZE_RE.search(raw.body))
            if options.get("cloze") and not is_cloze:
                problems.append(
                    Diagnostic(
                        location=raw.source,
                        message="cloze card has no deletion: mark one with {{c1::...}}",
                    )
                )
                continue
            if is_cloze and options.get("reverse") and "reverse" in raw.options:
                problems.append(
                    Diagnostic(location=raw.source, message="a cloze card cannot be reversed")
                )
                continue
            card_id = options.get("id", "")
            if card_id:
                if not _ID.match(card_id):
                    problems.append(
                        Diagnostic(
                            location=raw.options_source,
                            message=f"id '{card_id}' may only use letters, digits, '-', '_', '.'",
                        )
                    )
                elif card_id in ids:
                    problems.append(
                        Diagnostic(
                            location=raw.source,
                            message=f"duplicate id '{card_id}' (first used at {ids[card_id]})",
                        )
                    )
                    continue
                else:
                    ids[card_id] = raw.source
            tags = _split_list(options.get("tags", ""))
            for tag in tags:
                if " " in tag:
                    problems.append(
                        Diagnostic(location=raw.source, message=f"tag '{tag}' contains a space")
                    )
            key = f"id:{card_id}" if card_id else f"{key_path}#{raw.question}"
            context: tuple[str, ...]
            matches = []
            if covers := options.get("covers", ""):
                matches = _find_sections(covers, sections)
                if not matches:
                    # A renamed notes heading must not stop the build: the user wants to see
                    # what the rename does (deckmark diff). --strict makes it an error.
                    warnings.append(
                        Diagnostic(
                            location=raw.options_source, message=_stale_covers(covers, sections)
                        )
                    )
                for index in matches:
                    covered.setdefault(index, []).append(key)
            if matches:
                context = sections[matches[0]].path
            else:
                context = (
                    tuple(options.get("subdeck", "").split("::"))
                    if options.get("subdeck")
                    else (Path(key_path).stem,)
                )
            subdeck = options.get("subdeck") or None
            path_tag = f"{deck_slug}::{(subdeck or 'cards').lower().replace(' ', '-')}"
            card = Card(
                kind=CardKind.WRITTEN,
                front=raw.body if is_cloze else raw.question,
                back="" if is_cloze else raw.body,
                prompt=raw.question if is_cloze else "",
                context=context,
                source=raw.source,
                key=key,
                tags=(path_tag, *tags),
                subdeck=subdeck,
                reverse=bool(options.get("reverse")) and not is_cloze,
            )
            cards.append(card)
            if phrase := raw.options.get("corrects"):
                corrections.append((phrase, card))
    new_sections = tuple(
        replace(section, covered_by=tuple(covered.get(i, ()))) for i, section in enumerate(sections)
    )
    resolved = tuple(
        Diagnostic(location=s.source, message=f"empty section '{s.path[-1]}' makes no card")
        for i, s in enumerate(sections)
        if i in covered
    )
    return WrittenCards(
        cards=tuple(cards),
        notes_cards=_apply_corrections(notes_cards, corrections, problems),
        sections=new_sections,
        problems=tuple(problems),
        warnings=tuple(warnings),
        resolved_warnings=resolved,
    )
