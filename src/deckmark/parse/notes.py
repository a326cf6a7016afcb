"""Notes → atomic cards, from the notes' own structure (no card markers).

Recipes (see README "How cards are made"): a heading with content is a topic; its defining
sentence gives a definition card, other statements give fact cards (a cloze on a marked span or
on the statement's object), ``label:`` over a list gives a list card, "X vs Y" sections give
per-side, discrimination and overview cards, and commented code gives code cards both ways.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field

from deckmark.model import CLOZE_RE, Card, CardKind, Diagnostic, Section, SourceLocation
from deckmark.parse import code as codefacts
from deckmark.parse import phrasing as ph
from deckmark.parse.outline import (
    Block,
    CodeBlock,
    Html,
    ListBlock,
    ListItem,
    Outline,
    Paragraph,
    Table,
)
from deckmark.parse.outline import Section as OutlineSection

_LINK_ONLY = re.compile(r"^\[[^\]]*\]\([^)]*\)$")
_SPAN_RUN = re.compile(
    r"(?:`[^`]+`|\*\*[^*]+\*\*)(?:(?:,\s*|\s+(?:and|or)\s+)(?:`[^`]+`|\*\*[^*]+\*\*))*"
)
_LIST_INLINE_MAX = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class NotesResult:
    cards: tuple[Card, ...]
    sections: tuple[Section, ...]
    warnings: tuple[Diagnostic, ...]


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "x"


def _is_content(block: Block) -> bool:
    return not isinstance(block, Html)


def _html_text(html: str) -> str:
    """The visible text of an HTML block ("" for <br> runs and comments)."""
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.DOTALL)
    text = " ".join(re.sub(r"<[^>]*>", " ", html).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _is_contents_list(block: Block) -> bool:
    return (
        isinstance(block, ListBlock)
        and bool(block.items)
        and all(_LINK_ONLY.match(item.text.strip()) for item in block.items)
    )


@dataclass(slots=True)
class _SectionCards:
    """Collects the cards of one section, numbering keys per kind."""

    maker: NotesExtractor
    section: OutlineSection
    cards: list[Card] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    blanked: set[str] = field(default_factory=set)
    """Cloze fronts as Anki shows them ("A VM has [...]."), to keep them distinguishable."""

    def _distinguishable(self, front: str) -> str:
        """Reveal the last words of a lone deletion until its front differs from the others.

        "A VM has {{c1::strong isolation (hardware level)}}" next to "A VM has {{c1::its own
        OS}}" becomes "A VM has {{c1::strong isolation}} (hardware level)" (interference rule).
        """
        while True:
            shown = CLOZE_RE.sub("[...]", front)
            deletions = list(CLOZE_RE.finditer(front))
            if shown not in self.blanked or len(deletions) != 1:
                return front
            match = deletions[0]
            # The last word, or a whole trailing "(...)" group, moves out of the deletion.
            split = re.match(r"^(.*\S)\s+(\([^()]*\))$", match.group(2), re.DOTALL) or re.match(
                r"^(.*\S)\s+(\S+)$", match.group(2), re.DOTALL
            )
            if not split:
                return front
            hidden, revealed = split.groups()
            front = f"{front[: match.start()]}{{{{c1::{hidden}}}}} {revealed}{front[match.end() :]}"

    def add(
        self,
        kind: CardKind,
        front: str,
        back: str,
        source: SourceLocation,
        *,
        prompt: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        front, back = front.strip(), back.strip()
        if not front or (not back and "{{c" not in front):
            return
        front = self._distinguishable(front)
        self.blanked.add(CLOZE_RE.sub("[...]", front))
        self.counts[kind.value] += 1
        path = "/".join(self.section.path)
        occurrence = f"~{self.section.occurrence}" if self.section.occurrence > 1 else ""
        key = f"{self.maker.path}#{path}{occurrence}:{kind.value}:{self.counts[kind.value]}"
        path_tag = "::".join([self.maker.deck_slug, *(slug(p) for p in self.section.path)])
        self.cards.append(
            Card(
                kind=kind,
                front=front,
                back=back,
                prompt=prompt,
                context=self.section.path,
                source=source,
                key=key,
                tags=(path_tag, *tags),
                subdeck=self.section.path[0] if len(self.section.path) > 1 else None,
            )
        )


class NotesExtractor:
    """Makes the cards of one notes file."""

    def __init__(
        self, outline: Outline, deck_slug: str, proper_names: set[str], key_path: str
    ) -> None:
        self.outline = outline
        self.path = key_path
        self.deck_slug = deck_slug
        self.warnings: list[Diagnostic] = []
        self.proper_names = proper_names | {
            s.title.lower() for s in outline.sections if len(s.title.split()) == 1 and not s.label
        }

    def warn(self, source: SourceLocation, message: str) -> None:
        self.warnings.append(Diagnostic(location=source, message=message))

    # -- sections ----------------------------------------------------------------------------

    def run(self) -> NotesResult:
        cards: list[Card] = []
        sections: list[Section] = []
        outline_sections = self.outline.sections
        comparison_children: set[int] = set()
        for index, section in enumerate(outline_sections):
            if index in comparison_children:
                continue
            children = self._children(index)
            sides = ph.comparison_sides(section.title) if section.title else None
            has_table = any(isinstance(b, Table) and len(b.header) == 3 for b in section.blocks)
            direct = [c for c in children if len(outline_sections[c].path) == len(section.path) + 1]
            side_children = [
                c for c in direct if sides and ph.names_side(outline_sections[c].title, sides)
            ]
            if sides and (has_table or side_children):
                # Other bold labels ("Summary") belong to the comparison as a whole.
                other_labels = [
                    c for c in children if outline_sections[c].label and c not in side_children
                ]
                comparison_children.update(side_children + other_labels)
                extra = [b for c in other_labels for b in outline_sections[c].blocks]
                made = self._comparison(
                    section, [outline_sections[c] for c in side_children], sides, extra
                )
                sections.append(self._report(section, made, bool(children)))
                for child in side_children + other_labels:
                    child_section = outline_sections[child]
                    sections.append(
                        Section(
                            path=child_section.path,
                            source=child_section.source,
                            card_keys=tuple(
                                c.key
                                for c in made
                                if c.context == section.path
                                and c.tags[-1:] == (f"side::{slug(child_section.title)}",)
                            ),
                            reason="its cards are listed under the comparison"
                            if made
                            else "empty section",
                        )
                    )
                cards.extend(made)
                continue
            if not section.title and not any(map(_is_content, section.blocks)):
                continue  # nothing before the first heading
            made = self._topic(section)
            sections.append(self._report(section, made, bool(children)))
            cards.extend(made)
        return NotesResult(
            cards=tuple(cards), sections=tuple(sections), warnings=tuple(self.warnings)
        )

    def _children(self, index: int) -> list[int]:
        """Indexes of the sections nested below section ``index``."""
        parent = self.outline.sections[index]
        found = []
        for j in range(index + 1, len(self.outline.sections)):
            child = self.outline.sections[j]
            if len(child.path) <= len(parent.path) or child.path[: len(parent.path)] != parent.path:
                break
            found.append(j)
        return found

    def _report(self, section: OutlineSection, made: list[Card], has_children: bool) -> Section:
        content = [b for b in section.blocks if _is_content(b)]
        reason = ""
        if not made:
            if content and all(map(_is_contents_list, content)):
                reason = "contents list"
            elif not content and has_children:
                reason = "heading only (its sub-sections hold the content)"
            elif not content:
                reason = "empty section"
                self.warn(section.source, f"empty section '{section.title}' makes no card")
            else:
                reason = "no card could be made"
                self.warn(section.source, f"no card could be made from section '{section.title}'")
        return Section(
            path=section.path,
            source=section.source,
            card_keys=tuple(c.key for c in made),
            reason=reason,
        )

    # -- topics ------------------------------------------------------------------------------

    def _subject(self, title: str, definition: str | None) -> ph.Subject:
        subject = ph.subject_from_heading(title, definition)
        first, *rest = subject.name.split(" ")
        if subject.article and first.lower() not in self.proper_names and not first.isupper():
            return ph.Subject(" ".join([first.lower(), *rest]), subject.article, subject.plural)
        return subject

    def _first_statement(self, blocks: list[Block]) -> str | None:
        for block in blocks:
            if isinstance(block, Paragraph):
                return block.text
            if isinstance(block, ListBlock) and block.items:
                return block.items[0].text
            if isinstance(block, CodeBlock | Table):
                return None
        return None

    def _topic(self, section: OutlineSection) -> list[Card]:
        out = _SectionCards(self, section)
        for block in section.blocks:
            if isinstance(block, Html) and (text := _html_text(block.html)):
                self.warn(block.source, f"HTML block makes no card; write it as Markdown: {text}")
        blocks = [b for b in section.blocks if _is_content(b) and not _is_contents_list(b)]
        if not blocks:
            return []
        if ph.is_question(section.title):
            self._question_topic(out, section, blocks)
            return out.cards
        first = self._first_statement(blocks)
        subject = self._subject(section.title, first)
        keyword = ph.keyword_heading(section.title)
        state = _TopicState(subject=subject, keyword=keyword, defined=False)
        self._blocks(out, blocks, state)
        return out.cards

    def _question_topic(
        self, out: _SectionCards, section: OutlineSection, blocks: list[Block]
    ) -> None:
        """A heading phrased as a question: its body is the answer."""
        answer = "\n\n".join(_block_markdown(b) for b in blocks)
        out.add(CardKind.FACT, section.title, answer, blocks[0].source)
        for block in blocks:
            if isinstance(block, CodeBlock):
                subject = ph.Subject(section.title.rstrip("?"))
                self._code(out, block, subject, None, block_card=False)

    def _blocks(self, out: _SectionCards, blocks: list[Block], state: _TopicState) -> None:
        previous_code: CodeBlock | None = None
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Paragraph):
                label = ph.LIST_LABEL_RE.match(block.text)
                if label and isinstance(following, ListBlock):
                    continue  # the list below reads the label
                self._statements(out, block.text, block.source, state)
            elif isinstance(block, ListBlock):
                previous = blocks[index - 1] if index else None
                if isinstance(previous, Paragraph) and ph.LIST_LABEL_RE.match(previous.text):
                    self._list(out, previous.text, previous.source, block, state)
                else:
                    self._list_items(out, block, state)
            elif isinstance(block, CodeBlock):
                self._code(out, block, state.subject, previous_code)
                previous_code = block
            elif isinstance(block, Table):
                self._table(out, block, state)

    def _list_items(self, out: _SectionCards, block: ListBlock, state: _TopicState) -> None:
        if block.ordered and len(block.items) > 1:
            self._list(out, "steps:", block.source, block, state)
            return
        if state.keyword and len(block.items) > 1:
            keys = [ph.KEY_VALUE_RE.match(i.text) for i in block.items]
            if all(keys):
                owner, noun = state.keyword
                self._list(out, f"{noun}:", block.source, block, state, owner_noun=(owner, noun))
                return
        for item in block.items:
            self._item(out, item, state)

    def _item(self, out: _SectionCards, item: ListItem, state: _TopicState) -> None:
        label = ph.LIST_LABEL_RE.match(item.text)
        if label and item.sublists:
            self._list(out, item.text, item.source, item.sublists[0], state)
            for extra in item.sublists[1:]:
                self._list_items(out, extra, state)
        else:
            if item.text:
                self._statements(out, item.text, item.source, state)
            for sub in item.children:
                self._blocks(out, [sub], state)

    # -- statements --------------------------------------------------------------------------

    def _statements(
        self, out: _SectionCards, text: str, source: SourceLocation, state: _TopicState
    ) -> None:
        kv = ph.KEY_VALUE_RE.match(text)
        if kv and not ph.is_question(text):
            key = ph.kv_key(kv)
            value = kv.group("value").strip()
            if key.lower() == state.subject.name.lower() and not state.defined:
                state.defined = True
                out.add(CardKind.DEFINITION, state.subject.what_is(), value, source)
            elif kv.group("bold") and not state.keyword:
                out.add(CardKind.DEFINITION, f"What is {key}?", ph.capitalise(value), source)
            else:
                self._key_value(out, key, value, source, state)
            return
        for sentence in ph.split_sentences(text):
            if not state.defined:
                state.defined = True
                answer = ph.definition_answer(sentence, state.subject.name)
                if answer:
                    out.add(CardKind.DEFINITION, state.subject.what_is(), answer, source)
                    continue
            self._fact(out, sentence, source, state.subject, state.kind)

    def _key_value(
        self, out: _SectionCards, key: str, value: str, source: SourceLocation, state: _TopicState
    ) -> None:
        if state.keyword:
            owner, noun = state.keyword
            singular = noun[:-1] if noun.endswith("s") else noun
            question = f"What is the “{key}” {singular} of {owner}?"
        else:
            question = f"{state.subject.name} › {key}?"
        out.add(state.kind, question, ph.capitalise(value), source)

    def _fact(
        self,
        out: _SectionCards,
        sentence: str,
        source: SourceLocation,
        subject: ph.Subject,
        kind: CardKind = CardKind.FACT,
    ) -> None:
        sentence = ph.with_subject(sentence.strip(), subject)
        cloze = _cloze_marked_spans(sentence) or _cloze_clause(sentence)
        if cloze is None:
            self.warn(source, f"no card could be phrased from: {sentence}")
            return
        out.add(kind, cloze, "", source)

    # -- lists -------------------------------------------------------------------------------

    def _list(
        self,
        out: _SectionCards,
        label: str,
        source: SourceLocation,
        block: ListBlock,
        state: _TopicState,
        owner_noun: tuple[str, str] | None = None,
    ) -> None:
        items = [item for item in block.items if item.text]
        kvs = [ph.KEY_VALUE_RE.match(item.text) for item in items]
        all_kv = all(kvs) and len(items) > 1
        names = [
            (ph.kv_key(kv) if all_kv and kv else item.text)
            for item, kv in zip(items, kvs, strict=True)
        ]
        count = len(names)
        if count < 2:  # a one-item "list" is a plain statement
            for item in block.items:
                self._item(out, item, state)
            return
        if owner_noun:
            owner, noun = owner_noun
            question = f"What are the {noun} of {owner}? ({count})"
        else:
            question = ph.list_question(label, state.subject, count)

        def marker(n: int) -> str:
            return f"{n}." if block.ordered else "-"

        if count <= _LIST_INLINE_MAX or any(map(_has_braces, names)):
            answer = "\n".join(f"{marker(n)} {name}" for n, name in enumerate(names, 1))
            out.add(CardKind.LIST, question, answer, source)
        else:
            text = "\n".join(f"{marker(n)} {{{{c{n}::{name}}}}}" for n, name in enumerate(names, 1))
            out.add(CardKind.LIST, text, "", source, prompt=question)
        if all_kv:
            for item, kv in zip(items, kvs, strict=True):
                assert kv is not None
                key = ph.kv_key(kv)
                self._key_value(out, key, kv.group("value").strip(), item.source, state)
        for item in items:
            for child in item.children:
                if isinstance(child, ListBlock):
                    self._list_items(out, child, state)
                else:
                    self._blocks(out, [child], state)

    def _table(self, out: _SectionCards, table: Table, state: _TopicState) -> None:
        for row in table.rows:
            if not row or not row[0]:
                continue
            for header, cell in zip(table.header[1:], row[1:], strict=False):
                if cell.strip():
                    question = f"{state.subject.name} › {row[0]} › {header}?".replace("›  ›", "›")
                    out.add(CardKind.FACT, question, cell, table.source)

    # -- comparisons -------------------------------------------------------------------------

    def _comparison(
        self,
        section: OutlineSection,
        sides: list[OutlineSection],
        names: tuple[str, str],
        extra: list[Block],
    ) -> list[Card]:
        out = _SectionCards(self, section)
        x, y = names
        side_names = tuple(side.title for side in sides)
        shared: list[Block] = [b for b in [*section.blocks, *extra] if _is_content(b)]
        rows: dict[str, list[str]] = {}
        for side in sides:
            blocks = [b for b in side.blocks if _is_content(b)]
            # Code and what follows it under the last label illustrates both sides.
            code_at = next((i for i, b in enumerate(blocks) if isinstance(b, CodeBlock)), None)
            own, after = (blocks, []) if code_at is None else (blocks[:code_at], blocks[code_at:])
            shared.extend(after)
            subject = self._subject(side.title, self._first_statement(own))
            side_tag = (f"side::{slug(side.title)}",)
            rows[side.title] = []
            for statement, source in _statements_of(own):
                kv = ph.KEY_VALUE_RE.match(statement)
                if kv:
                    key = ph.kv_key(kv)
                    value = ph.strip_end_punctuation(kv.group("value"))
                    out.add(
                        CardKind.COMPARISON,
                        f"{x} vs {y} › {key}, in short?",
                        ph.capitalise(value),
                        source,
                        tags=side_tag,
                    )
                    rows[side.title].append(f"{key} → {value}")
                    continue
                for sentence in ph.split_sentences(statement):
                    rows[side.title].append(ph.strip_end_punctuation(sentence))
                    # "Has strong isolation." under **VM** is about the VM: say so.
                    sentence = ph.with_subject(sentence, subject)
                    cloze = _cloze_marked_spans(sentence) or _cloze_clause(sentence)
                    if cloze:
                        out.add(CardKind.COMPARISON, cloze, "", source, tags=side_tag)
                    predicate = ph.strip_subject(sentence, (*side_names, subject.name))
                    if predicate:
                        question = f"{x} or {y}: which {ph.strip_end_punctuation(predicate)}?"
                    else:
                        masked = sentence
                        for name in (*side_names, subject.name):
                            masked = re.sub(re.escape(name), "___", masked, flags=re.I)
                        question = f"{x} or {y}: which one? “{masked}”"
                    out.add(CardKind.DISCRIMINATION, question, side.title, source, tags=side_tag)
        if len(rows) == 2 and all(rows.values()):
            left, right = (rows[s.title] for s in sides)
            overview = [f"| {sides[0].title} | {sides[1].title} |", "| --- | --- |"]
            for n in range(max(len(left), len(right))):
                cells = [col[n] if n < len(col) else "" for col in (left, right)]
                overview.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            out.add(
                CardKind.OVERVIEW,
                f"What are the differences between {x} and {y}?",
                "\n".join(overview),
                section.source,
                tags=("overview",),
            )
        tables = [b for b in shared if isinstance(b, Table) and len(b.header) == 3]
        for table in tables:
            self._comparison_table(out, table, (x, y))
        state = _TopicState(subject=ph.Subject(f"{x} vs {y}"), keyword=None, defined=True)
        self._blocks(out, [b for b in shared if b not in tables], state)
        return out.cards

    def _comparison_table(self, out: _SectionCards, table: Table, names: tuple[str, str]) -> None:
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
                side_tag = (f"side::{slug(side)}",)
                out.add(
                    CardKind.COMPARISON,
                    f"{x} vs {y} › {side}: {feature}?",
                    cell,
                    table.source,
                    tags=side_tag,
                )
                if row[1] != row[2]:
                    out.add(
                        CardKind.DISCRIMINATION,
                        f"{x} or {y}: which has {ph.lower_first(feature)} “{cell}”?",
                        side,
                        table.source,
                        tags=side_tag,
                    )
        out.add(
            CardKind.OVERVIEW,
            f"What are the differences between {x} and {y}?",
            _block_markdown(table),
            table.source,
            tags=("overview",),
        )

    # -- code --------------------------------------------------------------------------------

    def _code(
        self,
        out: _SectionCards,
        block: CodeBlock,
        subject: ph.Subject,
        previous: CodeBlock | None,
        block_card: bool = True,
    ) -> None:
        facts = codefacts.extract(block.code, block.lang)
        noun, where = _code_nouns(block)
        source = block.source
        if facts.explained and block_card:
            out.add(
                CardKind.CODE,
                f"{subject.name}: what does each line of this {noun.split(' ')[0]} example do?\n\n"
                + _fence(facts.uncommented, block.lang),
                _fence(block.code, block.lang),
                source,
            )
        for fact in facts.explained:
            line_source = SourceLocation(
                path=source.path, line=source.line + block.fenced + fact.line
            )
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
            question = (
                f"{where}, what does {shown} do?" if imperative else f"{where}, what is {shown}?"
            )
            if block_shown:
                question += "\n\n" + _fence(snippet, block.lang)
            out.add(CardKind.CODE, question, ph.capitalise(fact.comment), line_source)
            answer_code = snippet
            if fact.parents:
                parent_line = fact.parents[-1]
                answer_code = f"{parent_line}\n  {snippet}"
            plural = (
                "\n" in snippet
                and not snippet.rstrip().endswith("\\")
                and len(
                    [
                        ln
                        for ln in snippet.splitlines()
                        if ln.strip() and not ln.startswith((" ", "\t"))
                    ]
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
            out.add(CardKind.CODE, question, _fence(answer_code, block.lang), line_source)
        for output in facts.outputs:
            line_source = SourceLocation(
                path=source.path, line=source.line + block.fenced + output.line
            )
            given = (
                f"Given this {_code_nouns(previous)[0].split(' ')[0]}:\n\n"
                f"{_fence(previous.code, previous.lang)}\n\n"
                if previous
                else ""
            )
            out.add(
                CardKind.CODE,
                f"{given}What does `{output.command}` print?",
                output.output,
                line_source,
            )


@dataclass(slots=True)
class _TopicState:
    subject: ph.Subject
    keyword: tuple[str, str] | None
    defined: bool
    kind: CardKind = CardKind.FACT


def _statements_of(blocks: list[Block]) -> list[tuple[str, SourceLocation]]:
    found: list[tuple[str, SourceLocation]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            found.append((block.text, block.source))
        elif isinstance(block, ListBlock):
            for item in block.items:
                if item.text:
                    found.append((item.text, item.source))
                found.extend(_statements_of(list(item.children)))
    return found


def _has_braces(text: str) -> bool:
    """``{{``/``}}`` in the user's own text would end or start an Anki cloze early."""
    return "{{" in text or "}}" in text


