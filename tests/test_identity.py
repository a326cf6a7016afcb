"""Card identity across edits: matching a build against the lockfile, and the lockfile format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deckmark.errors import InputError
from deckmark.identity import (
    ChangeKind,
    IdentityResult,
    LockEntry,
    Lockfile,
    assign_identities,
    format_lockfile,
    guid_for,
    read_lockfile,
    write_lockfile,
)
from deckmark.model import Card, CardKind, SourceLocation

T0 = 1_700_000_000
T1 = 1_700_086_400


def card(
    key: str,
    front: str,
    back: str,
    *,
    heading: str = "Docker Image",
    line: int = 1,
    kind: CardKind = CardKind.FACT,
) -> Card:
    return Card(
        kind=kind,
        front=front,
        back=back,
        context=("Docker", heading),
        source=SourceLocation(path="notes.md", line=line),
        key=key,
    )


V1 = (
    card(
        "notes.md#Docker/Docker Image#1:definition:1",
        "What is a Docker image?",
        "A read-only file that contains everything needed to run an application.",
        line=3,
    ),
    card(
        "notes.md#Docker/Docker Image#1:fact:1",
        "What is a docker image a blueprint for?",
        "Creating a docker container.",
        line=4,
    ),
    card(
        "notes.md#Docker/Docker Image#1:fact:2",
        "What file is used to create a docker image?",
        "A `Dockerfile`.",
        line=5,
    ),
    card(
        "notes.md#Docker/Docker Image#1:fact:3",
        "A docker image is composed of {{c1::layers}}; each Dockerfile instruction adds one.",
        "",
        line=6,
    ),
    card(
        "notes.md#Docker/Docker Hub#1:fact:1",
        "What is the default registry?",
        "Docker Hub",
        heading="Docker Hub",
        line=9,
    ),
)


def first_build() -> IdentityResult:
    return assign_identities("Docker", V1, None, T0)


def rebuild(cards: tuple[Card, ...] | list[Card], now: int = T1) -> IdentityResult:
    return assign_identities("Docker", cards, first_build().lockfile, now)


def kinds(result: IdentityResult) -> dict[str, ChangeKind]:
    """GUID → change kind, for every change."""
    return {c.guid: c.kind for c in result.changes}


# --- matching --------------------------------------------------------------------------------


def test_first_build__every_card_new_with_time_now_and_distinct_guids() -> None:
    result = first_build()
    assert [c.kind for c in result.changes] == [ChangeKind.NEW] * len(V1)
    assert {c.modified for c in result.cards} == {T0}
    assert len({c.guid for c in result.cards}) == len(V1)
    assert result.cards[0].guid == guid_for("Docker", V1[0].key)
    assert [c.key for c in result.cards] == [c.key for c in V1]  # input order kept
    assert first_build().cards == result.cards  # deterministic


def test_unchanged_cards__keep_guid_and_old_time() -> None:
    v1 = first_build()
    v2 = rebuild(V1)
    assert v2.cards == v1.cards
    assert {c.kind for c in v2.changes} == {ChangeKind.UNCHANGED}
    assert v2.lockfile == replace(v1.lockfile)


def test_answer_edited__same_guid_newer_time_reported_as_updated_answer() -> None:
    v1 = first_build()
    edited = list(V1)
    edited[2] = replace(V1[2], back="A `Dockerfile`, built with `docker build`.")
    v2 = rebuild(edited)
    assert v2.cards[2].guid == v1.cards[2].guid
    assert v2.cards[2].modified == T1
    [change] = v2.of_kind(ChangeKind.UPDATED)
    assert change.guid == v1.cards[2].guid
    assert change.changed == ("answer",)
    assert change.old is not None and change.old.answer == "A `Dockerfile`."
    assert [c.modified for i, c in enumerate(v2.cards) if i != 2] == [T0] * 4


def test_changed_card__time_moves_forward_even_if_clock_is_behind() -> None:
    edited = list(V1)
    edited[0] = replace(V1[0], back="A read-only template.")
    assert rebuild(edited, now=T0 - 500).cards[0].modified == T0 + 1


def test_question_reworded__same_guid_reported_as_renamed() -> None:
    v1 = first_build()
    edited = list(V1)
    edited[1] = replace(V1[1], front="What is a docker image the blueprint of?")
    v2 = rebuild(edited)
    assert v2.cards[1].guid == v1.cards[1].guid
    [change] = v2.of_kind(ChangeKind.RENAMED)
    assert change.old is not None
    assert change.old.question == "What is a docker image a blueprint for?"
    assert change.changed == ("question",)


def test_heading_renamed__keys_change__cards_matched_by_text_keep_guids() -> None:
    v1 = first_build()
    renamed = [
        replace(
            c,
            key=c.key.replace("Docker Image", "Container Image"),
            context=("Docker", "Container Image"),
            front=c.front.replace("Docker image", "container image"),
        )
        if "Docker Image" in c.key
        else c
        for c in V1
    ]
    v2 = rebuild(renamed)
    assert [c.guid for c in v2.cards] == [c.guid for c in v1.cards]
    assert not v2.of_kind(ChangeKind.NEW) and not v2.of_kind(ChangeKind.REMOVED)
    first = v2.changes[0]
    assert first.kind is ChangeKind.RENAMED and first.changed == ("question", "heading")
    assert first.similarity is not None and 0.6 < first.similarity < 1
    assert [c.kind for c in v2.changes[1:4]] == [ChangeKind.UPDATED] * 3
    assert v2.changes[1].changed == ("heading",)
    assert {e.key for e in v2.lockfile.entries} == {c.key for c in renamed}


def test_bullet_deleted__removed__later_bullets_keep_guids_although_ordinals_shift() -> None:
    v1 = first_build()
    # fact:1 deleted: the parser renumbers fact:2 → fact:1 and fact:3 → fact:2.
    shifted = [V1[0], replace(V1[2], key=V1[1].key), replace(V1[3], key=V1[2].key), V1[4]]
    v2 = rebuild(shifted)
    assert [c.guid for c in v2.cards] == [v1.cards[i].guid for i in (0, 2, 3, 4)]
    [removed] = v2.of_kind(ChangeKind.REMOVED)
    assert removed.guid == v1.cards[1].guid
    assert removed.old is not None and removed.old.question == V1[1].front
    assert removed.guid not in {e.guid for e in v2.lockfile.entries}
    assert [c.modified for c in v2.cards] == [T0] * 4  # content unchanged: old times


def test_bullet_added__only_new_card_is_new() -> None:
    v1 = first_build()
    added = card(
        "notes.md#Docker/Docker Image#1:fact:4",
        "What does each layer record?",
        "The changes made by one Dockerfile instruction.",
        line=7,
    )
    v2 = rebuild([*V1[:4], added, V1[4]])
    [new] = v2.of_kind(ChangeKind.NEW)
    assert new.card == added
    assert v2.cards[4].modified == T1
    assert new.guid not in {c.guid for c in v1.cards}
    assert len(v2.of_kind(ChangeKind.UNCHANGED)) == 5


def test_two_equally_similar_old_cards__ambiguous_reported_no_guid_taken() -> None:
    twins = (
        card("a.md#X#1:fact:1", "Which port does the registry listen on?", "5000"),
        card("a.md#X#1:fact:2", "Which port does the registry listen on?", "5000 by default"),
        card("a.md#X#1:fact:3", "What is unrelated?", "Something else entirely"),
    )
    v1 = assign_identities("Docker", twins, None, T0)
    # Heading renamed: no key matches; the new card resembles both twins equally well.
    moved = card(
        "a.md#Y#1:fact:1", "Which port does the registry listen on?", "5000 (default)", line=12
    )
    v2 = assign_identities("Docker", [moved, twins[2]], v1.lockfile, T1)
    [ambiguous] = v2.of_kind(ChangeKind.AMBIGUOUS)
    assert {e.guid for e in ambiguous.candidates} == {v1.cards[0].guid, v1.cards[1].guid}
    assert v2.cards[0].guid not in {c.guid for c in v1.cards}
    assert v2.cards[0].modified == T1
    assert {c.guid for c in v2.of_kind(ChangeKind.REMOVED)} == {v1.cards[0].guid, v1.cards[1].guid}
    [warning] = v2.warnings
    assert str(warning) == (
        f"notes.md:12: card resembles 2 earlier cards equally well ({v1.cards[0].guid}, "
        f"{v1.cards[1].guid}), so it gets a new GUID and loses their review history; to keep "
        "one, give the card an explicit id equal to that GUID (in a card file: <!-- id: GUID -->)"
    )


def test_ambiguity_settled_by_explicit_id_naming_a_guid() -> None:
    twins = (
        card("a.md#X#1:fact:1", "Which port does the registry listen on?", "5000"),
        card("a.md#X#1:fact:2", "Which port does the registry listen on?", "5000 by default"),
    )
    v1 = assign_identities("Docker", twins, None, T0)
    chosen = v1.cards[1].guid
    settled = card(f"id:{chosen}", "Which port does the registry listen on?", "5000 (default)")
    v2 = assign_identities("Docker", [settled], v1.lockfile, T1)
    assert v2.cards[0].guid == chosen
    assert not v2.warnings
    assert [c.kind for c in v2.changes] == [ChangeKind.UPDATED, ChangeKind.REMOVED]


def test_explicit_id__matched_by_key_however_much_the_text_changed() -> None:
    written = card("id:port", "Which port does the registry use?", "5000")
    v1 = assign_identities("Docker", [written], None, T0)
    rewritten = replace(written, front="Name the registry's TCP port.", back="5000/tcp")
    v2 = assign_identities("Docker", [rewritten], v1.lockfile, T1)
    assert v2.cards[0].guid == v1.cards[0].guid
    assert v2.changes[0].kind is ChangeKind.RENAMED


def test_explicit_id_not_in_lockfile__new_card_even_if_text_matches_an_old_one() -> None:
    v1 = first_build()
    claimed = replace(V1[4], key="id:registry")
    v2 = rebuild([*V1[:4], claimed])
    assert v2.changes[4].kind is ChangeKind.NEW
    assert v2.of_kind(ChangeKind.REMOVED)[0].guid == v1.cards[4].guid


def test_new_card_whose_derived_guid_is_taken__gets_another() -> None:
    v1 = first_build()
    # Card 0 moves to a new key; a new card takes its old key (whose derived GUID is card 0's).
    moved = replace(V1[0], key="notes.md#Docker/Images#1:definition:1")
    newcomer = card(V1[0].key, "How do you list local images?", "`docker image ls`")
    v2 = rebuild([moved, newcomer, *V1[1:]])
    assert v2.cards[0].guid == v1.cards[0].guid
    assert v2.changes[1].kind is ChangeKind.NEW
    assert v2.cards[1].guid != v1.cards[0].guid
    assert len({c.guid for c in v2.cards}) == len(v2.cards)


def test_duplicate_card_keys__input_error() -> None:
    with pytest.raises(InputError) as e:
        assign_identities("Docker", [V1[0], replace(V1[1], key=V1[0].key)], None, T0)
    assert str(e.value) == (
        "notes.md:4: card key 'notes.md#Docker/Docker Image#1:definition:1' is also used at "
        "notes.md:3"
    )


# --- lockfile --------------------------------------------------------------------------------


def test_lockfile_round_trip__tabs_newlines_backslashes_survive(tmp_path: Path) -> None:
    tricky = replace(V1[2], back="```\nRUN echo a\\tb\t# c\n```\r\n\\", front="C:\\path\\to")
    lock = assign_identities("Docker", [*V1, replace(tricky, key="z.md#1")], None, T0).lockfile
    path = tmp_path / "deckmark.lock"
    write_lockfile(path, replace(lock, notes="."))
    read = read_lockfile(path)
    assert read.notes == "."
    assert [replace(e, line=0) for e in read.entries] == list(lock.entries)
    assert [e.line for e in read.entries] == list(range(4, 4 + len(lock.entries)))
    assert format_lockfile(read) == path.read_text()


def test_lockfile_text__header_then_one_sorted_line_per_card() -> None:
    entry = LockEntry(
        guid="g1",
        modified=T0,
        fingerprint=".".join(["abcdef"] * 5),
        key="b",
        question="Q?\tx",
        answer="line 1\nline 2",
    )
    text = format_lockfile(
        Lockfile(entries=(entry, replace(entry, guid="g0", key="a")), notes="notes.md")
    )
    assert text.splitlines() == [
        "# deckmark.lock format 1: card identities. Commit this file with your notes; "
        "deckmark build rewrites it.",
        "# notes: notes.md",
        "# guid\tmodified\tfingerprint\tkey\tquestion\tanswer",
        "g0\t2023-11-14T22:13:20Z\tabcdef.abcdef.abcdef.abcdef.abcdef\ta\tQ?\\tx\tline 1\\nline 2",
        "g1\t2023-11-14T22:13:20Z\tabcdef.abcdef.abcdef.abcdef.abcdef\tb\tQ?\\tx\tline 1\\nline 2",
    ]


FP = "abcdef.abcdef.abcdef.abcdef.abcdef"
GOOD = f"g1\t2023-11-14T22:13:20Z\t{FP}\tk1\tQ\tA"


def lock_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *lines: str) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deckmark.lock").write_text("# deckmark.lock format 1\n" + "\n".join(lines))
    with pytest.raises(InputError) as e:
        read_lockfile(Path("deckmark.lock"))
    return str(e.value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "g1 2023-11-14T22:13:20Z k1 Q A",
            "expected 6 tab-separated columns (guid, modified, fingerprint, key, question, answer),"
            " found 1",
        ),
        (
            f"g1\tyesterday\t{FP}\tk1\tQ\tA",
            "bad modification time 'yesterday' (expected e.g. 2025-01-31T12:00:00Z)",
        ),
        (
            f"g1\t2023-02-30T00:00:00Z\t{FP}\tk1\tQ\tA",
            "bad modification time '2023-02-30T00:00:00Z' (expected e.g. 2025-01-31T12:00:00Z)",
        ),
        ("g1\t2023-11-14T22:13:20Z\tabc\tk1\tQ\tA", "bad fingerprint 'abc'"),
        (f"g 1\t2023-11-14T22:13:20Z\t{FP}\tk1\tQ\tA", "bad GUID 'g 1'"),
        (f"g1\t2023-11-14T22:13:20Z\t{FP}\t\tQ\tA", "empty card key"),
        (
            f"g1\t2023-11-14T22:13:20Z\t{FP}\tk1\tQ\\q\tA",
            "unknown escape '\\q' (use \\\\, \\t, \\n, \\r or \\uXXXX)",
        ),
        (
            f"g1\t2023-11-14T22:13:20Z\t{FP}\tk1\tQ\tA\\",
            "unknown escape '\\' (use \\\\, \\t, \\n, \\r or \\uXXXX)",
        ),
    ],
)
def test_lockfile_bad_line__error_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, message: str
) -> None:
    assert lock_error(tmp_path, monkeypatch, GOOD.replace("k1", "k0"), line) == (
        f"deckmark.lock:3: {message}"
    )


def test_lockfile_merge_conflict_markers__each_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hint = (
        "resolve the conflict by keeping the lines of both sides (one line per card) and "
        "removing the markers"
    )
    assert lock_error(
        tmp_path,
        monkeypatch,
        "<<<<<<< HEAD",
        GOOD,
        "=======",
        GOOD.replace("\tA", "\tB"),
        ">>>>>>> feature",
    ).splitlines() == [
        f"deckmark.lock:2: merge conflict marker '<<<<<<<'; {hint}",
        f"deckmark.lock:4: merge conflict marker '======='; {hint}",
        "deckmark.lock:5: duplicate GUID 'g1' (also on line 3)",
        "deckmark.lock:5: duplicate card key 'k1' (also on line 3)",
        f"deckmark.lock:6: merge conflict marker '>>>>>>>'; {hint}",
    ]


def test_lockfile_duplicate_guid__error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lock_error(tmp_path, monkeypatch, GOOD, GOOD.replace("k1", "k2")) == (
        "deckmark.lock:3: duplicate GUID 'g1' (also on line 2)"
    )


def test_lockfile_duplicate_key__error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lock_error(tmp_path, monkeypatch, GOOD, GOOD.replace("g1", "g2")) == (
        "deckmark.lock:3: duplicate card key 'k1' (also on line 2)"
    )


def test_lockfile_newer_format__error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("deckmark.lock").write_text("# deckmark.lock format 2\n")
    with pytest.raises(InputError) as e:
        read_lockfile(Path("deckmark.lock"))
    assert str(e.value) == (
        "deckmark.lock:1: unsupported lockfile format '2' (this deckmark reads format 1)"
    )


def test_lockfile_unsorted_lines_and_blank_lines__accepted_and_sorted(tmp_path: Path) -> None:
    path = tmp_path / "deckmark.lock"
    path.write_text(GOOD.replace("k1", "k9").replace("g1", "g9") + "\n\n" + GOOD + "\n")
    assert [e.key for e in read_lockfile(path).entries] == ["k1", "k9"]


# --- diff report -----------------------------------------------------------------------------


def test_format_changes__lists_new_updated_renamed_removed_with_anki_search() -> None:
    from deckmark.identity import format_changes

    edited = [
        replace(V1[0], back="A read-only template."),
        replace(V1[1], front="What is a docker image the blueprint of?"),
        V1[3],
        card(
            "notes.md#Docker/Docker Image#1:fact:4",
            "What does each layer record?",
            "The changes of one instruction.",
            line=7,
        ),
        V1[4],
    ]
    assert (
        format_changes("Docker", rebuild(edited))
        == """\
