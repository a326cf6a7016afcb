"""Fact cards: one statement (a bullet or a sentence) → a cloze on what it teaches.

The deletion is a marked span (`code`, **bold**) or the statement's object after its main
verb; ``Key: value`` lines ask for the key's value.
"""

from __future__ import annotations

import re

from deckmark.model import CLOZE_RE, SourceLocation
from deckmark.parse.recipes import definition, language
from deckmark.parse.recipes import phrasing as ph
from deckmark.parse.recipes.collector import (
    SectionCards,
    TopicState,
    has_braces,
    is_generic_label,
    is_pointer,
)

_SPAN = r"(?:`[^`]+`|\*\*[^*]+\*\*|==[^=\s][^=]*?==)"
_SPAN_RUN = re.compile(rf"{_SPAN}(?:(?:,\s*|\s+(?:and|or)\s+){_SPAN})*")
"""Marked spans the author chose: `code`, **bold**, ==highlight==, and runs of them."""


def statements(out: SectionCards, text: str, source: SourceLocation, state: TopicState) -> None:
    """The cards of one bullet or paragraph: a definition, key/value facts or clozes."""
    kv = ph.key_value(text)
    if kv and not ph.is_question(text):
        key = ph.kv_key(kv)
        value = kv.group("value").strip()
        if state.example or ph.is_example_title(out.section.title):
            out.leave_out(source, "example-specific (a worked example)", text)
            return
        # "**Uncommon** - Dijkstra, ...": a label over items, not a term to define.
        bold = bool(kv.group("bold")) and not kv.group("dash")
        if not definition.from_key_value(out, key, value, source, state, bold=bold):
            key_value(out, key, value, source, state)
        return
    for sentence in ph.split_sentences(text):
        if not definition.from_sentence(out, sentence, source, state):
            fact(out, sentence, source, state)


def key_value(
    out: SectionCards, key: str, value: str, source: SourceLocation, state: TopicState
) -> None:
    """``Key: value`` → "Subject › Key?" (or "What is the “Key” benefit of X?")."""
    if is_pointer(value):
        out.leave_out(source, "only a link, not a fact", f"{key}: {value}")
        return
    if value.rstrip().endswith((":", "：")):  # "Dockerfile: Defines the image:" over its code
        out.leave_out(source, "introduces what follows", f"{key}: {value}")
        return
    if is_generic_label(key):
        out.leave_out(source, "label names no subject (the question cannot say of what)", key)
        return
    if out.repeats_label(key):
        out.leave_out(source, "label repeated in the section (the question cannot say which)", key)
        return
    if state.keyword:
        owner, noun = state.keyword
        singular = noun[:-1] if noun.endswith("s") else noun
        question = f"What is the “{key}” {singular} of {owner}?"
    else:
        question = " › ".join((state.subject.name, *state.owners[-1:], f"{key}?"))
    out.add(state.kind, question, ph.capitalise(value), source)


