"""Commented code → (command, meaning) pairs and (command, output) pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HASH_LANGS = {
    "bash",
    "sh",
    "shell",
    "console",
    "zsh",
    "dockerfile",
    "docker",
    "yaml",
    "yml",
    "python",
    "py",
    "toml",
    "ruby",
    "rb",
    "perl",
    "r",
    "ini",
    "conf",
    "make",
    "makefile",
    "powershell",
    "ps1",
    "nginx",
    "",
}
_SLASH_LANGS = {
    "js",
    "javascript",
    "ts",
    "typescript",
    "go",
    "java",
    "c",
    "cpp",
    "c++",
    "csharp",
    "cs",
    "rust",
    "rs",
    "kotlin",
    "swift",
    "scala",
    "php",
    "jsonc",
}
_OUTPUT_RE = re.compile(r"^(?:output|prints?|result|returns?|=>|->)\s*:?\s*(.*)$", re.IGNORECASE)
_DIRECTIVE_RE = re.compile(r"^#\s*(?:syntax|escape|check)\s*=|^#!")
_PROMPT_RE = re.compile(r"^(?:\$|>)\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentedCode:
    """Code lines and the comment that explains them."""

    code: str
    """The lines, without comments or prompts; continuation lines kept as written."""
    comment: str
    line: int
    """0-based line in the block where the code starts."""
    parents: tuple[str, ...] = ()
    """For YAML, the enclosing keys' lines (``services:``, ``web:``), outermost first."""
    trailing: bool = False
    """The comment followed the code on the same line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandOutput:
    command: str
    output: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeFacts:
    explained: tuple[CommentedCode, ...]
    outputs: tuple[CommandOutput, ...]
    uncommented: str
    """The block with every comment removed."""


def comment_marker(lang: str) -> str | None:
    if lang in _HASH_LANGS:
        return "#"
    if lang in _SLASH_LANGS:
        return "//"
    return None


def _split_comment(line: str, marker: str, trailing_allowed: bool) -> tuple[str, str | None]:
    """Split ``line`` into code and comment; ``#`` counts only at a word start, outside quotes."""
    stripped = line.lstrip()
    if stripped.startswith(marker):
        return "", stripped[len(marker) :].strip()
    if not trailing_allowed:
        return line, None
    quote: str | None = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif line.startswith(marker, index) and (index == 0 or line[index - 1] in " \t"):
            return line[:index].rstrip(), line[index + len(marker) :].strip()
    return line, None


def extract(code: str, lang: str) -> CodeFacts:
    """Pair commands with the comments that explain them and the outputs shown after them."""
    marker = comment_marker(lang)
    lines = code.splitlines()
    if marker is None:
        return CodeFacts(explained=(), outputs=(), uncommented=code)
    # In a Dockerfile a trailing "# x" is passed to the instruction: only whole-line comments.
    trailing_allowed = lang not in ("dockerfile", "docker")
    explained: list[CommentedCode] = []
    outputs: list[CommandOutput] = []
    uncommented: list[str] = []
    label: tuple[str, int] | None = None
    group: list[str] = []
    group_start = 0
    last_command: tuple[str, int] | None = None
    yaml_parents: list[tuple[int, str]] = []

    def close_group() -> None:
        nonlocal group, label
        if label and group:
            explained.append(
                CommentedCode(code="\n".join(group).strip("\n"), comment=label[0], line=group_start)
            )
        group = []

    for number, raw in enumerate(lines):
        if _DIRECTIVE_RE.match(raw.strip()):
            uncommented.append(raw)
            continue
        text, comment = _split_comment(raw, marker, trailing_allowed)
        if comment is not None and not comment.strip("#/ -"):
            comment = None  # a bare "#" explains nothing
        text = (
            _PROMPT_RE.sub("", text) if lang in ("bash", "sh", "shell", "console", "zsh") else text
        )
        if text.strip():
            uncommented.append(text.rstrip())
        if lang in ("yaml", "yml") and text.strip():
            indent = len(text) - len(text.lstrip())
            while yaml_parents and yaml_parents[-1][0] >= indent:
                yaml_parents.pop()
        if not text.strip() and comment is None:  # blank line ends a labelled group
            close_group()
            label = None
            if uncommented and uncommented[-1] != "":
                uncommented.append("")
            continue
        if comment is not None and not text.strip():
            output = _OUTPUT_RE.match(comment)
            if output and last_command is not None:
                outputs.append(
                    CommandOutput(
                        command=last_command[0], output=output.group(1), line=last_command[1]
                    )
                )
                continue
            close_group()
            label = (comment, number)
            continue
        if comment is not None:  # trailing comment explains this line alone
            close_group()
            label = None
            parents = tuple(p for _, p in yaml_parents)
            explained.append(
                CommentedCode(
                    code=text.strip(), comment=comment, line=number, parents=parents, trailing=True
                )
            )
        elif label is not None:
            if not group:
                group_start = number
            group.append(text.rstrip())
        if lang in ("yaml", "yml") and text.rstrip().endswith(":"):
            yaml_parents.append((len(text) - len(text.lstrip()), text.strip()))
        if not (group and group[-1].rstrip().endswith("\\")) and not text.rstrip().endswith("\\"):
            last_command = (text.strip(), number)
    close_group()
    return CodeFacts(
        explained=tuple(explained),
        outputs=tuple(outputs),
        uncommented="\n".join(uncommented).strip("\n"),
    )
