"""Which language a notes file is written in, so that no English template words reach notes in
another language (the heading is the prompt there, or the card is a cloze).

Front matter ``lang:`` decides; otherwise the script (Han, kana, Hangul, Cyrillic, ...) and then
the most frequent common words of the prose.
"""

from __future__ import annotations

import re
from collections import Counter

_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
_COMMON_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "the", "is", "are", "and", "of", "to", "in", "that", "it", "for", "with", "this", "be",
        "on", "as", "by", "can", "you", "not"
    ),
    "de": (
        "der", "die", "das", "und", "ist", "nicht", "mit", "ein", "eine", "den", "von", "zu",
        "sich", "auf", "wird", "werden", "dass"
    ),
    "es": (
        "el", "la", "los", "las", "y", "es", "de", "que", "en", "un", "una", "por", "con",
        "para", "se", "del", "como"
    ),
    "it": (
        "il", "di", "che", "è", "e", "un", "una", "per", "con", "non", "del", "della", "sono",
        "si", "lo", "gli", "le"
    ),
    "fr": (
        "le", "les", "et", "est", "des", "un", "une", "que", "pour", "dans", "du", "au", "sur",
        "pas", "ce", "qui"
    ),
    "pt": (
        "o", "os", "as", "e", "é", "de", "que", "em", "um", "uma", "para", "com", "não", "do",
        "da", "são"
    ),
    "nl": (
        "de", "het", "een", "en", "is", "van", "dat", "niet", "met", "op", "te", "voor", "zijn"
    ),
}  # fmt: skip
# Fewer common words than this is no evidence: "one line per commit" is English, not Italian.
_MIN_VOTES = 3
_WORD_LANGUAGES: dict[str, list[str]] = {}
for _language, _words in _COMMON_WORDS.items():
    for _word in _words:
        _WORD_LANGUAGES.setdefault(_word, []).append(_language)


def _script(text: str) -> str | None:
    """The language of the script most of ``text``'s letters are written in, if not Latin."""
    if text.isascii():
        return None  # every script below is outside ASCII (and most card text is ASCII)
    letters = len(re.findall(r"[^\W\d_]", text))
    for language, script in _SCRIPTS:
        if letters and len(script.findall(text)) / letters > 0.15:
            return language
    return None


def _votes(text: str) -> Counter[str]:
    """How many of each language's common words ``text`` holds."""
    votes: Counter[str] = Counter()
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        for language in _WORD_LANGUAGES.get(word, ()):
            votes[language] += 1
    return votes


def detect(prose: str, declared: str = "") -> str:
    """A two-letter language code for ``prose`` ("en" when nothing says otherwise)."""
    if declared.strip():
        return declared.strip().lower().replace("_", "-").split("-")[0][:3]
    if script := _script(prose):
        return script
    votes = _votes(prose)
    if not votes:
        return "en"
    best, count = votes.most_common(1)[0]
    return best if count > votes["en"] and count >= _MIN_VOTES else "en"


def of_sentence(sentence: str, notes_language: str) -> str:
    """The language of one sentence of notes in ``notes_language``: an English sentence in
    Chinese or Italian notes ("A language is regular if ...") is English; a sentence without
    clear evidence (two common English words, more than any other language's) is the notes'."""
    if notes_language == "en" or _script(sentence):
        return notes_language
    votes = _votes(sentence)
    english = votes.pop("en", 0)
    return "en" if english >= 2 and english > max(votes.values(), default=0) else notes_language


def spaced(text: str) -> bool:
    """Whether ``text`` sets its words apart by spaces (not Chinese or Japanese)."""
    return _script(text) not in ("zh", "ja")


def english_clauses(sentence: str, notes_language: str) -> bool:
    """Whether ``sentence`` can be cut at its main verb by the English clause rules: in English
    notes, in an English sentence of other notes, and in Chinese or Japanese, whose words are
    not set apart by spaces, so that only the Latin words between them can be cut at (terms
    and verbs written in English: "NFA M accepts w")."""
    script = _script(sentence) or notes_language
    return script in ("zh", "ja") or of_sentence(sentence, notes_language) == "en"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that carry no fact of their own when hidden alone: connectives, negation, degree and