def fact(out: SectionCards, sentence: str, source: SourceLocation, state: TopicState) -> None:
    """A cloze on what one sentence teaches, or nothing (left out, with the reason)."""
    sentence = sentence.strip()
    if sentence.count("**") % 2:  # bold that spans sentences: its markers belong to neither
        sentence = sentence.replace("**", "")
    previous, state.previous = state.previous, sentence
    if elsewhere := language.points_elsewhere(sentence, out.notes.language):
        # "The first case may result ...": which case is not on the card, so neither is the fact.
        out.leave_out(source, f"refers to something not shown on the card ({elsewhere})", sentence)
        return
    reference = ph.starts_with_reference(sentence.lstrip("_*")) or language.leans_on_previous(
        sentence, out.notes.language
    )
    certain = state.about_subject and ph.starts_with_pronoun(sentence)
    sentence = ph.with_subject(sentence, state.subject, antecedent_certain=certain)
    state.about_subject = certain or ph.subject_end(sentence, state.subject.name) is not None
    if ph.is_lead_in(previous):  # "Add the following lines:" names nothing "This flag" means
        previous = ""
    # The earlier sentence a leaning one needs ("This case ...") is shown above it.
    context = previous if reference and not certain else ""
    if reference and not certain and not previous:
        out.leave_out(source, "pronoun without a certain antecedent", sentence)
        return
    if ph.is_lead_in(sentence):
        out.leave_out(source, "introduces what follows", sentence)
        return
    refers = r"\b(?:like this|as follows|the following|below|above|here is|here's|here are)\b"
    if re.search(refers, sentence, re.I):
        out.leave_out(source, "refers to what is shown around it", sentence)
        return
    if ph.is_question_text(sentence):
        out.leave_out(source, "a question, not a statement", sentence)
        return
    if re.search(r"\b(?:TODO|FIXME|TBD)\b", sentence) or _TEMPLATE_SLOT.search(sentence):
        out.leave_out(source, "placeholder text", sentence)
        return
    if _ADVERTISEMENT.search(sentence):
        out.leave_out(source, "an advertisement, not a fact", sentence)
        return
    if re.search(r"</?[A-Za-z][^>]*>", sentence):
        out.leave_out(source, "HTML in the sentence", sentence)
        return
    # "{: #id }", "{.class}", "{ title="x" }"; not "{{ x }}" (kept apart by a word joiner).
    if re.search(r"(?<![{\u2060])\{(?![{\u2060])\s*(?::\s*)?(?:[#.][\w-]|\w+=[\"'])", sentence):
        out.leave_out(source, "attribute-list syntax in the text", sentence)
        return
    if "[!" in sentence:
        out.leave_out(source, "raw callout marker in the text", sentence)
        return
    if re.search(r"\\[A-Za-z]{2,}", ph.mask_math(sentence)):
        out.leave_out(source, "TeX commands outside a formula (a drawing or macro)", sentence)
        return
    if ph.is_example(sentence) or ph.is_example_title(out.section.title):
        out.leave_out(source, "example-specific (a worked example)", sentence)
        return
    if ph.is_conclusion(sentence):
        out.leave_out(
            source, "example-specific (a conclusion drawn from the steps before)", sentence
        )
        return
    if out.shown_in_code(sentence):
        out.leave_out(source, "example-specific (sample text shown in a code block)", sentence)
        return
    personal = ph.is_personal(sentence) if out.notes.english else "我" in sentence
    if personal:
        out.leave_out(source, "personal narrative, not a fact", sentence)
        return
    if len(ph.words(sentence)) == 2:  # one word alone is judged when the card is added
        out.leave_out(source, "too short to give the blank a context", sentence)
        return
    if sentence.startswith((":", "：")):
        out.leave_out(source, "a definition without its term", sentence)
        return
    cloze = cloze_marked_spans(sentence, out.notes.language)
    if cloze is not None and state.example and _clause_deleted(cloze, out.notes.language):
        # "... un vincolo: il **carattere precedente deve essere un 1**": a step marked whole.
        out.leave_out(source, "example-specific (a step of a worked example)", sentence)
        return
    if cloze is None and state.example:
        # In a worked example only what the author marked is a term to learn; its values,
        # names and steps ("(4,7,0)", "2 litres", "a BFS on the new graph") hold for it alone.
        out.leave_out(source, "example-specific (a step or value of a worked example)", sentence)
        return
    to_reader = out.notes.english and language.to_the_reader(sentence, "en")
    states = re.match(r"(?:note|notice|remember|recall)\s+that\b", sentence, re.I)
    order = not states and ph.is_imperative(sentence)  # "Note that ..." states a fact
    recommends = not states and out.notes.english and advice_after_lead(sentence)
    # "Ensure your font size ... a minimum size of **10 pt**", "The letter should **highlight
    # ...**": advice, even on an emphasised span. An instruction that names code ("Use
    # `docker ps` to ...", "add the parent directory to the `watch` folders") teaches the tool.
    emphasis_only = cloze is not None and not re.search(r"\{\{c\d+::`", cloze)
    if (recommends and (cloze is None or emphasis_only)) or (
        order and (cloze is None or to_reader)
    ):
        out.leave_out(source, "no clear deletion (advice)", sentence)
        return
    # The cut at the main verb knows English grammar only: in another language it falls on an
    # article or a plural ("tra tutti i [cammini ...]") and hides the rest of the sentence.
    english = language.english_clauses(sentence, out.notes.language)
    if cloze is None:
        cloze = cloze_condition(sentence)
    if cloze is None:
        clause = ph.split_clause(sentence) if english and not has_braces(sentence) else None
        reason = "no clear deletion" if clause is None else vague_deletion(clause)
        if clause is not None and reason and (head := ph.object_head(clause.tail)):
            # "finds {{c1::shortest paths}} from one source ...": the object, not the tail.
            clause = ph.Clause(clause.subject, clause.verb, head[0], head[1] + clause.trailer)
            reason = vague_deletion(clause)
        if clause is not None and not reason:
            cloze = clause_cloze(clause)
        else:
            first = sentence.split(" ", 1)[0]
            subjectless = english and clause is None and ph.is_function_word(first)
            if language.to_the_reader(sentence, out.notes.language):
                reason = "no clear deletion (a sentence to the reader: advice, not a fact)"
                subjectless = True  # a name in advice is no fact about it
            cloze = (cloze_last_clause(sentence) if english else None) or (
                None
                if subjectless
                else cloze_name(
                    sentence,
                    state.subject,
                    clause,
                    title_case=out.notes.english,
                    notes_language=out.notes.language,
                )
            )
        if cloze is None:
            out.leave_out(source, reason or "no clear deletion", sentence)
            return
    out.add(state.kind, cloze, "", source, prompt=context)


