"""Check that two checkouts of deckmark build the same Anki notes from the same decks.

Not a test; for a change that must not change outputs (speed work). Each deck folder under
DECKS is built with ``-f apkg --no-cache`` by each checkout's ``src/`` (a fresh lockfile each
time), and the notes are compared as Anki reads them: every field (the push marker, which holds
the random GUID, left out) and the tags, in order; and the build's exit status and warnings::

    python bench/collect_real_notes.py              # once: the real-notes corpus
    python bench/same_apkg.py BEFORE AFTER bench/real-notes/files

BEFORE and AFTER are checkouts (``git worktree add`` or a clone). The decks are copied to a
temporary folder first, so their lockfiles are never touched. Exit status 1 if any differ.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

_MARKER = re.compile(r'<span class="dm-id" data-deckmark="[^"]*"></span>')

Notes = list[tuple[str, str]]


def apkg_notes(path: Path) -> Notes:
    """(fields without the push marker, tags) of every note, in the package's order."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", tmp)
        db = sqlite3.connect(Path(tmp) / "collection.anki2")
        try:
            rows = db.execute("select flds, tags from notes order by id").fetchall()
        finally:
            db.close()
    return [(_MARKER.sub("", fields), tags) for fields, tags in rows]


def build(checkout: Path, deck: Path, out: Path) -> tuple[int, str, list[Notes]]:
    """Exit status, stderr and the notes of each .apkg of one build by ``checkout``."""
    for lockfile in deck.rglob("deckmark.lock"):
        lockfile.unlink()
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    command = [sys.executable, "-m", "deckmark", "build", str(deck), "-o", str(out)]
    done = subprocess.run(
        [*command, "-f", "apkg", "--no-cache", "-q"], env=env, capture_output=True, text=True
    )
    stderr = done.stderr.replace(str(deck), "DECK")
    return done.returncode, stderr, [apkg_notes(p) for p in sorted(out.glob("*.apkg"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("decks", type=Path, help="a folder of deck folders")
    args = parser.parse_args()
    different = 0
    with tempfile.TemporaryDirectory(prefix="deckmark-same-") as tmp:
        for source in sorted(p for p in args.decks.iterdir() if p.is_dir()):
            deck = Path(tmp) / "decks" / source.name
            shutil.copytree(source, deck)
            before = build(args.before, deck, Path(tmp) / "before")
            after = build(args.after, deck, Path(tmp) / "after")
            notes = sum(len(n) for n in after[2])
            if before == after:
                print(f"same       {source.name} (exit {after[0]}, {notes:,} notes)")
                continue
            different += 1
            print(f"DIFFERENT  {source.name} (exit {before[0]} / {after[0]})")
            pairs = zip(itertools.chain(*before[2]), itertools.chain(*after[2]), strict=False)
            for old, new in pairs:
                if old != new:
                    print(f"  before: {old[0][:300]!r}\n  after:  {new[0][:300]!r}")
                    break
            if before[1] != after[1]:
                print(f"  stderr before: {before[1][:300]!r}\n  stderr after:  {after[1][:300]!r}")
    print(f"{different} of the decks differ")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
