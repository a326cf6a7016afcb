"""Turning headings, labels and sentences into questions, clozes and short answers.

Templates keyed on explicit structure, never free-form rewriting (see docs: only about a
quarter of rule-transformed questions are acceptable, so we keep to forms that always read
well, and fall back to label form ``Subject › Label?``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VS_RE = re.compile(r"^(.+?)\s+(?:vs\.?|versus)\s+(.+?)\??$", re.IGNORECASE)
_DIFFERENCE_RE = re.compile(
    r"^(?:what is the )?differences? between (.+?) and (.+?)\??$", re.IGNORECASE
)
LIST_LABEL_RE = re.compile(r"^(.*\S)\s*:$")
KEY_VALUE_RE = re.compile(
    r"^(?:\*\*(?P<bold>[^*]+)\*\*(?:\s*(?::|-->|->|=>|→|⟶|⇒|—)|(?P<dash>\s+[-–]))"
    r"|(?P<plain>[^:`*\[\]$\\]{1,40}?)\s*(?::|-->|->|=>|→|⟶|⇒|—))\s+(?P<value>\S.*)$"
)
"""``Key: value`` / ``**Key**: value``; a plain key holds no link, math or code."""
_ARTICLES = {"a", "an", "the"}
_PRONOUNS = {"it", "they", "this", "these", "those", "that"}
_PERSONAL = {"we", "you", "i"}
_MODALS = {
    "can",
    "could",
    "will",
    "would",
    "should",
    "must",
    "may",
    "might",
    "shall",
    "cannot",
    "can't",
}
_CONJUNCTIONS = {"because", "when", "if", "although", "since", "while", "as", "so", "but"}
_PREPOSITIONS = {
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "to",
    "after",
    "before",
    "during",
    "under",
    "unlike",
    "like",
    "without",
    "within",
    "inside",
    "once",
    "here",
    "there",
}
# Sentence openers that are not a subject: "Because it ...", "Suitable for ...", "In Windows ...".
_NOT_SUBJECTS = (
    _CONJUNCTIONS
    | _PREPOSITIONS
    | {"and", "or", "suitable", "useful", "used", "good", "better", "also", "then", "now"}
    | {"thus", "hence", "therefore", "finally", "however", "moreover", "furthermore", "so"}
    | {"additionally", "similarly", "otherwise", "instead", "first", "second", "next", "last"}
)
_OBJECT_PREPOSITIONS = {
    "of", "from", "in", "on", "at", "by", "with", "without", "within", "into", "onto", "over",
    "under", "between", "among", "about", "through", "across", "for", "via",
}  # fmt: skip
"""Prepositions whose next word is their object ("to" is left out: it also starts a verb)."""
PREPOSITION_START = r"(?:in|on|at|for|with|by|from|to|into|over|across|through)\s"


def is_function_word(word: str) -> bool:
    """ "Should", "The", "With": capitalised at a line start, never a name to recall."""
    lower = word.lower()
    return lower in _ARTICLES | _PRONOUNS | _PERSONAL | _MODALS | _COPULAS | _PREPOSITIONS | (
        _CONJUNCTIONS
    )


_DETERMINERS = _ARTICLES | {
    "each",
    "every",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "our",
    "your",
    "my",
}
# Words that can follow a verb's "-s" form: "stores the", "runs in", "creates a".
_AFTER_VERB = (
    _DETERMINERS | _PREPOSITIONS | {"all", "only", "no", "not", "one", "two", "into", "as"}
)
_COPULAS = {"is", "are", "was", "were"}
_VERBS = {
    "add",
    "allow",
    "assign",
    "attach",
    "bind",
    "build",
    "check",
    "clean",
    "collect",
    "compile",
    "configure",
    "connect",
    "contain",
    "copy",
    "create",
    "declare",
    "define",
    "delete",
    "deploy",
    "describe",
    "detach",
    "disable",
    "download",
    "enable",
    "execute",
    "expose",
    "export",
    "fetch",
    "follow",
    "give",
    "go",
    "have",
    "import",
    "include",
    "initialize",
    "inspect",
    "install",
    "keep",
    "let",
    "list",
    "load",
    "log",
    "make",
    "manage",
    "map",
    "mark",
    "mount",
    "need",
    "open",
    "override",
    "pass",
    "perform",
    "persist",
    "pick",
    "point",
    "print",
    "provide",
    "publish",
    "pull",
    "push",
    "read",
    "remove",
    "replace",
    "require",
    "restart",
    "run",
    "save",
    "set",
    "share",
    "show",
    "specify",
    "start",
    "stop",
    "store",
    "tag",
    "tell",
    "test",
    "update",
    "upgrade",
    "use",
    "wait",
    "write",
    "reduce",
    "speed",
    "isolate",
    "support",
    "guarantee",
    "send",
    "receive",
    "accept",
    "return",
    "handle",
    "ensure",
    "avoid",
    "offer",
    "cost",
    "take",
    "depend",
    "work",
    "mean",
    "become",
    "consume",
    "scale",
    "boot",
    "listen",
    "lack",
    "ship",
    "cache",
    "sign",
    "encrypt",
    "block",
    "retry",
    "undo",
    "revert",
    "reset",
    "discard",
    "stage",
    "commit",
    "merge",
    "rebase",
    "clone",
    "fork",
    "find",
    "compute",
    "calculate",
    "traverse",
    "retrieve",
    "establish",
    "iterate",
    "generate",
    "apply",
    "convert",
    "validate",
    "verify",
    "allocate",
    "acquire",
    "ignore",
    "skip",
    "serve",
    "insert",
    "append",
    "increment",
    "decrement",
    "notify",
    "render",
    "parse",
}
# Verbs that code comments start with ("Traverse neighbors"), kept apart from _VERBS: as nouns
# ("video calls", "a lock") they would cut prose sentences in the wrong place.
ACTION_VERBS = {
    "loop",
    "search",
    "sort",
    "swap",
    "visit",
    "call",
    "format",
    "split",
    "join",
    "filter",
    "enter",
    "exit",
    "release",
    "lock",
    "unlock",
    "signal",
    "free",
    "register",
    "change",
    "move",
    "rename",
    "close",
    "get",
    "put",
    "display",
}
_ADJECTIVE_OPENERS = {"suitable", "useful", "faster", "slower", "better", "worse", "ideal", "good"}
_EXAMPLE_MARKERS = re.compile(
    r"\s*(?:,\s*)?\(?(?:\b(?:like|such as|for example|for instance)\b|\be\.g\.|\bi\.e\.)", re.I
)
# A sentence ends at . ! ? before a capital, code or quote, but not after e.g. / i.e. / etc. / vs.
_SENTENCE_END = re.compile(
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<=[.!?])\s+(?=[A-Z`*\"(])"
)
_FRAGMENT_START = re.compile(
    r"^(?:like|e\.g\.|i\.e\.|such as|for example|this|these|that|which)\b", re.I
)


_SUPPOSITION = re.compile(
    r"^(?:let|suppose|assume|given|sei|seien|gegeben|angenommen|sia|siano|dato|data|soit|"
    r"soient|sea|sean|dado|dada|seja|sejam)\b",
    re.IGNORECASE,
)
"""Words that open a mathematical statement ("Let f: ...", "Sei f: U -> V ..."), any language."""
_OTHER_COPULAS = {"ist", "sind", "gibt", "è", "sono", "es", "son", "hay", "est", "sont", "é", "são"}
""""is"/"are"/"there are" of German, Italian, Spanish, French, Portuguese: a key holding one
is a clause ("Ci sono due possibilità: ...", "La ricorrenza è quindi: ...")."""


def key_value(text: str) -> re.Match[str] | None:
    """A ``Key: value`` line, unless the "key" is a clause ("Admonitions follow a simple
    syntax: ...", "BFS uses queue: O(n) space"): that is a sentence split at its colon.

    Neither is a key what opens a mathematical statement ("Sei f: U -> U'"), a phrase that
    names a variable ("Die Abbildung T -> T[] ..."), nor a label with its own colon
    ("选择：选择排序 -> 堆排序"). A variable is a lone consonant letter: the vowels "a", "e", "o",
    "y" are words of many languages ("Pro e contro").
    """
    match = KEY_VALUE_RE.match(text)
    if match and (plain := match.group("plain")):
        if plain.startswith(("_", "*")):
            return None  # "_Paragraph 2: ..._": the colon is inside an emphasis
        if re.search(r"[<>=(){}#：]", plain):
            return None  # "if low < high: ...": code, not a key
        key_words = plain.split()
        if _SUPPOSITION.match(plain) or (
            len(key_words) > 1
            and any(re.fullmatch(r"[B-HJ-NP-TV-Zb-df-hj-np-tv-xz]", w) for w in key_words[1:])
        ):
            return None
        if len(key_words) > 1 and any(w.lower() in _OTHER_COPULAS for w in key_words):
            return None
        if len(key_words) >= 4 and any(is_verb(w) for w in key_words[1:]):
            return None
        if len(key_words) == 3 and key_words[1].islower() and is_verb(key_words[1]):
            return None  # "BFS uses queue: O(n) space"; not "Slow Boot Times: ..."
    return match


def kv_key(match: re.Match[str]) -> str:
    """The key of a ``Key: value`` / ``**Key**: value`` match."""
    return (match.group("bold") or match.group("plain") or "").strip()


def names_side(title: str, sides: tuple[str, str]) -> bool:
    """Whether a sub-heading or bold label names one side of a comparison ("Containers")."""

    def norm(text: str) -> str:
        text = re.sub(r"^(?:a|an|the)\s+", "", text.strip().lower().rstrip(":"))
        return text[:-1] if text.endswith("s") and not text.endswith("ss") else text

    wanted = norm(title)
    return any(wanted == norm(side) for side in sides)


def is_question(title: str) -> bool:
    """Ends with "?" (or the full-width "？" of CJK text)."""
    return title.rstrip().endswith(("?", "？"))


def comparison_sides(title: str) -> tuple[str, str] | None:
    """The two sides of an "X vs Y" / "Difference between X and Y" heading."""
    for pattern in (VS_RE, _DIFFERENCE_RE):
        if match := pattern.match(title.strip()):
            return match.group(1).strip(), match.group(2).strip()
    return None


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text and not text.startswith("`") else text


def lower_first(text: str) -> str:
    """Lower-case the first word unless it is a name (acronym, CamelCase, code)."""
    first = text.split(" ", 1)[0]
    if not first or first.startswith("`") or first.isupper() or re.search(r"[a-z][A-Z]", first):
        return text
    return text[:1].lower() + text[1:]


def third_person(verb: str) -> str:
    """install → installs, copy → copies, set → sets (for imperative comments)."""
    lower = verb.lower()
    if lower in ("have",):
        return "has"
    if lower.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if len(lower) > 1 and lower.endswith("y") and lower[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def base_form(verb: str) -> str:
    """contains → contain, consists → consist, tell → tell (for "What does X ...?")."""
    lower = verb.lower()
    if lower == "has":
        return "have"
    if lower.endswith("ies") and len(lower) > 4:
        return verb[:-3] + "y"
    if lower.endswith(("shes", "ches", "xes", "sses", "oes")):  # echoes, undoes, goes
        return verb[:-2]
    if lower.endswith("s") and not lower.endswith("ss"):
        return verb[:-1]
    return verb


def is_verb(word: str) -> bool:
    lower = word.lower()
    return (
        lower in _VERBS
        or lower in _COPULAS
        or lower in _MODALS
        or lower in ("has", "does", "do")
        or base_form(lower) in _VERBS
        # unstages, reloads: a known verb with the prefix that undoes or repeats it
        or (lower.startswith(("un", "re")) and base_form(lower[2:]) in _VERBS)
    )


_ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:bzw|z\.\s?B|d\.\s?h|u\.\s?a|usw|ggf|vgl|evtl|bspw|sog|ca|ecc|cfr|cf|p\.\s?es"
    r"|p\.\s?ej|aprox|approx|resp|etc|vs|e\.g|i\.e)\.$",
    re.IGNORECASE,
)
"""A part ending in "bzw.", "z.B.", "ecc.", "p.ej.": the sentence goes on after it."""


def split_sentences(text: str) -> list[str]:
    """Sentences of a bullet or paragraph; fragments ("Like `x`.", "This ...") stay attached,
    and so does what follows an abbreviation ("`a` bzw. `b` ...")."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]
    sentences: list[str] = []
    for part in parts:
        continues = bool(sentences) and _ABBREVIATION_END.search(sentences[-1]) is not None
        if sentences and (continues or _FRAGMENT_START.match(part) or len(words(part)) < 3):
            sentences[-1] = f"{sentences[-1]} {part}"
        else:
            sentences.append(part)
    return sentences


@dataclass(frozen=True, slots=True)
class Subject:
    """How a topic is named in questions: "a Docker image", "Docker Engine", "Docker volumes"."""

    name: str
    """The subject as it reads in the middle of a sentence, e.g. "Docker image"."""
    article: str = ""
    """"a", "an", "the" or "" (names)."""
    plural: bool = False

    @property
    def phrase(self) -> str:
        return f"{self.article} {self.name}".strip()

    def what_is(self) -> str:
        return f"What {'are' if self.plural else 'is'} {self.phrase}?"


SECTION_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.|\d+(?:\.\d+)+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.?)\s+(?=\S)")
""""1. ", "1.2 ", "Ⅲ ": the number a heading is filed under, not part of its topic."""


