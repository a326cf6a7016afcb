"""Output formats. Each format is one module; this registry names them for ``--format``.

Modules are imported only when their format is built, so heavy engines (Typst) stay out of
``deckmark --help`` and of builds that do not need them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from deckmark.model import Deck, Diagnostic

if TYPE_CHECKING:
    from deckmark.cache import BuildCache


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportOptions:
    """Settings shared by the exporters; each uses what applies to it."""

    paper: Literal["a4", "letter"] = "a4"
    duplex: Literal["long", "short", "none"] = "long"
    """How the printed sheet is flipped; ``none`` prints fronts and backs as separate files."""
    source_link: str | None = None
    """URL template that turns each card's source line into a link (deckmark.render.source_link)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Export:
    """What one exporter wrote."""

    paths: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...] = ()


class ExportFunction(Protocol):
    """``export(deck, out_dir, options)``: write the format's files for ``deck`` into ``out_dir``.

    ``cache``: the build's cache, for exporters that keep parts of their work (PDF chunks)."""

    def __call__(
        self, deck: Deck, out_dir: Path, options: ExportOptions, *, cache: BuildCache | None = ...
    ) -> Export: ...


FORMATS: dict[str, str] = {
    "apkg": "deckmark.exporters.anki:export_apkg",
    "cards-pdf": "deckmark.exporters.pdf:export_cards_pdf",
    "sheet-pdf": "deckmark.exporters.pdf:export_sheet_pdf",
    "anki-txt": "deckmark.exporters.text:export_anki_txt",
    "quizlet": "deckmark.exporters.text:export_quizlet",
}
"""Format name → ``module:function`` of its ExportFunction, in the order builds run them."""

DEFAULT_FORMATS: tuple[str, ...] = ("apkg", "cards-pdf", "sheet-pdf")


def exporter(name: str) -> ExportFunction:
    """The export function for a format name from FORMATS."""
    module_name, _, function_name = FORMATS[name].partition(":")
    function: ExportFunction = getattr(importlib.import_module(module_name), function_name)
    return function
