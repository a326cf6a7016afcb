"""Random notes and card files: every build holds the properties in tests/properties.py.

Bounded and derandomized here, so CI is fast and repeatable; ``python bench/fuzz.py`` runs the
same properties on many more examples.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings

from tests.properties import check_deck, decks

_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(_SETTINGS, max_examples=150)
@given(decks())
def test_random_decks__build_and_rebuild_hold_every_property(files: dict[str, str]) -> None:
    event(check_deck(files, anki=False))


@settings(_SETTINGS, max_examples=40)
@given(decks())
def test_random_decks__apkg_imports_into_anki_with_safe_non_blank_cards(
    files: dict[str, str],
) -> None:
    event(check_deck(files, anki=True))
