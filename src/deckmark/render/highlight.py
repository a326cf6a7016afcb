"""Syntax highlighting with Pygments, shared by every HTML output."""

from __future__ import annotations

import html

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

CODE_CLASS = "dm-code"
_ALIASES = {"dockerfile": "docker", "yml": "yaml", "console": "bash", "shell": "bash"}


def highlight_html(code: str, lang: str) -> str:
    """``<pre class="dm-code"><code>`` with static Pygments spans (no scripts, works offline)."""
    formatter = HtmlFormatter(nowrap=True)
    try:
        lexer = get_lexer_by_name(_ALIASES.get(lang, lang) or "text", stripnl=False)
    except ClassNotFound:
        lexer = get_lexer_by_name("text", stripnl=False)
    body = highlight(code, lexer, formatter).rstrip("\n")
    language = f' data-lang="{html.escape(lang, quote=True)}"' if lang else ""
    return f'<pre class="{CODE_CLASS}"{language}><code>{body}</code></pre>'


def highlight_css(day_style: str = "friendly", night_style: str = "monokai") -> str:
    """CSS for the highlight classes, with a night-mode variant for Anki's ``.nightMode``."""
    day = HtmlFormatter(style=day_style).get_style_defs(f".{CODE_CLASS}")
    night = HtmlFormatter(style=night_style).get_style_defs(f".card.nightMode .{CODE_CLASS}")
    return f"{day}\n{night}"