def subject_from_heading(title: str, definition: str | None = None) -> Subject:
    """Name the topic; the definition's own article decides "a Docker image" vs "Docker Engine".
    A section number ("1. 进程", "2.3 Caching") is no part of it."""
    title = SECTION_NUMBER.sub("", title.strip()).rstrip(":")
    article = ""
    if definition and (match := re.match(r"^(a|an|the)\s", definition.strip(), re.IGNORECASE)):
        article = match.group(1).lower()
    title_words = title.split()
    plural = bool(title_words) and _looks_plural(title_words[-1])
    if article in ("a", "an") or (plural and not article):
        # A common noun: keep the first word (often a product name), lower-case the rest.
        title_words = [title_words[0]] + [
            w if (w.isupper() or re.search(r"[a-z][A-Z]", w)) else w.lower()
            for w in title_words[1:]
        ]
        if article in ("a", "an"):
            article = "an" if title_words[0][:1].lower() in "aeiou" else "a"
    return Subject(name=" ".join(title_words), article=article, plural=plural and not article)


def _looks_plural(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and not word.isupper()


_ARTICLE = re.compile(r"(?:a|an|the|each|every)\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_SUBJECT_TAIL = re.compile(r"s?\b\s*", re.IGNORECASE)
_PLAIN = ("a", "an", "the")


def subject_end(sentence: str, subject_name: str) -> int | None:
    """Where the subject ends in "A docker image ...", "Docker ...", "The X ...", if the
    sentence starts with it (the offset after it and its trailing spaces), else None.

    The head noun alone also counts when it follows an article: "A commit is" for "Git Commit".
    So does a name of two words or more that the heading extends ("Docker Hub is" under
    "Docker Hub registry"): a heading reworded that way must not change what its cards are.
    """
    subject_words = subject_name.split()
    if not (sentence.isascii() and subject_name.isascii()):
        return _subject_end_unicode(sentence, subject_words)
    # ASCII: compare lower-cased words instead of compiling a pattern per subject (thousands
    # of subjects in a large deck made regex compilation a tenth of the build).
    article = _ARTICLE.match(sentence)
    lowered = sentence.lower()
    words = [w.lower() for w in subject_words]
    for start in range(len(words)):
        for position in ([article.end()] if article else []) + ([0] if start == 0 else []):
            end = _words_end(lowered, position, words[start:])
            if end is not None and (tail := _SUBJECT_TAIL.match(sentence, end)):
                return tail.end()
    plain_article = article if article and article.group().split()[0].lower() in _PLAIN else None
    for stop in range(len(words) - 1, 1, -1):  # the first words of a longer heading
        for position in ([plain_article.end()] if plain_article else []) + [0]:
            end = _words_end(lowered, position, words[:stop])
            if end is not None and (tail := _SUBJECT_TAIL.match(sentence, end)):
                return tail.end()
    return None


def _words_end(text: str, position: int, words: list[str]) -> int | None:
    """The offset after ``words`` at ``position``, separated by whitespace, or None."""
    for index, word in enumerate(words):
        if index:
            gap = _SPACES.match(text, position)
            if gap is None:
                return None
            position = gap.end()
        if not text.startswith(word, position):
            return None
        position += len(word)
    return position


def _subject_end_unicode(sentence: str, subject_words: list[str]) -> int | None:
    for start in range(len(subject_words)):
        name = r"\s+".join(re.escape(w) for w in subject_words[start:])
        article = r"(?:(?:a|an|the|each|every)\s+)" + ("?" if start == 0 else "")
        match = re.match(rf"^{article}{name}s?\b\s*", sentence, re.IGNORECASE)
        if match:
            return match.end()
    for end in range(len(subject_words) - 1, 1, -1):
        name = r"\s+".join(re.escape(w) for w in subject_words[:end])
        match = re.match(rf"^(?:(?:a|an|the)\s+)?{name}s?\b\s*", sentence, re.IGNORECASE)
        if match:
            return match.end()
    return None


_DEFINING = re.compile(r"^(is|are|refers to|means)\s+(.+)$", re.IGNORECASE | re.DOTALL)
_DESCRIBING = re.compile(
    r"^(contains|consists of|includes|describes|lets|allows|holds|stores|provides)\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)


_PASSIVE = re.compile(r"^(?:\w+ed|made|built|written|known|given|shown|kept|held|run)\b", re.I)
"""'is divided into ...', 'is made of ...': a passive verb, not a definition."""


def is_participle(word: str) -> bool:
    """ "shown", "divided", "written": a past participle (passive voice), no object to recall."""
    return bool(_PASSIVE.fullmatch(word)) or word.lower() in (
        "seen", "done", "taken", "chosen", "hidden", "drawn", "sent", "found", "set", "put",
        "read", "left", "brought", "thrown", "grown", "bound", "told", "sold", "spent",
    )  # fmt: skip


def is_auxiliary(word: str) -> bool:
    """ "is", "can", "will": a copula or modal, the start of a verb phrase, not an object."""
    return word.lower() in _COPULAS | _MODALS


def definition_answer(sentence: str, subject_name: str) -> str | None:
    """The answer of "What is X?" if ``sentence`` defines X, else None.

    "A docker image is a read-only file ..." → "A read-only file ..."; "A dockerfile contains
    step by step instructions ..." → "Contains step by step instructions ...".
    """
    end = subject_end(sentence, subject_name)
    if end is None:
        return None
    rest = sentence[end:].strip()
    if (defining := _DEFINING.match(rest)) and not _PASSIVE.match(defining.group(2)):
        return capitalise(defining.group(2).strip())
    if _DESCRIBING.match(rest):
        return capitalise(rest)
    return None


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence cut at its main verb: "A container" | "runs" | "in isolation" | ""."""

    subject: str
    verb: str
    tail: str
    """The object or complement: what a cloze hides."""
    trailer: str
    """Examples ("like `VMware`") and later sentences, shown after the blank."""


def split_clause(sentence: str) -> Clause | None:
    """Find the main verb of a simple declarative sentence, or None when unsure."""
    tokens = sentence.split(" ")
    first = tokens[0].lower().strip(",") if tokens else ""
    if not first or first in _NOT_SUBJECTS | _COPULAS | _MODALS | {"e.g.", "i.e.", "note"}:
        return None  # no subject: "Are created by ...", "Because ..."
    backticks = 0  # odd while inside a code span: no verb there, no cut there
    for index, token in enumerate(tokens):
        inside_code = backticks % 2 == 1
        backticks += token.count("`")
        if inside_code:
            continue
        bare = re.sub(r"[^\w'-]", "", token)
        if index == 0 and bare.lower() not in _PERSONAL | _PRONOUNS:
            continue  # a noun-phrase subject needs at least one word
        if not bare or re.search(r"[`*(]", token) or token.endswith((",", ";", ":")):
            continue
        # "A Block Formatting Context", "the build": a noun inside the subject, not its verb.
        if index > 0 and (bare[:1].isupper() or tokens[index - 1].lower() in _DETERMINERS):
            continue
        if index > 0 and tokens[index - 1].lower() in _OBJECT_PREPOSITIONS:
            continue  # "generated from open sets of X": a preposition's object, not a verb
        lower = bare.lower()
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        plausible_verb = is_verb(bare) or (
            index > 0
            and lower.endswith("s")
            and not lower.endswith(("ss", "us", "is", "'s"))
            and tokens[0].lower() not in _PERSONAL
            and len(lower) > 3
            and (following in _AFTER_VERB or following.startswith("`"))
        )
        if index > 0 and tokens[index - 1].lower().rstrip(",") in _PERSONAL | _PRONOUNS:
            plausible_verb = True
        if not plausible_verb:
            continue
        verb_end = index + 1
        # Modals, copulas and "then" take the next word(s) along: "can then run", "is composed of".
        while verb_end < len(tokens) and (
            tokens[verb_end - 1].lower() in _MODALS | _COPULAS | {"then", "not", "also"}
            or tokens[verb_end].lower() in ("then", "not", "also")
        ):
            nxt = tokens[verb_end].lower()
            if tokens[verb_end - 1].lower() in _COPULAS and not (
                nxt.endswith("ed") or nxt in ("not", "also", "then")
            ):
                break
            verb_end += 1
        if (
            verb_end < len(tokens)
            and tokens[verb_end - 1].lower().endswith("ed")
            and tokens[verb_end].lower() in ("of", "by", "from", "on", "in", "to", "with")
        ):
            verb_end += 1
        subject = " ".join(tokens[:index])
        if subject.count("(") > subject.count(")"):
            return None  # the verb of an aside: "Name (should be included ...)"
        verb = " ".join(tokens[index:verb_end])
        tail = " ".join(tokens[verb_end:])
        if not tail:
            return None
        tail, trailer = _split_trailer(tail)
        if len(words(tail)) < 1:
            return None
        return Clause(subject=subject, verb=verb, tail=tail, trailer=trailer)
    return None


_HEAD_END = re.compile(
    r"\s+(?=(?:that|which|who|where|from|in|on|at|for|with|without|by|into|to|across|over"
    r"|because|since|when|while|if|unless|although|but|so|as|whereas|and|or)\s)"
)


def object_head(tail: str) -> tuple[str, str] | None:
    """The object's head noun phrase and the rest: "shortest paths" | " from one source ...".

    None when the tail has no such cut or the head would be longer than a short phrase.
    """
    masked = mask_math(tail)
    for cut in _HEAD_END.finditer(masked):
        head = tail[: cut.start()]
        if "`" in head or head.count("(") != head.count(")") or re.search(r"[,;:]", head):
            return None
        # "a protocol" alone says too little to be the one answer; "is" is no object.
        if (
            1 <= len(words(head)) <= 5
            and not re.fullmatch(r"(?:a|an|the)\s+\S+", head, re.I)
            and not any(is_auxiliary(w) for w in words(head))
            and not (len(words(head)) == 1 and is_function_word(head))
        ):
            return head, tail[cut.start() :]
        return None
    return None


def _split_trailer(tail: str) -> tuple[str, str]:
    """Separate the main object from examples and following sentences."""
    cut = len(tail)
    if (sentence_end := _SENTENCE_END.search(tail)) is not None:
        cut = sentence_end.start()
    if (example := _EXAMPLE_MARKERS.search(tail[:cut])) is not None and example.start() > 0:
        cut = example.start()
    cut = min(cut, _clause_break(tail[:cut]))
    main = tail[:cut].rstrip()
    trailer = tail[cut:]
    stripped = main.rstrip(".!;,")
    return stripped, main[len(stripped) :] + trailer


_RELATIVE = re.compile(
    r",?\s+(?:(?:in|of|on|by|for|to|from|with|at) )?(?:where|which|whose|who|whom)\s|;\s"
)


def _clause_break(tail: str) -> int:
    """Where the object ends and another clause begins: "an environment| where ...", "the
    container| and execute commands", "in place|; the arguments ...". ``len(tail)`` if none."""
    cut = len(tail)
    if (relative := _RELATIVE.search(tail)) is not None and relative.start() > 0:
        cut = relative.start()
    for joined in re.finditer(r"\s+and\s+(\w+)", tail[:cut]):
        if joined.start() > 0 and is_verb(joined.group(1)) and "`" not in tail[: joined.start()]:
            return joined.start()
    return cut


_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$|\$[^$\s][^$]*?\$", re.DOTALL)


def mask_math(text: str) -> str:
    """``text`` with every formula blanked (same length), so that no cut lands inside one."""
    return _MATH.sub(lambda m: "\u2591" * len(m.group(0)), text)


def starts_with_pronoun(sentence: str) -> bool:
    return sentence.partition(" ")[0].lower() in ("it", "they")


def starts_with_reference(sentence: str) -> bool:
    """ "It ...", "This case ...", "These metrics ...": the sentence leans on an earlier one."""
    return sentence.partition(" ")[0].lower() in _PRONOUNS


def is_imperative(sentence: str) -> bool:
    """ "Include programming languages ...", "Ensure your cover letter ...": advice."""
    first, _, rest = sentence.partition(" ")
    if first.lower().endswith("ly") and rest[:1].islower():  # "Regularly update the image"
        first = rest.partition(" ")[0].capitalize()
    first = re.sub(r"[^\w'’]", "", first).replace("’", "'")
    lower = first.lower()
    return first[:1].isupper() and (
        lower in _ADVICE or (lower == base_form(lower) and lower in _VERBS)
    )


_ADVICE = {
    "try", "remember", "note", "consider", "prefer", "choose", "refer", "see", "look", "think",
    "be", "do", "don't", "never", "always", "suppose", "assume", "imagine", "recall", "ensure",
    "avoid", "keep", "make", "let", "let's", "indicate", "mention", "highlight", "emphasize",
    "emphasise", "quantify", "tailor", "collate", "craft", "explain", "ask", "prepare", "aim",
    "strive",
}  # fmt: skip
_EXAMPLE_OPENER = re.compile(
    r"^(?:for (?:example|instance)|e\.g\.|i\.e\.|(?:another |an |one )?example"
    r"|ad esempio|per esempio|por ejemplo|par exemple|zum beispiel|z\.\s?b\.|beispiel"
    r"|例如|比如|举例|例：)",
    re.I,
)


_EXAMPLE_REFERENCE = re.compile(
    r"\b(?:(?:in|of|from) (?:this|the|our|that) example|(?:this|the above|the previous) example"
    r"|\b(?:nel|nell['’]|del|dell['’]|questo|quest['’]|nostro|come)\s*esempio"
    r"|(?:en )?(?:este|el) ejemplo|como ejemplo|(?:in )?diesem beispiel|im beispiel"
    r"|(?:dans )?cet exemple|(?:in|on) the figure|nella figura|in figura|in der abbildung"
    r"|en la figura)\b|本例|此例|该例|上例|例子中|如图",
    re.I,
)
_EXAMPLE_TITLE = re.compile(
    r"(?<!\w)(?:examples?|esempi|esempio|ejemplos?|beispiele?|exemples?|exemplos?|ex\.)(?!\w)"
    r"|例|示例|举例",
    re.I,
)
_EXAMPLE_LEAD = re.compile(
    r"(?:\bsuch as|\blike|\bfor (?:example|instance)|\be\.g\.|\bad esempio|\bper esempio|\bcome"
    r"|\bpor ejemplo|\bcomo|\bzum beispiel|\bz\.\s?b\.|\bwie|\bpar exemple|例如|比如)\s*[:：]?$",
    re.I,
)
_CONCLUSION = re.compile(
    r"^(?:so|thus|hence|therefore|quindi|dunque|perciò|pertanto|daher|deshalb|somit"
    r"|por lo tanto|por tanto|entonces|por eso|donc|ainsi)\b|^(?:因此|所以|于是|故)",
    re.I,
)


def is_example(sentence: str) -> bool:
    """ "For example, ...", "In this example ...", "nella figura ...": a worked example,
    specific to the notes' own figures and numbers."""
    text = sentence.strip().lstrip("*_")
    return bool(_EXAMPLE_OPENER.match(text) or _EXAMPLE_REFERENCE.search(text))


_EXERCISE_TITLE = re.compile(
    # Plural or numbered: a health note's "## Exercise" is about exercise.
    r"(?<!\w)(?:exercises|esercizi|esercitazioni|ejercicios|exercices|exerc[íi]cios|übungen"
    r"|oefeningen)(?!\w)|(?<!\w)(?:exercise|esercizio|esercitazione|ejercicio|exercice"
    r"|exerc[íi]cio|übung|oefening)\s+(?:n[.°º]\s*)?\d+|习题|练习|例题|演習",
    re.I,
)


def is_exercise_title(title: str) -> bool:
    """ "Exercises", "altri esercizi", "Ejercicio 3", "Übungen", "习题": the sections below
    work concrete instances, whose values and steps hold for that instance alone ("Exercise"
    alone may be the topic: a health note's "## Exercise")."""
    return bool(_EXERCISE_TITLE.search(title))


def is_example_title(title: str) -> bool:
    """ "Example", "Esempio", "Ejemplos", "Beispiel", "示例", "Ex. 构造 NFA": a worked example."""
    return bool(_EXAMPLE_TITLE.search(title))


# A sentence that only announces what comes next (a code block, a list, the cases below), in
# the languages the recipes know: at its end, or "not limited to" (more follows) anywhere.
_LEAD_IN_END = re.compile(
    r"(?:[:：]|\b(?:as follows|the following|following|below|two cases|"
    r"(?:make|draw) a distinction|distinguish(?: between)?|"
    r"come segue|di seguito|seguent[ei]|(?:fare|fa) una distinzione|distinguere|due casi|"
    r"wie folgt|folgende[nmrs]?|unterscheiden|zwei Fälle|"
    r"como sigue|a continuación|siguientes?|distinguir|dos casos|"
    r"comme suit|ci-dessous|suivante?s?|distinguer|deux cas)"
    r"|(?:如下|以下|两种情况|区分))[\s.。…]*$",
    re.IGNORECASE,
)
_MORE_FOLLOWS = re.compile(
    r"\b(?:not (?:limited|restricted) to|non (?:è |sei |sono )?limitat[oaie] a|"
    r"nicht (?:nur )?auf .{1,40} beschränkt|no (?:está |estás )?limitad[oa]s? a|"
    r"pas limitée?s? à)",
    re.IGNORECASE,
)

_CLAIM_TO_PROVE = re.compile(
    # The claim's conjunction is required: "We must verify the checksum", "We need to show
    # the output" state a step, not what a proof will show.
    r"^\W*(?:(?:we|i)\s+(?:must|need to|have to|want to|will|shall|now)\s+(?:show|prove)\s+that"
    r"|(?:it\s+)?remains to (?:show|prove) that|to (?:show|prove) that"
    r"|(?:dobbiamo|vogliamo|bisogna|occorre|resta da|devo|si deve)\s+(?:dimostrare|mostrare"
    r"|provare)\s+che|per (?:dimostrare|mostrare) che"
    r"|(?:wir\s+)?(?:müssen|wollen)\s+(?:wir\s+)?(?:zeigen|beweisen),?\s+dass"
    r"|(?:es bleibt )?zu zeigen(?:\s*:|,?\s+dass)"
    r"|(?:debemos|queremos|hay que|tenemos que)\s+(?:demostrar|probar|mostrar)\s+que"
    r"|para (?:demostrar|probar) que"
    r"|(?:nous devons|il faut|on doit|il reste à)\s+(?:montrer|démontrer|prouver)\s+qu(?:e|')"
    r"|(?:我们)?(?:需要|要|必须)证明)",
    re.IGNORECASE,
)
"""A sentence that says what a proof will show ("Dobbiamo dimostrare che ..."): its claim is
the proof's, and hidden after those words it is the rest of the sentence."""


def is_lead_in(sentence: str) -> bool:
    """ "Add the following lines to `mkdocs.yml`:", "bisogna fare una distinzione", "You're not
    limited to `--callout-color`.", "Dobbiamo dimostrare che ...": the sentence introduces
    what follows, it states nothing."""
    return bool(
        _LEAD_IN_END.search(sentence.strip())
        or _MORE_FOLLOWS.search(sentence)
        or _CLAIM_TO_PROVE.match(sentence.strip().lstrip("*_"))
    )


def leads_to_examples(text: str) -> bool:
    """ "Graphs model relations between entities, such as": the list below gives examples."""
    return bool(_EXAMPLE_LEAD.search(text.rstrip()))


def is_conclusion(sentence: str) -> bool:
    """ "Quindi il costo è ...", "So the distance is ...", "因此 ...": a conclusion drawn from the
    steps before it, whose subject ("the cost") those steps name."""
    return bool(_CONCLUSION.match(sentence.strip().lstrip("*_")))


def is_personal(sentence: str) -> bool:
    """ "I was approached by a recruiter ...": the author's own story, not a fact to learn."""
    return bool(re.search(r"\b(?:I|I'm|I've|my|me)\b", sentence))


def with_subject(sentence: str, subject: Subject, *, antecedent_certain: bool = True) -> str:
    """Give a subjectless statement its subject: "Supports classes." under Python →
    "Python supports classes."; "Suitable for web apps" → "A container is suitable for web apps".
    A leading "It"/"They" becomes the subject only when ``antecedent_certain`` (the pronoun
    continues statements about the subject); anything else is left as written."""
    if starts_with_pronoun(sentence) and not antecedent_certain:
        return sentence
    sentence = replace_leading_pronoun(sentence, subject)
    first, _, rest = sentence.partition(" ")
    lower = first.lower()
    if not rest or subject_end(sentence, subject.name) is not None:
        return sentence
    if lower in _ADJECTIVE_OPENERS:
        verb = "are" if subject.plural else "is"
        return f"{capitalise(subject.phrase)} {verb} {lower} {rest}"
    # Only a third-person verb ("Supports", "Has"): a base form ("Use x") is advice, not a fact.
    third = lower == "has" or (lower != base_form(lower) and is_verb(lower))
    if third and lower not in _MODALS | _COPULAS and lower != "does":
        return f"{capitalise(subject.phrase)} {lower} {rest}"
    return sentence


def replace_leading_pronoun(sentence: str, subject: Subject) -> str:
    """ "It is a live environment" → "A Docker container is a live environment"."""
    first, _, rest = sentence.partition(" ")
    if first.lower() in ("it", "they") and rest:
        verb, _, after = rest.partition(" ")
        if (
            first.lower() == "they"
            and not subject.plural
            and base_form(verb) == verb
            and verb.lower() in _VERBS
        ):
            rest = f"{third_person(verb)} {after}".strip()
        return f"{capitalise(subject.phrase)} {rest}"
    return sentence


def strip_subject(sentence: str, names: tuple[str, ...]) -> str | None:
    """The predicate of a statement about one of ``names`` (or "It/They ..."), else None.

    "It runs on a Hypervisor" → "runs on a Hypervisor"; "Has strong isolation" → "has strong
    isolation"; "Suitable for web apps" → "is suitable for web apps".
    """
    first, _, rest = sentence.partition(" ")
    if first.lower() in ("it", "they") and rest:
        predicate = rest
    else:
        predicate = sentence
        for name in names:
            if (end := subject_end(sentence, name)) is not None:
                predicate = sentence[end:]
                break
    predicate = re.split(r"(?<=[.!?])\s+", predicate.strip(), maxsplit=1)[0]
    verb = predicate.split(" ", 1)[0]
    if not verb:
        return None
    if is_verb(verb) or (verb.lower().endswith("s") and not verb.lower().endswith("ss")):
        head, _, tail = predicate.partition(" ")
        head = head.lower()
        if head in ("require", "have", "use", "run", "share", "need", "provide", "give"):
            head = third_person(head)
        return f"{head} {tail}".strip()
    if (
        predicate is sentence
        and verb[:1].isupper()
        and verb.lower() not in _CONJUNCTIONS | _ARTICLES | {"each"}
    ):
        return f"is {lower_first(predicate)}"
    return None


def strip_end_punctuation(text: str) -> str:
    return text.rstrip().rstrip(".;:").rstrip()


def is_question_text(text: str) -> bool:
    """Ends with a question mark, in any script ("?" or the full-width "？")."""
    return text.rstrip().rstrip(":：").rstrip().endswith(("?", "？"))


def is_list_label(text: str) -> bool:
    """ "It contains:" or a question ("操作系统主要有哪些功能？") standing over a list."""
    return bool(LIST_LABEL_RE.match(text)) or is_question_text(text)


def reads_as_noun_phrase(label: str) -> bool:
    """ "Benefits", "Steps to commit", "Key features": a short name for what the list holds.

    Not a sentence fragment ("shortly, it runs git diff twice"), not a clause with a verb.
    """
    label_words = label.split()
    return (
        0 < len(label_words) <= 5
        and re.fullmatch(r"[A-Za-z][A-Za-z '&/-]*", label) is not None
        and label_words[0].lower() not in _PRONOUNS | _PERSONAL | _ARTICLES
        and not is_verb(label_words[0])
        and label_words[0].lower() not in _ADVICE
        and not any(w.lower() in _COPULAS | _MODALS for w in label_words)
    )


_LABEL_MAX_WORDS = 15


def are_steps(items: list[str]) -> bool:
    """Most items start with a verb ("Fetch the remote", "Stage them"): a procedure."""
    verbs = [is_imperative(item) or is_verb(item.partition(" ")[0]) for item in items if item]
    return bool(verbs) and sum(verbs) * 2 > len(verbs)


def list_question(
    label: str,
    subject: Subject,
    count: int,
    *,
    certain: bool = True,
    english: bool = True,
    owner: str = "",
) -> str:
    """The question of a closed list under ``label:`` ("It contains:" over 4 items).

    A question label is asked as written; "It contains:" becomes "What does a Docker image
    contain?" only when "It" certainly means the subject; a noun-phrase label gives "Docker:
    what are the benefits?"; anything else is shown as written after the heading. A label too
    long to show (a sentence over the list) gives "": "scheduling in linux (2)" would not say
    that the items are queue types.
    """
    label = label.strip().rstrip(":：").strip()
    if len(words(label)) > _LABEL_MAX_WORDS:  # a paragraph over the list: its last sentence
        label = split_sentences(label)[-1].rstrip(":：").strip()
        if len(words(label)) > _LABEL_MAX_WORDS:
            return ""  # the heading alone would not say what the items are
    label_words = label.split()
    if not label:
        return f"{subject.name} ({count})"
    if is_question_text(label):
        return f"{label} ({count})"
    if (
        english
        and certain
        and 2 <= len(label_words) <= 5
        and label_words[0].lower() in _PRONOUNS
        and re.fullmatch(r"[A-Za-z ]+", label)
    ):
        verb, rest = label_words[1], " ".join(label_words[2:])
        if verb.lower() in _COPULAS:
            return f"{subject.what_is()[:-1]} {rest}? ({count})".replace("  ", " ")
        if is_verb(verb) or verb.lower().endswith("s"):
            rest_text = f" {lower_first(rest)}" if rest else ""
            aux = "do" if subject.plural else "does"
            return f"What {aux} {subject.phrase} {base_form(verb).lower()}{rest_text}? ({count})"
    if english and reads_as_noun_phrase(label):
        return f"{subject.name}: what are the {lower_first(label)}? ({count})"
    # Under a list item ("assegnamento dinamico" › "complicato da realizzare:"), that item owns it.
    return " › ".join(filter(None, (subject.name, owner, f"{label} … ({count})")))


_KEYWORD_LISTS = (
    (re.compile(r"^(.*?)\s*\b(benefits|advantages|pros)$", re.I), "benefits"),
    (re.compile(r"^(.*?)\s*\b(disadvantages|drawbacks|cons|limitations)$", re.I), "drawbacks"),
    (re.compile(r"^(.*?)\s*\b(features|characteristics|properties)$", re.I), "features"),
    (re.compile(r"^(.*?)\s*\b(components|parts)$", re.I), "components"),
    (re.compile(r"^(.*?)\s*\b(best practices|tips)$", re.I), "best practices"),
    (re.compile(r"^(?:types|kinds) of\s+(.*)$", re.I), "types"),
)


def keyword_heading(title: str) -> tuple[str, str] | None:
    """("Docker", "benefits") for "Docker Benefits": headings that name a closed list."""
    for pattern, noun in _KEYWORD_LISTS:
        if match := pattern.match(title.strip()):
            # "Key Components", "Core Advantages": the adjective is no owner ("benefits of Core").
            owner = _INTENSIFIERS.sub("", match.group(1).strip())
            if owner:
                return owner, noun
    return None


_INTENSIFIERS = re.compile(
    r"^(?:(?:key|core|main|major|important|common|primary|essential|basic|general|notable|top|"
    r"other|additional|unique)\b\s*)+",
    re.IGNORECASE,
)
