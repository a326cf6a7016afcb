"""Where a default build's memory goes, stage by stage (not a test).

Builds the bench/synthetic.py corpus in this process, the way ``deckmark build`` does, and
samples the resident memory of this process and of each of its descendants (the Typst and
join children) from /proc every 20 ms. Each sample is charged to the stage the build is in:
the build's own steps, and inside them parse + cards, identities, the PDFs' fitting, chunk
layout, join and final write, and the cache's save. Prints, per stage, its time, the peak of
the whole process tree, of the build process alone, and of the largest child, and how many
children ran at once::

    python bench/memory.py --sections 20000
    python bench/memory.py --sections 2000 --tracemalloc   # also the Python heap's holders

``--tracemalloc`` traces the build's Python allocations (several times slower, more memory):
each stage's traced peak, and the biggest holders (by source line) at the moments the heap
is largest: before each PDF's join, before its write, before the cache is saved.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scale import process_tree_kb  # bench/ on sys.path
from synthetic import notes_markdown


@dataclass
class Stage:
    name: str
    started: float
    ended: float = 0.0
    tree_kb: int = 0
    build_kb: int = 0
    child_kb: int = 0
    children: int = 0
    traced_peak: int = 0


@dataclass
class Recorder:
    """The stages in order, each sample of /proc charged to the current one."""

    tracing: bool
    step: str = ""
    """The build's step (progress label) the stages are in."""
    stages: list[Stage] = field(default_factory=list)
    snapshots: list[tuple[str, tracemalloc.Snapshot]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, name: str, snapshot: bool = False) -> None:
        with self.lock:
            now = time.perf_counter()
            if self.stages:
                self.stages[-1].ended = now
                if self.tracing:
                    self.stages[-1].traced_peak = tracemalloc.get_traced_memory()[1]
            if self.tracing:
                if snapshot:
                    self.snapshots.append((name, tracemalloc.take_snapshot()))
                tracemalloc.reset_peak()
            self.stages.append(Stage(name=name, started=time.perf_counter()))

    def step_started(self, label: str) -> None:
        self.step = label.split(": ", 1)[-1]
        self.enter(self.step)

    def sample(self) -> None:
        children = process_tree_kb(os.getpid())
        build = children.pop(os.getpid(), 0)
        with self.lock:
            stage = self.stages[-1]
            stage.build_kb = max(stage.build_kb, build)
            stage.tree_kb = max(stage.tree_kb, build + sum(children.values()))
            stage.child_kb = max([stage.child_kb, *children.values()])
            stage.children = max(stage.children, len(children))


def marked(recorder: Recorder, owner: Any, name: str, label: str, snapshot: bool = False) -> None:
    """Make ``owner.name`` enter stage ``label`` when called, and the one it was in after
    (nothing if the code measured has no such function)."""
    function: Callable[..., Any] | None = getattr(owner, name, None)
    if function is None:
        return

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = recorder.stages[-1].name if recorder.stages else "start"
        recorder.enter(f"{recorder.step}: {label}", snapshot)
        try:
            return function(*args, **kwargs)
        finally:
            recorder.enter(before)

    setattr(owner, name, wrapper)


def instrument(recorder: Recorder) -> None:
    from deckmark import build, cache
    from deckmark.exporters import anki, pdf

    marked(recorder, build, "_load_deck", "parse + cards")
    marked(recorder, build, "identify", "identities")
    marked(recorder, anki, "export_apkg", "apkg")
    marked(recorder, pdf, "_fit_cards", "fit")
    marked(recorder, pdf, "_laid_out", "Typst chunks")
    marked(recorder, pdf, "in_child", "join", snapshot=True)
    marked(recorder, pdf, "write_atomic", "write", snapshot=True)
    marked(recorder, cache.BuildCache, "save", "cache save", snapshot=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=2000)
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations")
    parser.add_argument("--top", type=int, default=12, help="holders shown per snapshot")
    args = parser.parse_args()
    recorder = Recorder(tracing=args.tracemalloc)
    instrument(recorder)
    from deckmark.build import build

    with tempfile.TemporaryDirectory(prefix="deckmark-memory-") as tmp:
        notes = Path(tmp) / "notes" / "notes.md"
        notes.parent.mkdir()
        notes.write_text(notes_markdown(args.sections), encoding="utf-8")
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                recorder.sample()

        if args.tracemalloc:
            tracemalloc.start(1)
        recorder.enter("start")
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        began = time.perf_counter()
        result = build(
            [notes],
            Path(tmp) / "out",
            ["apkg", "cards-pdf", "sheet-pdf"],
            progress=lambda label, _i, _n: recorder.step_started(label),
        )
        recorder.enter("end")
        done.set()
        sampler.join()
        wall = time.perf_counter() - began
    one, five, _ = os.getloadavg()
    cards = sum(len(deck.cards) for deck in result.decks)
    print(f"{args.sections:,} sections, {cards:,} notes: {wall:.1f} s, load {one:.2f} / {five:.2f}")
    print("\n| stage | s | tree peak MB | build MB | largest child MB | children | traced MB |")
    print("|---|---|---|---|---|---|---|")
    merged: dict[str, Stage] = {}
    for stage in recorder.stages[1:-1]:  # the same stage entered again: one row
        row = merged.setdefault(stage.name, Stage(name=stage.name, started=0.0))
        row.ended += stage.ended - stage.started
        row.tree_kb = max(row.tree_kb, stage.tree_kb)
        row.build_kb = max(row.build_kb, stage.build_kb)
        row.child_kb = max(row.child_kb, stage.child_kb)
        row.children = max(row.children, stage.children)
        row.traced_peak = max(row.traced_peak, stage.traced_peak)
    for stage in merged.values():
        traced = f"{stage.traced_peak / 2**20:.0f}" if args.tracemalloc else "-"
        print(
            f"| {stage.name} | {stage.ended:.1f} | {stage.tree_kb / 1024:.0f} "
            f"| {stage.build_kb / 1024:.0f} | {stage.child_kb / 1024:.0f} | {stage.children} "
            f"| {traced} |"
        )
    for name, snapshot in recorder.snapshots:
        stats = snapshot.statistics("lineno")
        total = sum(s.size for s in stats)
        print(f"\nPython heap entering {name}: {total / 2**20:.0f} MB traced; top holders:")
        for stat in stats[: args.top]:
            frame = stat.traceback[0]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            print(f"  {stat.size / 2**20:7.1f} MB {stat.count:9,} blocks  {where}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
