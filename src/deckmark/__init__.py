"""deckmark: Markdown study notes → atomic flashcards (Anki, printable PDF)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("deckmark")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
