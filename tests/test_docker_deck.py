"""The Docker deck itself: every outdated claim of the user's notes is corrected on every card
that states it, and the hand-written cards keep the deck's rules for atomic cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deckmark.build import discover, load_deck
from deckmark.model import CLOZE_RE, Card, CardKind, Deck

DOCKER = Path(__file__).parent.parent / "cards" / "docker"
CORRECTION = "**Correction:** "

# Each claim: a pattern for every wording the notes' cards give it, and the start of its fix.
OUTDATED_CLAIMS = {
    "depends_on waits for the service to start": (
        r"waits? for (postgresql|redis) to start",
        "A plain `depends_on` only waits for the containers to start",
    ),
    "the volume is needed to persist data between restarts": (
        r"persists? database data between container restarts",
        "Data survives a restart anyway",
    ),
    "an image runs on any platform": (
        r"run this image on any platform",
        "Only where the kernel and CPU architecture match",
    ),
    "the application performs identically everywhere": (
        r"perform (identically|similarly on all of these platforms)",
        "Consistent, not identical",
    ),
    "an image is a read-only file": (
        r"\ba read-only file\b",
        "Not one file: a stack of read-only layers",
    ),
    "CMD is always default arguments to ENTRYPOINT": (
        r"default arguments (to pass to entrypoint|that will be passed to the main command)",
        "CMD is default arguments only when the image has an ENTRYPOINT",
    ),
    "Docker Hub is a repository": (
        r"cloud-based repository",
        "Docker Hub is a registry service hosting many repositories",
    ),
    "containers are light because they use the host's OS": (
        r"because it uses host's os",
        "A container shares only the host's kernel, not its OS",
    ),
    "a container shares the host's whole OS": (
        r"shares the host's operating system",
        "A container shares the host's kernel, not its whole OS",
    ),
    "ENTRYPOINT cannot be overridden": (
        r"cannot be overridden",
        "ENTRYPOINT can be overridden with `docker run --entrypoint`",
    ),
    "every Dockerfile instruction creates a layer": (
        r"each instruction in a dockerfile",
        "Only instructions that change files",
    ),
    "Compose needs `version:`": (r"version: '3\.9'", "Compose v2 ignores the top-level"),
    "the `ENV key value` form": (
        r"env pythondontwritebytecode 1",
        "`ENV PYTHONDONTWRITEBYTECODE=1`",
    ),
}

_YES_NO = re.compile(r"^(is|are|does|do|did|can|could|should|will|would|has|have|was|were)\b", re.I)
_FENCE = re.compile(r"```.*?```", re.S)


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(discover([DOCKER])[0])


def _generated(deck: Deck) -> list[Card]:
    return [card for card in deck.cards if card.kind is not CardKind.WRITTEN]


def _claim_text(card: Card) -> str:
    """The card as the notes state it: cloze markers and added corrections removed."""
    back = card.back.split(CORRECTION, 1)[0]
    return " ".join(CLOZE_RE.sub(r"\2", f"{card.prompt}\n{card.front}\n{back}").lower().split())


@pytest.mark.parametrize("claim", sorted(OUTDATED_CLAIMS))
def test_docker_deck__every_card_stating_an_outdated_claim__carries_its_correction(
    deck: Deck, claim: str
) -> None:
    pattern, fix = OUTDATED_CLAIMS[claim]
    stating = [card for card in _generated(deck) if re.search(pattern, _claim_text(card))]
    assert stating, f"no card from the notes states '{claim}' any more: update OUTDATED_CLAIMS"
    missing = [card.source for card in stating if f"{CORRECTION}{fix}" not in card.back]
    assert not missing, f"'{claim}' is stated without its correction at {missing}"
    assert all("outdated-in-notes" in card.tags for card in stating)


def test_docker_deck__corrections_reach_only_cards_that_state_a_claim(deck: Deck) -> None:
    patterns = [pattern for pattern, _ in OUTDATED_CLAIMS.values()]
    corrected = [card for card in _generated(deck) if CORRECTION in card.back]
    unexplained = [
        card.source
        for card in corrected
        if not any(re.search(pattern, _claim_text(card)) for pattern in patterns)
    ]
    assert not unexplained


def test_docker_deck__hand_written_questions_are_open_and_answers_short(deck: Deck) -> None:
    written = [card for card in deck.cards if card.kind is CardKind.WRITTEN]
    assert len(written) > 250
    yes_no = [card.question for card in written if _YES_NO.match(card.question)]
    assert not yes_no
    long_answers = [
        card.source
        for card in written
        if len(_FENCE.sub(" ", CLOZE_RE.sub(r"\2", card.back or card.front)).split()) > 40
    ]
    assert len(long_answers) <= 0.02 * len(written), long_answers


def test_docker_question_list__cites_only_cards_that_exist(deck: Deck) -> None:
    text = (DOCKER.parent / "QUESTIONS-docker.md").read_text(encoding="utf-8")
    rows = [line.split("|") for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) >= 60
    cited = {
        token
        for row in rows
        for token in re.split(r"[ ,]+", re.sub(r"\(.*?\)", "", row[6]).strip())
        if token and token not in {"notes", "—"}
    }
    ids = {card.key.removeprefix("id:") for card in deck.cards if card.key.startswith("id:")}
    assert sorted(cited - ids) == []
    covered = [row for row in rows if row[5].strip() == "covered"]
    assert len(covered) >= 55
