"""Notes → atomic cards, from the notes' own structure (no card markers).

Each section of the outline goes to the recipes (``deckmark.parse.recipes``, one module per card
kind); this module decides which recipe reads a section and reports, per section, the cards it
made or why it made none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckmark.model import Card, Diagnostic, Section
from deckmark.parse.frontmatter import parse_front_matter
from deckmark.parse.outline import Block, CodeBlock, Html, ListBlock, Outline, Paragraph
from deckmark.parse.outline import Section as OutlineSection
from deckmark.parse.recipes import comparison, definition, language, qa, walk
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import (
    NotesFile,
    SectionCards,
    TopicState,
    block_markdown,
    contrasted_terms,
    first_statement,
)

_LINK_ONLY = re.compile(r"^\[[^\]]*\]\([^)]*\)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class NotesResult:
    cards: tuple[Card, ...]
    sections: tuple[Section, ...]
    warnings: tuple[Diagnostic, ...]


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


def _prose(outline: Outline) -> str:
    """The headings, paragraphs and list items of the notes (no code), for language detection."""
    texts: list[str] = []

    def add(blocks: list[Block] | tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                texts.append(block.text)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    texts.append(item.text)
                    add(item.children)

    for section in outline.sections:
        texts.append(section.title)
        add(section.blocks)
    return "\n".join(texts)


class NotesExtractor:
    """Makes the cards of one notes file."""

    def __init__(
        self, outline: Outline, deck_slug: str, proper_names: set[str], key_path: str
    ) -> None:
        self.outline = outline
        # The H1 headings: the file's own title names its topic, not what kind its sections are.
        self.file_titles = {s.path for s in outline.sections if s.level == 1}
        names = {
            s.title.lower() for s in outline.sections if len(s.title.split()) == 1 and not s.label
        }
        front_matter, _ = parse_front_matter(
            outline.front_matter, outline.path, outline.front_matter_line
        )
        self.notes = NotesFile(
            key_path=key_path,
            deck_slug=deck_slug,
            proper_names=proper_names | names,
            language=language.detect(_prose(outline), str(front_matter.values.get("lang", ""))),
            contrasted=contrasted_terms(s.path for s in outline.sections),
        )

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
            has_table = any(map(comparison.is_comparison_table, section.blocks))
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
                out = SectionCards(self.notes, section)
                comparison.comparison_cards(
                    out, section, [outline_sections[c] for c in side_children], sides, extra
                )
                made = out.cards
                sections.append(self._report(section, out, bool(children)))
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
                                and c.tags[-1:] == comparison.side_tag(child_section.title)
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
            out = self._topic(section, has_children=bool(children))
            sections.append(self._report(section, out, bool(children)))
            cards.extend(out.cards)
        return NotesResult(
            cards=tuple(cards), sections=tuple(sections), warnings=tuple(self.notes.warnings)
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

    def _report(self, section: OutlineSection, out: SectionCards, has_children: bool) -> Section:
        made = out.cards
        content = [b for b in section.blocks if _is_content(b)]
        reason = ""
        if not made:
            if content and all(map(_is_contents_list, content)):
                reason = "contents list"
            elif not content and has_children:
                reason = "heading only (its sub-sections hold the content)"
            elif not content:
                reason = "empty section"
                self.notes.warn(section.source, f"empty section '{section.title}' makes no card")
            else:
                if not out.left_out:  # say what was there, so that nothing is dropped silently
                    for block in content:
                        shown = [*block_markdown(block).strip().splitlines(), ""][0]
                        reason = (
                            "code without comments (nothing says what to ask)"
                            if isinstance(block, CodeBlock)
                            else f"no recipe reads this {type(block).__name__.lower()}"
                        )
                        out.leave_out(block.source, reason, shown)
                reasons = sorted({left.message.split(":", 1)[0] for left in out.left_out})
                reason = "no card could be made" + (f" ({', '.join(reasons)})" if reasons else "")
                self.notes.warn(
                    section.source, f"no card could be made from section '{section.title}'"
                )
        return Section(
            path=section.path,
            source=section.source,
            card_keys=tuple(c.key for c in made),
            reason=reason,
            left_out=tuple(out.left_out),
        )

    # -- topics ------------------------------------------------------------------------------

    def _topic(self, section: OutlineSection, *, has_children: bool) -> SectionCards:
        out = SectionCards(self.notes, section)
        for block in section.blocks:
            if isinstance(block, Html) and (text := _html_text(block.html)):
                self.notes.warn(
                    block.source, f"HTML block makes no card; write it as Markdown: {text}"
                )
        blocks = [b for b in section.blocks if _is_content(b) and not _is_contents_list(b)]
        if not blocks:
            return out
        if ph.is_question(section.title) or qa.answer_split(blocks):
            blocks = qa.question_cards(out, section, blocks, has_children=has_children)
            if not blocks:
                return out
        subject = self.notes.subject(section.title, first_statement(blocks))
        keyword = ph.keyword_heading(section.title)
        state = TopicState(subject=subject, keyword=keyword, defined=False)
        # Under an "Exercises" heading every section works one instance: only marked spans.
        below_title = section.path[1:] if section.path[:1] in self.file_titles else section.path
        state.example = any(map(ph.is_exercise_title, below_title))
        walk.blocks(out, definition.from_heading(out, blocks, state), state)
        out.flush_figures()
        return out


def extract_cards(
    outline: Outline, deck_slug: str, proper_names: set[str], *, key_path: str
) -> NotesResult:
    """All cards, coverage sections and warnings of one notes file.

    ``key_path`` names the file in card keys (relative to the deck folder), so keys do not
    depend on where deckmark is run from.
    """
    return NotesExtractor(outline, deck_slug, proper_names, key_path).run()
