"""Card identity across edits: the lockfile, GUID assignment and rename matching.

Anki matches an imported note to an existing one only by GUID, so a card must keep its GUID
for as long as it is recognisably the same card. The notes stay untouched; identity lives in
``deckmark.lock`` next to them, one line per card, sorted by key::

    # deckmark.lock format 1: card identities. Commit this file with your notes.
    # notes: .
    # guid<TAB>modified<TAB>fingerprint<TAB>key<TAB>question<TAB>answer
    Hf3kq9ZsA1<TAB>2025-01-31T12:00:00Z<TAB>1a2b3c.4d5e6f.a1b2c3.d4e5f6.0a1b2c<TAB>notes.md#...

``modified`` is the time of the card's last content change (the Anki note mod, so an import
updates exactly the cards that changed). ``fingerprint`` is one short hash per part of the card
(question, answer, heading path, tags, other), so a change can be named. ``question`` and
``answer`` are the card's Markdown with ``\\``, tab, newline and every other control or line
separator escaped (``\\uXXXX``), so any text round-trips; they let a card whose key
changed (heading renamed, section moved) be recognised by its text.

Matching a build against the lockfile:

1. A key starting with :data:`EXPLICIT_KEY_PREFIX` was written by the user and is
   authoritative: it matches the entry with the same key, or the entry whose GUID it names
   (``id:<guid>``, which settles an ambiguous match), and is otherwise new.
2. Every other card is paired with the old entry of the same key and fingerprint (unchanged);
   the rest are paired by text similarity, with a bonus for an equal key, best pair first. A
   pair is taken only if it is a unique best: when a rival pair scores within
   :data:`AMBIGUITY_MARGIN`, nothing is guessed and the cards involved are reported.

A GUID never moves between a cloze and a basic card: Anki would refuse the import as a
conflict, so such a card is new and the old one removed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from deckmark.errors import InputError, raise_if_any
from deckmark.model import CLOZE_RE, Card, Diagnostic, SourceLocation
from deckmark.output import display_path, write_atomic

LOCKFILE_NAME = "deckmark.lock"
FORMAT_VERSION = 1
EXPLICIT_KEY_PREFIX = "id:"
"""Keys starting with this were given by the user (an explicit card id), not derived."""

SIMILARITY_THRESHOLD = 0.6
"""Minimum score for two cards with different text to count as the same card."""
KEY_BONUS = 0.25
"""Added to the similarity of an old entry and a card with the same key."""
AMBIGUITY_MARGIN = 0.05
"""A rival pair scoring within this of the best pair makes the match ambiguous."""

FINGERPRINT_PARTS = ("question", "answer", "heading", "tags", "other")
"""What each group of the fingerprint hashes; ``other`` is the kind, subdeck and reverse flag."""

_HEADER = (
    f"# {LOCKFILE_NAME} format {FORMAT_VERSION}: card identities. "
    "Commit this file with your notes; deckmark build rewrites it.\n"
)
_COLUMNS = "# guid\tmodified\tfingerprint\tkey\tquestion\tanswer\n"
_FORMAT_RE = re.compile(rf"#\s*{re.escape(LOCKFILE_NAME)} format ([^\s:]+)")
_NOTES_RE = re.compile(r"#\s*notes:\s*(.*?)\s*$")
_FINGERPRINT_RE = re.compile(rf"[0-9a-f]{{6}}(?:\.[0-9a-f]{{6}}){{{len(FINGERPRINT_PARTS) - 1}}}")
_TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_CONFLICT_MARKERS = ("<<<<<<<", "|||||||", "=======", ">>>>>>>")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {v[1]: k for k, v in _ESCAPES.items()}
_NEEDS_ESCAPE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Backslash, C0/C1 controls, U+2028/U+2029: everything an editor or str.splitlines may break
a line at (NEL, form feed, ...) or show invisibly, written as an escape."""
_ESCAPE_SEQUENCE = re.compile(r"\\(u[0-9a-fA-F]{4}|.?)", re.DOTALL)
_GUID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True, kw_only=True)
class LockEntry:
    """One card as the last build saw it."""

    guid: str
    modified: int
    """Epoch seconds of the card's last content change."""
    fingerprint: str
    """One 6-hex-digit hash per FINGERPRINT_PARTS, joined by dots."""
    key: str
    question: str
    """The card's question (Card.question), Markdown."""
    answer: str
    """The card's answer (Card.back), Markdown."""
    line: int = 0
    """Line in the lockfile it was read from (0 for entries not read from a file)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Lockfile:
    """The identities of one deck's cards, sorted by key."""

    entries: tuple[LockEntry, ...] = ()
    notes: str | None = None
    """What the lockfile belongs to (a notes file name, or ``.`` for its folder), if recorded."""


