"""Benchmark: deckmark against ankdown and markdown-anki-decks on one generated corpus.

Not a test; run it from a checkout with deckmark installed (``pip install -e .``)::

    python bench/scale.py                       # 200 and 2,000 sections, every measurement
    python bench/scale.py --sizes 200,2000,20000 --skip-extras   # the scaling table only
    python bench/scale.py --peers-venv /tmp/peers   # reuse the peers' virtualenv

The corpus (bench/synthetic.py) has sections of one shape: a heading, four bullets with bold and
inline code, a fenced block with a comment. The peers are installed from PyPI into a throw-away
virtualenv (markdown-anki-decks needs ``click<8.2``). Every tool runs as its own process; wall
time is measured around it. Peak RSS is the larger of that process's own (``os.wait4``) and the
peak of the sum over the process and all its descendants, sampled from /proc every 10 ms
(deckmark lays PDFs out in child processes of a forkserver, which wait4 does not see). Notes are
counted in each .apkg with sqlite. The machine's load average is printed with the numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from synthetic import ankdown_markdown, notes_markdown, write_notes_folder  # bench/ on sys.path

PEERS = ("ankdown", "markdown-anki-decks", "click<8.2")
DECKMARK = (sys.executable, "-m", "deckmark")


@dataclass(frozen=True)
class Run:
    wall: float
    peak_mb: float
    stdout: str
    stderr: str


def tree_rss_kb(root: int) -> int:
    """Resident memory of process ``root`` and all its descendants now, in KiB."""
    return sum(process_tree_kb(root).values())


def process_tree_kb(root: int) -> dict[int, int]:
    """Resident memory of process ``root`` and of each of its descendants now, KiB by pid."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * PAGE_KB
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    tree = {root}
    grew = True
    while grew:  # to a fixpoint: a child's pid may be lower than its parent's
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return {pid: rss.get(pid, 0) for pid in tree}


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def run(command: Sequence[str | Path], cwd: Path | None = None) -> Run:
    """Run ``command`` to completion; its wall time and the peak RSS of its process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen([str(c) for c in command], cwd=cwd, stdout=out, stderr=err)
        peak_kb = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_kb
            while not done.wait(0.01):
                peak_kb = max(peak_kb, tree_rss_kb(child.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed ({child.returncode}):\n{stderr}")
    peak_mb = max(usage.ru_maxrss, peak_kb) / 1024
    return Run(wall=wall, peak_mb=peak_mb, stdout=stdout, stderr=stderr)


def apkg_notes(path: Path) -> int:
    """How many notes an .apkg holds (genanki writes a collection.anki2 inside)."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", tmp)
        db = sqlite3.connect(Path(tmp) / "collection.anki2")
        try:
            (count,) = db.execute("select count(*) from notes").fetchone()
        finally:
            db.close()
    return int(count)


def peers_venv(folder: Path) -> Path:
    """A virtualenv with the peer tools, made once; its bin folder."""
    bin_dir = folder / "bin"
    if not (bin_dir / "mdankideck").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([bin_dir / "pip", "install", "--quiet", *PEERS], check=True)
    return bin_dir


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def deckmark_build(deck: Path, out: Path, *formats: str, keep: bool = False) -> Run:
    """One deckmark build; unless ``keep``, from scratch (no lockfile, no earlier outputs)."""
    if not keep:
        fresh(out)
        lockfile = (deck if deck.is_dir() else deck.parent) / "deckmark.lock"
        lockfile.unlink(missing_ok=True)
    flags = [arg for name in formats for arg in ("-f", name)]
    return run([*DECKMARK, "build", deck, "-o", out, *flags])


def summary_counts(result: Run) -> tuple[int, int]:
    """(notes, Anki cards) from deckmark's summary line."""
    line = result.stdout.strip().splitlines()[-1]  # "1 deck, 14000 notes (22000 Anki cards: ..."
    notes = int(line.split(", ")[1].split()[0])
    cards = int(line.split("(")[1].split()[0])
    return notes, cards


class Table:
    def __init__(self, *columns: str) -> None:
        self.rows: list[list[str]] = [list(columns)]

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])
        print("  " + " | ".join(self.rows[-1]), file=sys.stderr, flush=True)

    def show(self, title: str) -> None:
        widths = [max(len(row[i]) for row in self.rows) for i in range(len(self.rows[0]))]
        print(f"\n{title}\n")
        for n, row in enumerate(self.rows):
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
            if n == 0:
                print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        sys.stdout.flush()


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} / {five:.2f} (1 / 5 min)"


def peer_table(work: Path, sizes: Sequence[int], peers: Path | None) -> None:
    table = Table("tool", "sections", "wall s", "peak RSS MB", "notes", "ms/note", "× ankdown")
    for size in sizes:
        print(f"{size} sections ({load()})", file=sys.stderr, flush=True)
        folder = fresh(work / f"corpus-{size}")
        notes_dir = fresh(folder / "notes")
        (notes_dir / "notes.md").write_text(notes_markdown(size), encoding="utf-8")
        rows: list[tuple[str, Run, int]] = []
        if peers is not None:
            ankdown_dir = fresh(folder / "ankdown")
            (ankdown_dir / "notes.md").write_text(ankdown_markdown(size), encoding="utf-8")
            for label, extra in (("ankdown", []), ("ankdown --highlight", ["--highlight"])):
                target = folder / "ankdown.apkg"
                result = run([peers / "ankdown", "-r", ankdown_dir, "-p", target, *extra])
                rows.append((label, result, apkg_notes(target)))
            out = fresh(folder / "mad-out")
            result = run([peers / "mdankideck", notes_dir, out])
            rows.append(("markdown-anki-decks", result, apkg_notes(out / "notes.apkg")))
        out = folder / "deckmark-out"
        result = deckmark_build(notes_dir / "notes.md", out, "apkg")
        rows.append(("deckmark -f apkg", result, apkg_notes(out / "notes.apkg")))
        reference = rows[0][1].wall if peers is not None else None
        for label, result, notes in rows:
            ratio = f"{result.wall / reference:.1f}" if reference else "-"
            table.add(
                label,
                f"{size:,}",
                f"{result.wall:.2f}",
                f"{result.peak_mb:.0f}",
                f"{notes:,}",
                f"{1000 * result.wall / notes:.3f}",
                ratio,
            )
    table.show(f"Peers, same corpus, one run ({load()} at the end)")


