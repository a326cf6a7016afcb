"""What every recipe shares: the file being read, the section's card collector, the topic state.

A recipe either adds a card through :class:`SectionCards` or says why it made none
(:meth:`SectionCards.leave_out`); ``deckmark check`` lists what was left out, so the user can
write that card by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from deckmark.model import CLOZE_RE, Card, CardKind, Diagnostic, SourceLocation
from deckmark.parse.outline import (
    Block,
    CodeBlock,
    Container,
    DefinitionList,
    Figure,
    ListBlock,
    Paragraph,
    Table,
)
from deckmark.parse.outline import Section as OutlineSection
from deckmark.parse.recipes import comments, language
from deckmark.parse.recipes import phrasing as ph


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "x"


@dataclass(slots=True, kw_only=True)
class NotesFile:
    """The notes file being read: how its cards are keyed and tagged, and its warnings."""

    key_path: str
    """The file as named in card keys (relative to the deck folder)."""
    deck_slug: str
    proper_names: set[str]
    """Lower-cased names that keep their capital and take no article ("docker")."""
    language: str = "en"
    """Two-letter code of the notes' language; English templates only for "en"."""
    warnings: list[Diagnostic] = field(default_factory=list)
    contrasted: dict[str, str] = field(default_factory=dict)
    """Lower-cased term → the term the notes contrast it with ("dfa" → "NFA"): see
    :func:`contrasted_terms`."""

    @property
    def english(self) -> bool:
        return self.language == "en"

    def warn(self, source: SourceLocation, message: str) -> None:
        self.warnings.append(Diagnostic(location=source, message=message))

    def subject(self, title: str, definition: str | None) -> ph.Subject:
        """The section's subject, lower-casing a common noun unless it is a known name."""
        subject = ph.subject_from_heading(title, definition)
        first, *rest = subject.name.split(" ")
        if subject.article and first.lower() not in self.proper_names and not first.isupper():
            return ph.Subject(" ".join([first.lower(), *rest]), subject.article, subject.plural)
        return subject


@dataclass(slots=True)
class TopicState:
    """What the recipes of one section know about its topic while reading its blocks."""

    subject: ph.Subject
    keyword: tuple[str, str] | None
    """("Docker", "benefits") under a heading that names a closed list."""
    defined: bool
    """The section's defining sentence has been read (only the first statement can define)."""
    about_subject: bool = False
    """The last statement was about the subject, so a leading "It"/"They" means the subject."""
    previous: str = ""
    """The section's last statement, shown above a sentence that leans on it ("This case ...")."""
    kind: CardKind = CardKind.FACT
    example: bool = False
    """Reading a worked example (an example admonition or callout): only what the author
    marked there is a term to learn; its values, names and steps hold for that example."""
    owners: tuple[str, ...] = ()
    """The list items (short terms) the current block is nested under ("assegnamento
    statico" over "vantaggi: ..."): a label there belongs to them, not to the heading."""