def _clause_deleted(cloze: str, notes_language: str) -> bool:
    """A deletion of five words or more with a verb of its own, or a phrase of three words
    or more ("dalla [cella che la precede]"): a step of the example, not a term."""
    return any(
        (len(ph.words(m.group(2))) > 4 and language.is_clause(m.group(2), notes_language))
        or (len(ph.words(m.group(2))) >= 3 and not re.search(r"[`$\\]", m.group(2)))
        for m in CLOZE_RE.finditer(cloze)
    )


_ADVERTISEMENT = re.compile(
    r"\b\d+\s?%\s+off\b|\b(?:discount|coupon|promo code|sponsored|affiliate link)s?\b", re.I
)
"""An offer in the notes ("... templates at 70% off", "use coupon X"): an ad, not a fact."""
_TEMPLATE_SLOT = re.compile(
    r"(?<![\w$\\`])X{1,3}(?:\s+(?:years?|months?|weeks?|days?|hours?|people|users|members"
    r"|engineers|projects|times)\b|%)"
)
"""A slot of a template to fill in ("Software Engineer with X years of experience", "X%")."""


_LEAD = re.compile(
    r"^(?:(?:in|on|for|when|if|where|with|without|to|after|before|once|unless)\s[^,]{1,80},"
    r"|[^-–,]{2,40}\s[-–]\s(?:if [^,]{1,40},)?)\s*(?P<word>[a-z]+)\b",
    re.IGNORECASE,
)
"""A leading phrase ("In languages without coercion,", "Skills - If impressive,") before
the main clause's first word."""


_COMMAND = re.compile(
    r"^(?:(?:only|just|also|then|first|always|never)\s+)?(?P<verb>[A-Za-z]+[a-rt-z])\s+"
    r"(?:a|an|the|any|all|your|each|every|some)\s",
    re.IGNORECASE,
)
"""A bare verb then its object ("Clarify any ...", "Only include the ...");
a third-person verb ending in -s is a statement about the subject, not an order."""


