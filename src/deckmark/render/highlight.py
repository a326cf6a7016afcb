"""Syntax highlighting with Pygments, shared by every HTML output."""

from __future__ import annotations

import html
from functools import cache, lru_cache
from typing import Any

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

CODE_CLASS = "dm-code"
_ALIASES = {"dockerfile": "docker", "yml": "yaml", "console": "bash", "shell": "bash"}


@cache
def _formatter() -> Any:
    # One formatter for every block: building one computes its whole stylesheet.
    return HtmlFormatter(nowrap=True)


@cache
def _lexer(lang: str) -> Any:
    try:
        return get_lexer_by_name(_ALIASES.get(lang, lang) or "text", stripnl=False)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False)


@lru_cache(maxsize=4096)
def highlight_html(code: str, lang: str) -> str:
    """``<pre class="dm-code"><code>`` with static Pygments spans (no scripts, works offline)."""
    body = highlight(code, _lexer(lang), _formatter()).rstrip("\n")
    language = f' data-lang="{html.escape(lang, quote=True)}"' if lang else ""
    return f'<pre class="{CODE_CLASS}"{language}><code>{body}</code></pre>'


@cache
def highlight_css(day_style: str = "friendly", night_style: str = "monokai") -> str:
    """CSS for the highlight classes, with a night-mode variant for Anki's ``.nightMode``."""
    day = HtmlFormatter(style=day_style).get_style_defs(f".{CODE_CLASS}")
    night = HtmlFormatter(style=night_style).get_style_defs(f".card.nightMode .{CODE_CLASS}")
    return f"{day}\n{night}"