@dataclass(slots=True)
class SectionCards:
    """Collects the cards of one section, numbering keys per kind, and what was left out."""

    notes: NotesFile
    section: OutlineSection
    cards: list[Card] = field(default_factory=list)
    left_out: list[Diagnostic] = field(default_factory=list)
    """Candidates that made no card: ``reason: text`` at their line."""
    counts: Counter[str] = field(default_factory=Counter)
    blanked: set[str] = field(default_factory=set)
    """Cloze fronts as Anki shows them ("A VM has [...]."), to keep them distinguishable."""
    figures: list[str] = field(default_factory=list)
    """Images or display math seen before any card: they go to the first card made."""
    code_words: tuple[str, ...] | None = None
    """The words of each of the section's code blocks, read once (see :meth:`shown_in_code`)."""

    def shown_in_code(self, text: str) -> bool:
        """``text`` stands word for word in one of the section's code blocks: a sample that a
        block of Markdown source shows ("The HTML specification is maintained by the W3C.",
        "> It supports **Markdown**, [[Internal link|Wikilinks]] ..."). Five words at least."""
        if self.code_words is None:
            self.code_words = tuple(
                f" {_word_sequence(block.code)} "
                for block in _all_blocks(self.section.blocks)
                if isinstance(block, CodeBlock)
            )
        shown = _word_sequence(text)
        return shown.count(" ") >= 4 and any(f" {shown} " in code for code in self.code_words)

    section_text: str | None = None
    """The section as Markdown, read once (see :meth:`names_variable`)."""
    declarations: str | None = None
    """The section's program code, comments and strings removed (see :meth:`names_variable`)."""

    def names_variable(self, hidden: str) -> bool:
        """``hidden`` is a name that the section's code gives its own example: one letter used
        in an expression (`A` beside ``len(A)``), a parameter or argument of a call
        (``low`` beside ``MergeSort(A, low, high)``, ``ReadLock`` beside ``down(&readLock)``),
        a name a program block declares, assigns or defines (``semaphore rmutex, readLock;``,
        ``def merge(``, ``class Rational``). Such a blank asks for the author's naming, nothing
        to learn, even where the prose says what the name holds ("low: the first index"). A
        letter used in no expression (Vim's `x`) stays; so do the names a program uses but does
        not declare (``WORKDIR``, ``fork()``): the tool's own vocabulary, and a plain lower-case
        word the blank does not write as code ("using a **queue**" beside ``queue = [root]``).
        Only a mixed-case name matches in any case."""
        name = _MARKUP.sub("", hidden).strip().removesuffix("()")  # "Sum()" names `Sum`
        if not re.fullmatch(r"[A-Za-z_]\w*", name) or re.fullmatch(r"__\w+__", name):
            return False  # a dunder name (`__init__`) is the language's, not the author's
        if self.section_text is None:
            self.section_text = "\n".join(map(block_markdown, self.section.blocks))
        bare = rf"(?<![\w.$\\-]){name}(?![\w(])"
        if len(name) == 1:
            used = rf"[(\[,=]\s*{bare}|{bare}\s*(?:[\[\]),=+*/<>]|\.\w)"
            return bool(re.search(used, self.section_text))
        # A mixed-case name in any case: "ReadLock" in the prose is `readLock` in the code.
        mixed = name.lower() != name and name.upper() != name
        flags = re.IGNORECASE if mixed else 0
        text = self.section_text.lower() if mixed else self.section_text
        # Named only where the blank is (a str count, not a regex per name: a deck has
        # thousands of blanks), the code can neither define it nor pass it.
        elsewhere = text.count(name.lower() if mixed else name) > 1
        defined = rf"\b(?:def|function|func|fn)\s+{name}\s*\("
        if elsewhere and re.search(defined, self.section_text, flags):
            return True
        # A plain word ("queue", "low") names the code's variable only where the blank, too,
        # writes it as code (`low`): "visits nodes using a **queue**" teaches the word.
        if re.fullmatch(r"[a-z]+", name) and not hidden.strip().startswith("`"):
            return False
        argument = rf"\w\((?:[^()\n]*,\s*)?[&*]?\s*{bare}\s*(?:,[^()\n]*)?\)"
        if elsewhere and re.search(argument, self.section_text, flags):
            return True
        return self.declares(name, ignore_case=mixed)

    def declares(self, name: str, *, besides: str = "", ignore_case: bool = True) -> bool:
        """A program block of the section declares ``name`` on a line other than ``besides``."""
        if self.declarations is None:
            self.declarations = "\n".join(
                without_comments(block.code) for block in self.program_blocks()
            )
        code = self.declarations
        if besides.strip():
            line = rf"^[ \t]*{re.escape(besides.strip())}[ \t]*$"
            code = re.sub(line, "", code, count=1, flags=re.MULTILINE)
        return declares(name, code, ignore_case=ignore_case)

    def program_blocks(self) -> list[CodeBlock]:
        """The section's code blocks in a programming language (not shell or config), in order."""
        return [
            block
            for block in _all_blocks(self.section.blocks)
            if isinstance(block, CodeBlock) and block.lang in comments.PROGRAM_LANGS
        ]

    def contrasted_other(self, hidden: str, front: str) -> str | None:
        """The term the notes contrast ``hidden`` with, when the front does not name it: the
        sentence would read as true with either ("accepted by some [DFA]" under notes on
        DFA and NFA), so the blank cannot tell which is meant."""
        other = self.notes.contrasted.get(_MARKUP.sub("", hidden).strip().lower())
        if other is None:
            return None
        rest = CLOZE_RE.sub(" ", front).lower()
        if re.search(rf"(?<!\w){re.escape(other.lower())}(?!\w)", rest):
            return None
        # "和 [DFA] 区别只在 Δ" under "NFA": a sentence that sets its section's term against
        # another one asks for that other one.
        own = self.section.title.lower()
        if other.lower() in own and _CONTRAST.search(rest):
            return None
        return other

    _labels: list[set[str]] | None = field(default=None, init=False, repr=False)
    """How many ``Key: value`` lines of the section use each key (see :meth:`repeats_label`)."""

    def attach(self, markdown: str, source: SourceLocation, *, text_made_card: bool = True) -> None:
        """An image or formula on its own line belongs to the card before it (or the next).

        Only to a card of the same file: after an embed, the next card of this note gets it.
        Only to a card of the text just above it: when that text made no card
        (``text_made_card`` False: "To fill the table, we use this rule:"), an earlier card
        is about something else and the formula is left out.
        """
        if not self.cards or self.cards[-1].source.path != source.path:
            self.figures.append(markdown)
            return
        last = self.cards[-1]
        if not text_made_card:
            self.leave_out(source, "a formula or image whose own text made no card", markdown)
            return
        self.cards[-1] = replace(last, back=f"{last.back}\n\n{markdown}".strip())

    def flush_figures(self) -> None:
        """Figures still waiting for a card of their file go to the section's last card."""
        if self.figures and self.cards:
            last = self.cards[-1]
            back = "\n\n".join([last.back, *self.figures]).strip()
            self.cards[-1] = replace(last, back=back)
            self.figures.clear()

    def repeats_label(self, key: str) -> bool:
        """``key`` labels more than one ``Key: value`` line of this section.

        "Aliases: `summary`" after each callout type: "Supported types › Aliases?" cannot say
        which type it asks about.
        """
        if self._labels is None:
            self._labels = [_label_forms(k) for k in _labels_of(self.section.blocks)]
        forms = _label_forms(key)
        return sum(1 for other in self._labels if other & forms) > 1

    def leave_out(self, source: SourceLocation, reason: str, text: str) -> None:
        """Record a candidate that made no card, for ``deckmark check``."""
        shown = " ".join(text.split())
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        self.left_out.append(Diagnostic(location=source, message=f"{reason}: {shown}"))

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
        if kind is CardKind.LIST and re.match(r"^(?::|\(\d+\)$)", front):  # "(4)", ": what ..."
            self.leave_out(source, "a list with neither label nor heading to ask by", back)
            return
        if is_placeholder(f"{front} {back}"):
            self.leave_out(source, "placeholder text", front)
            return
        cloze = "{{c" in front
        while cloze and (shown := answer_on_front(front, prompt)):
            # That deletion is shown as plain text; the note keeps its other deletions.
            number, hidden = shown
            self.leave_out(source, f"answer printed in the question ({hidden})", front)
            front = _replace_deletion(front, number, None)
        if cloze:  # after the check above: an acronym's expansion gives it away, no gloss
            front = gloss_into_deletion(front, self.notes.language)
        # Anki shows the last two headings above the front (exporters/anki.py).
        shown_context = self.section.path[-2:]
        while cloze and (shown := answer_in_context(front, shown_context, self.notes.language)):
            number, hidden = shown
            self.leave_out(source, f"answer printed in the context line ({hidden})", front)
            front = _replace_deletion(front, number, None)
        written = front
        for match in CLOZE_RE.finditer(written) if cloze else ():
            if _DOTTED_BEFORE.search(written, 0, match.start()) or _DOTTED_AFTER.match(
                written, match.end()
            ):
                # "NuGet-Paket System.[...]": the blank is half of a dotted name.
                self.leave_out(source, f"half of a dotted name ({match[2]})", front)
                front = _replace_deletion(front, match.group(1), None)
                continue
            if written[match.start() - 1 : match.start()] == "/" or written.startswith(
                "/", match.end()
            ):
                # "same type: [...]/`str`/`list`": one of alternatives, any of them fits.
                self.leave_out(source, f"one of alternatives joined by '/' ({match[2]})", front)
                front = _replace_deletion(front, match.group(1), None)
                continue
            if other := self.contrasted_other(match.group(2), written):
                # "a language is regular iff it is accepted by some [DFA]": NFA fits too.
                self.leave_out(source, f"two answers fit ({match[2]} or {other})", front)
                front = _replace_deletion(front, match.group(1), None)
                continue
            if self.names_variable(match.group(2)):
                self.leave_out(source, f"a name from the notes' own code ({match[2]})", front)
                front = _replace_deletion(front, match.group(1), None)
        if cloze and not CLOZE_RE.search(front):
            return
        front = self._distinguishable(front)
        self.blanked.add(CLOZE_RE.sub("[...]", front))
        self.counts[kind.value] += 1
        path = "/".join(self.section.path)
        occurrence = f"~{self.section.occurrence}" if self.section.occurrence > 1 else ""
        key = f"{self.notes.key_path}#{path}{occurrence}:{kind.value}:{self.counts[kind.value]}"
        path_tag = "::".join([self.notes.deck_slug, *(slug(p) for p in self.section.path)])
        if self.figures:
            back = "\n\n".join([back, *self.figures]).strip()
            self.figures.clear()
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