# quantity words, articles; per language, kept short (content words are never listed).
_CONTENT_FREE: dict[str, frozenset[str]] = {
    "en": _word_set(
        "a an the and or but so thus hence therefore however then also too only just not no "
        "never always all any each every very more most less much many some this that these "
        "those it its must should can may might will would could corresponding respectively "
        "shown used given called"
    ),
    "it": _word_set(
        "il lo la i gli le un uno una di del della dei e ed o ma però quindi dunque allora "
        "inoltre infatti cioè perciò anche solo soltanto non mai sempre tutti tutte tutto ogni "
        "molto più meno questo questa quello quella corrispondente rispettivamente"
    ),
    "es": _word_set(
        "el la los las un una de del y e o u pero entonces además también solo sólo no nunca "
        "siempre todos todas todo cada muy más menos este esta ese esa correspondiente "
        "respectivamente"
    ),
    "de": _word_set(
        "der die das ein eine und oder aber bzw also auch nur nicht nie immer alle jede jeder "
        "sehr mehr weniger daher deshalb somit dies diese dieser entsprechend jeweils"
    ),
    "fr": _word_set(
        "le la les un une de des du et ou mais donc alors aussi seulement ne pas jamais "
        "toujours tous toutes chaque très plus moins ce cette correspondant"
    ),
    "zh": _word_set(
        "的 和 或 与 及 也 都 只 不 是 而 但 所有 每个 一个 这个 那个 这些 那些 必须 可以 不能 "
        "一定 没有 非常 很 更 最 因此 所以 但是 而且 并且 以及 其中 对应 对应的 相应的 相应 "
        "理解 方式 一种 注意 任意 同时 分别"
    ),
}


def content_free(text: str, language: str) -> bool:
    """ "**not**", "**Quindi**", "**对应的**", "bzw.": a hidden text with no content of its own
    (English words count in every language: notes mix them in)."""
    words = [w for w in re.split(r"[\s,.;:!?，。；：、]+", text.lower()) if w]
    if not words:
        return True
    written_in = _script(text) or language  # a Chinese word in notes detected as English
    free = _CONTENT_FREE["en"] | _CONTENT_FREE.get(written_in, frozenset())
    return all(w in free for w in words)


# The articles and the copula ("is"/"are") of languages written with spaces, for definitions
# ("Il protocollo IP è un protocollo ...", "Ein Router ist ein Gerät ...").
ARTICLES: dict[str, tuple[str, ...]] = {
    "it": ("il", "lo", "la", "l'", "l’", "i", "gli", "le", "un", "uno", "una", "un'"),
    "es": ("el", "la", "los", "las", "un", "una", "lo"),
    "pt": ("o", "a", "os", "as", "um", "uma"),
    "fr": ("le", "la", "les", "l'", "l’", "un", "une"),
    "de": ("der", "die", "das", "ein", "eine"),
    "nl": ("de", "het", "een"),
}
COPULAS: dict[str, tuple[str, ...]] = {
    "it": ("è", "sono"),
    "es": ("es", "son"),
    "pt": ("é", "são"),
    "fr": ("est", "sont"),
    "de": ("ist", "sind"),
    "nl": ("is", "zijn"),
}


# The finite verbs that make a phrase a clause ("il carattere precedente deve essere un 1"):
# copulas and modals, in the languages the recipes know.
_CLAUSE_VERB_WORDS = {
    "en": "is are was were be must should can cannot will has have",
    "it": "è sono essere deve devono può possono ha hanno sarà saranno",
    "es": "es son ser debe deben puede pueden ha han será serán",
    "pt": "é são ser deve devem pode podem tem têm será serão",
    "fr": "est sont être doit doivent peut peuvent a ont sera seront",
    "de": "ist sind sein muss müssen kann können hat haben wird werden",
    "nl": "is zijn moet moeten kan kunnen heeft hebben wordt worden",
}
_CLAUSE_VERBS = {lang: frozenset(verbs.split()) for lang, verbs in _CLAUSE_VERB_WORDS.items()}


def is_clause(text: str, notes_language: str) -> bool:
    """``text`` has a finite verb of the notes' language: a statement, not a term."""
    verbs = _CLAUSE_VERBS.get(notes_language, frozenset())
    return any(word.lower() in verbs for word in re.findall(r"[^\W\d_]+", text))


_TO_THE_READER: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\b(?:you|your|you're|yours|yourself)\b", re.I),
    "it": re.compile(
        r"\b(?:tu|tuo|tua|tuoi|tue|ricorda|ricordati|ti consiglio|consiglio|conviene|devi"
        r"|dovresti|puoi)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(?:tú|tus|usted|recuerda|ten en cuenta|te recomiendo|conviene|debes|deberías"
        r"|puedes)\b",
        re.I,
    ),
    "de": re.compile(r"\b(?:du|dein|deine|deinen|deinem|merke|beachte|solltest|musst)\b", re.I),
    "fr": re.compile(r"\b(?:tu|ton|ta|tes|vous|votre|vos|retenez|n'oubliez)\b", re.I),
}