def advice_after_lead(sentence: str) -> bool:
    """ "In languages without coercion, check that ...", "Only include ...", "Enlist a ...",
    "The letter should ...": an order or a recommendation to the reader, not a fact."""
    lead = _LEAD.match(sentence)
    if lead is not None and ph.is_imperative(ph.capitalise(lead.group("word"))):
        return True
    led = re.match(r"(?:only|just|also|then|first|always|never)\s+([a-z]+)\b", sentence, re.I)
    if led and ph.is_imperative(ph.capitalise(led.group(1))):
        return True  # "Only include ..."
    command = _COMMAND.match(sentence)
    verb = command.group("verb").lower() if command else ""
    # "Omitting the `:` removes ...", "Introduced the ...": a gerund or participle, no order.
    if command and not ph.is_function_word(verb) and not verb.endswith(("ing", "ed")):
        return ph.is_imperative(ph.capitalise(command.group("verb"))) or not sentence[:1].islower()
    return bool(re.search(r"\bshould\b", sentence, re.IGNORECASE))


_CONDITION = re.compile(
    r"^(?P<if>(?:if|si|se|wenn|falls|als|如果|若)\s*)(?P<formula>\$[^$]+\$|\\\(.+?\\\))"
    r"(?P<rest>\s*[,，]\s*\S.*)$",
    re.IGNORECASE,
)


def cloze_condition(sentence: str) -> str | None:
    """ "Si {{c1::$a = -1$}}, entonces $x_n$ oscila ...": a condition that is one formula, in
    any language, is what the consequence after it asks for (three words of it at least)."""
    match = _CONDITION.match(sentence)
    if match is None or has_braces(sentence):
        return None
    if re.match(r"[\s,，]*(?:and|or|e|o|y|u|und|oder|et|ou|en|of)\s", match.group("rest"), re.I):
        return None  # "If $X = A$, and ...": the condition goes on
    if len(ph.words(ph.mask_math(match.group("rest")).replace("\u2591", ""))) < 3:
        return None
    return f"{match.group('if')}{{{{c1::{match.group('formula')}}}}}{match.group('rest')}"


def cloze_last_clause(sentence: str) -> str | None:
    """ "ENTRYPOINT stays in place; the arguments can come {{c1::from CMD or docker run}}."."""
    head, separator, last = sentence.rpartition("; ")
    if not separator:
        return None
    cloze = cloze_clause(last)
    return f"{head}{separator}{cloze}" if cloze else None


_NAME = re.compile(
    r"(?<![\w`*\[])(?:[A-Z][a-z]+[A-Z]\w*|[A-Z][a-z]+|[A-Z]{2,}\w*)(?![\w`*]|-\w)"
    r"|(?<![\w`*\[)\]+\-−.,])(?:[-−]?(?:\d[\d.,:]*\d|\d)|(?:[a-z]\w{0,5}|\d+[a-z]?)[+\-−]\d+)"
    r"(?![\w`*]|-\w)"
)
"""A name, number or index: "Github", "PostgreSQL", "HTTPS", "5432", "3.11", "-1", "n-1";
never half of a compound ("LINQ-Ausdrücke") or of an expression (the "1" of "n-1")."""


_COMPARED_WITH: dict[str, re.Pattern[str]] = {
    lang: re.compile(rf"(?:{words})\s*$", re.IGNORECASE)
    for lang, words in {
        "en": r"\b(?:comparable (?:to|with)|similar to|analogous to|akin to)",
        "de": r"\b(?:vergleichbar mit|ähnlich wie|analog zu)",
        "it": r"\b(?:simile a|paragonabile a|analogo a|come)",
        "es": r"\b(?:similar a|comparable a|parecido a)",
        "fr": r"\b(?:semblable à|comparable à|comme)",
        "zh": r"类似于|类似|好比",
    }.items()
}
"""What a name after "vergleichbar mit", "similar to", "come" is: a comparison the author
draws ("... vergleichbar mit [EventHandler] in Java"), not the fact the sentence states."""