def _labels_of(blocks: list[Block] | tuple[Block, ...]) -> list[str]:
    """The keys of every ``Key: value`` line in ``blocks``, nested lists and callouts too."""
    keys: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines = block.text.split("\n")
        elif isinstance(block, ListBlock):
            lines = [item.text for item in block.items]
            for item in block.items:
                keys.extend(_labels_of(item.children))
        elif isinstance(block, Container):
            keys.extend(_labels_of(block.blocks))
            continue
        else:
            continue
        keys.extend(ph.kv_key(kv) for line in lines if (kv := ph.key_value(line)))
    return keys


def _label_forms(key: str) -> set[str]:
    """A key and its possible singulars, lower-cased: "Aliases" and "Alias" share "alias"."""
    key = key.strip().lower()
    return {key, key.removesuffix("s"), key.removesuffix("es")}


_POINTER = re.compile(r"\[\[[^\]]+\]\]|\[[^\]]*\]\([^)]*\)|<?https?://[^\s>]+>?")
"""A wiki link, a Markdown link or a URL. A bare file name is kept: "Compose file: compose.yaml"
is a fact."""


def is_pointer(value: str) -> bool:
    """Only links ("[[02_Strings.ipynb]]", "See: [Functions](#functions)"): the line says where
    something is, not what it is."""
    if "![" in value:
        return False  # an embed or image: the card shows it
    rest = _POINTER.sub("", value)
    return rest != value and not re.search(r"[^\W\d_]", re.sub(r"\b(?:and|or)\b", "", rest))


