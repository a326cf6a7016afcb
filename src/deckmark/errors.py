"""Errors the library raises. The CLI turns them into messages and exit codes (cli.user_errors)."""

from __future__ import annotations

from collections.abc import Iterable

from deckmark.model import Diagnostic


class DeckmarkError(Exception):
    """Base class: a problem with the user's input or the build, never a bug in deckmark."""


class InputError(DeckmarkError):
    """One or more problems in the user's files, each reported as ``file:line: message``."""

    def __init__(self, problems: Iterable[Diagnostic | str]) -> None:
        self.problems = tuple(str(p) for p in problems)
        super().__init__("\n".join(self.problems))


def raise_if_any(problems: Iterable[Diagnostic | str]) -> None:
    """Raise one InputError carrying every collected problem, if there are any."""
    problems = list(problems)
    if problems:
        raise InputError(problems)
