"""YAML front matter (PyYAML), as notes tools write it: Obsidian properties, MkDocs, Jekyll.

In a notes file front matter is someone else's metadata: any valid YAML is accepted, only
``tags`` is read, and invalid YAML is a warning. Card files (``kind: cards``) are deckmark's own
format, so their keys are checked strictly by the card-file reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from deckmark.model import Diagnostic, SourceLocation

_CARD_FILE = re.compile(r"^kind\s*:\s*['\"]?cards['\"]?\s*(?:#.*)?$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontMatter:
    values: dict[str, str]
    """Top-level keys (lower-cased) and their values as text: lists joined with ", "."""
    lines: dict[str, int]
    """The line of each key, for messages."""
    data: dict[str, Any] = field(default_factory=dict)
    """The YAML mapping as loaded (empty when the YAML is not a mapping)."""

    @property
    def is_card_file(self) -> bool:
        return self.values.get("kind", "").strip().lower() == "cards"

    @property
    def tags(self) -> tuple[str, ...]:
        """``tags:`` (a list, or a string split at commas and spaces) as Anki tags."""
        raw = next((v for k, v in self.data.items() if k.lower() == "tags"), None)
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else re.split(r"[,\s]+", str(raw))
        tags = []
        for item in items:
            tag = re.sub(r"\s+", "_", str(item).strip().lstrip("#")).replace("/", "::")
            if tag and tag not in tags:
                tags.append(tag)
        return tuple(tags)


def looks_like_card_file(text: str) -> bool:
    """``kind: cards`` in front matter text, even when the rest of it is not valid YAML."""
    return bool(_CARD_FILE.search(text))


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def parse_front_matter(
    text: str, path: str, first_line: int
) -> tuple[FrontMatter, list[Diagnostic]]:
    """The front matter's keys and the problems found (invalid YAML, with its line).

    ``first_line`` is the line of the opening ``---``.
    """
    if not text.strip():
        return FrontMatter(values={}, lines={}), []
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = first_line + 1 + (mark.line if mark is not None else 0)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        message = f"front matter is not valid YAML ({problem})"
        return FrontMatter(values={}, lines={}), [
            Diagnostic(location=SourceLocation(path=path, line=line), message=message)
        ]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return FrontMatter(values={}, lines={}), []
    lines = {str(key.value).lower(): first_line + 1 + key.start_mark.line for key, _ in node.value}
    values = {str(k).lower(): _as_text(v) for k, v in data.items()}
    return FrontMatter(values=values, lines=lines, data={str(k): v for k, v in data.items()}), []
