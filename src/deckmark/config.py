"""The user's config file: defaults for push and source links; command-line options win.

``$DECKMARK_CONFIG``, else ``$XDG_CONFIG_HOME/deckmark/config.toml`` (``~/.config/...``)::

    anki_url = "http://127.0.0.1:8765"
    anki_key = "my-ankiconnect-api-key"
    source_link = "vscode://file/{path}:{line}"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from deckmark.errors import DeckmarkError
from deckmark.output import display_path
from deckmark.render.source_link import check_template


@dataclass(frozen=True, slots=True, kw_only=True)
class UserConfig:
    anki_url: str | None = None
    """AnkiConnect's address."""
    anki_key: str | None = None
    """AnkiConnect's API key, if the user set one in the add-on's config."""
    source_link: str | None = None
    """URL template for each card's source line (deckmark.render.source_link)."""


def config_path() -> Path:
    if os.environ.get("DECKMARK_CONFIG"):
        return Path(os.environ["DECKMARK_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "deckmark" / "config.toml"


def load_config(path: Path | None = None) -> UserConfig:
    """The config file's settings; an empty config when there is no file."""
    path = path or config_path()
    if not path.is_file():
        return UserConfig()
    shown = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise DeckmarkError(f"{shown}: not a valid TOML config file: {e}") from e
    known = {f.name for f in fields(UserConfig)}
    problems = [f"{shown}: unknown setting {key!r}" for key in data if key not in known]
    problems += [
        f"{shown}: {key} must be a string"
        for key in known & set(data)
        if not isinstance(data[key], str)
    ]
    if problems:
        raise DeckmarkError("; ".join(problems))
    config = UserConfig(**{key: data[key] for key in known & set(data)})
    if config.source_link:
        check_template(config.source_link)
    return config
