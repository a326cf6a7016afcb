"""Rebuild (and push) the decks whose files changed, on save, until Ctrl-C."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

from deckmark.build import DeckSource, discover
from deckmark.errors import DeckmarkError

DEBOUNCE_MS = 300
"""Editors save in bursts (temporary file, rename, metadata): one rebuild per burst."""


def watch(
    paths: Sequence[Path],
    run: Callable[[list[Path]], None],
    on_error: Callable[[DeckmarkError], None],
    *,
    stop: threading.Event | None = None,
    on_ready: Callable[[list[Path]], None] | None = None,
) -> None:
    """Run ``run`` on every deck, then on the decks whose Markdown changed, until stopped.

    ``run`` gets deck paths as ``discover`` takes them. Its DeckmarkErrors go to ``on_error``
    and watching goes on. Ctrl-C (or ``stop``) ends the watch without a traceback.
    """
    sources = discover(paths)
    folders = sorted({source.folder.resolve() for source in sources})
    # Ctrl-C while rebuilding (not only while waiting) stops cleanly too.
    with contextlib.suppress(KeyboardInterrupt):
        _run_reporting(run, [source.root for source in sources], on_error)
        _watch_folders(folders, sources, run, on_error, stop, on_ready)


def _watch_folders(
    folders: list[Path],
    sources: list[DeckSource],
    run: Callable[[list[Path]], None],
    on_error: Callable[[DeckmarkError], None],
    stop: threading.Event | None,
    on_ready: Callable[[list[Path]], None] | None,
) -> None:
    ready = False
    for changes in watchfiles.watch(
        *folders,
        watch_filter=_is_notes_file,
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        raise_interrupt=False,
        # An empty batch after each quiet half second: the first says the watcher is running.
        yield_on_timeout=True,
        rust_timeout=500,
    ):
        if not ready and on_ready:
            on_ready(folders)
        ready = True
        changed = {Path(path).resolve() for _, path in changes}
        decks = [source.root for source in sources if any(_in_deck(p, source) for p in changed)]
        if decks:
            _run_reporting(run, decks, on_error)


def _run_reporting(
    run: Callable[[list[Path]], None], decks: list[Path], on_error: Callable[[DeckmarkError], None]
) -> None:
    try:
        run(decks)
    except DeckmarkError as e:
        on_error(e)


def _is_notes_file(change: watchfiles.Change, path: str) -> bool:
    name = Path(path).name
    return name.endswith(".md") and not name.startswith((".", "#"))


def _in_deck(path: Path, source: DeckSource) -> bool:
    root = source.root.resolve()
    return path == root if source.root.is_file() else path.is_relative_to(root)