def compared_with(before: str, notes_language: str) -> bool:
    """``before`` ends in "similar to", or the notes' language's "come", "comme", "类似":
    English counts in every language, the others' words only in their own notes ("New
    models come **standard**" is English)."""
    patterns = {_COMPARED_WITH["en"], _COMPARED_WITH.get(notes_language, _COMPARED_WITH["en"])}
    return any(p.search(before) for p in patterns)


def cloze_name(
    sentence: str,
    subject: ph.Subject,
    clause: ph.Clause | None = None,
    *,
    title_case: bool = True,
    notes_language: str = "en",
) -> str | None:
    """The one name or number a sentence mentions besides its subject: "Docker Hub is like
    {{c1::Github}} for docker images"; None when there are none or several.

    With a clause, only its object counts ("Material for MkDocs provides ..." hides no part of
    its subject); math and code are never cut.
    """
    if has_braces(sentence) or "`" in sentence or "](" in sentence or "[[" in sentence:
        return None
    # "GitHub profile [URL]": a name in a phrase too short to say anything about it.
    names = not (language.spaced(sentence) and len(ph.words(sentence)) <= 3)
    masked = ph.mask_math(sentence)
    start = len(clause.subject) + len(clause.verb) + 1 if clause else 1
    own = {w.lower() for w in ph.words(subject.name)}
    found = [
        m
        for m in _NAME.finditer(masked)
        if m.start() >= start
        and not compared_with(masked[: m.start()], notes_language)
        and m.group(0).lower() not in own
        and m.group(0) != "I"
        and not ph.is_function_word(m.group(0))
        and masked[: m.start()].count("(") <= masked[: m.start()].count(")")
        and masked[: m.start()].count("（") <= masked[: m.start()].count("）")
        # In German every noun is capitalised: there only acronyms, CamelCase and numbers.
        and (title_case or not re.fullmatch(r"[A-Z][a-z]+", m.group(0)))
        and (names or bool(re.match(r"[-−\d]", m.group(0))))
    ]
    if len(found) != 1:
        return None
    name = found[0]
    following = re.match(r"\s+([a-z]+)\b", sentence[name.end() :])
    # English word classes only (title_case is the notes being English).
    if (
        title_case
        and name.group(0).isalpha()
        and following
        and not ph.is_function_word(following.group(1))
        and not ph.is_verb(following.group(1))
    ):
        return None  # "Python lists": the name is half of a term
    return f"{sentence[: name.start()]}{{{{c1::{name.group(0)}}}}}{sentence[name.end() :]}"


_BARE_KEYWORD = re.compile(
    r"`(?:for|while|if|else|elif|do|return|break|continue|switch|case|try|catch|loop|foreach)`"
)


_VALUE = re.compile(
    r"`\s*(?:[-+]?(?:\d[\d.]*|inf|infinity|∞)|null|nil|none|true|false|\w+\s*[-+]\s*\d+)\s*`", re.I
)
"""A value in code: `-1`, `+inf`, `0`, `null`, `mid+1`."""
_INTRODUCES_A_NAME = re.compile(
    r"(?:^|[\s,;:(])(?:let|sia|siano|sea|sean|sei|seien|soit|soient)\s*$|(?:设|令)\s*$", re.I
)
"""Words that give a name to something ("let", "sia", "sea", "sei", "soit", "设")."""