def to_the_reader(sentence: str, notes_language: str) -> bool:
    """ "Your resume should ...", "ricorda di ...", "du solltest ...": the sentence speaks to
    the reader (advice), in English or the notes' language."""
    patterns = {_TO_THE_READER["en"], _TO_THE_READER.get(notes_language, _TO_THE_READER["en"])}
    return any(p.search(sentence) for p in patterns)


# Phrases that pick one of several things named elsewhere ("the first case", "the latter",
# "quest'ultimo", "der erste Fall", "前者"), per language (English counts in every language).
_ONE_OF_SEVERAL: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        # Not "version", "way", "option": "the first version of HTTP had only **GET**" and "the
        # other way to send data is a **POST**" name what they pick.
        r"\b(?:the|this|that)\s+(?:first|second|third|last|other)\s+(?:case|approach|method"
        r"|solution|variant)s?\b|\bthe\s+(?:former|latter)\b"
        r"|\bboth\s+(?:cases|approaches|methods|solutions|variants|of them)\b",
        re.I,
    ),
    "it": re.compile(
        r"\b(?:il|nel|del|al|dal)\s+(?:primo|secondo|terzo|ultimo)\s+caso\b"
        r"|\bquest[oaie]?\s*['’]?\s*ultim[oaie]\b|\bentramb[ie]\b"
        r"|\b(?:la|il)\s+(?:prima|primo|seconda|secondo)\s+(?:soluzione|approccio|metodo"
        r"|variante)\b",
        re.I,
    ),
    "de": re.compile(
        r"\b(?:der|im|den|dem|des)\s+(?:erste|zweite|dritte|letzte)[nm]?\s+Fall(?:es|s)?\b"
        r"|\b(?:letzter|erster)(?:e|er|es|en|em)\b|\bbeide[n]?\s+(?:Fälle[n]?|Varianten|Ansätze)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(?:el|en el|del)\s+(?:primer|segundo|tercer|último)\s+caso\b"
        r"|\b(?:este|esta|estos|estas)\s+últim[oa]s?\b|\bamb[oa]s\s+(?:casos|enfoques|métodos)\b",
        re.I,
    ),
    "fr": re.compile(
        r"\b(?:le|dans le|du)\s+(?:premier|second|deuxième|dernier)\s+cas\b"
        r"|\b(?:ce|cette|ces)\s+derni(?:er|ère|ers|ères)\b|\bles deux cas\b",
        re.I,
    ),
    "zh": re.compile(r"前者|后者|两者|第[一二三四]种(?:情况|方法|方案|解法|做法)"),
}
_COORDINATION = re.compile(r"\b(?:and|or|e|o|ed|oppure|und|oder|y|u|et|ou|sowie)\b|[、和与或及]")


def points_elsewhere(sentence: str, notes_language: str) -> str | None:
    """ "The first case may result ...", "Il primo caso ...", "前者 ...": the phrase that picks
    one of several things the sentence itself does not name (none are coordinated before it),
    or None. Such a sentence holds only with those things in view, which a card does not show."""
    patterns = {_ONE_OF_SEVERAL["en"], _ONE_OF_SEVERAL.get(notes_language, _ONE_OF_SEVERAL["en"])}
    if _script(sentence) == "zh":
        patterns.add(_ONE_OF_SEVERAL["zh"])
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            if not _COORDINATION.search(sentence[: match.start()]):
                return match.group(0)
    return None


_NEAR_START = r"^\W*(?:[^\W\d_]+\W+){0,2}?"
# "With this approach, ...", "In questo caso ...", "这种方法 ...": what the sentence before named.
_THIS_THING: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        rf"{_NEAR_START}(?:this|that|these|those|such)\s+(?:approach|method|solution|technique"
        r"|strategy|case|variant|algorithm|trick|idea)s?\b",
        re.I,
    ),
    "it": re.compile(
        rf"{_NEAR_START}(?:quest[oaie]|tale|tali|quest['’])\s*(?:approcci[oi]|metod[oi]"
        r"|soluzion[ei]|tecnic(?:a|he)|strategi[ae]|cas[oi]|variant[ei]|algoritm[oi])\b",
        re.I,
    ),
    "de": re.compile(
        rf"{_NEAR_START}(?:dieser|diese|dieses|diesem|diesen)\s+(?:Ansatz|Ansätze|Methode"
        r"|Lösung|Verfahren|Fall|Variante|Algorithmus)\b",
        re.I,
    ),
    "es": re.compile(
        rf"{_NEAR_START}(?:este|esta|estos|estas|ese|esa)\s+(?:enfoque|método|solución|técnica"
        r"|caso|algoritmo)s?\b",
        re.I,
    ),
    "fr": re.compile(
        rf"{_NEAR_START}(?:cette|ce|cet|ces)\s+(?:approche|méthode|solution|technique|cas"
        r"|algorithme)s?\b",
        re.I,
    ),
    "zh": re.compile(r"^\W{0,2}(?:这种|此种|该|此|这个)(?:方法|情况|方式|做法|解法|方案|算法)"),
}


