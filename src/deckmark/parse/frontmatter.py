"""The small ``key: value`` front matter deckmark reads (a YAML subset, no dependency)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckmark.model import Diagnostic, SourceLocation

_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontMatter:
    values: dict[str, str]
    lines: dict[str, int]
    """The line of each key, for messages."""


def parse_front_matter(
    text: str, path: str, first_line: int
) -> tuple[FrontMatter, list[Diagnostic]]:
    """``key: value`` pairs (``# comments`` and blank lines ignored) and the problems found.

    ``first_line`` is the line of the opening ``---``; values keep their text, with surrounding
    quotes and ``[a, b]`` list brackets removed.
    """
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for offset, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"\s+#.*$", "", raw).strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        location = SourceLocation(path=path, line=first_line + offset)
        if not match:
            problems.append(
                Diagnostic(
                    location=location,
                    message=f"front matter line is not 'key: value': {raw.strip()}",
                )
            )
            continue
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if value.startswith("[") and value.endswith("]"):
            value = value[1:-1]
        values[match.group(1).lower()] = value
        lines[match.group(1).lower()] = location.line
    return FrontMatter(values=values, lines=lines), problems
