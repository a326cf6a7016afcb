"""A generated notes corpus for benchmarks: many sections of one fixed shape.

Each section is a heading, four bullets with bold text and inline code, and a fenced block
with a comment, in words made up here (deterministic: section ``n`` is always the same text).
The same sections can be written for deckmark and markdown-anki-decks (``##`` headings) and
for ankdown (question ``%`` answer, cards split by ``---``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

NOUNS = (
    "cache", "queue", "ledger", "socket", "shard", "index", "mirror", "bucket", "lease",
    "journal", "replica", "token", "cursor", "buffer", "channel", "schema", "worker", "spool",
)  # fmt: skip
ADJECTIVES = (
    "cold", "eager", "lazy", "sealed", "sparse", "stale", "frozen", "shared", "pinned",
    "quiet", "broken", "remote", "nested", "signed", "hashed", "volatile", "rolling",
)  # fmt: skip
VERBS = (
    "flushes", "rotates", "compacts", "replays", "seals", "drains", "pins", "rebuilds",
    "verifies", "mirrors", "expires", "throttles", "batches", "prunes", "indexes",
)  # fmt: skip
LANGUAGES = ("bash", "python", "yaml")


def _pick(words: tuple[str, ...], n: int, salt: int) -> str:
    return words[(n * 7 + salt * 13 + n // len(words)) % len(words)]


def section_parts(n: int) -> tuple[str, str]:
    """Section ``n`` as (heading, body Markdown)."""
    noun, other = _pick(NOUNS, n, 1), _pick(NOUNS, n, 2)
    adjective, verb = _pick(ADJECTIVES, n, 3), _pick(VERBS, n, 4)
    command = verb[:-2] if verb.endswith(("ches", "shes", "xes")) else verb[:-1]
    heading = f"The {adjective} {noun} {n}"
    bullets = [
        f"- A **{adjective} {noun}** keeps `{noun}_{n}` entries until the {other} {verb} them.",
        f"- The `{command}_{n}` command {verb} the **{other} {n}** once an hour.",
        f"- Setting `max_{other}s={n % 97 + 3}` limits how many **{noun} slots** stay open.",
        f"- Use `--{adjective}-{n}` to mark the **{noun} {n} store** as read-only.",
    ]
    language = LANGUAGES[n % len(LANGUAGES)]
    if language == "bash":
        code = f"# {verb} every {noun} of zone {n}\n{noun}ctl {command} --zone {n} --all"
    elif language == "python":
        code = f"# open the {adjective} {noun} {n}\nstore = open_{noun}('{other}-{n}', mode='r')"
    else:
        code = f"# the {other} that {verb} {noun} {n}\n{other}:\n  size: {n % 50 + 1}"
    body = "\n".join(bullets) + f"\n\n```{language}\n{code}\n```\n"
    return heading, body


def sections(count: int, start: int = 0) -> Iterator[tuple[str, str]]:
    for n in range(start, start + count):
        yield section_parts(n)


def notes_markdown(count: int, title: str = "Generated notes", start: int = 0) -> str:
    """Notes for deckmark and markdown-anki-decks: ``# title`` then one ``##`` per section."""
    parts = [f"# {title}\n"]
    parts += [f"## {heading}\n\n{body}" for heading, body in sections(count, start)]
    return "\n".join(parts)


def ankdown_markdown(count: int) -> str:
    """The same sections as ankdown cards: heading, ``%``, body; cards separated by ``---``."""
    return "\n---\n\n".join(f"{heading}\n\n%\n\n{body}" for heading, body in sections(count))


def write_notes_folder(folder: Path, files: int, sections_per_file: int) -> list[Path]:
    """A deck folder of ``files`` notes files, the sections numbered across the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in range(files):
        path = folder / f"part-{f:03d}.md"
        text = notes_markdown(sections_per_file, f"Part {f}", start=f * sections_per_file)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