def _cloze_marked_spans(sentence: str) -> str | None:
    """Cloze runs of `code`/**bold** that are the point of the sentence (not "like `x`")."""
    if _has_braces(sentence):
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


def _cloze_clause(sentence: str) -> str | None:
    clause = ph.split_clause(sentence)
    if clause is None or _has_braces(sentence):
        return None
    return f"{clause.subject} {clause.verb} {{{{c1::{clause.tail}}}}}{clause.trailer}".strip()


def _fence(code: str, lang: str) -> str:
    fence = "````" if "```" in code else "```"
    return f"{fence}{lang}\n{code}\n{fence}"


def _code_nouns(block: CodeBlock) -> tuple[str, str]:
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


def _block_markdown(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, ListBlock):
        lines = []
        for n, item in enumerate(block.items, 1):
            lines.append(f"{f'{n}.' if block.ordered else '-'} {item.text}")
            for child in item.children:
                lines.extend("    " + ln for ln in _block_markdown(child).splitlines())
        return "\n".join(lines)
    if isinstance(block, CodeBlock):
        return _fence(block.code, block.lang)
    if isinstance(block, Table):
        rows = [block.header, tuple("---" for _ in block.header), *block.rows]
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)
    return ""


def extract_cards(
    outline: Outline, deck_slug: str, proper_names: set[str], *, key_path: str
) -> NotesResult:
    """All cards, coverage sections and warnings of one notes file.

    ``key_path`` names the file in card keys (relative to the deck folder), so keys do not
    depend on where deckmark is run from.
    """
    return NotesExtractor(outline, deck_slug, proper_names, key_path).run()