class ChangeKind(StrEnum):
    """What importing the next build does to a card, relative to the last build."""

    NEW = "new"
    UPDATED = "updated"
    """Same question, other content changed."""
    RENAMED = "renamed"
    """The question changed (possibly with other content)."""
    REMOVED = "removed"
    UNCHANGED = "unchanged"
    AMBIGUOUS = "ambiguous"
    """Resembles several old cards (or shares one with other cards) equally well: made new."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CardChange:
    """One line of the difference between the lockfile and a build."""

    kind: ChangeKind
    guid: str
    card: Card | None = None
    """The card in this build (None when removed)."""
    old: LockEntry | None = None
    """The lockfile entry it was matched to (None when new or ambiguous)."""
    changed: tuple[str, ...] = ()
    """Names from FINGERPRINT_PARTS that differ, for updated and renamed cards."""
    similarity: float | None = None
    """Text similarity when matched by text rather than by key."""
    candidates: tuple[LockEntry, ...] = ()
    """For ambiguous cards: the old entries it could not choose between."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityResult:
    """Cards with GUIDs and modification times, the lockfile to write, and what changed."""

    cards: tuple[Card, ...]
    """The input cards in their order, with ``guid`` and ``modified`` set."""
    lockfile: Lockfile
    changes: tuple[CardChange, ...]
    warnings: tuple[Diagnostic, ...] = ()

    def of_kind(self, kind: ChangeKind) -> tuple[CardChange, ...]:
        return tuple(c for c in self.changes if c.kind is kind)


# --- lockfile text ---------------------------------------------------------------------------


def lockfile_path(notes_path: Path) -> Path:
    """Where the lockfile of a deck folder or single notes file lives."""
    folder = notes_path if notes_path.is_dir() else notes_path.parent
    return folder / LOCKFILE_NAME


def lockfile_owner(notes_path: Path) -> str:
    """The ``notes`` value recorded for a deck folder (``.``) or single notes file (its name)."""
    return "." if notes_path.is_dir() else notes_path.name


def load_lockfile(notes_path: Path) -> Lockfile:
    """The lockfile of a deck folder or single notes file; an empty one before the first build."""
    path = lockfile_path(notes_path)
    owner = lockfile_owner(notes_path)
    if not path.exists():
        return Lockfile(notes=owner)
    return replace(read_lockfile(path, owner=owner), notes=owner)


def lost_history(
    notes_path: Path, lock: Lockfile, earlier_outputs: Sequence[Path]
) -> Diagnostic | None:
    """A warning when the lockfile is empty, or gone although decks were built before.

    Starting afresh then gives every card a new GUID, so Anki imports them as new notes without
    their review history: the user must hear it, and can still restore the file.
    """
    path = lockfile_path(notes_path)
    shown = display_path(path)
    consequence = (
        "every card gets a new GUID and loses its review history when imported; "
        f"restore the lockfile from version control (git checkout -- {shown})"
    )
    if path.exists() and not lock.entries:
        return Diagnostic(
            location=SourceLocation(path=shown, line=1),
            message=f"lockfile holds no cards: {consequence}, or delete it to start afresh",
        )
    if not path.exists() and earlier_outputs:
        built = ", ".join(display_path(p) for p in earlier_outputs)
        return Diagnostic(
            location=SourceLocation(path=shown, line=0),
            message=f"missing, but {built} was built before: {consequence}; "
            f"to start afresh, delete {built}",
        )
    return None


