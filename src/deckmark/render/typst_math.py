"""LaTeX math → Typst math (tex2typst), for the PDFs. Anki gets the TeX itself (MathJax)."""

from __future__ import annotations

from functools import cache


@cache
def tex_to_typst(tex: str) -> str | None:
    """Typst math for ``tex``, or None when tex2typst cannot convert it.

    The result is evaluated by the templates in math mode, so anything that could leave math
    mode (``#``) is refused: such a formula is shown as written instead.
    """
    import tex2typst  # loaded only when a PDF shows math

    try:
        typst = str(tex2typst.tex2typst(tex.strip(), non_strict=False))
    except (ValueError, RuntimeError):
        return None
    if not typst.strip() or "#" in typst:
        return None
    return typst
