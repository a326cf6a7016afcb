"""The user config file and source-link templates: what they accept, one line per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from deckmark.cli import cli
from deckmark.model import SourceLocation
from deckmark.render.source_link import source_html


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "config.toml"
    monkeypatch.setenv("DECKMARK_CONFIG", str(path))
    (tmp_path / "notes.md").write_text("# Docker\n\n- `docker ps` lists containers.\n", "utf-8")
    return path


def build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "notes.md", "-f", "anki-txt", *args])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('anki_url = "x"\nlink = "y"\n', "config.toml: unknown setting 'link'"),
        ("anki_key = 12\n", "config.toml: anki_key must be a string"),
        (
            "source_link = \n",
            "config.toml: not a valid TOML config file: Invalid value (at line 1, column 15)",
        ),
    ],
)
def test_config__mistake__one_line_error(config: Path, text: str, message: str) -> None:
    config.write_text(text, "utf-8")
    assert build() == (1, f"Error: {message}\n")


def test_source_link__unsafe_scheme__refused(config: Path) -> None:
    assert build("--source-link", "javascript:alert({line})") == (
        1,
        "Error: source link template 'javascript:alert({line})': must start with a safe URL "
        "scheme such as vscode:// or obsidian://\n",
    )


def test_source_link__unknown_placeholder__refused(config: Path) -> None:
    assert build("--source-link", "vscode://file/{file_path}:{line}") == (
        1,
        "Error: source link template 'vscode://file/{file_path}:{line}': unknown placeholder "
        "{file_path}; use {path}, {line}, {vault}, {file}\n",
    )


def test_source_link__option_wins_over_config(config: Path) -> None:
    config.write_text('source_link = "vscode://file/{path}:{line}"\n', "utf-8")
    assert build("--source-link", "obsidian://open?vault={vault}&file={file}") == (0, "")
    assert "obsidian://open?vault=" in (Path("build") / "notes.txt").read_text()


def test_source_html__escapes_text_and_link(tmp_path: Path) -> None:
    notes = tmp_path / "my <notes> & more.md"
    location = SourceLocation(path=notes.as_posix(), line=7)
    assert source_html(location, None) == f"{tmp_path.as_posix()}/my &lt;notes&gt; &amp; more.md:7"
    link = source_html(location, 'vscode://file/{path}:{line}"')
    quoted = tmp_path.as_posix() + "/my%20%3Cnotes%3E%20%26%20more.md"
    assert link.startswith(f'<a class="source-link" href="vscode://file/{quoted}:7&quot;">')