def read_lockfile(path: Path, owner: str | None = None) -> Lockfile:
    """Parse a lockfile; every problem is collected and raised once as InputError.

    With ``owner`` (see lockfile_owner), a lockfile recorded for other notes is an error: two
    notes files in one folder would otherwise overwrite each other's identities.
    """
    where = display_path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad_line = data[: e.start].count(b"\n") + 1
        raise InputError([f"{where}:{bad_line}: not UTF-8 text ({e.reason})"]) from e
    problems: list[str] = []
    entries: list[LockEntry] = []
    notes: str | None = None
    guid_lines: dict[str, int] = {}
    key_lines: dict[str, int] = {}
    # Lines end at "\n" only (a "\r\n" checkout too): every other break is escaped in a field.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        at = f"{where}:{number}"
        if line.startswith(_CONFLICT_MARKERS):
            problems.append(
                f"{at}: merge conflict marker {line[:7]!r}; resolve the conflict by keeping "
                "the lines of both sides (one line per card) and removing the markers"
            )
            continue
        if not line.strip():
            continue
        if line.startswith("#"):
            if m := _FORMAT_RE.match(line):
                if m.group(1) != str(FORMAT_VERSION):
                    problems.append(
                        f"{at}: unsupported lockfile format {m.group(1)!r} "
                        f"(this deckmark reads format {FORMAT_VERSION})"
                    )
            elif m := _NOTES_RE.match(line):
                try:
                    notes = _unescape(m.group(1))
                except ValueError as e:
                    problems.append(f"{at}: {e}")
                    continue
                if owner is not None and notes != owner:
                    problems.append(
                        f"{at}: this lockfile belongs to {_describe_owner(notes)}, not "
                        f"{_describe_owner(owner)}; give each notes file a folder of its own, "
                        "or build the whole folder as one deck"
                    )
            continue
        entry, problem = _parse_entry(line, number)
        if problem:
            problems.append(f"{at}: {problem}")
            continue
        assert entry is not None
        if entry.guid in guid_lines:
            problems.append(
                f"{at}: duplicate GUID {entry.guid!r} (also on line {guid_lines[entry.guid]})"
            )
        else:
            guid_lines[entry.guid] = number
        if entry.key in key_lines:
            problems.append(
                f"{at}: duplicate card key {entry.key!r} (also on line {key_lines[entry.key]})"
            )
        else:
            key_lines[entry.key] = number
        entries.append(entry)
    raise_if_any(problems)
    return Lockfile(entries=tuple(sorted(entries, key=lambda e: e.key)), notes=notes)


def _describe_owner(notes: str) -> str:
    return "the deck folder" if notes == "." else f"the notes file {notes}"


def format_lockfile(lock: Lockfile) -> str:
    """The lockfile's text: header comments, then one line per card sorted by key."""
    lines = [_HEADER]
    if lock.notes is not None:
        lines.append(f"# notes: {_escape(lock.notes)}\n")
    lines.append(_COLUMNS)
    for e in sorted(lock.entries, key=lambda e: e.key):
        fields = (e.guid, _format_time(e.modified), e.fingerprint, e.key, e.question, e.answer)
        lines.append("\t".join(_escape(f) for f in fields) + "\n")
    return "".join(lines)


def write_lockfile(path: Path, lock: Lockfile) -> None:
    """Write the lockfile atomically (left untouched when its content is the same)."""
    data = format_lockfile(lock).encode("utf-8")
    if not (path.is_file() and path.read_bytes() == data):
        write_atomic(path, data)


def _parse_entry(line: str, number: int) -> tuple[LockEntry | None, str]:
    columns = line.split("\t")
    if len(columns) != 6:
        return None, (
            "expected 6 tab-separated columns (guid, modified, fingerprint, key, question, "
            f"answer), found {len(columns)}"
        )
    try:
        guid, modified, fingerprint, key, question, answer = (_unescape(c) for c in columns)
    except ValueError as e:
        return None, str(e)
    if not guid or any(c.isspace() for c in guid):
        return None, f"bad GUID {guid!r}"
    if not _TIME_RE.fullmatch(modified):
        return None, f"bad modification time {modified!r} (expected e.g. 2025-01-31T12:00:00Z)"
    try:
        seconds = int(
            datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
        )
    except ValueError:
        return None, f"bad modification time {modified!r} (expected e.g. 2025-01-31T12:00:00Z)"
    if not _FINGERPRINT_RE.fullmatch(fingerprint):
        return None, f"bad fingerprint {fingerprint!r}"
    if not key:
        return None, "empty card key"
    entry = LockEntry(
        guid=guid,
        modified=seconds,
        fingerprint=fingerprint,
        key=key,
        question=question,
        answer=answer,
        line=number,
    )
    return entry, ""


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def _unescape(text: str) -> str:
    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in _UNESCAPES:
            return _UNESCAPES[code]
        if len(code) == 5:
            return chr(int(code[1:], 16))
        raise ValueError(f"unknown escape '\\{code}' (use \\\\, \\t, \\n, \\r or \\uXXXX)")

    return _ESCAPE_SEQUENCE.sub(unescape, text)


