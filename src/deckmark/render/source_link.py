"""A card's source line as HTML: plain ``file:line``, or a link that opens the notes there.

The link comes from a user's URL template, for example ``vscode://file/{path}:{line}`` or
``obsidian://open?vault={vault}&file={file}``. Nothing is written into the notes.
"""

from __future__ import annotations

import html
import re
import string
import urllib.parse
from pathlib import Path

from deckmark.errors import DeckmarkError
from deckmark.model import SourceLocation

PLACEHOLDERS = {
    "path": "the notes file's absolute path",
    "line": "the line number",
    "vault": "the Obsidian vault (the folder holding .obsidian, else the file's folder)",
    "file": "the file's path inside the vault",
}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}


def check_template(template: str) -> None:
    """Raise DeckmarkError unless ``template`` is a usable, safe link template."""
    scheme = _SCHEME.match(template)
    if not scheme or scheme.group(1).lower() in _UNSAFE_SCHEMES:
        raise DeckmarkError(
            f"source link template {template!r}: must start with a safe URL scheme "
            "such as vscode:// or obsidian://"
        )
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as e:
        raise DeckmarkError(f"source link template {template!r}: {e}") from e
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        raise DeckmarkError(
            f"source link template {template!r}: unknown placeholder {{{unknown[0]}}}; "
            f"use {', '.join('{' + name + '}' for name in PLACEHOLDERS)}"
        )


def source_link(source: SourceLocation, template: str) -> str:
    """The URL for ``source`` from ``template`` (checked with check_template)."""
    path = Path(source.path).resolve()
    vault = next((p for p in path.parents if (p / ".obsidian").is_dir()), path.parent)
    return template.format(
        path=urllib.parse.quote(path.as_posix(), safe="/"),
        line=source.line,
        vault=urllib.parse.quote(vault.name, safe=""),
        file=urllib.parse.quote(path.relative_to(vault).as_posix(), safe="/"),
    )


def source_html(source: SourceLocation, template: str | None) -> str:
    """``file:line`` as escaped text, or as a link when a template is set."""
    text = html.escape(str(source))
    if not template:
        return text
    href = html.escape(source_link(source, template), quote=True)
    return f'<a class="source-link" href="{href}">{text}</a>'