# Labels that say what kind of line follows, not what it is about, in the languages the recipes
# know: "Kovarianz › Beispiel?" or "criteri di sistema › Soluzione?" does not say of what.
_GENERIC_LABEL = re.compile(
    r"^(?:examples?|e\.g\.|notes?|tips?|hints?|remarks?|solutions?|answers?|results?|see also|"
    r"warning|caution|summary|problem|question|exercise|idea|observation|"
    r"beispiele?|hinweis|anmerkung|lösung|bemerkung|achtung|tipp|ergebnis|aufgabe|frage|"
    r"esempi[oi]|nota|soluzione|osservazione|attenzione|suggerimento|problema|domanda|esercizio|"
    r"risultato|ejemplos?|solución|observación|atención|consejo|pregunta|ejercicio|resultado|"
    r"exemples?|remarque|conseil|problème|exercice|résultat|"
    r"例|例如|注意|注|提示|解|答案|备注|示例|例子|问题|结论)(?:\s*\d+)?$",
    re.IGNORECASE,
)


def is_generic_label(key: str) -> bool:
    """ "Example", "Beispiel 2", "Soluzione", "注意": a label that names no subject."""
    return bool(_GENERIC_LABEL.match(key.strip()))


# Keys of a notes file's own header (who, when, how hard), in the languages the recipes know.
_HEADER_KEYS = {
    "difficulty", "focus", "tags", "tag", "created", "updated", "last updated", "modified",
    "date", "author", "authors", "status", "notebook", "category", "categories",
    "prerequisites", "estimated time", "reading time",
    "schwierigkeit", "schwierigkeitsgrad", "autor", "datum", "erstellt", "aktualisiert",
    "schlagwörter", "kategorie",
    "difficoltà", "autore", "data", "creato", "aggiornato", "categoria",
    "dificultad", "fecha", "creado", "actualizado", "etiquetas", "categoría",
    "difficulté", "auteur", "créé", "mis à jour", "étiquettes", "catégorie",
    "难度", "作者", "日期", "标签", "分类", "创建时间", "更新时间", "状态",
}  # fmt: skip
_HEADER_LINE = re.compile(r"^[\W_]*?\**([^*:：]{1,30}?)\**\s*[:：]\**(?:\s|$)")