def cloze_marked_spans(sentence: str, notes_language: str = "en") -> str | None:
    """Cloze runs of `code`/**bold**/==marked== that make the point (not "like `x`", not an
    emphasised "**not**" or "**对应的**")."""
    if has_braces(sentence):
        return None
    runs = []
    for match in _SPAN_RUN.finditer(sentence):
        before = sentence[: match.start()]
        if re.search(r"(?:\blike|such as|e\.g\.|for example|\()\s*$", before, re.I) or (
            compared_with(before, notes_language)
        ):
            continue
        if "(" in before and ")" not in before[before.rfind("(") :]:
            continue  # inside parentheses: an aside
        if _BARE_KEYWORD.fullmatch(match.group(0)):
            continue  # "the nested [...]" → `for`: the keyword's name, not what the code does
        if not match.group(0).startswith("`") and language.content_free(
            re.sub(r"[*=]", "", match.group(0)), notes_language
        ):
            continue  # emphasis on a word without content of its own
        if _INTRODUCES_A_NAME.search(before):
            continue  # "sia [`(x,y)`] quello per cui ...": a name given here, nothing to recall
        runs.append(match)
    # "`P[0...n-1]` vettore dei padri inizializzato a `-1`": the identifier the line is about
    # is its subject; the value given to it is the deletion (not two cards, one on the name).
    if (
        len(runs) == 2
        and runs[0].start() == 0
        and runs[0].group(0).startswith("`")
        and _VALUE.fullmatch(runs[1].group(0))
    ):
        runs = runs[1:]
    if not runs:
        return None
    pieces, last = [], 0
    for number, match in enumerate(runs, 1):
        pieces.append(sentence[last : match.start()])
        pieces.append(f"{{{{c{number}::{match.group(0)}}}}}")
        last = match.end()
    pieces.append(sentence[last:])
    return "".join(pieces)


MAX_DELETION_WORDS = 8
"""A longer unmarked deletion is "the rest of the sentence", not something to recall."""


_COMMON_WORDS = (
    r"(?:(?:very|more|most|really|quite|so|especially|particularly|extremely|highly)\s+)?(?:important|key|essential|crucial|necessary|"
    r"recommended|possible|impossible|easy|easier|easiest|hard|harder|hardest|simplest|best|"
    r"good|better|useful|helpful|"
    r"common|rare|simple|difficult|critical|vital|needed|required|optional|preferred|"
    r"excellent|great|perfect|ideal|nice|powerful|popular|handy|convenient|valuable|"
    r"straightforward|trivial|beneficial|advantageous|efficient|effective|challenging)"
)
"""A blank that hides only "important" ("It is [...] to ...") tests nothing."""


_VAGUE_START = (
    r"(?:a multitude of|a number of|a lot of|lots of|a few|several|many|various|some|a variety of"
    rf"|(?:an?|the)\s+{_COMMON_WORDS})\b"
)


