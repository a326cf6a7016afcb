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
_WORD_LANGUAGES: dict[str, list[str]] = {}
for _language, _words in _COMMON_WORDS.items():
    for _word in _words:
        _WORD_LANGUAGES.setdefault(_word, []).append(_language)


def detect(prose: str, declared: str = "") -> str:
    """A two-letter language code for ``prose`` ("en" when nothing says otherwise)."""
    if declared.strip():
        return declared.strip().lower().replace("_", "-").split("-")[0][:3]
    letters = len(re.findall(r"[^\W\d_]", prose))
    for language, script in _SCRIPTS:
        if letters and len(script.findall(prose)) / letters > 0.15:
            return language
    votes: Counter[str] = Counter()
    for word in re.findall(r"[^\W\d_]+", prose.lower()):
        for language in _WORD_LANGUAGES.get(word, ()):
            votes[language] += 1
    if not votes:
        return "en"
    best, count = votes.most_common(1)[0]
    return best if count > votes["en"] else "en"