def is_file_header(text: str) -> bool:
    """Every line is a header field of the notes file ("**Difficulty:** ⭐⭐", "tags: dsa"),
    which Markdown shows as text when it is not front matter."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(
        (m := _HEADER_LINE.match(line)) and m.group(1).strip().lower() in _HEADER_KEYS
        for line in lines
    )


_LOREM = re.compile(
    r"\b(?:lorem|ipsum|dolor|consectetur|adipiscing|eiusmod|aliquam|nullam|donec|vestibulum|"
    r"pellentesque|mauris|curabitur|suscipit|sagittis|facilisis|ullamcorper|venenatis)\b",
    re.IGNORECASE,
)


def is_placeholder(text: str) -> bool:
    """Lorem-ipsum filler: two or more of its words."""
    return len(_LOREM.findall(text)) >= 2


_NOT_TYPES = (
    "return|else|case|goto|throw|new|delete|yield|await|print|echo|not|and|or|in|is|import|"
    "from|using|include|define|if|while|for|do|switch|break|continue|then|elif|raise|assert"
)
"""Words that stand before a name without declaring it (``return x;``, ``else y = 1``)."""


def without_comments(code: str) -> str:
    """Program code without its ``//``, ``#`` and ``/* */`` comments and string literals."""
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.DOTALL)
    code = re.sub(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", _literal_code, code)
    return re.sub(r"(?://|#(?!include|define)).*", "", code)


def _literal_code(literal: re.Match[str]) -> str:
    """A string literal as ``""``, and the code an f-string or ``$"..."`` interpolates: the
    line ``print(f"{tree.parent(3)}")`` reads ``tree``."""
    prefix = literal.string[literal.start() - 1 : literal.start()]
    if prefix not in ("f", "F", "$") and "${" not in literal.group(0):
        return '""'
    return " ".join(['""', *re.findall(r"\{([^{}]*)\}", literal.group(0))])


def declares(name: str, code: str, *, ignore_case: bool = True) -> bool:
    """``code`` (without comments) declares, assigns or defines ``name``, in any case unless
    ``ignore_case`` is false:
    ``semaphore rmutex, readLock;``, ``int n = 0;``, ``class Rational``, ``x = 5``,
    ``int Sum(IEnumerable<int> numbers) {``."""
    if (name.lower() not in code.lower()) if ignore_case else (name not in code):
        return False  # the common case, without compiling a pattern for this name
    bare = rf"(?<![\w.$\\-]){re.escape(name)}(?![\w(])"
    declared = (
        rf"\b(?:class|struct|interface|enum|record|trait|type|typedef)\s+{bare}"
        rf"|^[ \t]*{bare}\s*(?:[-+*/]?=|:=)(?!=)"
        rf"|\b(?!(?:{_NOT_TYPES})\b)[A-Za-z_][\w<>\[\].]*[ \t]+(?:\w+[ \t]*,[ \t]*)*"
        rf"{bare}[ \t]*[;,=\[]"
        # A C-style definition: "int Sum(this IEnumerable<int> numbers) {"
        rf"|\b(?!(?:{_NOT_TYPES})\b)[A-Za-z_][\w<>\[\].]*[ \t]+{re.escape(name)}[ \t]*"
        r"\([^()\n]*\)[ \t]*(?:\{|=>|$)"
    )
    flags = re.IGNORECASE | re.MULTILINE if ignore_case else re.MULTILINE
    return bool(re.search(declared, code, flags))


_MARKUP = re.compile(r"\\[()\[\]]|[$`*={}\\]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _printed(hidden: str, text: str) -> bool:
    """``hidden`` stands as a whole token in ``text`` ("PCB" in "... Block, PCB)", "2" in n_2)."""
    if _CJK.search(hidden):  # no spaces between words: any occurrence gives it away
        return len(hidden) >= 2 and hidden in text
    # Each pattern below is new to re's cache, and compiling it costs more than the search:
    # first rule out, exactly, the usual case of a text that does not contain ``hidden``.
    caseless = len(hidden) > 2
    if not caseless or hidden.isdigit():
        if hidden not in text:
            return False
    elif hidden.isascii() and text.isascii() and hidden.lower() not in text.lower():
        return False  # ASCII only: re.IGNORECASE also matches "ſ" for "s", "K" (Kelvin) for "k"
    if hidden.isdigit():  # "1" in "n+1" gives nothing away; the index of "n_2" does
        return bool(re.search(rf"_\{{?{hidden}(?![0-9])", text))
    flags = re.IGNORECASE if caseless else 0
    return bool(re.search(rf"(?<![A-Za-z0-9]){re.escape(hidden)}(?![A-Za-z0-9])", text, flags))


_FILLERS = r"(?:[\s-]+[a-zà-ÿ]{1,3}(?=[\s-]))*"
"""Short lower-case words a spelled-out form skips: "of", "de", "di", "der", "für"."""


def _acronym_printed(hidden: str, text: str) -> bool:
    """ "PCB" hidden beside "Process Control Block", "PVI" beside "(problema de valor
    inicial)", or the spelled-out form beside "PCB"."""
    if re.fullmatch(r"[A-Z]{2,6}", hidden):
        lowered = text.lower()
        if not all(letter.lower() in lowered for letter in hidden):  # each starts a word
            return False
        capitals = f"{_FILLERS}[\\s-]+".join(rf"{letter}[\w']*" for letter in hidden)
        if re.search(rf"(?<![\w-]){capitals}", text):
            return True
        # In lower case only as the whole of a parenthesis next to it: "PVI (problema de ...)".
        spelled = f"{_FILLERS}[\\s-]+".join(
            rf"[{letter}{letter.lower()}][\w']*" for letter in hidden
        )
        return bool(re.search(rf"\(\s*{spelled}\s*\)", text))
    words = [w for w in hidden.split() if not re.fullmatch(r"[a-zà-ÿ]{1,3}", w)]
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        return _printed("".join(w[0] for w in words), text)
    if len(words) >= 3 and len(hidden.split()) <= 6:  # "problema de valor inicial" beside "PVI"
        return _printed("".join(w[0] for w in words).upper(), text)
    return False


_GLOSS = re.compile(r"\}\}([ \t]*[(（]\s*(?P<gloss>[^\W\d_][^()（）\d$`\\,;:=]{0,50}?)\s*[)）])")
"""A short parenthesis right after a deletion: "[...] (ordinamento per fusione)"."""
_NOT_A_GLOSS = re.compile(
    r"(?:e\.g|i\.e|es|ad es|cioè|ovvero|see|vedi|siehe|z\.\s?b|d\.h|like|come|wie|como|comme"
    r"|because|since|perché|poiché|weil|porque|parce|che|which|who|where|a cui|dove|der|die"
    r"|das|que|qui|optional|deprecated|default|not|non|nicht|no)\b",
    re.IGNORECASE,
)


def gloss_into_deletion(front: str, notes_language: str) -> str:
    """A translation or other name in parentheses right after a deletion goes into it, to be
    shown on the back: "L'algoritmo [...] (ordinamento per fusione)" asks for "merge sort"
    with its Italian name beside the blank. An aside (e.g. ..., because ..., a number, more
    than five words) stays on the front, and so does a qualifier: another name is a noun
    phrase, "(in bytes)", "(if unsure)", "(per riga)" open with a preposition or conjunction."""

    def into(match: re.Match[str]) -> str:
        gloss = match.group("gloss")
        first = gloss.split()[0]
        if (
            len(gloss.split()) > 5
            or _NOT_A_GLOSS.match(gloss)
            or ph.is_function_word(first)
            or language.is_preposition(first, notes_language)
        ):
            return match.group(0)
        return f"{match.group(1)}}}}}"

    return _GLOSS.sub(into, front)


def _replace_deletion(front: str, number: str, by: str | None) -> str:
    """Deletion ``number`` replaced by ``by``, or by its own text when ``by`` is None."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) != number:
            return match.group(0)
        return match.group(2) if by is None else by

    return CLOZE_RE.sub(replace, front)


_DOTTED_BEFORE = re.compile(r"[^\W_]\.$")
_DOTTED_AFTER = re.compile(r"\.[^\W\d_]")


def answer_on_front(front: str, prompt: str = "") -> tuple[str, str] | None:
    """The first deletion (its number and text) that the front still shows elsewhere, or None.

    A learner reads "… the Process Control Block (PCB) … operations on [...]" and answers
    "PCB" from the sentence itself: the card tests reading, not memory.
    """
    deletions = [
        (m.group(1), " ".join(_MARKUP.sub(" ", m.group(2)).split()))
        for m in CLOZE_RE.finditer(front)
    ]
    for number in {deleted for deleted, _ in deletions}:
        rest = CLOZE_RE.sub(r"\2", _replace_deletion(front, number, " "))
        seen = " ".join(_MARKUP.sub(" ", f"{prompt} {rest}").split())
        indexes = " ".join(f"{prompt} {rest}".replace("{", "").split())
        for deleted, hidden in deletions:
            if deleted != number or not hidden:
                continue
            if _printed(hidden, indexes if hidden.isdigit() else seen) or _acronym_printed(
                hidden, seen
            ):
                return number, hidden
    return None


def _heading_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` outside formulas, identifiers split at their dots and
    dashes ("navigation.sections" and "long-term" are two words each)."""
    return re.findall(r"[^\W_]+", ph.mask_math(text).replace("\u2591", " ").lower())


def _same_word(word: str, heading_word: str) -> bool:
    """The same word, in the singular or plural, or misspelt by one letter in a long word
    ("Hausdoorff" in a heading over "Hausdorff")."""
    if word == heading_word or word in (heading_word.rstrip("s"), heading_word.removesuffix("es")):
        return True
    if heading_word in (word.rstrip("s"), word.removesuffix("es")):
        return True
    if min(len(word), len(heading_word)) < 7 or abs(len(word) - len(heading_word)) > 1:
        return False
    # One letter added, dropped or changed inside the word; not in its ending, where it makes
    # another word of the same stem ("kovariant" under "Kovarianz und Kontravarianz").
    shorter, longer = sorted((word, heading_word), key=len)
    for i, (a, b) in enumerate(zip(shorter, longer, strict=False)):
        if a != b:
            skip = 1 if len(shorter) == len(longer) else 0
            return i < len(shorter) - 2 and shorter[i + skip :] == longer[i + 1 :]
    return False


def context_prints(hidden: str, context: Iterable[str], notes_language: str) -> bool:
    """The context line above a card gives ``hidden`` away: every content word of it stands in
    a heading ("Definition of closed set" over "{{c1::a closed set}}"), or it is the initials
    of a heading ("long-term scheduling" over "{{c1::LTS}}")."""
    headings = [h for h in context if h.strip()]
    if not headings or not hidden.strip():
        return False
    plain = _MARKUP.sub("", hidden).strip()
    if _CJK.search(plain):  # no spaces between words: the hidden text as written
        return len(plain) >= 2 and any(plain in h for h in headings)
    if re.fullmatch(
        r"\d{2,}|\d+(?:\.\d+)+", plain
    ):  # a version ("C# [...]" under "Neuerungen C# 3.0")
        number = rf"(?<![\w.]){re.escape(plain)}(?![\w.])"
        return any(re.search(number, heading) for heading in headings)
    if re.fullmatch(r"[A-Z]{2,6}", plain):
        for heading in headings:
            initials = [w[0] for w in _heading_words(heading) if not ph.is_function_word(w)]
            if "".join(initials).upper() == plain:
                return True
    if re.fullmatch(r"\s*`[^`]*\s[^`]*`\s*", hidden):
        return False  # an expression ("`a == null`") is more than the words it uses
    # Articles and connectives only: a preposition is part of what is hidden ("inside").
    words = [
        w
        for w in _heading_words(hidden)
        if len(w) > 1 and not language.content_free(w, notes_language)
    ]
    shown = [w for heading in headings for w in _heading_words(heading)]
    return bool(words) and all(any(_same_word(w, h) for h in shown) for w in words)


def answer_in_context(
    front: str, context: Iterable[str], notes_language: str
) -> tuple[str, str] | None:
    """The first deletion (its number and text) that the card's context line gives away."""
    context = tuple(context)
    for match in CLOZE_RE.finditer(front):
        if context_prints(match.group(2), context, notes_language):
            return match.group(1), " ".join(match.group(2).split())
    return None


def has_braces(text: str) -> bool:
    """``{{``/``}}`` in the user's own text would end or start an Anki cloze early."""
    return "{{" in text or "}}" in text


def fence(code: str, lang: str) -> str:
    marks = "````" if "```" in code else "```"
    return f"{marks}{lang}\n{code}\n{marks}"


def block_markdown(block: Block) -> str:
    """A block as Markdown again, for answers that quote it whole."""
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, ListBlock):
        lines = []
        for n, item in enumerate(block.items, 1):
            lines.append(f"{f'{n}.' if block.ordered else '-'} {item.text}")
            for child in item.children:
                lines.extend("    " + ln for ln in block_markdown(child).split("\n"))
        return "\n".join(lines)
    if isinstance(block, CodeBlock):
        return fence(block.code, block.lang)
    if isinstance(block, Table):
        rows = [block.header, tuple("---" for _ in block.header), *block.rows]
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)
    if isinstance(block, Container) and block.reveals_answer:
        return "\n\n".join(filter(None, map(block_markdown, block.blocks)))
    if isinstance(block, Container | Figure):
        return block.markdown
    if isinstance(block, DefinitionList):
        return "\n\n".join(
            "\n".join([item.term, *(f": {d}" for d in item.definitions)]) for item in block.items
        )
    return ""