def vague_deletion(clause: ph.Clause) -> str | None:
    """Why hiding the clause's object would make a vague card, or None if it is clear.

    "We collect [...]" (the rest of a long sentence), "Memory is [...]": a learner cannot tell
    what is asked. Marked spans are never vague: the author chose them.
    """
    if language.to_the_reader(
        f"{clause.subject} {clause.verb} {clause.tail} {clause.trailer}", "en"
    ):
        return "no clear deletion (a sentence to the reader: advice, not a fact)"
    infinitive = clause.tail.startswith("to ") or re.search(r"\bto$", clause.verb)
    if infinitive and re.fullmatch(r"(?:to\s+)?\w+", clause.tail):
        return "no clear deletion (the blank would hide a single verb)"  # "need to [identify]"
    if clause.tail.startswith("(") and clause.tail.endswith(")"):
        return "no clear deletion (the blank would hide an aside)"
    if any(ph.is_auxiliary(w) for w in clause.tail.split(" ")[:2]):
        return "no clear deletion (the cut fell between two verbs)"
    demonstrative = rf"{ph.PREPOSITION_START}\s*(?:this|that|these|those)(?:\s+\S+){{0,2}}"
    if re.fullmatch(demonstrative, clause.tail, re.I):  # "[for that position]"
        return "no clear deletion (the blank would hide a reference to something else)"
    if re.match(r"(?:up|out|off|down|away|back)\s", clause.tail, re.I):
        return "no clear deletion (the blank would split a phrasal verb)"
    if re.match(_VAGUE_START, clause.tail, re.I):
        return "no clear deletion (the blank would hide a vague phrase)"
    if re.fullmatch(_COMMON_WORDS, clause.tail.strip(), re.I) or re.match(
        r"(?:usually|often|always|very|well|also|just|only|really|typically|generally|then|most|"
        r"commonly|mostly|frequently|rarely|sometimes|would|could|should|might|may|will|can|be|"
        r"automatically|natively|directly|easily|simply|entirely)\b",
        clause.tail,
        re.I,
    ):
        return "no clear deletion (the blank would hide a common word)"
    hidden = len(ph.words(clause.tail))
    shown = len(ph.words(f"{clause.subject} {clause.verb}"))
    before = ph.mask_math(f"{clause.subject} {clause.verb}")
    if before.count("\\(") != before.count("\\)") or before.count("$") % 2:
        return "no clear deletion (the cut would fall inside a formula)"
    if hidden == 1 and (ph.is_verb(clause.tail) or ph.is_participle(clause.tail)):
        return "no clear deletion (the blank would hide a single verb)"
    if re.match(r"(?:that|which|who|whom|whose)\b", clause.tail, re.I):
        return "no clear deletion (the blank would hide a relative clause)"
    if shown >= 10 and re.match(ph.PREPOSITION_START, clause.tail, re.I):
        return "no clear deletion (the blank would hide an afterthought)"
    if hidden > MAX_DELETION_WORDS:
        return "no clear deletion (the blank would hide a long tail)"
    masked_tail = ph.mask_math(clause.tail)
    if _CONDITION_WORDS.search(masked_tail):
        # "U ⊆ X is [an open set if U ∈ T]": the term and its condition at once.
        return "no clear deletion (the blank would hide a term and its condition)"
    if re.match(r"\u2591+\s*[^\W\d_]", masked_tail):
        # "f⁻¹(V) is closed in [X for any closed set V ⊆ Y]": a formula and more words.
        return "no clear deletion (the blank would hide a formula and what follows it)"
    if re.match(
        r"(?:it|them|so|too|such)(?:\s|$)|(?:this|that|these|those)(?:\s+(?:is|are|can|will)\b|$)",
        clause.tail,
        re.I,
    ):
        return "no clear deletion (the blank would hide a pronoun)"
    # "Corollary: a language is [...]": after its label, the words left say too little.
    label = re.match(r"^[^\s:：]+[:：]\s*", clause.subject)
    after_label = len(ph.words(f"{clause.subject[label.end() :]} {clause.verb}")) if label else 0
    if label and after_label <= 4 and hidden >= 2 and not clause.trailer.strip(" .!;"):
        return "no clear deletion (the blank would hide the rest of a short sentence)"
    if (
        shown <= 3
        and not clause.trailer.strip(" .!;")
        and (hidden > 4 or (hidden >= 2 and re.search(r"\w{3,}ly$", clause.tail)))
    ):  # "Obsidian updates [Lucide icons periodically]": what, and how, at once
        return "no clear deletion (the blank would hide the rest of the sentence)"
    return None


_CONDITION_WORDS = re.compile(
    r"\s(?:if|iff|only if|such that|whenever|provided that|unless)\s", re.IGNORECASE
)
"""What starts a condition inside an object: the blank before it is a term, after it a test."""


def clause_cloze(clause: ph.Clause) -> str:
    return f"{clause.subject} {clause.verb} {{{{c1::{clause.tail}}}}}{clause.trailer}".strip()


def cloze_clause(sentence: str) -> str | None:
    """A cloze on the object of ``sentence``, if it is a clear deletion."""
    clause = ph.split_clause(sentence)
    if clause is None or has_braces(sentence) or vague_deletion(clause):
        return None
    return clause_cloze(clause)
