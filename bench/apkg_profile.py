"""Where the time of ``deckmark build -f apkg`` goes, stage by stage, beside each stage's floor.

Not a test; run it from a checkout with deckmark installed (``pip install -e .``)::

    python bench/apkg_profile.py                  # 2,000 sections of bench/synthetic.py
    python bench/apkg_profile.py --sections 20000

The build runs in this process as the CLI runs it (a fresh output folder: the cache is
written, not read), with each stage's function wrapped by a timer of the process's CPU time
(a busy machine disturbs it less than wall time; the build's wall time is printed too). A
stage's time leaves out the stages inside it, which have rows of their own. The floors are
what the libraries alone take for the same work, measured here on the same corpus: Python's
start and the libraries' imports, markdown-it-py parsing the notes (its CommonMark preset, and
deckmark's configured parser with every inline token parsed), markdown-it-py parsing each
note's first field once, and genanki (its row is the library's own time).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthetic import notes_markdown  # bench/ on sys.path

STAGES = (
    ("deckmark.build", "_load_deck", "deck loading: the rest (media, tags, footnotes, ...)"),
    ("deckmark.build", "_parse_file", "notes → outline (markdown-it: one parse a file)"),
    ("deckmark.build", "_notes_cards", "outline → cards (the recipes)"),
    ("deckmark.build", "_cards_that_show_something", "blank-side check (renders cloze fronts)"),
    ("deckmark.build", "_duplicate_questions", "duplicate questions"),
    ("deckmark.build", "identify", "identity (GUIDs, lockfile matching)"),
    ("deckmark.build", "format_lockfile", "lockfile: text"),
    ("deckmark.build", "write_lockfile", "lockfile: write"),
    ("deckmark.exporters.anki", "write_apkg", ".apkg: the rest (notes, tags, zip)"),
    ("deckmark.exporters.anki", "card_fields", ".apkg: fields as HTML (those not cached)"),
    ("deckmark.cache", "pickled", "cache: pickling stage results"),
    ("deckmark.build", "pickled", "cache: pickling stage results"),  # build.py's own name for it
)

LABELS = tuple(dict.fromkeys(label for _, _, label in STAGES))
GENANKI = ".apkg: genanki writes"


class StageClock:
    """CPU time per stage, each stage's own (less the stages called inside it)."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self._inner: list[float] = []

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            self._inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                inner = self._inner.pop()
                self.own[label] = self.own.get(label, 0.0) + spent - inner
                if self._inner:
                    self._inner[-1] += spent

        return timed


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} / {five:.2f} (1 / 5 min)"


def best_wall(code: str, runs: int = 5) -> float:
    """The best wall time of ``python -c code`` over a few runs."""
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        walls.append(time.perf_counter() - start)
    return min(walls)


def cpu(function: Callable[[], object]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=2000)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {load()}, python {sys.version.split()[0]}")

    startup = best_wall("pass")
    libraries = best_wall("import markdown_it, mdit_py_plugins.footnote, genanki, pygments, yaml")
    imports = best_wall(
        "import deckmark.cli, deckmark.build, deckmark.parse.notes, deckmark.parse.cardfile,"
        " deckmark.parse.embeds, deckmark.exporters.anki, deckmark.render.html"
    )

    import genanki
    from markdown_it import MarkdownIt

    import deckmark.cli
    from deckmark.markdown import markdown

    clock = StageClock()
    for module_name, name, label in STAGES:
        module = importlib.import_module(module_name)
        setattr(module, name, clock.wrap(label, getattr(module, name)))
    package = genanki.Package
    package.write_to_file = clock.wrap(GENANKI, package.write_to_file)  # type: ignore[method-assign]

    with tempfile.TemporaryDirectory(prefix="deckmark-profile-") as tmp:
        notes = Path(tmp) / "notes" / "notes.md"
        notes.parent.mkdir()
        text = notes_markdown(args.sections)
        notes.write_text(text, encoding="utf-8")
        wall, build_cpu = time.perf_counter(), time.process_time()
        deckmark.cli.cli(
            ["build", str(notes), "-o", str(Path(tmp) / "out"), "-f", "apkg"],
            standalone_mode=False,
        )
        build_cpu = time.process_time() - build_cpu
        wall = time.perf_counter() - wall
        own = dict(clock.own)  # before the floors, which load the deck again

        from deckmark.build import discover, load_deck

        first_fields = [card.front for card in load_deck(discover([notes])[0]).cards]
        commonmark = MarkdownIt("commonmark")
        ours = markdown()
        parse_floor = cpu(lambda: commonmark.parse(text))
        ours_full = cpu(lambda: ours.parse(text, {}))
        fields_floor = cpu(lambda: [commonmark.parseInline(field) for field in first_fields])

    floors = {
        STAGES[1][2]: f"{parse_floor:.2f} markdown-it CommonMark; {ours_full:.2f} deckmark's "
        "parser with every inline token parsed",
        STAGES[3][2]: f"{fields_floor:.2f} markdown-it CommonMark, inline parse of each "
        "note's first field",
        GENANKI: "the library's own time",
    }
    rows = [
        (
            "Python start + deckmark's imports (wall, a process of its own)",
            imports,
            f"{startup:.2f} Python alone; {libraries:.2f} with the libraries' imports",
        ),
        *((label, own.get(label, 0.0), floors.get(label, "")) for label in LABELS),
        (GENANKI, own.get(GENANKI, 0.0), floors[GENANKI]),
        ("the rest of the build", build_cpu - sum(own.values()), ""),
    ]  # fmt: skip
    total = imports + build_cpu
    print(f"\n-f apkg, {args.sections:,} sections, {len(first_fields):,} notes, "
          f"build {wall:.2f} s wall ({load()} at the end)\n")  # fmt: skip
    print("| stage | CPU s | share | floor for the same work, CPU s |")
    print("|---|---|---|---|")
    for label, seconds, floor in rows:
        print(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f} % | {floor} |")
    print(f"| all | {total:.2f} | 100 % | |")


if __name__ == "__main__":
    main()