def default_builds(work: Path, sizes: Sequence[int]) -> None:
    table = Table("build", "sections", "wall s", "peak RSS MB", "notes", "Anki cards")
    for size in sizes:
        notes = work / f"corpus-{size}" / "notes" / "notes.md"
        if not notes.exists():
            notes.parent.mkdir(parents=True, exist_ok=True)
            notes.write_text(notes_markdown(size), encoding="utf-8")
        out = work / f"corpus-{size}" / "deckmark-default"
        result = deckmark_build(notes, out)
        table.add("default (apkg + cards PDF + sheet PDF)", f"{size:,}", f"{result.wall:.2f}",
                  f"{result.peak_mb:.0f}", *(f"{n:,}" for n in summary_counts(result)))  # fmt: skip
        again = deckmark_build(notes, out, keep=True)
        table.add("  rebuild, nothing changed", f"{size:,}", f"{again.wall:.2f}",
                  f"{again.peak_mb:.0f}", *(f"{n:,}" for n in summary_counts(again)))  # fmt: skip
    table.show(f"Default build ({load()} at the end)")


def pdf_scaling(work: Path) -> None:
    table = Table("cards PDF", "sections", "Anki cards", "wall s", "peak RSS MB", "ms/card")
    walls = []
    for size in (27, 155):  # 11 printed cards a section: ~300 and ~1,700 cards
        notes = fresh(work / f"pdf-{size}") / "notes.md"
        notes.write_text(notes_markdown(size), encoding="utf-8")
        result = deckmark_build(notes, notes.parent / "out", "cards-pdf")
        _, cards = summary_counts(result)
        walls.append(result.wall)
        table.add("-f cards-pdf", size, f"{cards:,}", f"{result.wall:.2f}",
                  f"{result.peak_mb:.0f}", f"{1000 * result.wall / cards:.2f}")  # fmt: skip
    table.show(f"Cards PDF scaling: {walls[1] / walls[0]:.1f}× the time for ~5.7× the cards")


def folder_rebuilds(work: Path) -> None:
    deck = fresh(work / "folder-200")
    files = write_notes_folder(deck / "notes", files=200, sections_per_file=10)
    out = deck / "out"
    table = Table("200 files × 10 sections", "wall s", "peak RSS MB")
    first = deckmark_build(deck / "notes", out)
    table.add("default build, from scratch", f"{first.wall:.2f}", f"{first.peak_mb:.0f}")
    same = deckmark_build(deck / "notes", out, keep=True)
    table.add("rebuild, nothing changed", f"{same.wall:.2f}", f"{same.peak_mb:.0f}")
    edited = files[len(files) // 2]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n- The **late bullet** adds `one_more` fact.\n",
        encoding="utf-8",
    )
    one = deckmark_build(deck / "notes", out, keep=True)
    table.add("rebuild, one file edited", f"{one.wall:.2f}", f"{one.peak_mb:.0f}")
    # The .apkg alone: the PDFs are laid out whole by Typst whatever changed.
    apkg_out = deck / "out-apkg"
    first = deckmark_build(deck / "notes", apkg_out, "apkg")
    table.add("-f apkg, from scratch", f"{first.wall:.2f}", f"{first.peak_mb:.0f}")
    edited.write_text(edited.read_text(encoding="utf-8") + "- `two_more` is **another**.\n")
    one = deckmark_build(deck / "notes", apkg_out, "apkg", keep=True)
    table.add("-f apkg, rebuild, one file edited", f"{one.wall:.2f}", f"{one.peak_mb:.0f}")
    table.show(f"Rebuilds of a folder ({load()} at the end)")


def help_time() -> None:
    walls = [run([*DECKMARK, "--help"]).wall for _ in range(5)]
    print(f"\ndeckmark --help: best {min(walls):.3f} s, median {sorted(walls)[2]:.3f} s of 5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000", help="sections, comma-separated")
    parser.add_argument("--default-sizes", default="200,2000", help="sizes of the default build")
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (kept)")
    parser.add_argument("--peers-venv", type=Path, help="virtualenv for the peers (reused)")
    parser.add_argument("--no-peers", action="store_true", help="deckmark only")
    parser.add_argument("--skip-extras", action="store_true", help="only the peer table")
    parser.add_argument("--skip-folders", action="store_true", help="no folder rebuilds (slow)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deckmark-scale-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        peers = None if args.no_peers else peers_venv(args.peers_venv or work / "peers-venv")
        print(f"{os.cpu_count()} CPUs, {load()}, python {sys.version.split()[0]}")
        peer_table(work, [int(s) for s in args.sizes.split(",")], peers)
        if not args.skip_extras:
            default_builds(work, [int(s) for s in args.default_sizes.split(",") if s])
            pdf_scaling(work)
            if not args.skip_folders:
                folder_rebuilds(work)
            help_time()


if __name__ == "__main__":
    main()
