"""Hostile note text never reaches an Anki card as live markup: attributes, languages, URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deckmark.build import build
from deckmark.parse.outline import language_name
from deckmark.render.html import is_safe_url, markdown_to_html
from tests.conftest import import_apkg, read_notes, unsafe_markup

HOSTILE_NOTES = """\
## Script in a fence

```x"><script>alert(1)</script><pre
# Print a greeting
echo hi
```

## Handler in a fence

```bash"onmouseover="alert(document.cookie)"x=""
# Print a farewell
echo bye
```

## What does this fence show?

```x"><script>alert(3)</script><pre
docker ps
```

## Entity in a fence

```x&quot;onclick=&quot;alert(2)
# List the files
ls -l
```

## Links

- A [script link](javascript:alert(1)) is **refused**.
- An [entity link](JaVa&#115;cript:alert(1)) is **refused**.
- An autolink <javascript:alert(1)> is **refused**.
- A [data link](data:text/html;base64,PHNjcmlwdD4=) is **refused**.
- A [file link](file:///etc/passwd) is **refused**.
- A [web link](https://docs.docker.com/) is **kept**.
"""


def test_hostile_fences_and_links__apkg_fields_carry_no_live_markup(
    tmp_path: Path, collection: Any
) -> None:
    notes = tmp_path / "hostile.md"
    notes.write_text(HOSTILE_NOTES)
    build([notes], tmp_path / "out", ["apkg"])
    import_apkg(collection, tmp_path / "out" / "hostile.apkg")
    fields = [value for note in read_notes(collection) for value in note["fields"].values()]
    assert [(f, unsafe_markup(f)) for f in fields if unsafe_markup(f)] == []
    # Each fence made a card that shows it (the answer of "Which shell command ...?", or of the
    # question heading); a fence with one comment makes no "what does each line do?" card.
    assert sum("<pre" in f for f in fields) >= 4
    assert any('href="https://docs.docker.com/"' in f for f in fields)
    # A refused link stays readable as text rather than vanishing.
    assert any("[script link](javascript:alert(1))" in f for f in fields)


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("bash", "bash"),
        ("Dockerfile title=x", "dockerfile"),
        ("c++", "c++"),
        ("c#", "c#"),
        ('x"><script>', ""),
        ('bash"onmouseover="alert(1)"', ""),
        ("x&quot;", ""),
        ("", ""),
    ],
)
def test_language_name__only_plain_names(info: str, expected: str) -> None:
    assert language_name(info) == expected


def test_code_fence__hostile_info_string__renders_plain_pre() -> None:
    html = markdown_to_html('```x"><script>alert(1)</script><pre\ncode\n```')
    assert html == '<pre class="dm-code"><code>code</code></pre>'


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a", True),
        ("http://example.org/a", True),
        ("diagram.png", True),
        ("#section", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("vbscript:msgbox", False),
        ("file:///etc/passwd", False),
        ("mailto:someone@example.org", False),
    ],
)
def test_is_safe_url__allows_web_and_relative_media_only(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_image__data_url__not_rendered_as_image() -> None:
    assert "<img" not in markdown_to_html("![x](data:image/png;base64,AAAA)")
    # A local image shows once the build has packaged it (under its content-hashed name).
    packaged = markdown_to_html("![x](pic.png)", media={"pic.png": "pic-0123abcd.png"})
    assert '<img src="pic-0123abcd.png" alt="x">' in packaged