def _word_sequence(text: str) -> str:
    """The words of some Markdown, lower-cased, without its markup and link targets."""
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)  # [[target|shown]]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [shown](target)
    return " ".join(ph.words(text.replace("_", " "))).lower()


def _all_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, and the blocks inside containers and list items, in order."""
    for block in blocks:
        yield block
        if isinstance(block, Container):
            yield from _all_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _all_blocks(item.children)


def first_statement(blocks: list[Block]) -> str | None:
    """The section's first sentence-bearing text (a definition candidate)."""
    for block in blocks:
        if isinstance(block, Paragraph):
            return block.text
        if isinstance(block, ListBlock) and block.items:
            return block.items[0].text
        if isinstance(block, CodeBlock | Table):
            return None
    return None


_CONTRAST = re.compile(
    r"\b(?:differs?|different|unlike|compared|rather than|than|whereas|diversamente|differisce"
    r"|diverso|a differenza|rispetto|invece|unterscheidet|anders|im gegensatz|difiere|diferencia"
    r"|distinto|diffère|contrairement|différent)\b|区别|不同|相比|比",
    re.IGNORECASE,
)
"""Words that set one thing against another: the blank beside them is the other thing."""


def contrasted_terms(titles: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """Pairs of terms the notes contrast: two sibling headings that are short terms, both
    named by another heading ("DFA" and "NFA" beside "NFA 与 DFA" or "DFA vs NFA")."""
    paths = list(titles)
    siblings: dict[tuple[str, ...], list[str]] = {}
    for path in paths:
        title = path[-1].strip() if path else ""
        if title and len(title) <= 30 and len(title.split()) <= 3:
            siblings.setdefault(path[:-1], []).append(title)
    headings = [path[-1].lower() for path in paths if path]
    pairs: dict[str, str] = {}
    for terms in siblings.values():
        for index, first in enumerate(terms):
            for second in terms[index + 1 :]:
                a, b = first.lower(), second.lower()
                if a != b and any(
                    _names(h, a) and _names(h, b) and h not in (a, b) for h in headings
                ):
                    pairs[a], pairs[b] = second, first
    return pairs


def _names(heading: str, term: str) -> bool:
    """``term`` stands as whole words in ``heading``: "map" in "set vs map", not "set" in
    "map settings"; beside CJK text ("nfa 与 dfa", "nfa与dfa") any neighbour does."""
    return bool(re.search(rf"(?<![a-z0-9à-ÿ]){re.escape(term)}(?![a-z0-9à-ÿ])", heading))
