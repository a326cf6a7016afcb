"""Benchmark: build the cards PDF and the study sheet for 300 synthetic cards.

Each PDF is built in its own process so that its peak RSS is its own. Not a test; run it:

    python bench/pdf_bench.py [--cards 300] [--paper a4|letter]

Target on a 2-core machine: cards PDF under 2 s, study sheet under 1 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deckmark.exporters import ExportOptions
from deckmark.exporters.pdf import export_cards_pdf, export_sheet_pdf
from deckmark.model import Card, CardKind, Deck, Section, SourceLocation

TOPICS = ("Images", "Containers", "Volumes", "Networks", "Compose", "Swarm")

DOCKERFILE = """```Dockerfile
FROM python:3.11-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "-m", "app"]
```"""

COMPOSE = """```yaml
services:
  web:
    image: "nginx:1.27"
    ports: ["8080:80"]
    depends_on: [db]
  db:
    image: postgres:16
```"""


def synthetic_deck(count: int) -> Deck:
    """A deck with a mix of short answers, lists, code blocks and cloze cards."""
    cards = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        source = SourceLocation(path="notes.md", line=i + 1)
        context = ("Docker", topic)
        if i % 4 == 0:
            front = f"Which file builds the image for **service {i}** (`docker build`)?"
            back = f"A `Dockerfile` — *one layer per instruction*:\n\n{DOCKERFILE}"
        elif i % 4 == 1:
            front = f"What does `docker compose up` start for stack {i}?"
            back = (
                "- every service in `compose.yaml`\n- its networks → *by name*\n"
                f"- its volumes (ümlauts, ≥ 2 µs, “quotes”)\n\n{COMPOSE}"
            )
        elif i % 4 == 2:
            front = f"A container is a running {{{{c1::instance}}}} of an {{{{c2::image}}}} ({i})."
            back = "Images are read-only; containers add a **writable layer**."
        else:
            front = f"Name four benefits of Docker ({i})."
            back = (
                "1. No setup: the image holds code and dependencies\n"
                "2. Consistency across machines\n3. Scalability: start more containers\n"
                "4. Lightweight & quick to start"
            )
        kind = CardKind.FACT if i % 4 != 0 else CardKind.CODE
        cards.append(
            Card(kind=kind, front=front, back=back, context=context, source=source, key=f"k{i}")
        )
    sections = tuple(
        Section(
            path=("Docker", topic),
            source=SourceLocation(path="notes.md", line=n + 1),
            card_keys=tuple(c.key for c in cards if c.context[-1] == topic),
        )
        for n, topic in enumerate(TOPICS)
    )
    return Deck(name="Docker", slug="bench", cards=tuple(cards), sections=sections)


def run_one(kind: str, count: int, paper: str) -> dict[str, float | int]:
    deck = synthetic_deck(count)
    export = export_cards_pdf if kind == "cards" else export_sheet_pdf
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = export(deck, Path(out), ExportOptions(paper=paper))  # type: ignore[arg-type]
        wall = time.perf_counter() - start
        size = sum(p.stat().st_size for p in result.paths)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"wall": wall, "peak_mb": peak_kb / 1024, "size_kb": size / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument("--one", choices=("cards", "sheet"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.cards, args.paper)))
        return
    for kind in ("cards", "sheet"):
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                kind,
                "--cards",
                str(args.cards),
                "--paper",
                args.paper,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        stats = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{kind:5} PDF, {args.cards} cards: {stats['wall']:.2f} s wall, "
            f"peak RSS {stats['peak_mb']:.0f} MB, {stats['size_kb']:.0f} KB"
        )


if __name__ == "__main__":
    main()