def leans_on_previous(sentence: str, notes_language: str) -> bool:
    """ "With this approach, ...", "In questo caso ...", "这种方式下 ...": the sentence starts from
    a thing the one before it named, like a leading "This" (its card needs that sentence)."""
    patterns = {_THIS_THING["en"], _THIS_THING.get(notes_language, _THIS_THING["en"])}
    if _script(sentence) == "zh":
        patterns.add(_THIS_THING["zh"])
    return any(p.search(sentence) for p in patterns)


# A list label that narrates a step of the notes ("Calcoliamo i primi valori:", "Vediamo:")
# or starts with a preposition ("dei 3 for annidati:", "Per ordinare un array:"): a verb phrase
# or a fragment, which says nothing of what the items are.
_NARRATING: dict[str, re.Pattern[str]] = {
    "it": re.compile(
        r"^(?:calcol|ved|consider|not|suppon|osserv|analizz|applich|costru|riport|scriv|esamin"
        r"|proced|prend|otten|trov)iamo\b",
        re.I,
    ),
    "es": re.compile(
        r"^(?:calcul|v|consider|observ|supon|analiz|aplic|constru|escrib|tom|obten|encontr)"
        r"(?:amos|emos|imos)\b",
        re.I,
    ),
    "fr": re.compile(
        r"^(?:calcul|voy|considér|consider|observ|suppos|analys|appliqu|constru|écriv|pren"
        r"|obten|trouv)ons\b",
        re.I,
    ),
    "de": re.compile(
        r"^(?:berechnen|betrachten|sehen|nehmen|schreiben|erhalten|finden|untersuchen)\s+wir\b"
        r"|^wir\s+(?:berechnen|betrachten|sehen|nehmen|schreiben|erhalten|finden|untersuchen)\b",
        re.I,
    ),
    "zh": re.compile(r"^(?:我们)?(?:来)?(?:计算|看看|来看|考虑|观察|假设)"),
}
_PREPOSITIONS: dict[str, frozenset[str]] = {
    "it": _word_set(
        "a ad al allo alla ai agli alle di del dello della dei degli delle da dal dallo dalla "
        "dai dagli dalle in nel nello nella nei negli nelle su sul sullo sulla sui sugli sulle "
        "per con tra fra"
    ),
    "es": _word_set("a al de del en con por para sin sobre entre desde hasta"),
    "fr": _word_set("à au aux de du des en dans par pour avec sans sur entre"),
    "de": _word_set("zu zum zur von vom mit für bei beim nach aus in im an am auf um"),
}


def is_preposition(word: str, notes_language: str) -> bool:
    """ "per", "mit", "dans": a preposition of the notes' language (English: see phrasing)."""
    return word.lower() in _PREPOSITIONS.get(notes_language, frozenset())


_INFINITIVE: dict[str, re.Pattern[str]] = {
    "it": re.compile(r"[^\W\d_]+(?:are|ere|ire|rre)\b"),
    "es": re.compile(r"[^\W\d_]+(?:ar|er|ir)\b"),
    "fr": re.compile(r"[^\W\d_]+(?:er|ir|re)\b"),
    "de": re.compile(r".*\bzu\s+[^\W\d_]+en\b"),
}
"""The infinitive after a preposition that makes a purpose ("per ordinare", "para ordenar")."""


def narrates(label: str, notes_language: str) -> bool:
    """ "Calcoliamo i primi valori:", "Vediamo:", "Betrachten wir ...": the notes go through
    a worked example step by step."""
    narrating = _NARRATING.get(notes_language)
    return narrating is not None and bool(narrating.search(label.strip().strip("*_").strip()))


def label_not_a_noun_phrase(label: str, notes_language: str) -> str | None:
    """Why a list label of non-English notes says nothing of what its items are ("a step of
    the notes", "a fragment starting with a preposition"), or None."""
    label = label.strip().strip("*_").strip()
    if narrates(label, notes_language):
        return "a step of the notes (a verb phrase)"
    first, *rest = re.split(r"[\s'’]+", label.lower(), maxsplit=1)
    if first not in _PREPOSITIONS.get(notes_language, frozenset()):
        return None
    # "Per ordinare un vettore:", "Um ... zu sortieren:": a purpose, over the steps that serve it.
    infinitive = _INFINITIVE.get(notes_language)
    if infinitive is not None and rest and infinitive.match(rest[0]):
        return None
    return "a fragment starting with a preposition"
