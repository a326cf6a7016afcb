"""deckmark: Markdown study notes → atomic flashcards (Anki, printable PDF)."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on use: importlib.metadata costs more to import than a no-change build takes.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("deckmark")
        except PackageNotFoundError:  # running from a source tree without installing
            return "0+unknown"
    raise AttributeError(f"module 'deckmark' has no attribute {name!r}")