def _format_time(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- fingerprints, similarity, GUIDs ---------------------------------------------------------


def fingerprint(card: Card) -> str:
    """One short hash per FINGERPRINT_PARTS of everything the card exports."""
    # Not the source location: it moves with every line added above the card (and with the
    # working directory), and a card does not change because its neighbours did.
    other = "\x1f".join((card.kind.value, card.subdeck or "", "reverse" if card.reverse else ""))
    question = card.question.strip()
    parts = (question, card.back, "\x1f".join(card.context), " ".join(card.tags), other)
    return ".".join(hashlib.sha256(p.encode("utf-8")).hexdigest()[:6] for p in parts)


def changed_parts(old: str, new: str) -> tuple[str, ...]:
    """Names of the fingerprint parts that differ between two fingerprints."""
    return tuple(
        name
        for name, a, b in zip(FINGERPRINT_PARTS, old.split("."), new.split("."), strict=True)
        if a != b
    )


def _tokens(question: str, answer: str) -> list[str]:
    def words(text: str) -> list[str]:
        text = CLOZE_RE.sub(lambda m: m.group(2), text)
        return re.findall(r"\w+", text.lower())

    return [*words(question), "\x00", *words(answer)]


def guid_for(deck_name: str, key: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A deterministic GUID for a new card (11 characters of [0-9A-Za-z]), avoiding ``taken``."""
    attempt = 0
    while True:
        digest = hashlib.sha256(f"{deck_name}\x1f{key}\x1f{attempt}".encode()).digest()
        number = int.from_bytes(digest[:8], "big")
        chars = []
        for _ in range(11):
            number, digit = divmod(number, len(_GUID_ALPHABET))
            chars.append(_GUID_ALPHABET[digit])
        guid = "".join(chars)
        if guid not in taken:
            return guid
        attempt += 1


# --- matching --------------------------------------------------------------------------------


def assign_identities(
    deck_name: str, cards: Sequence[Card], lock: Lockfile | None, now: int
) -> IdentityResult:
    """Give each card a GUID and modification time, keeping those of the cards it continues."""
    _check_unique_keys(cards)
    old_entries = lock.entries if lock else ()
    by_key = {e.key: e for e in old_entries}
    by_guid = {e.guid: e for e in old_entries}
    prints = [fingerprint(c) for c in cards]

    matched: dict[int, tuple[LockEntry, float | None]] = {}  # card index → entry, similarity
    used: set[str] = set()  # GUIDs of matched entries

    def take(i: int, entry: LockEntry, similarity: float | None = None) -> None:
        matched[i] = (entry, similarity)
        used.add(entry.guid)

    # 1. Explicit ids are authoritative; 2. unchanged cards keep their entry.
    for i, card in enumerate(cards):
        entry = by_key.get(card.key)
        if card.key.startswith(EXPLICIT_KEY_PREFIX):
            claimed = by_guid.get(card.key.removeprefix(EXPLICIT_KEY_PREFIX))
            entry = entry or claimed
        elif entry is not None and entry.fingerprint != prints[i]:
            entry = None
        if entry is not None and entry.guid not in used and _same_note_type(entry, card):
            take(i, entry)

    # 3. The rest by similarity, unique best pairs first.
    pool_cards = [
        i
        for i, c in enumerate(cards)
        if i not in matched and not c.key.startswith(EXPLICIT_KEY_PREFIX)
    ]
    pool_entries = [
        e for e in old_entries if e.guid not in used and not e.key.startswith(EXPLICIT_KEY_PREFIX)
    ]
    ambiguous: dict[int, tuple[LockEntry, ...]] = {}
    for i, entry, score in _match_by_similarity(cards, pool_cards, pool_entries, ambiguous):
        take(i, entry, score)

    taken = {e.guid for e in old_entries}
    out_cards: list[Card] = []
    new_entries: list[LockEntry] = []
    changes: list[CardChange] = []
    for i, card in enumerate(cards):
        found = matched.get(i)
        if found is None:
            guid = guid_for(deck_name, card.key, taken)
            taken.add(guid)
            modified = now
            if i in ambiguous:
                changes.append(
                    CardChange(
                        kind=ChangeKind.AMBIGUOUS, guid=guid, card=card, candidates=ambiguous[i]
                    )
                )
            else:
                changes.append(CardChange(kind=ChangeKind.NEW, guid=guid, card=card))
        else:
            entry, similarity = found
            guid = entry.guid
            changed = changed_parts(entry.fingerprint, prints[i])
            if not changed:
                kind, modified = ChangeKind.UNCHANGED, entry.modified
            else:
                kind = ChangeKind.RENAMED if "question" in changed else ChangeKind.UPDATED
                modified = max(now, entry.modified + 1)
            changes.append(
                CardChange(
                    kind=kind,
                    guid=guid,
                    card=card,
                    old=entry,
                    changed=changed,
                    similarity=similarity,
                )
            )
        out_cards.append(replace(card, guid=guid, modified=modified))
        new_entries.append(
            LockEntry(
                guid=guid,
                modified=modified,
                fingerprint=prints[i],
                key=card.key,
                question=card.question.strip(),
                answer=card.back,
            )
        )
    changes.extend(
        CardChange(kind=ChangeKind.REMOVED, guid=e.guid, old=e)
        for e in old_entries
        if e.guid not in used
    )
    warnings = [
        Diagnostic(
            location=c.card.source,
            message=(
                f"card resembles {len(c.candidates)} earlier cards equally well "
                f"({', '.join(e.guid for e in c.candidates)}), so it gets a new GUID and "
                "loses their review history; to keep one, give the card an explicit id "
                "equal to that GUID (in a card file: <!-- id: GUID -->)"
            ),
        )
        for c in changes
        if c.kind is ChangeKind.AMBIGUOUS and c.card is not None
    ]
    return IdentityResult(
        cards=tuple(out_cards),
        lockfile=Lockfile(
            entries=tuple(sorted(new_entries, key=lambda e: e.key)),
            notes=lock.notes if lock else None,
        ),
        changes=tuple(changes),
        warnings=tuple(warnings),
    )


def _match_by_similarity(
    cards: Sequence[Card],
    pool_cards: list[int],
    pool_entries: list[LockEntry],
    ambiguous: dict[int, tuple[LockEntry, ...]],
) -> Iterable[tuple[int, LockEntry, float]]:
    """Yield (card index, entry, similarity) for unique best pairs; record ambiguous cards."""
    if not pool_cards or not pool_entries:
        return
    entry_tokens = [_tokens(e.question, e.answer) for e in pool_entries]
    scores: dict[tuple[int, int], tuple[float, float]] = {}  # (card, entry) → (score, sim)
    for i in pool_cards:
        card = cards[i]
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(_tokens(card.question, card.back))
        for j, tokens in enumerate(entry_tokens):
            if not _same_note_type(pool_entries[j], card):
                continue
            bonus = KEY_BONUS if pool_entries[j].key == card.key else 0.0
            matcher.set_seq1(tokens)
            if (
                matcher.real_quick_ratio() + bonus < SIMILARITY_THRESHOLD
                or matcher.quick_ratio() + bonus < SIMILARITY_THRESHOLD
            ):
                continue
            ratio = matcher.ratio()
            if ratio + bonus >= SIMILARITY_THRESHOLD:
                scores[(i, j)] = (ratio + bonus, ratio)
    while scores:
        (i, j), (best, ratio) = max(scores.items(), key=lambda kv: (kv[1][0], -kv[0][0], -kv[0][1]))
        rival_entries = {
            j2
            for (i2, j2), (s, _) in scores.items()
            if i2 == i and j2 != j and s >= best - AMBIGUITY_MARGIN
        }
        rival_cards = {
            i2
            for (i2, j2), (s, _) in scores.items()
            if j2 == j and i2 != i and s >= best - AMBIGUITY_MARGIN
        }
        if not rival_entries and not rival_cards:
            yield i, pool_entries[j], ratio
            involved_cards, involved_entries = {i}, {j}
        else:
            involved_cards = {i} | rival_cards
            involved_entries = {j} | rival_entries
            candidates = tuple(pool_entries[k] for k in sorted(involved_entries))
            for k in involved_cards:
                ambiguous[k] = candidates
        scores = {
            pair: s
            for pair, s in scores.items()
            if pair[0] not in involved_cards and pair[1] not in involved_entries
        }


def _same_note_type(entry: LockEntry, card: Card) -> bool:
    """Anki cannot move a note to another note type: a GUID never crosses cloze ↔ basic."""
    return bool(CLOZE_RE.search(entry.question)) == card.is_cloze


def _check_unique_keys(cards: Sequence[Card]) -> None:
    first: dict[str, Card] = {}
    problems: list[Diagnostic] = []
    for card in cards:
        if card.key in first:
            problems.append(
                Diagnostic(
                    location=card.source,
                    message=f"card key {card.key!r} is also used at {first[card.key].source}",
                )
            )
        else:
            first.setdefault(card.key, card)
    raise_if_any(problems)


# --- reporting -------------------------------------------------------------------------------

_PART_LABELS = {
    "question": "question",
    "answer": "answer",
    "heading": "heading path",
    "tags": "tags",
    "other": "card type, subdeck or reverse",
}


def anki_search(deck_name: str, entries: Sequence[LockEntry]) -> str:
    """A search for Anki's browser that finds the notes of ``entries`` in the deck.

    Anki has no GUID search, so each note is found by the words of its question, joined by
    ``*`` wildcards: that matches whatever HTML the exporter wrapped around them.
    """
    terms = []
    for entry in entries:
        words = re.findall(r"\w+", CLOZE_RE.sub(lambda m: m.group(2), entry.question))
        terms.append('"' + "*".join(words[:12]) + '"')
    deck = deck_name.replace("\\", "\\\\").replace('"', '\\"')
    deck = re.sub(r"([*_])", r"\\\1", deck)
    joined = " OR ".join(terms)
    return f'"deck:{deck}" ' + (f"({joined})" if len(terms) > 1 else joined)


def format_changes(deck_name: str, result: IdentityResult) -> str:
    """What importing this build does relative to the last one, as text for ``deckmark diff``."""
    groups = {kind: result.of_kind(kind) for kind in ChangeKind}
    counts = ", ".join(
        f"{len(groups[k])} {k.value}"
        for k in (
            ChangeKind.NEW,
            ChangeKind.UPDATED,
            ChangeKind.RENAMED,
            ChangeKind.REMOVED,
            ChangeKind.AMBIGUOUS,
            ChangeKind.UNCHANGED,
        )
        if groups[k] or k is ChangeKind.UNCHANGED
    )
    lines = [f"{deck_name}: {counts}"]

    def where(change: CardChange) -> str:
        assert change.card is not None
        return f"{change.card.source}  {_one_line(change.card.question)}"

    if groups[ChangeKind.NEW]:
        lines += ["", "New:"]
        lines += [f"  + {where(c)}" for c in groups[ChangeKind.NEW]]
    if groups[ChangeKind.UPDATED]:
        lines += ["", "Updated:"]
        for c in groups[ChangeKind.UPDATED]:
            lines += [f"  ~ {where(c)}", f"      changed: {_labels(c.changed)}"]
    if groups[ChangeKind.RENAMED]:
        lines += ["", "Renamed:"]
        for c in groups[ChangeKind.RENAMED]:
            assert c.old is not None
            lines += [f"  ~ {where(c)}", f"      was: {_one_line(c.old.question)}"]
            if others := tuple(p for p in c.changed if p != "question"):
                lines.append(f"      also changed: {_labels(others)}")
    if groups[ChangeKind.AMBIGUOUS]:
        lines += ["", "Ambiguous (not guessed: imported as new; an explicit id settles it):"]
        for c in groups[ChangeKind.AMBIGUOUS]:
            lines.append(f"  ? {where(c)}")
            lines += [f"      resembles {e.guid}: {_one_line(e.question)}" for e in c.candidates]
    removed = groups[ChangeKind.REMOVED]
    if removed:
        lines += [
            "",
            "Removed (an import never deletes notes; find them in Anki's browser "
            "with the search below and delete them):",
        ]
        lines += [f"  - {_one_line(c.old.question)}" for c in removed if c.old is not None]
        entries = [c.old for c in removed if c.old is not None]
        lines += ["", f"  {anki_search(deck_name, entries)}"]
    return "\n".join(lines) + "\n"


def _labels(parts: Iterable[str]) -> str:
    return ", ".join(_PART_LABELS[p] for p in parts)


def _one_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
