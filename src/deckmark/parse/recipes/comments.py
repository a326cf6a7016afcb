"""Commented code → (command, meaning) pairs and (command, output) pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckmark.parse.recipes.phrasing import is_function_word

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
PROGRAM_LANGS = (_SLASH_LANGS - {"jsonc"}) | {"python", "py", "ruby", "rb", "perl", "r"}
"""Languages of programs (not shell sessions or config): a line comment there is usually
about the example itself ("pick up the left fork", "search the left subtree")."""
ARROW = r"(?:=>|->|→)"
"""A comment that starts with an arrow gives what its line evaluates to (``# => 3``)."""
_LANGUAGE_BEHAVIOUR = re.compile(
    rf"^{ARROW}|"
    r"^[\"'\d]|\b(?:throws?|raises?|exceptions?|errors?|compiles?|compiler|"
    r"runtime|returns|in[- ]place|valid|invalid|illegal|allowed|undefined|warnings?|"
    r"deprecated|since|from \S+ on)\b",
    re.IGNORECASE,
)


def states_language_behaviour(comment: str) -> bool:
    """``objArr[0] = x;  // throws ArrayTypeMismatchException``: what the language does with
    the line (an error, a result, a version), which holds outside this one example."""
    return bool(_LANGUAGE_BEHAVIOUR.search(comment))


_OUTCOME = re.compile(
    rf"^{ARROW}|"
    r"^[\"'\d\[{(]|^[A-Z]\w*\(.*\)\W*$|^(?:throws?|raises?|errors?|exceptions?"
    r"|(?:syntax|compile|compiler|runtime|type)\s*errors?|valid|invalid|illegal|ok|true|false"
    r"|null|nil|none|undefined|nan|compiles|(?:does not|doesn't|won't) compile)\b",
    re.IGNORECASE,
)


def gives_outcome(comment: str) -> bool:
    """The comment is what the line gives or how it ends (``// Rational(0,1)``, ``// throws
    ArrayTypeMismatchException``, ``// valid from C# 4.0 on``), not what the line does."""
    return bool(_OUTCOME.search(comment.strip()))


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
    lines = code.split("\n")  # line numbers as markdown-it counts them
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
            if label is not None and not group and comment[:1].islower() and _wraps(label[0]):
                # "# Copy package.json first to leverage caching when the" / "# dependencies
                # haven't changed": one comment wrapped over two lines.
                label = (f"{label[0]} {comment}", label[1])
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


# Words that say nothing a line does not already say ("Use the official PostgreSQL 15 image",
# "Build the app" over ``npm run build``).
_GENERIC_WORDS = {
    "a", "an", "the", "of", "to", "for", "in", "on", "at", "is", "are", "this", "that", "be",
    "by", "as", "and", "or", "with", "its", "it", "our", "my", "your", "here", "use", "uses",
    "using", "set", "sets", "specify", "specifies", "define", "defines", "default", "official",
    "name", "value", "enable", "enables", "mode", "app", "application", "project",
}  # fmt: skip
# Abbreviations in identifiers and the words comments spell them with.
_SPELLED_OUT = {
    "db": "database", "env": "environment", "dir": "directory", "pwd": "password",
    "pass": "password", "conf": "configuration", "config": "configuration",
    "repo": "repository", "num": "number", "auth": "authentication", "img": "image",
}  # fmt: skip
_YAML_KEY = re.compile(r"^\s*-?\s*([a-z][a-z0-9_.-]*)\s*:(?:\s|$)")


def _identifier_parts(code: str) -> set[str]:
    parts: set[str] = set()
    for word in re.findall(r"[A-Za-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", code)):
        lower = word.lower()
        parts.add(lower)
        if lower in _SPELLED_OUT:
            parts.add(_SPELLED_OUT[lower])
    return parts


def restates_line(code: str, comment: str, lang: str) -> bool:
    """The comment only restates the line's own names and values.

    ``DATABASE_USER=postgres  # PostgreSQL username`` teaches nothing the line does not show.
    The line's vocabulary word is not counted as restated: a Dockerfile instruction or a
    lower-case YAML key is what a learner learns (``ENV ...  # Set environment variables``).
    """
    line = code.strip()
    if lang in ("dockerfile", "docker"):
        line = line.partition(" ")[2]
    elif lang in ("yaml", "yml") and (key := _YAML_KEY.match(line)):
        line = line[key.end() :]
    names = _identifier_parts(line)
    said = [w for w in re.findall(r"[a-z0-9]+", comment.lower()) if w not in _GENERIC_WORDS]

    def restated(word: str) -> bool:
        return any(
            word == name or (min(len(word), len(name)) >= 3 and word.startswith(name))
            for name in names
        )

    return bool(said) and all(map(restated, said))


_SHELL_LANGS = ("bash", "sh", "shell", "console", "zsh", "")
_SHELL_ASSIGNMENT = re.compile(r"^\s*(?:(?:export|local|declare|readonly)\s+)?([A-Za-z_]\w*)=")


def _shell_names(code: str) -> set[str]:
    """The variables a shell line reads: ``$name``, ``${name...}``, and the names in a
    substring's offset and length (``${name:0:length}``), not the words of a pattern
    (``${str%.cpp}``, ``${name/J/j}``)."""
    names = set(re.findall(r"\$([A-Za-z_]\w*)", code))
    for braces in re.findall(r"\$\{([^}]*)\}", code):
        if parameter := re.match(r"[#!]?([A-Za-z_]\w*)", braces):
            names.add(parameter.group(1))
            rest = braces[parameter.end() :]
            if re.match(r":(?![-=?+])", rest):
                names.update(re.findall(r"[A-Za-z_]\w*", rest))
    return names


def setup_of(code: str, lang: str, line: int) -> tuple[list[str], set[str]] | None:
    """The earlier lines of a shell block that set the variables line ``line`` reads, and the
    variables it reads that the block never set; None for other languages (a method call
    there can change what a name holds, so "the lines that set it" is not certain).

    ``echo "${str%.cpp}"  # /path/to/foo`` gives its value only after ``str="/path/to/foo.cpp"``.
    """
    if lang not in _SHELL_LANGS:
        return None
    lines = code.split("\n")
    marker = comment_marker(lang) or "#"
    wanted = _shell_names(_split_comment(lines[line], marker, True)[0])
    setup: list[str] = []
    for earlier in reversed(lines[:line]):
        text = _split_comment(earlier, marker, True)[0].strip()
        assigned = _SHELL_ASSIGNMENT.match(text)
        if assigned and assigned.group(1) in wanted:
            wanted.discard(assigned.group(1))
            wanted.update(_shell_names(text[assigned.end() :]))
            setup.insert(0, text)
    return setup, wanted


def _wraps(comment: str) -> bool:
    """The comment goes on in the next one: it stops mid-sentence ("... when the", "... files,")
    or fills a wrapped line. "# Build the image" above "# docker build is slow" is two."""
    if re.search(r"[.!?:;)]$", comment):
        return False
    words = comment.split()
    return comment.endswith(",") or is_function_word(words[-1]) or len(comment) >= 50