Docker: 1 new, 1 updated, 1 renamed, 1 removed, 2 unchanged

New:
  + notes.md:7  What does each layer record?

Updated:
  ~ notes.md:3  What is a Docker image?
      changed: answer

Renamed:
  ~ notes.md:4  What is a docker image the blueprint of?
      was: What is a docker image a blueprint for?

Removed (an import never deletes notes; find them in Anki's browser with the search below and \
delete them):
  - What file is used to create a docker image?

  "deck:Docker" "What*file*is*used*to*create*a*docker*image"
"""
    )


def test_anki_search__several_notes_ored__cloze_markup_and_deck_quotes_handled() -> None:
    from deckmark.identity import anki_search

    entries = first_build().lockfile.entries
    cloze = next(e for e in entries if "{{c1::" in e.question)
    assert anki_search('My "Deck"', [entries[0], cloze]) == (
        '"deck:My \\"Deck\\"" ("What*is*the*default*registry" OR '
        '"A*docker*image*is*composed*of*layers*each*Dockerfile*instruction*adds*one")'
    )


def test_lockfile_of_another_notes_file__error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckmark.identity import load_lockfile

    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text("# A\n")
    Path("b.md").write_text("# B\n")
    write_lockfile(Path("deckmark.lock"), replace(first_build().lockfile, notes="a.md"))
    assert load_lockfile(Path("a.md")).notes == "a.md"
    with pytest.raises(InputError) as e:
        load_lockfile(Path("b.md"))
    assert str(e.value) == (
        "deckmark.lock:2: this lockfile belongs to the notes file a.md, not the notes file b.md;"
        " give each notes file a folder of its own, or build the whole folder as one deck"
    )
    Path("deck").mkdir()
    assert load_lockfile(Path("deck")) == Lockfile(notes=".")  # none yet: empty


def test_card_turned_from_basic_into_cloze__new_guid_old_removed() -> None:
    v1 = first_build()
    # The parser now makes a cloze of the definition bullet (same key, similar text).
    cloze = replace(
        V1[0],
        kind=CardKind.FACT,
        back="",
        front="A Docker image is {{c1::a read-only file that contains everything "
        "needed to run an application}}.",
    )
    v2 = rebuild([cloze, *V1[1:]])
    assert v2.changes[0].kind is ChangeKind.NEW
    assert v2.cards[0].guid != v1.cards[0].guid
    assert [c.guid for c in v2.of_kind(ChangeKind.REMOVED)] == [v1.cards[0].guid]
